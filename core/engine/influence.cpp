#include "engine/influence.h"

#include <cmath>
#include <cstdio>
#include <string>

namespace convlens {
namespace {

std::string signed_term(int value) {
    if (value == 0) return "";
    return (value > 0 ? "+" : "-") + std::to_string(std::abs(value));
}

std::string tap_term(int sign, int dilation, char tap) {
    std::string term = sign < 0 ? "-" : "+";
    if (dilation != 1) term += std::to_string(dilation);
    return term + tap;
}

std::string tap_term_value(int sign, int dilation, int value) {
    std::string term = sign < 0 ? "-" : "+";
    if (dilation != 1) term += std::to_string(dilation) + "\u00b7";
    return term + std::to_string(value);
}

std::string format_real(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return buf;
}

AxisIndexMap axis_map(char element, char tap, int kernel, int stride, int padding, int dilation,
                      ConvMode mode, int base) {
    AxisIndexMap map;
    map.element = element;
    map.tap = tap;
    map.dilation = dilation;
    map.stride = stride;
    map.base = base;
    // Zero-based: p = (m + P - d*o) / s with window offset o = i (correlation) or
    // kh-1-i (convolution). Rewritten for m, i counted from `base`.
    if (mode == ConvMode::CrossCorrelation) {
        map.tap_sign = -1;
        map.offset = padding + base * (dilation - 1);
    } else {
        map.tap_sign = +1;
        map.offset = padding - dilation * (kernel - 1) - base * (1 + dilation);
    }
    return map;
}

std::string axis_reason(const char* axis, const AxisIndexMap& map, int m, int i, TapReach reach,
                        int output_extent) {
    const std::string value = format_real(map.evaluate_real(m, i));
    const std::string name = std::string(axis) + " " + (map.element == 'm' ? "p" : "q");
    if (reach == TapReach::ZeroPadding)
        return name + " = " + value + " is outside " + std::to_string(map.base) + ".." +
               std::to_string(output_extent - 1 + map.base) +
               ": it lands in the zero padding of delta^{l+1}";
    return name + " = " + value + " is not whole: it falls between two outputs (stride " +
           std::to_string(map.stride) + ")";
}

}  // namespace

std::string AxisIndexMap::symbolic() const {
    std::string numerator = std::string(1, element) + tap_term(tap_sign, dilation, tap);
    if (stride == 1) return numerator + signed_term(offset + base);
    return "(" + numerator + signed_term(offset) + ")/" + std::to_string(stride) +
           signed_term(base);
}

std::string AxisIndexMap::substituted(int m, int i) const {
    std::string numerator = std::to_string(m) + tap_term_value(tap_sign, dilation, i);
    if (stride == 1) return numerator + signed_term(offset + base);
    return "(" + numerator + signed_term(offset) + ")/" + std::to_string(stride) +
           signed_term(base);
}

std::optional<int> AxisIndexMap::evaluate(int m, int i) const {
    const int numerator = m + tap_sign * dilation * i + offset;
    // A multiple of the stride leaves remainder 0 whatever its sign (C++ truncates, and
    // a division without remainder needs no rounding), so no floor is needed here.
    if (numerator % stride != 0) return std::nullopt;
    return numerator / stride + base;
}

double AxisIndexMap::evaluate_real(int m, int i) const {
    return double(m + tap_sign * dilation * i + offset) / stride + base;
}

AxisIndexMap row_index_map(const ConvSpec& spec, int kernel_rows, int base) {
    return axis_map('m', 'i', kernel_rows, spec.stride.rows, spec.padding.rows,
                    spec.dilation.rows, spec.mode, base);
}

AxisIndexMap col_index_map(const ConvSpec& spec, int kernel_cols, int base) {
    return axis_map('n', 'j', kernel_cols, spec.stride.cols, spec.padding.cols,
                    spec.dilation.cols, spec.mode, base);
}

int window_offset(int tap, int kernel, ConvMode mode) {
    return mode == ConvMode::Convolution ? kernel - 1 - tap : tap;
}

AxisReach reach_along_axis(int element, int tap, int kernel, int stride, int padding,
                           int dilation, int output_extent, ConvMode mode) {
    const int numerator = element + padding - dilation * window_offset(tap, kernel, mode);  // = s * p when whole
    // Outside the output grid comes first: such a tap lands in the zero padding of
    // delta^{l+1} whether or not it is also between two strided outputs.
    if (numerator < 0 || numerator > stride * (output_extent - 1))
        return {TapReach::ZeroPadding, 0};
    if (numerator % stride != 0) return {TapReach::StrideGap, 0};
    return {TapReach::Inside, numerator / stride};
}

std::vector<InfluenceTap> influence_taps(const Matrix& kernel, const Matrix& upstream,
                                         Shape input, const ConvSpec& spec, Cell element,
                                         int base) {
    if (element.row < 0 || element.row >= input.rows || element.col < 0 ||
        element.col >= input.cols)
        throw InputError("element (" + std::to_string(element.row + base) + ", " +
                         std::to_string(element.col + base) + ") is outside the " +
                         std::to_string(input.rows) + "x" + std::to_string(input.cols) +
                         " input (index base " + std::to_string(base) + ")");
    const int kh = int(kernel.rows()), kw = int(kernel.cols());
    const int out_rows = int(upstream.rows()), out_cols = int(upstream.cols());
    const AxisIndexMap row_map = row_index_map(spec, kh, base);
    const AxisIndexMap col_map = col_index_map(spec, kw, base);
    const std::string index = row_map.symbolic() + ", " + col_map.symbolic();

    std::vector<InfluenceTap> taps;
    taps.reserve(size_t(kh) * size_t(kw));
    for (int i = 0; i < kh; ++i)
        for (int j = 0; j < kw; ++j) {
            InfluenceTap t;
            t.tap = {i, j};
            t.weight = kernel(i, j);
            t.index = index;
            const AxisReach row = reach_along_axis(element.row, i, kh, spec.stride.rows,
                                                   spec.padding.rows, spec.dilation.rows,
                                                   out_rows, spec.mode);
            const AxisReach col = reach_along_axis(element.col, j, kw, spec.stride.cols,
                                                   spec.padding.cols, spec.dilation.cols,
                                                   out_cols, spec.mode);
            t.row_reach = row.reach;
            t.col_reach = col.reach;
            if (row.reach == TapReach::Inside && col.reach == TapReach::Inside) {
                t.output = Cell{row.index, col.index};
                t.upstream = upstream(row.index, col.index);
                t.product = t.upstream * t.weight;
            } else {
                t.reach = (row.reach == TapReach::ZeroPadding || col.reach == TapReach::ZeroPadding)
                              ? TapReach::ZeroPadding
                              : TapReach::StrideGap;
                std::string reason;
                if (row.reach != TapReach::Inside)
                    reason = axis_reason("row", row_map, element.row + base, i + base, row.reach,
                                         out_rows);
                if (col.reach != TapReach::Inside)
                    reason += (reason.empty() ? "" : "; ") +
                              axis_reason("column", col_map, element.col + base, j + base,
                                          col.reach, out_cols);
                t.reason = reason;
            }
            taps.push_back(std::move(t));
        }
    return taps;
}

}  // namespace convlens
