// Numbers as a student reads them in a cell or an equation: integers without decimals,
// others rounded to at most three decimals, written as TeX-like source ('-', which
// parse_math turns into the minus sign U+2212).
#pragma once

#include <string>

namespace convlens {

// 3 -> "3", -1.5 -> "-1.5", 0.123456 -> "0.123", 12.3456 -> "12.35", 1e-5 -> "1e-05",
// 2.5e20 -> "2.5e+20", -0 -> "0", NaN -> "nan", infinities -> "\infty" / "-\infty".
std::string format_number(double value);

}  // namespace convlens
