// The equivalence lesson: every scatter term delta^{l+1}_{p,q} w_{i,j} of one z^l_{m,n}
// matched with its gather term delta-tilde * rot180(w) at the rotated position, term by
// term (not just the sums), by hand on the default scene (one-based in the comments,
// D = delta^{l+1}, T = delta-tilde) and against independent index arithmetic on random
// scenes of every geometry and both modes.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/layer_results.h"
#include "lesson/lesson.h"
#include "unit/autodiff.h"
#include "unit/lesson_test_support.h"

namespace convlens {
namespace {

using namespace lesson_test;

Lesson equivalence(const Scene& scene, Cell cell) {
    return build_lesson(LessonName::Equivalence, scene, compute_layer(scene), cell);
}

std::optional<Cell> marked(const Step& step, GridId grid, int term) {
    for (const Mark& m : step.marks)
        if (m.grid == grid && m.term == term &&
            (m.role == MarkRole::Term || m.role == MarkRole::Padding))
            return m.cell;
    return std::nullopt;
}

// Every equation line of the step, one after the other.
std::string equation_text(const Step& step) {
    std::string all;
    for (const EquationLine& line : step.equation) all += line.tex() + "\n";
    return all;
}

const Readout& readout(const Step& step, const std::string& label) {
    for (const Readout& r : step.readouts)
        if (r.label_tex == label) return r;
    throw std::runtime_error("no readout " + label);
}

// The default scene's z_{3,3}: p = 4 - i, q = 4 - j, every tap inside.
//   tap (1,1): D_{3,3} w_{1,1} =  1 *  1 =  1    gather: T_{5,5} R_{3,3} =  1 *  1
//   tap (1,2): D_{3,2} w_{1,2} =  1 *  0 =  0    gather: T_{5,4} R_{3,2} =  1 *  0
//   tap (1,3): D_{3,1} w_{1,3} = -2 * -1 =  2    gather: T_{5,3} R_{3,1} = -2 * -1
//   tap (2,1): D_{2,3} w_{2,1} = -1 *  2 = -2    gather: T_{4,5} R_{2,3} = -1 *  2
//   tap (2,2): D_{2,2} w_{2,2} =  2 *  1 =  2
//   tap (2,3): D_{2,1} w_{2,3} =  0 *  0 =  0
//   tap (3,1): D_{1,3} w_{3,1} =  2 *  0 =  0
//   tap (3,2): D_{1,2} w_{3,2} = -1 * -1 =  1
//   tap (3,3): D_{1,1} w_{3,3} =  1 *  3 =  3    gather: T_{3,3} R_{1,1} = 1 * 3
//   sum 1 + 0 + 2 - 2 + 2 + 0 + 0 + 1 + 3 = 7
TEST(LessonEquivalence, DefaultSceneCentreTermByTermByHand) {
    const Scene scene = default_scene();
    const Lesson lesson = equivalence(scene, {2, 2});
    ASSERT_EQ(lesson.steps.size(), 10u);
    const std::vector<double> by_hand{1, 0, 2, -2, 2, 0, 0, 1, 3};
    for (int k = 0; k < 9; ++k) {
        SCOPED_TRACE("tap " + std::to_string(k));
        const Step& step = lesson.steps[size_t(k)];
        const Cell tap{k / 3, k % 3};
        EXPECT_EQ(readout(step, "\\text{scatter term}").value, by_hand[size_t(k)]);
        EXPECT_EQ(readout(step, "\\text{gather term}").value, by_hand[size_t(k)]);
        EXPECT_TRUE(readout(step, "\\text{gather term}").agrees);
        ASSERT_EQ(step.terms.size(), size_t(k + 1)) << "the terms so far";
        EXPECT_EQ(step.terms.back().value, by_hand[size_t(k)]);
        // The same colour (term index) on the tap, its rotated place, and both error cells.
        EXPECT_EQ(marked(step, GridId::Kernel, k), tap);
        EXPECT_EQ(marked(step, GridId::RotatedKernel, k), (Cell{2 - tap.row, 2 - tap.col}));
        EXPECT_EQ(marked(step, GridId::Upstream, k), (Cell{2 - tap.row, 2 - tap.col}));
        // T_{m+i'-1, n+j'-1} with i' = 4 - i: zero-based 2 + (2 - i).
        EXPECT_EQ(marked(step, GridId::PaddedUpstream, k), (Cell{4 - tap.row, 4 - tap.col}));
        EXPECT_EQ(step.window->origin, (Cell{2, 2}));
    }
    EXPECT_EQ(lesson.steps[0].terms[0].symbolic, "\\delta^{l+1}_{3,3} \\cdot w_{1,1}");
    EXPECT_NE(equation_text(lesson.steps[0])
                  .find("\\text{gather: }\\tilde{\\delta}_{5,5} \\cdot \\mathrm{rot180}(w)_{3,3}"),
              std::string::npos)
        << equation_text(lesson.steps[0]);

    const Step& last = lesson.steps.back();
    ASSERT_TRUE(last.value.has_value());
    EXPECT_EQ(*last.value, 7);
    EXPECT_EQ(readout(last, "\\text{scatter}").value, 7);
    EXPECT_EQ(readout(last, "\\text{gather}").value, 7);
    EXPECT_TRUE(readout(last, "\\text{scatter}").agrees);
    EXPECT_EQ(line_tex(last, LineKind::Sum),
              "\\delta^{l}_{3,3} = f'(z^{l}_{3,3}) \\cdot 7 = 1 \\cdot 7 = 7");
    EXPECT_TRUE(has_mark(last, GridId::GradInput, {2, 2}, MarkRole::Result));
    EXPECT_EQ(last.terms.size(), 9u);
}

// The corner z_{1,1}: only tap (1,1) reaches an output (D_{1,1} w_{1,1} = 1); tap (2,2)
// would reach D_{0,0}, in the zero padding, and its gather partner is T_{2,2}, an inserted
// zero. Both faces of that term are marked as padding and add 0.
TEST(LessonEquivalence, PaddingTermsAreMatchedToo) {
    const Scene scene = default_scene();
    const Lesson lesson = equivalence(scene, {0, 0});
    const Step& step = lesson.steps[4];  // tap (2,2)
    EXPECT_TRUE(step.terms.back().padding);
    EXPECT_EQ(step.terms.back().symbolic, "\\delta^{l+1}_{0,0} \\cdot w_{2,2}");
    EXPECT_TRUE(has_mark(step, GridId::Upstream, {-1, -1}, MarkRole::Padding, 4));
    EXPECT_TRUE(has_mark(step, GridId::PaddedUpstream, {1, 1}, MarkRole::Padding, 4));
    EXPECT_EQ(readout(step, "\\text{scatter term}").value, 0);
    EXPECT_EQ(readout(step, "\\text{gather term}").value, 0);
    EXPECT_EQ(*lesson.steps.back().value, 1);
}

// Stride 2 (5x5 input, w = 1..9, D = |1 2; 3 4|), z_{2,2}: along each axis tap 1 gives
// p = (2-1)/2 + 1 = 1.5 (a stride gap), tap 2 gives p = 1, tap 3 gives 0.5 - 1 < 1
// (outside). Only tap (2,2) counts: D_{1,1} w_{2,2} = 1 * 5 = 5; its partner is
// R_{2,2} = 5 over T_{3,3} = 1.
TEST(LessonEquivalence, StrideGapsAreMatchedWithInsertedZeros) {
    Scene scene;
    scene.input = Matrix::Constant(5, 5, 1);
    scene.kernel = Matrix{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    scene.upstream = Matrix{{1, 2}, {3, 4}};
    scene.spec.stride = {2, 2};
    const Lesson lesson = equivalence(scene, {1, 1});
    const Step& gap = lesson.steps[0];  // tap (1,1)
    EXPECT_EQ(gap.terms[0].symbolic, "\\delta^{l+1}_{1.5,1.5} \\cdot w_{1,1}");
    EXPECT_FALSE(marked(gap, GridId::Upstream, 0).has_value()) << "a stride gap has no cell";
    EXPECT_TRUE(has_mark(gap, GridId::PaddedUpstream, {3, 3}, MarkRole::Padding, 0));
    const Step& inside = lesson.steps[4];  // tap (2,2)
    EXPECT_EQ(readout(inside, "\\text{scatter term}").value, 5);
    EXPECT_EQ(readout(inside, "\\text{gather term}").value, 5);
    EXPECT_EQ(marked(inside, GridId::PaddedUpstream, 4), (Cell{2, 2}));
    EXPECT_EQ(*lesson.steps.back().value, 5);
}

// Convolution mode: the gather slides w unrotated, so tap (i,j) pairs with gather
// position (i,j). 3x3 input, w = |1 2; 3 4|, D = |1 -1; 2 3|, z_{2,2}:
//   tap (1,1) sits at window offset (2,2): p = 2 - 2 + 1 = 1: D_{1,1} w_{1,1} = 1
//       gather: position (1,1) over T_{2,2} = D_{1,1}: 1 * 1
//   tap (1,2): D_{1,2} w_{1,2} = -2;  tap (2,1): D_{2,1} w_{2,1} = 6;  tap (2,2): D_{2,2} w_{2,2} = 12
//   sum 17
TEST(LessonEquivalence, ConvolutionModePairsTapWithTheSamePosition) {
    Scene scene;
    scene.input = Matrix{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    scene.kernel = Matrix{{1, 2}, {3, 4}};
    scene.upstream = Matrix{{1, -1}, {2, 3}};
    scene.spec.mode = ConvMode::Convolution;
    const Lesson lesson = equivalence(scene, {1, 1});
    const std::vector<double> by_hand{1, -2, 6, 12};
    for (int k = 0; k < 4; ++k) {
        const Step& step = lesson.steps[size_t(k)];
        const Cell tap{k / 2, k % 2};
        EXPECT_EQ(marked(step, GridId::RotatedKernel, k), tap) << k;
        EXPECT_EQ(marked(step, GridId::PaddedUpstream, k), (Cell{1 + tap.row, 1 + tap.col})) << k;
        EXPECT_EQ(marked(step, GridId::Upstream, k), tap) << k;
        EXPECT_EQ(readout(step, "\\text{scatter term}").value, by_hand[size_t(k)]);
        EXPECT_EQ(readout(step, "\\text{gather term}").value, by_hand[size_t(k)]);
    }
    EXPECT_NE(equation_text(lesson.steps[0]).find("\\text{gather: }\\tilde{\\delta}_{2,2} \\cdot w_{1,1}"),
              std::string::npos)
        << equation_text(lesson.steps[0]);
    EXPECT_EQ(*lesson.steps.back().value, 17);
}

// Zero-based output index through window offset o, when whole (may lie outside).
std::optional<int> reach(int m, int o, int s, int P, int d) {
    const int numerator = m + P - d * o;
    if (((numerator % s) + s) % s != 0) return std::nullopt;
    return (numerator - ((numerator % s) + s) % s) / s;
}

// On random scenes: term k's scatter value is the oracle's delta^{l+1} at the output tap k
// reaches (0 in padding or a gap), its gather value is equal, the gather partner sits at
// the rotated position (the same one in convolution mode) under the window, and the sums
// are the oracle's delta^l.
TEST(LessonEquivalence, RandomScenesMatchEveryTermNotJustTheSums) {
    std::mt19937 rng(5);
    int terms_checked = 0, convolution = 0, padding = 0;
    for (std::uint32_t seed = 1; seed <= 60; ++seed) {
        const Scene scene = ad::random_scene(9300 + seed);
        SCOPED_TRACE("seed " + std::to_string(9300 + seed));
        const ad::ReferenceLayer oracle = ad::reference_layer(scene);
        const int H = int(scene.input.rows()), W = int(scene.input.cols());
        const int kh = int(scene.kernel.rows()), kw = int(scene.kernel.cols());
        const Cell e{std::uniform_int_distribution<int>(0, H - 1)(rng),
                     std::uniform_int_distribution<int>(0, W - 1)(rng)};
        const bool conv = scene.spec.mode == ConvMode::Convolution;
        convolution += conv;
        const auto& sp = scene.spec;
        const Lesson lesson = equivalence(scene, e);
        ASSERT_EQ(lesson.steps.size(), size_t(kh * kw + 1));
        for (int k = 0; k < kh * kw; ++k) {
            const Step& step = lesson.steps[size_t(k)];
            const Cell tap{k / kw, k % kw};
            const int oi = conv ? kh - 1 - tap.row : tap.row, oj = conv ? kw - 1 - tap.col : tap.col;
            const auto p = reach(e.row, oi, sp.stride.rows, sp.padding.rows, sp.dilation.rows);
            const auto q = reach(e.col, oj, sp.stride.cols, sp.padding.cols, sp.dilation.cols);
            const bool inside = p && q && *p >= 0 && *q >= 0 && *p < oracle.upstream.rows() &&
                                *q < oracle.upstream.cols();
            const double expected = inside ? oracle.upstream(*p, *q) * scene.kernel(tap.row, tap.col) : 0;
            EXPECT_NEAR(readout(step, "\\text{scatter term}").value, expected, 1e-12);
            EXPECT_EQ(readout(step, "\\text{scatter term}").value,
                      readout(step, "\\text{gather term}").value);
            EXPECT_EQ(step.terms.back().padding, !inside);
            padding += !inside;
            const Cell position = conv ? tap : Cell{kh - 1 - tap.row, kw - 1 - tap.col};
            EXPECT_EQ(marked(step, GridId::RotatedKernel, k), position);
            EXPECT_EQ(marked(step, GridId::PaddedUpstream, k),
                      (Cell{e.row + sp.padding.rows + sp.dilation.rows * position.row,
                            e.col + sp.padding.cols + sp.dilation.cols * position.col}));
            ++terms_checked;
        }
        const Step& last = lesson.steps.back();
        const double truth = oracle.grad_input(e.row, e.col);
        EXPECT_NEAR(*last.value, truth, 1e-9 * std::max(1.0, std::abs(truth)));
        for (const Readout& r : last.readouts) {
            EXPECT_NEAR(r.value, truth, 1e-9 * std::max(1.0, std::abs(truth))) << r.label_tex;
            EXPECT_TRUE(r.agrees);
        }
        for (const Step& step : lesson.steps)
            for (const std::string& tex : all_tex(step)) EXPECT_TRUE(braces_balance(tex)) << tex;
    }
    EXPECT_GT(terms_checked, 200);
    EXPECT_GT(convolution, 5);
    EXPECT_GT(padding, 10);
}

}  // namespace
}  // namespace convlens
