// Fuzz target: the command line's numbers (--select/--cell M,N, --steps A-B, --size WxH,
// --step K) through core/util/cli_numbers.h. Contract: the parser accepts exactly what a
// regular expression of the format accepts, with values strtoll reads and int holds, and
// a pair written back reads the same.
#include <cerrno>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <regex>
#include <string>

#include "util/cli_numbers.h"

namespace {

[[noreturn]] void broken(const std::string& why) {
    std::fprintf(stderr, "contract broken: %s\n", why.c_str());
    std::abort();
}

// The independent reading: strtoll on the digits the expression matched, with its own
// overflow report, then the int range.
std::optional<int> reference_number(const std::string& digits) {
    errno = 0;
    const long long v = std::strtoll(digits.c_str(), nullptr, 10);
    if (errno == ERANGE || v < INT_MIN || v > INT_MAX) return std::nullopt;
    return static_cast<int>(v);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0 || size > 64) return 0;  // a command-line argument, not a file
    // The first byte picks the separator: itself when it is one, so seeds read naturally.
    static const char kSeparators[] = {',', '-', 'x'};
    const char first = static_cast<char>(data[0]);
    const char separator =
        first == ',' || first == '-' || first == 'x' ? first : kSeparators[data[0] % 3];
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);

    // One number.
    static const std::regex one(R"(^[ \t]*([+-]?[0-9]+)[ \t]*$)");
    std::smatch m;
    const std::optional<int> got = convlens::parse_whole_number(text);
    const std::optional<int> want = std::regex_match(text, m, one)
                                        ? reference_number(m[1].str())
                                        : std::nullopt;
    if (got != want) broken("parse_whole_number disagrees with the reference on \"" + text + "\"");

    // A pair.
    static const auto pair_pattern = [](const char* sep) {
        return std::regex(std::string(R"(^[ \t]*([+-]?[0-9]+)[ \t]*)") + sep +
                          R"([ \t]*([+-]?[0-9]+)[ \t]*$)");
    };
    static const std::regex by_comma = pair_pattern(","), by_dash = pair_pattern("\\-"),
                            by_x = pair_pattern("x");
    const std::regex& two = separator == ',' ? by_comma : separator == '-' ? by_dash : by_x;
    const auto pair = convlens::parse_number_pair(text, separator);
    std::optional<std::pair<int, int>> expected;
    if (std::regex_match(text, m, two)) {
        const auto a = reference_number(m[1].str()), b = reference_number(m[2].str());
        if (a && b) expected = std::pair{*a, *b};
    }
    if (pair != expected) broken("parse_number_pair disagrees with the reference on \"" + text + "\"");
    if (pair) {
        const std::string again =
            std::to_string(pair->first) + separator + std::to_string(pair->second);
        if (convlens::parse_number_pair(again, separator) != pair)
            broken("a pair written back reads differently: " + again);
    }
    return 0;
}
