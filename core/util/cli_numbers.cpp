#include "util/cli_numbers.h"

#include <charconv>
#include <algorithm>
#include <climits>
#include <cmath>
#include <system_error>

namespace convlens {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

void set(NumberTrouble* trouble, NumberTrouble value) {
    if (trouble) *trouble = value;
}

// Reads blanks, a sign, digits and blanks from the front of `text`, advancing it.
// from_chars reports a value beyond int as out of range instead of wrapping.
std::optional<int> take_number(std::string_view& text, NumberTrouble* trouble) {
    set(trouble, NumberTrouble::NotANumber);
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    if (text.empty() || !is_digit(text.front())) return std::nullopt;
    // Read wide, then range-checked: -2147483648 fits an int, its magnitude does not.
    long long magnitude = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), magnitude);
    std::size_t digits = 0;
    while (digits < text.size() && is_digit(text[digits])) ++digits;
    text.remove_prefix(digits);
    const bool too_large = error != std::errc() || (negative ? -magnitude < INT_MIN : magnitude > INT_MAX);
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    if (too_large) {
        // Beyond int is the trouble only when nothing else is wrong with the text.
        set(trouble, NumberTrouble::TooLarge);
        return std::nullopt;
    }
    (void)end;
    set(trouble, NumberTrouble::None);
    return static_cast<int>(negative ? -magnitude : magnitude);
}

// The power of ten of the first non-zero digit of `mantissa` (digits with at most one
// '.') times 10^exponent: ("120", 0) -> 2; ("0.05", 0) -> -2; ("1", 400) -> 400. Only its
// sign matters to the caller, so the clamped exponent of "1e99999999999" is fine.
long long leading_power(std::string_view mantissa, long long exponent) {
    const std::size_t point = mantissa.find('.');
    const long long whole_digits =
        static_cast<long long>(point == std::string_view::npos ? mantissa.size() : point);
    long long index = 0;  // among the digits, the point skipped
    for (char c : mantissa) {
        if (c == '.') continue;
        if (c != '0') return whole_digits - 1 - index + exponent;
        ++index;
    }
    return LLONG_MIN;  // all zeros: never out of range
}

}  // namespace

std::optional<int> parse_whole_number(std::string_view text, NumberTrouble* trouble) {
    const std::optional<int> n = take_number(text, trouble);
    if (n && !text.empty()) {
        set(trouble, NumberTrouble::NotANumber);
        return std::nullopt;
    }
    if (!n && !text.empty()) set(trouble, NumberTrouble::NotANumber);
    return n;
}

std::optional<std::pair<int, int>> parse_number_pair(std::string_view text, char separator,
                                                     NumberTrouble* trouble) {
    NumberTrouble first_trouble = NumberTrouble::None, second_trouble = NumberTrouble::None;
    const std::optional<int> first = take_number(text, &first_trouble);
    const bool separated = !text.empty() && text.front() == separator;
    if (separated) text.remove_prefix(1);
    const std::optional<int> second = separated ? take_number(text, &second_trouble) : std::nullopt;
    const bool well_formed = separated && first_trouble != NumberTrouble::NotANumber &&
                             second_trouble != NumberTrouble::NotANumber && text.empty();
    if (!well_formed) {
        set(trouble, NumberTrouble::NotANumber);
        return std::nullopt;
    }
    if (!first || !second) {
        set(trouble, NumberTrouble::TooLarge);
        return std::nullopt;
    }
    set(trouble, NumberTrouble::None);
    return std::pair{*first, *second};
}

std::optional<double> parse_real_number(std::string_view text, NumberTrouble* trouble) {
    set(trouble, NumberTrouble::NotANumber);
    // What people type, in the plain ASCII from_chars reads: the minus sign U+2212 and a
    // decimal comma.
    std::string plain;
    plain.reserve(text.size());
    for (std::size_t k = 0; k < text.size(); ++k) {
        if (text.substr(k, 3) == "\xE2\x88\x92") {
            plain += '-';
            k += 2;
        } else {
            plain += text[k] == ',' ? '.' : text[k];
        }
    }
    std::string_view t = plain;
    while (!t.empty() && is_blank(t.front())) t.remove_prefix(1);
    while (!t.empty() && is_blank(t.back())) t.remove_suffix(1);
    // The form, checked by hand: [sign] digits [. digits] [e [sign] digits], at least one
    // digit in the mantissa. from_chars alone would take "inf", "nan" and "1e" as "1".
    std::size_t k = 0;
    if (k < t.size() && (t[k] == '+' || t[k] == '-')) ++k;
    const std::size_t mantissa_begin = k;
    std::size_t mantissa_digits = 0;
    while (k < t.size() && is_digit(t[k])) ++k, ++mantissa_digits;
    if (k < t.size() && t[k] == '.') {
        ++k;
        while (k < t.size() && is_digit(t[k])) ++k, ++mantissa_digits;
    }
    if (mantissa_digits == 0) return std::nullopt;
    const std::string_view mantissa = t.substr(mantissa_begin, k - mantissa_begin);
    long long exponent = 0;
    if (k < t.size() && (t[k] == 'e' || t[k] == 'E')) {
        ++k;
        bool exponent_negative = false;
        if (k < t.size() && (t[k] == '+' || t[k] == '-')) exponent_negative = t[k++] == '-';
        if (k == t.size() || !is_digit(t[k])) return std::nullopt;
        for (; k < t.size() && is_digit(t[k]); ++k)
            exponent = std::min(exponent * 10 + (t[k] - '0'), 1000000000LL);
        if (exponent_negative) exponent = -exponent;
    }
    if (k != t.size()) return std::nullopt;

    // from_chars takes no leading '+'.
    const std::string_view number = t.front() == '+' ? t.substr(1) : t;
    double value = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
    // Out of range either way, whatever the library reports for an underflow: a value
    // that came out as 0 or infinity from digits that are neither.
    const long long power = leading_power(mantissa, exponent);
    const bool lost = error == std::errc::result_out_of_range ||
                      (error == std::errc() && (std::isinf(value) || (value == 0 && power != LLONG_MIN)));
    if (lost) {
        set(trouble, power > 0 ? NumberTrouble::TooLarge : NumberTrouble::TooSmall);
        return std::nullopt;
    }
    if (error != std::errc() || end != number.data() + number.size()) return std::nullopt;
    set(trouble, NumberTrouble::None);
    return value;
}

std::string too_large_note(NumberTrouble trouble, bool whole) {
    if (trouble != NumberTrouble::TooLarge) return "";
    return whole ? ", which is too large (whole numbers here go up to 2147483647)"
                 : ", which is too large for a double (beyond 1.8e308)";
}

std::string number_trouble_message(std::string_view text, NumberTrouble trouble, bool whole) {
    const std::string quoted = "\"" + std::string(text) + "\"";
    switch (trouble) {
        case NumberTrouble::None: return "";
        case NumberTrouble::NotANumber:
            return quoted + (whole ? " is not a whole number" : " is not a number");
        case NumberTrouble::TooLarge:
            return quoted + (whole ? " is too large (whole numbers here go up to 2147483647)"
                                   : " is too large for a double (beyond 1.8e308)");
        case NumberTrouble::TooSmall:
            return quoted + " is too close to zero for a double (below 4.9e-324), which would "
                            "hold only 0";
    }
    return "";
}

}  // namespace convlens
