// The influence of one input element z^l_{m,n}: for every kernel tap (i,j), which output
// cell it feeds (if any), why not otherwise, and the index expression (m-i+1) that says so.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/conv_spec.h"
#include "engine/matrix.h"

namespace convlens {

enum class TapReach {
    Inside,       // reaches an output cell
    ZeroPadding,  // the output index falls outside 1..Ho: delta^{l+1} is zero there
    StrideGap,    // the output index is not whole: it falls between two outputs
};

// One-axis index mapping, p = (m + sign*d*i + offset) / s (+1 in one-based), kept as
// coefficients so it can be printed symbolically and with the numbers substituted.
struct AxisIndexMap {
    char element = 'm';   // m for rows, n for columns
    char tap = 'i';       // i for rows, j for columns
    int tap_sign = -1;    // -1 in cross-correlation, +1 in convolution mode
    int dilation = 1;
    int offset = 0;       // constant of the numerator, in the scene's base
    int stride = 1;
    int base = 1;         // index base the expression is written in

    // "m-i+1", "m-2i+3", "(m-i+1)/2+1", "m+i-2" (convolution), "m-i" (zero-based)...
    std::string symbolic() const;
    // "3-2+1" for m=3, i=2 (both in the scene's base); the caller appends " = p".
    std::string substituted(int m, int i) const;
    // The exact value, or nullopt when the division by the stride is not whole.
    std::optional<int> evaluate(int m, int i) const;
    // The value as a real number (2.5 between two outputs), in the same base.
    double evaluate_real(int m, int i) const;
};

// Where the forward pass applies stored tap `tap` along one axis: convolution mode flips
// the kernel, so w_{i,j} sits at window offset (kh-i+1, kw-j+1) there (zero-based here).
int window_offset(int tap, int kernel, ConvMode mode);

// Where tap `tap` (zero-based, as stored) of input element `element` lands along one
// axis: the zero-based output index when Inside. The scatter form is built on this.
struct AxisReach {
    TapReach reach = TapReach::Inside;
    int index = 0;
};
AxisReach reach_along_axis(int element, int tap, int kernel, int stride, int padding,
                           int dilation, int output_extent, ConvMode mode);

AxisIndexMap row_index_map(const ConvSpec& spec, int kernel_rows, int base);
AxisIndexMap col_index_map(const ConvSpec& spec, int kernel_cols, int base);

struct InfluenceTap {
    Cell tap;                    // (i, j), zero-based, names the stored kernel element
    std::optional<Cell> output;  // (p, q), zero-based, when reach == Inside
    TapReach reach = TapReach::Inside;
    TapReach row_reach = TapReach::Inside;
    TapReach col_reach = TapReach::Inside;
    double weight = 0;           // w_{i,j}
    double upstream = 0;         // delta^{l+1}_{p,q}; 0 when the tap reaches no output
    double product = 0;          // upstream * weight
    std::string index;           // "m-i+1, n-j+1" in the requested base
    std::string reason;          // "" when inside; otherwise one plain sentence
};

// Taps in row-major order of (i, j). element is zero-based; base only shapes `index`.
// Throws InputError when element lies outside the input.
std::vector<InfluenceTap> influence_taps(const Matrix& kernel, const Matrix& upstream,
                                         Shape input, const ConvSpec& spec, Cell element,
                                         int base);

}  // namespace convlens
