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

TEST(CliNumbers, WholeNumbersSayWhy) {
    NumberTrouble why = NumberTrouble::None;
    EXPECT_EQ(parse_whole_number("2147483648", &why), std::nullopt);
    EXPECT_EQ(why, NumberTrouble::TooLarge);
    EXPECT_EQ(parse_whole_number(" -99999999999999999999999 ", &why), std::nullopt);
    EXPECT_EQ(why, NumberTrouble::TooLarge);
    for (const char* bad : {"", "3x", "99999999999x", "x", "1.0"}) {
        EXPECT_EQ(parse_whole_number(bad, &why), std::nullopt) << bad;
        EXPECT_EQ(why, NumberTrouble::NotANumber) << bad;
    }
    EXPECT_EQ(parse_whole_number("12", &why), 12);
    EXPECT_EQ(why, NumberTrouble::None);
    EXPECT_EQ(parse_number_pair("1,99999999999", ',', &why), std::nullopt);
    EXPECT_EQ(why, NumberTrouble::TooLarge);
    EXPECT_EQ(parse_number_pair("99999999999,", ',', &why), std::nullopt);
    EXPECT_EQ(why, NumberTrouble::NotANumber);
    EXPECT_EQ(number_trouble_message("99999999999", NumberTrouble::TooLarge, true),
              "\"99999999999\" is too large (whole numbers here go up to 2147483647)");
}

TEST(CliNumbers, RealNumbersAsPeopleTypeThem) {
    EXPECT_EQ(parse_real_number("-1.5"), -1.5);
    EXPECT_EQ(parse_real_number(" 1e-3 "), 0.001);
    EXPECT_EQ(parse_real_number("1E+3"), 1000.0);
    EXPECT_EQ(parse_real_number(".5"), 0.5);
    EXPECT_EQ(parse_real_number("2."), 2.0);
    EXPECT_EQ(parse_real_number("+7"), 7.0);
    EXPECT_EQ(parse_real_number("\xE2\x88\x92" "2"), -2.0);  // the minus sign U+2212
    EXPECT_EQ(parse_real_number("0,25"), 0.25);                 // a decimal comma
    EXPECT_EQ(parse_real_number("1.7976931348623157e308"), 1.7976931348623157e308);
    EXPECT_EQ(parse_real_number("1e-310"), 1e-310);  // subnormal, but a double
    EXPECT_EQ(parse_real_number("0e999999"), 0.0);   // zero at any exponent is zero
    NumberTrouble why = NumberTrouble::None;
    for (const char* bad : {"", " ", "-", ".", "e3", "1e", "1e+", "abc", "3x", "1 2", "inf",
                            "-infinity", "nan", "0x10", "1..2", "--1", "1,5,3"}) {
        EXPECT_EQ(parse_real_number(bad, &why), std::nullopt) << bad;
        EXPECT_EQ(why, NumberTrouble::NotANumber) << bad;
    }
    // Beyond DBL_MAX = 1.797...e308, whichever way the digits are written.
    for (const char* large : {"1e400", "-1e400", "1.8e308", "1000e306", "0.0001e313",
                              "1e99999999999999999999"}) {
        EXPECT_EQ(parse_real_number(large, &why), std::nullopt) << large;
        EXPECT_EQ(why, NumberTrouble::TooLarge) << large;
    }
    // Below the smallest subnormal 4.9e-324 (halfway rounds to it), non-zero digits.
    for (const char* small : {"1e-400", "-0.001e-330", "1e-99999999999999999999"}) {
        EXPECT_EQ(parse_real_number(small, &why), std::nullopt) << small;
        EXPECT_EQ(why, NumberTrouble::TooSmall) << small;
    }
    EXPECT_EQ(number_trouble_message("1e400", NumberTrouble::TooLarge),
              "\"1e400\" is too large for a double (beyond 1.8e308)");
    EXPECT_EQ(number_trouble_message("abc", NumberTrouble::NotANumber), "\"abc\" is not a number");
}

}  // namespace
}  // namespace convlens
