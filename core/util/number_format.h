// Numbers as a student reads them in a cell or an equation: integers without decimals,
// others rounded to at most three decimals, written as TeX-like source ('-', which
// parse_math turns into the minus sign U+2212).
#pragma once

#include <string>

namespace convlens {

// 3 -> "3", -1.5 -> "-1.5", 0.123456 -> "0.123", 12.3456 -> "12.35", 1e-5 -> "1e-05",
// 2.5e20 -> "2.5e+20", -0 -> "0", NaN -> "nan", infinities -> "\infty" / "-\infty".
std::string format_number(double value);

// The decimals the numbers of one grid share, so that its cells read like a column of a
// table: none when every value is whole, else as many as its most precise value needs in
// format_number, at most 2 (1 when the grid holds a value of 10 or more, none from 100).
int shared_decimals(const double* values, long count);
// `value` with exactly `decimals` decimals (1/9, 2 -> "0.11"; no "-0.00"); from 1e15 up,
// infinities and NaN as format_number writes them.
std::string format_with_decimals(double value, int decimals);

}  // namespace convlens
