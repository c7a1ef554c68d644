// The backward (gather) lesson against hand-worked cases in the textbook's one-based
// notation (D = delta^{l+1}, R = rot180(w), T = the spread and padded D, "delta-tilde"),
// with the arithmetic in the comments, and against the engine and the independent
// autodiff oracle on random scenes. Code indices are zero-based.
//
// [SECTION] Helpers
// [SECTION] The default scene: rot180(w), the 7x7 padded D, the turn, three cells by hand
// [SECTION] Stride 2, padding 1, dilation 2, convolution mode, activations, zero-based
// [SECTION] Random scenes against the engine and the oracle; TeX; size limits

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "engine/activation.h"
#include "engine/layer_results.h"
#include "lesson/lesson.h"
#include "unit/autodiff.h"
#include "unit/lesson_test_support.h"

namespace convlens {
namespace {

using namespace lesson_test;

// [SECTION] Helpers

constexpr int kIntro = 4;  // turn, turned, spread, zeros

const ExtraGrid& extra(const Lesson& lesson, GridId id) {
    for (const ExtraGrid& e : lesson.extra_grids)
        if (e.id == id) return e;
    throw std::runtime_error("no extra grid");
}

const Step& cell_step(const Lesson& lesson, const Scene& scene, int m, int n) {
    return lesson.steps.at(size_t(kIntro) + size_t(m * scene.input.cols() + n));
}

std::vector<double> term_values(const Step& step) {
    std::vector<double> v;
    for (const Term& t : step.terms) v.push_back(t.value);
    return v;
}

std::vector<bool> term_padding(const Step& step) {
    std::vector<bool> v;
    for (const Term& t : step.terms) v.push_back(t.padding);
    return v;
}

Lesson backward(const Scene& scene, std::optional<Cell> cell = std::nullopt) {
    return build_lesson(LessonName::Backward, scene, compute_layer(scene), cell);
}

const Token* token(const Step& step, const std::string& key) {
    for (const Token& t : step.tokens)
        if (t.key == key) return &t;
    return nullptr;
}

// [SECTION] The default scene: rot180(w), the 7x7 padded D, the turn, three cells by hand
//
//   w = |  1  0 -1 |    R = rot180(w) = | 3 -1  0 |   R_{i',j'} = w_{4-i',4-j'}
//       |  2  1  0 |                    | 0  1  2 |
//       |  0 -1  3 |                    |-1  0  1 |
//
//   D = |  1 -1  2 |    T (7x7): D with kh-1 = 2 rows and kw-1 = 2 columns of zeros on
//       |  0  2 -1 |    each side; D_{p,q} sits at T_{p+2,q+2}. T_{4,3} = D_{2,1} = 0 is
//       | -2  1  1 |    an upstream value that happens to be 0, not an inserted zero.

TEST(LessonBackward, DefaultSceneRotatedKernelAndPaddedUpstream) {
    const Scene scene = default_scene();
    const Lesson lesson = backward(scene);
    const ExtraGrid& R = extra(lesson, GridId::RotatedKernel);
    EXPECT_EQ(R.values, (Matrix{{3, -1, 0}, {0, 1, 2}, {-1, 0, 1}}));
    EXPECT_EQ(R.title_tex, "\\mathrm{rot180}(w)");
    EXPECT_EQ(R.first_index, (Cell{1, 1}));

    const ExtraGrid& T = extra(lesson, GridId::PaddedUpstream);
    const Matrix expected{{0, 0, 0, 0, 0, 0, 0},  {0, 0, 0, 0, 0, 0, 0}, {0, 0, 1, -1, 2, 0, 0},
                          {0, 0, 0, 2, -1, 0, 0}, {0, 0, -2, 1, 1, 0, 0}, {0, 0, 0, 0, 0, 0, 0},
                          {0, 0, 0, 0, 0, 0, 0}};
    EXPECT_EQ(T.values, expected);
    EXPECT_EQ(T.first_index, (Cell{1, 1}));
    EXPECT_EQ(T.title_tex, "\\tilde{\\delta}^{l+1}");
    for (int r = 0; r < 7; ++r)
        for (int c = 0; c < 7; ++c) {
            const bool holds_d = r >= 2 && r <= 4 && c >= 2 && c <= 4;
            EXPECT_EQ(T.is_inserted({r, c}), !holds_d) << r << "," << c;
        }
    EXPECT_FALSE(T.is_inserted({3, 2})) << "D_{2,1} = 0 is a value of D";
    EXPECT_EQ(lesson.grids, (std::vector<GridId>{GridId::Kernel, GridId::RotatedKernel,
                                                 GridId::Upstream, GridId::PaddedUpstream,
                                                 GridId::GradInput}));
    EXPECT_EQ(lesson.steps.size(), size_t(kIntro + 25));
}

TEST(LessonBackward, DefaultSceneTurnsTheKernelThenSpreadsAndPads) {
    const Scene scene = default_scene();
    const Lesson lesson = backward(scene);
    const Step& before = lesson.steps[0];
    const Step& after = lesson.steps[1];
    ASSERT_EQ(before.tokens.size(), 9u);
    ASSERT_EQ(after.tokens.size(), 9u);
    // w_{1,1} = 1 starts at (1,1) and turns to (3,3); w_{2,3} = 0 goes to (2,1);
    // w_{3,3} = 3 goes to (1,1): R_{1,1} = 3.
    const Token* w11 = token(before, "w1,1");
    ASSERT_NE(w11, nullptr);
    EXPECT_EQ(w11->cell, (Cell{0, 0}));
    EXPECT_EQ(w11->tag_tex, "w_{1,1}");
    EXPECT_EQ(w11->value_tex, "1");
    EXPECT_EQ(token(after, "w1,1")->cell, (Cell{2, 2}));
    EXPECT_TRUE(token(after, "w1,1")->turns);
    EXPECT_EQ(token(after, "w2,3")->cell, (Cell{1, 0}));
    EXPECT_EQ(token(after, "w3,3")->cell, (Cell{0, 0}));
    EXPECT_EQ(token(after, "w3,3")->value_tex, "3");
    // Before the turn the tokens carry the numbers; after it, the grid shows its own.
    auto hides = [](const std::vector<GridId>& v, GridId g) {
        return std::find(v.begin(), v.end(), g) != v.end();
    };
    EXPECT_TRUE(hides(before.hidden_values, GridId::RotatedKernel));
    EXPECT_FALSE(hides(after.hidden_values, GridId::RotatedKernel));
    EXPECT_FALSE(before.about.has_value());
    // rot180(w)_{i',j'} = w_{4-i',4-j'}: R_{1,1} = w_{3,3}.
    EXPECT_EQ(line_tex(after, LineKind::General), "\\mathrm{rot180}(w)_{i',j'} = w_{4-i',4-j'}");

    // Spread and pad: the zeros are hidden, then shown. D_{1,1} went to T_{3,3}.
    const Step& spread = lesson.steps[2];
    const Step& zeros = lesson.steps[3];
    EXPECT_TRUE(hides(spread.hidden_inserted_zeros, GridId::PaddedUpstream));
    EXPECT_FALSE(hides(zeros.hidden_inserted_zeros, GridId::PaddedUpstream));
    EXPECT_TRUE(has_mark(spread, GridId::PaddedUpstream, {2, 2}, MarkRole::Window));
    EXPECT_TRUE(has_mark(spread, GridId::Upstream, {0, 0}, MarkRole::Window));
    bool named = false;
    for (const Tag& t : spread.tags)
        named = named || (t.grid == GridId::PaddedUpstream && t.cell == Cell{4, 3} &&
                          t.tex == "\\delta^{l+1}_{3,2}");
    EXPECT_TRUE(named) << "D_{3,2} sits at T_{5,4}";
    EXPECT_EQ(marks_of(spread, GridId::PaddedUpstream, MarkRole::Window).size(), 9u);
    EXPECT_EQ(line_tex(spread, LineKind::General), "\\tilde{\\delta}_{p+2,q+2} = \\delta^{l+1}_{p,q}");
}

// delta^l_{m,n} = sum_{i',j'} T_{m+i'-1, n+j'-1} R_{i',j'}; the terms in row-major (i',j').
//
// (1,1): the window T_{1..3,1..3}; only T_{3,3} = D_{1,1} = 1 is a value of D:
//   0*3 + 0*(-1) + 0*0 + 0*0 + 0*1 + 0*2 + 0*(-1) + 0*0 + 1*1 = 1   (= D_{1,1} w_{1,1})
// (2,3): the window T_{2..4,3..5}: row 2 is inserted zeros,
//   row 3: T_{3,3..5} = 1 -1 2 times R_{2,.} = 0 1 2:  0 + (-1) + 4 = 3
//   row 4: T_{4,3..5} = 0 2 -1 times R_{3,.} = -1 0 1: 0 + 0 + (-1) = -1     sum 2
// (3,3): the window is D itself: 1*3 + (-1)(-1) + 2*0 + 0*0 + 2*1 + (-1)*2 + (-2)(-1) + 1*0
//   + 1*1 = 3 + 1 + 0 + 0 + 2 - 2 + 2 + 0 + 1 = 7
TEST(LessonBackward, DefaultSceneGatherStepsByHand) {
    const Scene scene = default_scene();
    const Lesson lesson = backward(scene);

    const Step& s11 = cell_step(lesson, scene, 0, 0);
    EXPECT_EQ(term_values(s11), (std::vector<double>{0, 0, 0, 0, 0, 0, 0, 0, 1}));
    EXPECT_EQ(term_padding(s11),
              (std::vector<bool>{true, true, true, true, true, true, true, true, false}));
    EXPECT_EQ(*s11.value, 1);
    EXPECT_EQ(s11.window->origin, (Cell{0, 0}));
    EXPECT_EQ(s11.terms[8].symbolic, "\\tilde{\\delta}_{3,3} \\cdot w_{1,1}");
    EXPECT_EQ(s11.terms[0].symbolic, "\\tilde{\\delta}_{1,1} \\cdot w_{3,3}");
    EXPECT_EQ(s11.terms[0].numeric, "0 \\cdot 3");
    EXPECT_TRUE(has_mark(s11, GridId::PaddedUpstream, {0, 0}, MarkRole::Padding, 0));
    EXPECT_TRUE(has_mark(s11, GridId::PaddedUpstream, {2, 2}, MarkRole::Term, 8));
    EXPECT_TRUE(has_mark(s11, GridId::RotatedKernel, {2, 2}, MarkRole::Term, 8));
    EXPECT_TRUE(has_mark(s11, GridId::Upstream, {0, 0}, MarkRole::Term, 8));
    EXPECT_TRUE(has_mark(s11, GridId::Kernel, {0, 0}, MarkRole::Term, 8));
    EXPECT_TRUE(has_mark(s11, GridId::GradInput, {0, 0}, MarkRole::Result));
    EXPECT_TRUE(marks_of(s11, GridId::GradInput, MarkRole::Done).empty());

    const Step& s23 = cell_step(lesson, scene, 1, 2);
    EXPECT_EQ(term_values(s23), (std::vector<double>{0, 0, 0, 0, -1, 4, 0, 0, -1}));
    EXPECT_EQ(term_padding(s23),
              (std::vector<bool>{true, true, true, false, false, false, false, false, false}));
    EXPECT_EQ(*s23.value, 2);
    EXPECT_EQ(marks_of(s23, GridId::GradInput, MarkRole::Done).size(), 7u) << "cells before (2,3)";

    const Step& s33 = cell_step(lesson, scene, 2, 2);
    EXPECT_EQ(term_values(s33), (std::vector<double>{3, 1, 0, 0, 2, -2, 2, 0, 1}));
    EXPECT_EQ(*s33.value, 7);
    EXPECT_EQ(s33.window->origin, (Cell{2, 2}));
    EXPECT_EQ(s33.window->spacing, (Cell{1, 1}));
    EXPECT_EQ(s33.window->grid, GridId::PaddedUpstream);
    EXPECT_EQ(line_tex(s33, LineKind::General),
              "\\delta^{l}_{m,n} = f'(z^{l}_{m,n}) \\cdot \\sum_{i'} \\sum_{j'} "
              "\\tilde{\\delta}_{m+i'-1,n+j'-1} \\cdot \\mathrm{rot180}(w)_{i',j'}");
    EXPECT_NE(line_tex(s33, LineKind::Substituted)
                  .find("= f'(z^{l}_{3,3}) \\cdot (\\tilde{\\delta}_{3,3} \\cdot w_{3,3} + "
                        "\\tilde{\\delta}_{3,4} \\cdot w_{3,2}"),
              std::string::npos)
        << line_tex(s33, LineKind::Substituted);
    EXPECT_NE(line_tex(s33, LineKind::Values).find("= 1 \\cdot (1 \\cdot 3 + (-1) \\cdot (-1)"),
              std::string::npos)
        << line_tex(s33, LineKind::Values);
    EXPECT_EQ(line_tex(s33, LineKind::Sum), "= 1 \\cdot 7 = 7");
    ASSERT_TRUE(s33.about.has_value());
    EXPECT_EQ(*s33.about, (Focus{GridId::Input, {2, 2}}));
    // The f' = 1 is said, not dropped: the caption names it.
    EXPECT_NE(s33.caption.find("f′ = 1"), std::string::npos) << s33.caption;
}

TEST(LessonBackward, ACellStartsTheTimelineAtItsStep) {
    const Scene scene = default_scene();
    EXPECT_EQ(backward(scene, Cell{1, 3}).first_step_of_cell, kIntro + 1 * 5 + 3);
    EXPECT_EQ(backward(scene).first_step_of_cell, 0);
}

// [SECTION] Stride 2, padding 1, dilation 2, convolution mode, activations, zero-based

// Stride 2: 5x5 input, w = 1..9 row by row, D = |1 2; 3 4| (Ho = (5-3)/2 + 1 = 2).
// T is 5 + 2 = 7 square; D_{p,q} sits at T_{3+2(p-1), 3+2(q-1)}: T_{3,3} = 1, T_{3,5} = 2,
// T_{5,3} = 3, T_{5,5} = 4, everything else inserted. R = | 9 8 7; 6 5 4; 3 2 1 |.
//   delta_{3,3}: window T_{3..5,3..5} = |1 0 2; 0 0 0; 3 0 4|: 1*9 + 2*7 + 3*3 + 4*1 = 36
//     (scatter: D_{2,2} w_{1,1} + D_{2,1} w_{1,3} + D_{1,2} w_{3,1} + D_{1,1} w_{3,3}
//      = 4 + 9 + 14 + 9 = 36)
//   delta_{2,2}: window T_{2..4,2..4}: only T_{3,3} = 1, under R_{2,2} = 5: 5 (= D_{1,1} w_{2,2})
//   delta_{1,2}: window T_{1..3,2..4}: T_{3,3} = 1 under R_{3,2} = 2: 2 (= D_{1,1} w_{1,2})
TEST(LessonBackward, StrideTwoSpreadsTheErrorByHand) {
    Scene scene;
    scene.input = Matrix::Constant(5, 5, 1);
    scene.kernel = Matrix{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    scene.upstream = Matrix{{1, 2}, {3, 4}};
    scene.spec.stride = {2, 2};
    const Lesson lesson = backward(scene);
    const ExtraGrid& T = extra(lesson, GridId::PaddedUpstream);
    ASSERT_EQ(T.values.rows(), 7);
    ASSERT_EQ(T.values.cols(), 7);
    EXPECT_EQ(T.values(2, 2), 1);
    EXPECT_EQ(T.values(2, 4), 2);
    EXPECT_EQ(T.values(4, 2), 3);
    EXPECT_EQ(T.values(4, 4), 4);
    EXPECT_EQ(T.values.cwiseAbs().sum(), 10) << "nothing else";
    EXPECT_TRUE(T.is_inserted({2, 3})) << "a stride gap";
    EXPECT_TRUE(T.is_inserted({3, 3})) << "a stride gap";
    EXPECT_FALSE(T.is_inserted({4, 4}));
    EXPECT_EQ(*cell_step(lesson, scene, 2, 2).value, 36);
    EXPECT_EQ(term_values(cell_step(lesson, scene, 2, 2)),
              (std::vector<double>{9, 0, 14, 0, 0, 0, 9, 0, 4}));
    EXPECT_EQ(*cell_step(lesson, scene, 1, 1).value, 5);
    EXPECT_EQ(*cell_step(lesson, scene, 0, 1).value, 2);
    // The caption of the spread step names the stride; D_{p,q} lands at T_{2p+1,2q+1}.
    EXPECT_NE(lesson.steps[2].caption.find("stride"), std::string::npos);
    EXPECT_EQ(line_tex(lesson.steps[2], LineKind::General),
              "\\tilde{\\delta}_{2p+1,2q+1} = \\delta^{l+1}_{p,q}");
}

// A 6x6 input with stride 2 and a 3x3 kernel: Ho = floor(3/2) + 1 = 2, the last input row
// feeds no output. T is 6 + 2 = 8 high: 2 zero rows above D, D at rows 3 and 5, then
// 3 rows below (the 2 of the kernel's reach plus the 1 the floor dropped).
TEST(LessonBackward, StrideTwoKeepsWhatTheFloorDropped) {
    Scene scene;
    scene.input = Matrix::Constant(6, 6, 1);
    scene.kernel = Matrix::Constant(3, 3, 1);
    scene.upstream = Matrix{{1, 2}, {3, 4}};
    scene.spec.stride = {2, 2};
    const Lesson lesson = backward(scene);
    const ExtraGrid& T = extra(lesson, GridId::PaddedUpstream);
    EXPECT_EQ(T.values.rows(), 8);
    EXPECT_EQ(T.values(4, 4), 4);
    EXPECT_NE(lesson.steps[3].caption.find("2 rows above and 3 below"), std::string::npos)
        << lesson.steps[3].caption;
    // delta_{6,6}: window T_{6..8,6..8} holds no value of D: all nine terms are padding.
    const Step& last = cell_step(lesson, scene, 5, 5);
    EXPECT_EQ(*last.value, 0);
    for (const Term& t : last.terms) EXPECT_TRUE(t.padding);
}

// Padding 1: 3x3 input, w = |1 2; 3 4|, Ho = 3 + 2 - 2 + 1 = 4, D = 1..16 row by row.
// T is 3 + 2 + 1 = 6 square, D at T_{2..5,2..5}. The gather runs over the padded input
// and crops P, so the window of z_{m,n} starts at T_{m+1,n+1}. R = |4 3; 2 1|.
//   delta_{1,1}: T_{2..3,2..3} = |1 2; 5 6|: 1*4 + 2*3 + 5*2 + 6*1 = 4 + 6 + 10 + 6 = 26
//     (scatter: p = m + P - i + 1: D_{2,2} w_{1,1} + D_{2,1} w_{1,2} + D_{1,2} w_{2,1}
//      + D_{1,1} w_{2,2} = 6 + 10 + 6 + 4 = 26)
//   delta_{3,3}: T_{4..5,4..5} = |11 12; 15 16|: 44 + 36 + 30 + 16 = 126
TEST(LessonBackward, PaddingOneStartsTheWindowInsideThePaddedGridByHand) {
    Scene scene;
    scene.input = Matrix::Constant(3, 3, 1);
    scene.kernel = Matrix{{1, 2}, {3, 4}};
    scene.upstream = Matrix{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}, {13, 14, 15, 16}};
    scene.spec.padding = {1, 1};
    const Lesson lesson = backward(scene);
    const ExtraGrid& T = extra(lesson, GridId::PaddedUpstream);
    EXPECT_EQ(T.values.rows(), 6);
    EXPECT_EQ(T.values(1, 1), 1);
    EXPECT_EQ(T.values(4, 4), 16);
    const Step& first = cell_step(lesson, scene, 0, 0);
    EXPECT_EQ(first.window->origin, (Cell{1, 1}));
    EXPECT_EQ(term_values(first), (std::vector<double>{4, 6, 10, 6}));
    EXPECT_EQ(*first.value, 26);
    EXPECT_EQ(*cell_step(lesson, scene, 2, 2).value, 126);
    // With P = 1 the window index of z_{m,n} is m + P + i' - 1 = m + i' in base 1.
    EXPECT_NE(line_tex(first, LineKind::General).find("\\tilde{\\delta}_{m+i',n+j'}"),
              std::string::npos)
        << line_tex(first, LineKind::General);
    EXPECT_EQ(first.terms[0].symbolic, "\\tilde{\\delta}_{2,2} \\cdot w_{2,2}");
}

// Dilation 2: 5x5 input, w = |1 2; 3 4|, Ho = 5 - 2 - 1 + 1 = 3, D = 1..9 row by row.
// T is 5 + 2 = 7 square, D at T_{3..5,3..5}; the window's taps are 2 apart.
//   delta_{3,3}: T_{3,3} R_{1,1} + T_{3,5} R_{1,2} + T_{5,3} R_{2,1} + T_{5,5} R_{2,2}
//     = 1*4 + 3*3 + 7*2 + 9*1 = 36 (scatter: p = m - 2(i-1): D_{3,3} w_{1,1} + D_{3,1} w_{1,2}
//     + D_{1,3} w_{2,1} + D_{1,1} w_{2,2} = 9 + 14 + 9 + 4 = 36)
//   delta_{1,1}: only T_{3,3} = 1 under R_{2,2} = 1: 1
TEST(LessonBackward, DilationTwoSpacesTheTapsByHand) {
    Scene scene;
    scene.input = Matrix::Constant(5, 5, 1);
    scene.kernel = Matrix{{1, 2}, {3, 4}};
    scene.upstream = Matrix{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    scene.spec.dilation = {2, 2};
    const Lesson lesson = backward(scene);
    EXPECT_EQ(extra(lesson, GridId::PaddedUpstream).values.rows(), 7);
    const Step& centre = cell_step(lesson, scene, 2, 2);
    EXPECT_EQ(centre.window->spacing, (Cell{2, 2}));
    EXPECT_EQ(term_values(centre), (std::vector<double>{4, 9, 14, 9}));
    EXPECT_EQ(*centre.value, 36);
    EXPECT_EQ(*cell_step(lesson, scene, 0, 0).value, 1);
    // m + P + d(i'-1) = m + 2i' - 2 in base 1.
    EXPECT_NE(line_tex(centre, LineKind::General).find("\\tilde{\\delta}_{m+2i'-2,n+2j'-2}"),
              std::string::npos)
        << line_tex(centre, LineKind::General);
}

// Convolution mode, 3x3 input, w = |1 2; 3 4|, D = |1 -1; 2 3|. The forward pass applies
// rot180(w) = |4 3; 2 1|, so the gather slides rot180 of that: w as stored.
//   T = | 0 0 0 0; 0 1 -1 0; 0 2 3 0; 0 0 0 0 |
//   delta_{2,2}: T_{2..3,2..3} times w: 1*1 + (-1)*2 + 2*3 + 3*4 = 1 - 2 + 6 + 12 = 17
//   (scatter: z^{l+1}_{p,q} = sum a_{p+i-1,q+j-1} w_{3-i,3-j}, so z_{2,2} reaches every
//    output through w_{3-(2-p+1)...}: D_{1,1} w_{1,1} + D_{1,2} w_{1,2} + D_{2,1} w_{2,1}
//    + D_{2,2} w_{2,2} = 1 - 2 + 6 + 12 = 17)
TEST(LessonBackward, ConvolutionModeSlidesTheStoredKernelAndNothingTurns) {
    Scene scene;
    scene.input = Matrix{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    scene.kernel = Matrix{{1, 2}, {3, 4}};
    scene.upstream = Matrix{{1, -1}, {2, 3}};
    scene.spec.mode = ConvMode::Convolution;
    const Lesson lesson = backward(scene);
    const ExtraGrid& R = extra(lesson, GridId::RotatedKernel);
    EXPECT_EQ(R.values, scene.kernel);
    EXPECT_NE(R.caption.find("already flipped"), std::string::npos) << R.caption;
    for (int n = 0; n < 2; ++n)
        for (const Token& t : lesson.steps[size_t(n)].tokens) {
            EXPECT_FALSE(t.turns) << t.key;
            EXPECT_EQ(t.cell, token(lesson.steps[0], t.key)->cell) << t.key << " does not move";
        }
    EXPECT_NE(lesson.steps[1].caption.find("No tap moves"), std::string::npos);
    const Step& centre = cell_step(lesson, scene, 1, 1);
    EXPECT_EQ(term_values(centre), (std::vector<double>{1, -2, 6, 12}));
    EXPECT_EQ(*centre.value, 17);
    EXPECT_EQ(centre.terms[0].symbolic, "\\tilde{\\delta}_{2,2} \\cdot w_{1,1}");
    EXPECT_NE(line_tex(centre, LineKind::General).find("\\cdot w_{i',j'}"), std::string::npos);
}

// relu on the default scene: z_{3,3} = -1, so f' = 0 and delta_{3,3} = 0 * 7 = 0, while
// z_{1,1} = 1 gives f' = 1 and delta_{1,1} = 1 * 1. tanh: delta_{1,1} = (1 - tanh(1)^2) * 1.
TEST(LessonBackward, ActivationsMultiplyBySlope) {
    Scene scene = default_scene();
    scene.activation = Activation::Relu;
    Lesson lesson = backward(scene);
    EXPECT_EQ(lesson.grids.front(), GridId::Input) << "z^l shown for f'(z^l)";
    const Step& centre = cell_step(lesson, scene, 2, 2);
    EXPECT_EQ(term_sum(centre), 7);
    EXPECT_EQ(*centre.value, 0);
    EXPECT_EQ(line_tex(centre, LineKind::Sum), "= 0 \\cdot 7 = 0");
    EXPECT_TRUE(has_mark(centre, GridId::Input, {2, 2}, MarkRole::Focus));
    EXPECT_EQ(*cell_step(lesson, scene, 0, 0).value, 1);

    scene.activation = Activation::Tanh;
    lesson = backward(scene);
    const double slope = 1 - std::tanh(1.0) * std::tanh(1.0);
    EXPECT_NEAR(*cell_step(lesson, scene, 0, 0).value, slope * 1, 1e-15);
    EXPECT_NE(line_tex(cell_step(lesson, scene, 0, 0), LineKind::Values).find("= 0.42 \\cdot ("),
              std::string::npos);
}

// Zero-based: every "-1" of the index expressions disappears, labels count from 0.
TEST(LessonBackward, ZeroBasedLabels) {
    Scene scene = default_scene();
    scene.index_base = 0;
    const Lesson lesson = backward(scene);
    EXPECT_EQ(extra(lesson, GridId::PaddedUpstream).first_index, (Cell{0, 0}));
    EXPECT_EQ(extra(lesson, GridId::RotatedKernel).first_index, (Cell{0, 0}));
    EXPECT_EQ(token(lesson.steps[0], "w1,1")->tag_tex, "w_{0,0}");
    EXPECT_EQ(line_tex(lesson.steps[1], LineKind::General), "\\mathrm{rot180}(w)_{i',j'} = w_{2-i',2-j'}");
    EXPECT_EQ(line_tex(lesson.steps[2], LineKind::General), "\\tilde{\\delta}_{p+2,q+2} = \\delta^{l+1}_{p,q}");
    const Step& centre = cell_step(lesson, scene, 2, 2);
    EXPECT_NE(line_tex(centre, LineKind::General).find("\\tilde{\\delta}_{m+i',n+j'}"),
              std::string::npos);
    EXPECT_EQ(centre.terms[0].symbolic, "\\tilde{\\delta}_{2,2} \\cdot w_{2,2}");
    EXPECT_NE(line_tex(centre, LineKind::Substituted).find("f'(z^{l}_{2,2})"), std::string::npos);
}

// [SECTION] Random scenes against the engine and the oracle; TeX; size limits

// Every cell step: its value is the engine's delta^l and the autodiff oracle's, and equals
// f' times the sum of its terms; every term is the padded grid's number under the window
// times the gather kernel's tap, and is marked padding exactly on an inserted zero.
TEST(LessonBackward, RandomScenesAgreeWithEngineAndOracle) {
    int steps_checked = 0, padding_terms = 0;
    for (std::uint32_t seed = 1; seed <= 40; ++seed) {
        const Scene scene = ad::random_scene(9100 + seed);
        SCOPED_TRACE("seed " + std::to_string(9100 + seed));
        const LayerResults results = compute_layer(scene);
        const ad::ReferenceLayer oracle = ad::reference_layer(scene);
        const Lesson lesson = build_lesson(LessonName::Backward, scene, results, std::nullopt);
        const ExtraGrid& T = extra(lesson, GridId::PaddedUpstream);
        const ExtraGrid& R = extra(lesson, GridId::RotatedKernel);
        const int H = int(scene.input.rows()), W = int(scene.input.cols());
        ASSERT_EQ(lesson.steps.size(), size_t(kIntro + H * W));
        for (int m = 0; m < H; ++m)
            for (int n = 0; n < W; ++n) {
                const Step& step = cell_step(lesson, scene, m, n);
                const double slope = activation_derivative(scene.activation, scene.input(m, n));
                ASSERT_TRUE(step.value.has_value());
                EXPECT_EQ(*step.value, results.grad_input(m, n));
                EXPECT_NEAR(*step.value, oracle.grad_input(m, n),
                            1e-9 * std::max(1.0, std::abs(oracle.grad_input(m, n))));
                EXPECT_NEAR(slope * term_sum(step), *step.value,
                            1e-12 * std::max(1.0, std::abs(*step.value)));
                const KernelWindow& w = *step.window;
                for (int t = 0; t < int(step.terms.size()); ++t) {
                    const Cell at{t / w.cols, t % w.cols};
                    const Cell under{w.origin.row + w.spacing.row * at.row,
                                     w.origin.col + w.spacing.col * at.col};
                    EXPECT_EQ(step.terms[size_t(t)].value,
                              T.values(under.row, under.col) * R.values(at.row, at.col));
                    EXPECT_EQ(step.terms[size_t(t)].padding, T.is_inserted(under));
                    padding_terms += step.terms[size_t(t)].padding;
                }
                ++steps_checked;
            }
    }
    EXPECT_GT(steps_checked, 200);
    EXPECT_GT(padding_terms, 0);
}

// Braces balance and only commands the math renderer knows are used.
TEST(LessonBackward, TexIsBalancedAndKnown) {
    const std::set<std::string> known = {"delta", "tilde", "cdot", "cdots", "sum", "mathrm"};
    const std::regex command(R"(\\([A-Za-z]+))");
    for (std::uint32_t seed = 1; seed <= 10; ++seed) {
        const Scene scene = ad::random_scene(9200 + seed);
        const Lesson lesson = backward(scene);
        for (const ExtraGrid& e : lesson.extra_grids) EXPECT_TRUE(braces_balance(e.title_tex));
        for (const Step& step : lesson.steps)
            for (const std::string& tex : all_tex(step)) {
                EXPECT_TRUE(braces_balance(tex)) << tex;
                for (auto it = std::sregex_iterator(tex.begin(), tex.end(), command);
                     it != std::sregex_iterator(); ++it)
                    EXPECT_TRUE(known.count((*it)[1])) << (*it)[1] << " in " << tex;
            }
    }
}

// A 256x256 input with a 3x3 kernel would hold 589824 terms: without a region the lesson
// walks the 5x5 cells around the middle; asked to walk all of it, it is refused with one
// clear error instead of exhausting memory. A 64x64 one walks a region too (too many cells
// to read), and asked for all 4096 cells it builds, without the quadratic Done marks.
TEST(LessonBackward, HugeScenesWalkARegionOrAreRefusedLargeOnesBuild) {
    Scene scene;
    scene.kernel = Matrix::Ones(3, 3);
    scene.input = Matrix::Ones(256, 256);
    const LayerResults huge = compute_layer(scene);
    const Lesson middle = build_lesson(LessonName::Backward, scene, huge, std::nullopt);
    EXPECT_EQ(middle.region, (CellRegion{{126, 126}, {130, 130}}));
    EXPECT_EQ(middle.steps.size(), size_t(kIntro + 25));
    EXPECT_THROW(build_lesson(LessonName::Backward, scene, huge, std::nullopt,
                              CellRegion{{0, 0}, {255, 255}}),
                 InputError);
    scene.input = Matrix::Ones(64, 64);
    EXPECT_EQ(backward(scene).steps.size(), size_t(kIntro + 25));
    const Lesson lesson = build_lesson(LessonName::Backward, scene, compute_layer(scene), std::nullopt,
                                       CellRegion{{0, 0}, {63, 63}});
    EXPECT_EQ(lesson.steps.size(), size_t(kIntro + 64 * 64));
    EXPECT_TRUE(marks_of(lesson.steps.back(), GridId::GradInput, MarkRole::Done).empty());
    EXPECT_TRUE(lesson.steps.back().tags.size() <= 9u);
}

}  // namespace
}  // namespace convlens
