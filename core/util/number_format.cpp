#include "util/number_format.h"

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

}  // namespace convlens
