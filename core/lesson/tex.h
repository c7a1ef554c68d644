// Small pieces of TeX-like source that every lesson writes: subscripts in the scene's
// index base, factors that keep their sign readable, long sums shortened.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "engine/matrix.h"

namespace convlens {

// "_{3,2}" for the zero-based cell (2,1) in base 1.
std::string tex_subscript(Cell c, int base);

// A number as a factor: negative ones in parentheses, so "2 \cdot (-1)" never reads as
// a subtraction.
std::string tex_factor(double v);

// The terms joined by " + "; a sum of hundreds of terms keeps its first four and last
// two around "\cdots". Terms are made on demand: a kernel tap can pair with 65536 outputs.
std::string join_terms(std::size_t count, const std::function<std::string(std::size_t)>& term);

// Lines of one chain of equations as a LaTeX aligned block, each aligned at its first '='
// outside braces; a line that starts with '=' continues the one above:
// {"a = b", "= c"} -> \begin{aligned} a &= b \\ &= c \end{aligned}, one row a line.
// Empty lines are left out.
std::string aligned_block(const std::vector<std::string>& lines);

}  // namespace convlens
