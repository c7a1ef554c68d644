#include "util/cli_numbers.h"

#include <charconv>
#include <system_error>

namespace convlens {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Reads blanks, a sign, digits and blanks from the front of `text`, advancing it.
// from_chars reports a value beyond int as out of range instead of wrapping.
std::optional<int> take_number(std::string_view& text) {
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
    // Read wide, then range-checked: -2147483648 fits an int, its magnitude does not.
    long long magnitude = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), magnitude);
    if (error != std::errc()) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    const long long value = negative ? -magnitude : magnitude;
    if (value < -2147483648LL || value > 2147483647LL) return std::nullopt;
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    return static_cast<int>(value);
}

}  // namespace

std::optional<int> parse_whole_number(std::string_view text) {
    const std::optional<int> n = take_number(text);
    if (!n || !text.empty()) return std::nullopt;
    return n;
}

std::optional<std::pair<int, int>> parse_number_pair(std::string_view text, char separator) {
    const std::optional<int> first = take_number(text);
    if (!first || text.empty() || text.front() != separator) return std::nullopt;
    text.remove_prefix(1);
    const std::optional<int> second = take_number(text);
    if (!second || !text.empty()) return std::nullopt;
    return std::pair{*first, *second};
}

}  // namespace convlens
