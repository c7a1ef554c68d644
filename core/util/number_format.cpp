#include "util/number_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace convlens {
namespace {

std::string printf_double(const char* format, int precision, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, precision, value);
    return buffer;
}

void trim_decimal_zeros(std::string& s) {
    if (s.find('.') == std::string::npos) return;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
}

}  // namespace

std::string format_number(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "\\infty" : "-\\infty";
    const double magnitude = std::fabs(value);
    if (magnitude >= 1e15) return printf_double("%.*g", 4, value);
    const double rounded = std::round(value);
    // Values that went through a sum of products (0.1 + 0.2) land a hair off an integer.
    if (std::fabs(value - rounded) <= 1e-9 * std::max(1.0, magnitude))
        return rounded == 0 ? "0" : printf_double("%.*f", 0, rounded);
    // Fewer decimals for larger numbers keeps every cell about as wide as its neighbours.
    const int decimals = magnitude < 10 ? 3 : magnitude < 100 ? 2 : 1;
    std::string s = printf_double("%.*f", decimals, value);
    trim_decimal_zeros(s);
    if (s == "0" || s == "-0") s = printf_double("%.*g", 2, value);  // tiny, but not zero
    return s;
}

int shared_decimals(const double* values, long count) {
    int decimals = 0;
    double largest = 0;
    for (long k = 0; k < count; ++k) {
        if (!std::isfinite(values[k])) continue;
        largest = std::max(largest, std::fabs(values[k]));
        const std::string s = format_number(values[k]);
        if (s.find('e') != std::string::npos) continue;
        const size_t dot = s.find('.');
        if (dot != std::string::npos) decimals = std::max(decimals, static_cast<int>(s.size() - dot - 1));
    }
    const int most = largest >= 100 ? 0 : largest >= 10 ? 1 : 2;
    return std::min(decimals, most);
}

std::string format_with_decimals(double value, int decimals) {
    // format_number writes an exponent from 1e15 up (and for tiny values, which fixed
    // decimals show as zero).
    if (!std::isfinite(value) || std::fabs(value) >= 1e15) return format_number(value);
    std::string s = printf_double("%.*f", std::clamp(decimals, 0, 6), value);
    // A negative value that rounds to zero keeps no sign: "-0.00" reads as a value of its own.
    if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
    return s;
}

}  // namespace convlens
