// The command line's numbers (core/util/cli_numbers.h): hand-picked texts, including the
// ones sscanf's %d gets wrong (overflow is undefined there, trailing text is ignored).
#include <gtest/gtest.h>

#include <optional>
#include <utility>

#include "util/cli_numbers.h"

namespace convlens {
namespace {

using Pair = std::optional<std::pair<int, int>>;

TEST(CliNumbers, WholeNumbers) {
    EXPECT_EQ(parse_whole_number("3"), 3);
    EXPECT_EQ(parse_whole_number(" +7\t"), 7);
    EXPECT_EQ(parse_whole_number("-0"), 0);
    EXPECT_EQ(parse_whole_number("007"), 7);
    EXPECT_EQ(parse_whole_number("2147483647"), 2147483647);
    EXPECT_EQ(parse_whole_number("-2147483648"), -2147483647 - 1);
    for (const char* bad : {"", " ", "+", "-", "2147483648", "-2147483649",
                            "99999999999999999999999", "3x", "x3", "3 4", "1.0", "1e3", "--1", "0x10"})
        EXPECT_EQ(parse_whole_number(bad), std::nullopt) << bad;
}

TEST(CliNumbers, PairsAroundEachSeparator) {
    EXPECT_EQ(parse_number_pair("2,3", ','), Pair({2, 3}));
    EXPECT_EQ(parse_number_pair(" 2 , 3 ", ','), Pair({2, 3}));
    EXPECT_EQ(parse_number_pair("1-4", '-'), Pair({1, 4}));
    EXPECT_EQ(parse_number_pair("-1--2", '-'), Pair({-1, -2}));
    EXPECT_EQ(parse_number_pair("1920x1080", 'x'), Pair({1920, 1080}));
    for (const char* bad : {"2,", ",3", "2,,3", "2;3", "2,3,4", "2,3x", "2147483648,1", "1,-2147483649"})
        EXPECT_EQ(parse_number_pair(bad, ','), std::nullopt) << bad;
    EXPECT_EQ(parse_number_pair("1920 1080", 'x'), std::nullopt);
    EXPECT_EQ(parse_number_pair("3", '-'), std::nullopt);  // one number is not a range
}

}  // namespace
}  // namespace convlens
