// The influence lesson step against independent arithmetic: which output cells an input
// element feeds (the design's p = (m + P - d*o)/s, zero-based, o = i or kh-1-i), the
// table's index strings, the sum that is delta^l_{m,n}, and the receptive field and tap
// pairs of the other two directions.
#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "util/number_format.h"
#include "engine/layer_results.h"
#include "lesson/influence_focus.h"

namespace convlens {
namespace {

// A hand-made textbook layer: 5x5 input, 3x3 kernel, given 3x3 upstream, one-based.
Scene textbook() {
    Scene s;
    s.input = matrix_from_rows({{1, 2, 0, -1, 3},
                       {0, -2, 1, 2, 1},
                       {3, 1, -1, 0, 2},
                       {-1, 0, 2, 1, -2},
                       {2, 1, 0, -3, 1}});
    s.kernel = matrix_from_rows({{2, 0, -1}, {1, 3, 0}, {0, -1, 1}});
    s.upstream = matrix_from_rows({{1, -1, 2}, {0, 2, -1}, {-2, 1, 1}});
    return s;
}

using CellSet = std::set<std::pair<int, int>>;

int offset_of(int tap, int extent, ConvMode mode) {
    return mode == ConvMode::Convolution ? extent - 1 - tap : tap;
}

// Zero-based output index of input index m through window offset o, or nothing when the
// stride does not divide; may lie outside the output (zero padding).
std::optional<int> independent_p(int m, int o, int stride, int padding, int dilation) {
    const int num = m + padding - dilation * o;
    if (((num % stride) + stride) % stride != 0) return std::nullopt;
    return num / stride;
}

struct ExpectedTaps {
    CellSet inside, padding;  // output positions, zero-based
    double sum = 0;           // sum of upstream * w over the inside ones
};

ExpectedTaps expected_taps(const Scene& s, const Matrix& upstream, Cell e) {
    ExpectedTaps x;
    const ConvSpec& c = s.spec;
    for (int i = 0; i < s.kernel.rows(); ++i)
        for (int j = 0; j < s.kernel.cols(); ++j) {
            const auto p = independent_p(e.row, offset_of(i, int(s.kernel.rows()), c.mode),
                                         c.stride.rows, c.padding.rows, c.dilation.rows);
            const auto q = independent_p(e.col, offset_of(j, int(s.kernel.cols()), c.mode),
                                         c.stride.cols, c.padding.cols, c.dilation.cols);
            if (!p || !q) continue;
            if (*p >= 0 && *q >= 0 && *p < upstream.rows() && *q < upstream.cols()) {
                x.inside.insert({*p, *q});
                x.sum += upstream(*p, *q) * s.kernel(i, j);
            } else {
                x.padding.insert({*p, *q});
            }
        }
    return x;
}

CellSet as_set(const std::vector<Cell>& cells) {
    CellSet s;
    for (Cell c : cells) s.insert({c.row, c.col});
    return s;
}

const InfluenceRow& row_for(const InfluenceView& v, Cell tap) {
    return *std::find_if(v.rows.begin(), v.rows.end(),
                         [&](const InfluenceRow& r) { return r.tap.tap == tap; });
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

TEST(InfluenceFocus, TextbookElementFeedsExactlyTheCellsOfTheFormula) {
    const Scene s = textbook();
    const LayerResults r = compute_layer(s);
    const Cell e{2, 1};  // z^l_{3,2}
    const InfluenceView v = influence_view(s, r, Focus{GridId::Input, e});
    ASSERT_TRUE(v.focus);
    ASSERT_EQ(v.rows.size(), 9u);
    const ExpectedTaps x = expected_taps(s, r.upstream, e);
    // p = 2 - i, q = 1 - j: taps with j = 2 (zero-based) land in column -1.
    EXPECT_EQ(x.inside, (CellSet{{2, 1}, {2, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}));
    EXPECT_EQ(x.padding, (CellSet{{2, -1}, {1, -1}, {0, -1}}));
    CellSet all = x.inside;
    all.insert(x.padding.begin(), x.padding.end());
    EXPECT_EQ(as_set(v.output_cells), all);
    EXPECT_EQ(v.kernel_taps.size(), 6u);
    EXPECT_DOUBLE_EQ(v.sum, x.sum);
    EXPECT_DOUBLE_EQ(v.slope, 1.0);
    EXPECT_DOUBLE_EQ(v.grad_input, r.grad_input(2, 1));
    EXPECT_EQ(as_set(v.input_cells), (CellSet{{2, 1}}));
}

TEST(InfluenceFocus, RowsCarryTheIndexArithmetic) {
    const Scene s = textbook();
    const InfluenceView v = influence_view(s, compute_layer(s), Focus{GridId::Input, {2, 1}});
    // Tap (2,1) one-based: 3-2+1 = 2 and 2-1+1 = 2.
    const InfluenceRow& in = row_for(v, {1, 0});
    EXPECT_EQ(in.tap_label, "(2,1)");
    EXPECT_EQ(in.formula, "m-i+1, n-j+1");
    EXPECT_EQ(in.substituted, "3-2+1 = 2, 2-1+1 = 2");
    EXPECT_EQ(in.output_label, "(2,2)");
    ASSERT_TRUE(in.output_position);
    EXPECT_EQ(*in.output_position, (Cell{1, 1}));
    // Tap (1,3): column 2-3+1 = 0, one left of the output.
    const InfluenceRow& out = row_for(v, {0, 2});
    EXPECT_EQ(out.tap.reach, TapReach::ZeroPadding);
    EXPECT_EQ(out.substituted, "3-1+1 = 3, 2-3+1 = 0 (outside 1..3)");  // as after 2.5
    EXPECT_EQ(out.output_label, "outside: zero padding");
    ASSERT_TRUE(out.output_position);
    EXPECT_EQ(*out.output_position, (Cell{2, -1}));
}

TEST(InfluenceFocus, EquationOfACornerElement) {
    // z^l_{1,1} reaches only z^{l+1}_{1,1}, through w_{1,1} = 2, where delta^{l+1} = 1.
    const Scene s = textbook();
    const InfluenceView v = influence_view(s, compute_layer(s), Focus{GridId::GradInput, {0, 0}});
    EXPECT_EQ(v.equation_tex, "\\delta^{l}_{1,1} = \\delta^{l+1}_{1,1} \\cdot w_{1,1} = 1 \\cdot 2 = 2");
}

TEST(InfluenceFocus, EquationEndsWithTheEnginesDelta) {
    const Scene s = textbook();
    const LayerResults r = compute_layer(s);
    const InfluenceView v = influence_view(s, r, Focus{GridId::Input, {2, 1}});
    EXPECT_EQ(v.equation_tex.rfind("\\delta^{l}_{3,2} = \\delta^{l+1}_{", 0), 0u) << v.equation_tex;
    EXPECT_TRUE(ends_with(v.equation_tex, " = " + format_number(r.grad_input(2, 1)))) << v.equation_tex;
    // Negative factors are parenthesised: w_{1,3}... w_{3,2} = -1 appears as (-1).
    EXPECT_NE(v.equation_tex.find("(-1)"), std::string::npos) << v.equation_tex;
}

TEST(InfluenceFocus, StrideGapsHaveNoCell) {
    Scene s = textbook();
    s.spec.stride = {2, 2};
    s.upstream = matrix_from_rows({{1, -1}, {2, 3}});  // Ho = floor((5-3)/2)+1 = 2
    const LayerResults r = compute_layer(s);
    const Cell e{1, 2};  // m = 2 one-based
    const InfluenceView v = influence_view(s, r, Focus{GridId::Input, e});
    // Row tap i = 1 (one-based): (2-1)/2+1 = 1.5, between outputs 1 and 2.
    const InfluenceRow& gap = row_for(v, {0, 1});
    EXPECT_EQ(gap.tap.reach, TapReach::StrideGap);
    EXPECT_FALSE(gap.output_position);
    EXPECT_EQ(gap.output_label, "between outputs: stride");
    EXPECT_NE(gap.substituted.find("= 1.5 (not whole)"), std::string::npos) << gap.substituted;
    const ExpectedTaps x = expected_taps(s, r.upstream, e);
    CellSet all = x.inside;
    all.insert(x.padding.begin(), x.padding.end());
    EXPECT_EQ(as_set(v.output_cells), all);
    EXPECT_LT(v.output_cells.size(), 9u);
    EXPECT_DOUBLE_EQ(v.grad_input, r.grad_input(1, 2));
}

// Outside wins over "not whole", in the substituted column as in the "reaches" column:
// stride 2, z^l_{1,1}, tap (1,2): q = (1-2)/2+1 = 0.5, left of output column 1.
TEST(InfluenceFocus, FractionalPositionsOutsideTheOutputAreCalledOutside) {
    Scene s = textbook();
    s.spec.stride = {2, 2};
    s.upstream = matrix_from_rows({{1, -1}, {2, 3}});
    const InfluenceView v = influence_view(s, compute_layer(s), Focus{GridId::Input, {0, 0}});
    const InfluenceRow& row = row_for(v, {0, 1});
    EXPECT_EQ(row.tap.reach, TapReach::ZeroPadding);
    EXPECT_EQ(row.output_label, "outside: zero padding");
    EXPECT_NE(row.substituted.find("(1-2)/2+1 = 0.5 (outside 1..2)"), std::string::npos)
        << row.substituted;
    EXPECT_EQ(row.substituted.find("not whole"), std::string::npos) << row.substituted;
}

TEST(InfluenceFocus, PaddingTapsReportTheirOutOfRangePosition) {
    Scene s = textbook();
    s.spec.padding = {1, 1};
    s.upstream.reset();  // J = sum: delta^{l+1} all ones, 5x5
    const LayerResults r = compute_layer(s);
    const InfluenceView v = influence_view(s, r, Focus{GridId::Input, {0, 4}});
    const ExpectedTaps x = expected_taps(s, r.upstream, {0, 4});
    EXPECT_FALSE(x.padding.empty());
    EXPECT_TRUE(as_set(v.output_cells).count({-1, 5}));
    CellSet all = x.inside;
    all.insert(x.padding.begin(), x.padding.end());
    EXPECT_EQ(as_set(v.output_cells), all);
    EXPECT_DOUBLE_EQ(v.sum, x.sum);
}

TEST(InfluenceFocus, ZeroBasedIndices) {
    Scene s = textbook();
    s.index_base = 0;
    const InfluenceView v = influence_view(s, compute_layer(s), Focus{GridId::Input, {2, 1}});
    const InfluenceRow& in = row_for(v, {1, 0});
    EXPECT_EQ(in.tap_label, "(1,0)");
    EXPECT_EQ(in.formula, "m-i, n-j");
    EXPECT_EQ(in.substituted, "2-1 = 1, 1-0 = 1");
    EXPECT_EQ(v.equation_tex.rfind("\\delta^{l}_{2,1} = ", 0), 0u) << v.equation_tex;
}

TEST(InfluenceFocus, ActivationSlopeMultipliesTheSum) {
    Scene s = textbook();
    s.activation = Activation::Sigmoid;
    const LayerResults r = compute_layer(s);
    const Cell e{3, 2};
    const InfluenceView v = influence_view(s, r, Focus{GridId::Activated, e});
    const double sig = 1.0 / (1.0 + std::exp(-s.input(3, 2)));
    EXPECT_NEAR(v.slope, sig * (1 - sig), 1e-12);
    EXPECT_NEAR(v.grad_input, v.slope * expected_taps(s, r.upstream, e).sum, 1e-12);
    EXPECT_NEAR(v.grad_input, r.grad_input(3, 2), 1e-12);
    EXPECT_NE(v.equation_tex.find("f'(z^{l}_{4,3}) \\cdot ("), std::string::npos) << v.equation_tex;
}

TEST(InfluenceFocus, OutputFocusShowsTheReceptiveField) {
    Scene s = textbook();
    s.spec.padding = {1, 1};
    s.spec.dilation = {2, 1};
    s.upstream.reset();
    const LayerResults r = compute_layer(s);  // Ho = 5+2-4-1+1 = 3, Wo = 5
    const Cell out{0, 0};
    const InfluenceView v = influence_view(s, r, Focus{GridId::Output, out});
    CellSet field;
    double z = 0;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            const int m = 1 * out.row + 2 * i - 1, n = out.col + j - 1;  // s*p + d*i - P
            if (m < 0 || n < 0 || m >= 5 || n >= 5) continue;
            field.insert({m, n});
            z += s.input(m, n) * s.kernel(i, j);
        }
    EXPECT_EQ(as_set(v.input_cells), field);
    EXPECT_EQ(v.kernel_taps.size(), 9u);
    EXPECT_EQ(v.field_pairs.size(), field.size());
    EXPECT_DOUBLE_EQ(z, r.output(0, 0));
    EXPECT_TRUE(ends_with(v.equation_tex, " = " + format_number(z))) << v.equation_tex;
    EXPECT_EQ(v.equation_tex.rfind("z^{l+1}_{1,1} = z^{l}_{", 0), 0u) << v.equation_tex;
}

TEST(InfluenceFocus, KernelFocusPairsEveryUseOfTheTap) {
    Scene s = textbook();
    s.spec.stride = {2, 1};
    s.upstream.reset();
    s.target = Matrix::Zero(2, 3);
    const LayerResults r = compute_layer(s);
    const Cell tap{2, 1};
    const InfluenceView v = influence_view(s, r, Focus{GridId::GradKernel, tap});
    std::set<std::pair<std::pair<int, int>, std::pair<int, int>>> expected, got;
    double grad = 0;
    for (int p = 0; p < r.output.rows(); ++p)
        for (int q = 0; q < r.output.cols(); ++q) {
            const int m = 2 * p + tap.row, n = q + tap.col;
            expected.insert({{m, n}, {p, q}});
            grad += r.upstream(p, q) * s.input(m, n);
        }
    for (const auto& [e, o] : v.tap_pairs) got.insert({{e.row, e.col}, {o.row, o.col}});
    EXPECT_EQ(got, expected);
    EXPECT_NEAR(grad, r.grad_kernel(2, 1), 1e-12);
    EXPECT_TRUE(ends_with(v.equation_tex, " = " + format_number(r.grad_kernel(2, 1))));
    EXPECT_EQ(v.kernel_taps, (std::vector<Cell>{tap}));
}

TEST(InfluenceFocus, LongSumsAreAbbreviated) {
    Scene s;
    s.input = Matrix::Constant(30, 30, 1.0);
    s.kernel = Matrix::Constant(3, 3, 0.5);
    const LayerResults r = compute_layer(s);
    const InfluenceView v = influence_view(s, r, Focus{GridId::Kernel, {1, 1}});
    EXPECT_EQ(v.tap_pairs.size(), 28u * 28u);
    EXPECT_NE(v.equation_tex.find("\\cdots"), std::string::npos);
    EXPECT_LT(v.equation_tex.size(), 600u);
    EXPECT_TRUE(ends_with(v.equation_tex, " = 784"));
}

TEST(InfluenceFocus, FocusOutsideItsGridIsEmpty) {
    const Scene s = textbook();
    const LayerResults r = compute_layer(s);
    for (Focus f : {Focus{GridId::Input, {5, 0}}, Focus{GridId::Upstream, {0, 3}},
                    Focus{GridId::Kernel, {-1, 0}}}) {
        const InfluenceView v = influence_view(s, r, f);
        EXPECT_FALSE(v.focus);
        EXPECT_TRUE(v.rows.empty() && v.output_cells.empty() && v.equation_tex.empty());
    }
    EXPECT_FALSE(influence_view(s, r, std::nullopt).focus);
    // Results of another scene (a stale frame) must not be read out of bounds.
    EXPECT_FALSE(influence_view(s, LayerResults{}, Focus{GridId::Input, {0, 0}}).focus);
}

TEST(InfluenceFocus, IndexLabel) {
    EXPECT_EQ(index_label({2, 1}, 1), "(3,2)");
    EXPECT_EQ(index_label({2, 1}, 0), "(2,1)");
}

// Every geometry and every element: the lit output cells are the formula's, and the sum
// is delta^l by brute force over all (output, tap) pairs that read the element.
TEST(InfluenceFocus, SweepOfGeometriesAgreesWithBruteForce) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> value(-2, 2);
    int checked = 0;
    for (ConvMode mode : {ConvMode::CrossCorrelation, ConvMode::Convolution})
        for (int stride = 1; stride <= 3; ++stride)
            for (int padding = 0; padding <= 2; ++padding)
                for (int dilation = 1; dilation <= 2; ++dilation) {
                    Scene s;
                    s.input = Matrix(6, 5);
                    s.kernel = Matrix(3, 2);
                    s.input = s.input.unaryExpr([&](double) { return value(rng); });
                    s.kernel = s.kernel.unaryExpr([&](double) { return value(rng); });
                    s.spec = {{stride, stride}, {padding, padding}, {dilation, 1}, mode};
                    s.activation = Activation::Tanh;
                    const LayerResults r = compute_layer(s);
                    for (int m = 0; m < 6; ++m)
                        for (int n = 0; n < 5; ++n) {
                            const InfluenceView v = influence_view(s, r, Focus{GridId::Input, {m, n}});
                            const ExpectedTaps x = expected_taps(s, r.upstream, {m, n});
                            CellSet all = x.inside;
                            all.insert(x.padding.begin(), x.padding.end());
                            ASSERT_EQ(as_set(v.output_cells), all) << m << "," << n;
                            double brute = 0;
                            for (int p = 0; p < r.output.rows(); ++p)
                                for (int q = 0; q < r.output.cols(); ++q)
                                    for (int i = 0; i < 3; ++i)
                                        for (int j = 0; j < 2; ++j) {
                                            const int oi = offset_of(i, 3, mode), oj = offset_of(j, 2, mode);
                                            if (stride * p + dilation * oi - padding == m &&
                                                stride * q + oj - padding == n)
                                                brute += r.upstream(p, q) * s.kernel(i, j);
                                        }
                            const double slope = 1 - std::pow(std::tanh(s.input(m, n)), 2);
                            ASSERT_NEAR(v.sum, brute, 1e-12);
                            ASSERT_NEAR(v.grad_input, slope * brute, 1e-12);
                            ASSERT_NEAR(v.grad_input, r.grad_input(m, n), 1e-12);
                            ++checked;
                        }
                }
    EXPECT_EQ(checked, 2 * 3 * 3 * 2 * 30);
}

}  // namespace
}  // namespace convlens
