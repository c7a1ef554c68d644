// The influence (scatter) lesson against hand arithmetic in the textbook's notation and,
// on random scenes, against the autodiff oracle: which delta^{l+1} cell each tap reaches,
// the running sums, and delta^l_{m,n} itself.
#include <algorithm>
#include <bit>
#include <cmath>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "autodiff.h"
#include "lesson/lesson.h"
#include "lesson_test_support.h"

namespace convlens {
namespace {

using lesson_test::braces_balance;
using lesson_test::has_mark;
using lesson_test::line_tex;
using lesson_test::marks_of;
using lesson_test::term_sum;

Lesson influence_of(const Scene& scene, std::optional<Cell> cell) {
    return build_lesson(LessonName::Influence, scene, compute_layer(scene), cell);
}

// The default scene, element z^l_{3,3}: every tap lands inside, p = 3-i+1, q = 3-j+1.
//   delta^{l+1} =  1 -1  2      w =  1  0 -1
//                  0  2 -1           2  1  0
//                 -2  1  1           0 -1  3
//   tap (1,1) -> (3,3):  1*1 = 1      tap (2,1) -> (2,3): -1*2 = -2   tap (3,1) -> (1,3): 2*0 = 0
//   tap (1,2) -> (3,2):  1*0 = 0      tap (2,2) -> (2,2):  2*1 = 2    tap (3,2) -> (1,2): -1*-1 = 1
//   tap (1,3) -> (3,1): -2*-1 = 2     tap (2,3) -> (2,1):  0*0 = 0    tap (3,3) -> (1,1): 1*3 = 3
//   sum 7, f' = 1 (identity): delta^l_{3,3} = 7
TEST(InfluenceLesson, CentreElementTapByTap) {
    const Scene scene = default_scene();
    const Lesson lesson = influence_of(scene, Cell{2, 2});
    ASSERT_EQ(lesson.steps.size(), 10u);  // nine taps, then times f'
    EXPECT_EQ(lesson.grids, (std::vector<GridId>{GridId::Input, GridId::Kernel, GridId::Upstream,
                                                 GridId::GradInput}));
    const double running[] = {1, 1, 3, 1, 3, 3, 3, 4, 7};
    const Cell reached[] = {{2, 2}, {2, 1}, {2, 0}, {1, 2}, {1, 1}, {1, 0}, {0, 2}, {0, 1}, {0, 0}};
    for (int k = 0; k < 9; ++k) {
        const Step& s = lesson.steps[std::size_t(k)];
        SCOPED_TRACE("tap step " + std::to_string(k));
        ASSERT_TRUE(s.about);
        EXPECT_EQ(*s.about, (Focus{GridId::Input, {2, 2}}));
        EXPECT_TRUE(has_mark(s, GridId::Input, {2, 2}, MarkRole::Focus));
        ASSERT_EQ(int(s.terms.size()), k + 1);  // every tap so far
        EXPECT_EQ(term_sum(s), running[k]);
        EXPECT_EQ(line_tex(s, LineKind::Sum), "= " + std::to_string(int(running[k])));
        ASSERT_EQ(s.links.size(), 1u);          // this tap's arrow only
        EXPECT_EQ(s.links[0].from_grid, GridId::Input);
        EXPECT_EQ(s.links[0].from, (Cell{2, 2}));
        EXPECT_EQ(s.links[0].to_grid, GridId::Upstream);
        EXPECT_EQ(s.links[0].to, reached[k]);
        EXPECT_EQ(s.links[0].term, k);
        EXPECT_FALSE(s.links[0].dashed);
        for (int t = 0; t <= k; ++t) {
            EXPECT_TRUE(has_mark(s, GridId::Kernel, {t / 3, t % 3}, MarkRole::Term, t));
            EXPECT_TRUE(has_mark(s, GridId::Upstream, reached[t], MarkRole::Term, t));
        }
        EXPECT_FALSE(s.value);  // the sum is not finished yet
        EXPECT_EQ(s.filling, std::vector<GridId>{GridId::GradInput});  // delta^l blank so far
        EXPECT_TRUE(marks_of(s, GridId::GradInput, MarkRole::Result).empty());
    }
    const Step& tap21 = lesson.steps[3];
    ASSERT_EQ(tap21.tags.size(), 1u);
    EXPECT_EQ(tap21.tags[0].grid, GridId::Upstream);
    EXPECT_EQ(tap21.tags[0].cell, (Cell{1, 2}));
    EXPECT_EQ(tap21.tags[0].tex, "w_{2,1}");
    EXPECT_EQ(tap21.terms[3].symbolic, "\\delta^{l+1}_{2,3} \\cdot w_{2,1}");
    EXPECT_EQ(tap21.terms[3].numeric, "(-1) \\cdot 2");
    EXPECT_EQ(line_tex(tap21, LineKind::General),
              "\\delta^{l}_{m,n} = f'(z^{l}_{m,n}) \\sum_{i=1}^{3} \\sum_{j=1}^{3} "
              "\\delta^{l+1}_{m-i+1,n-j+1} \\cdot w_{i,j}");
    EXPECT_EQ(line_tex(tap21, LineKind::Substituted),
              "\\delta^{l+1}_{3-2+1,3-1+1} \\cdot w_{2,1} = \\delta^{l+1}_{2,3} \\cdot w_{2,1}");
    EXPECT_NE(tap21.caption.find("p = 3-2+1 = 2, q = 3-1+1 = 3"), std::string::npos)
        << tap21.caption;

    const Step& last = lesson.steps[9];
    ASSERT_TRUE(last.value);
    EXPECT_EQ(*last.value, 7);
    EXPECT_EQ(*last.value, compute_layer(scene).grad_input(2, 2));
    EXPECT_TRUE(has_mark(last, GridId::GradInput, {2, 2}, MarkRole::Result));
    EXPECT_EQ(last.terms.size(), 9u);
    EXPECT_EQ(line_tex(last, LineKind::Sum), "= 1 \\cdot 7 = 7");
    EXPECT_EQ(last.equation.back().kind, LineKind::Sum);
    EXPECT_NE(last.caption.find("identity"), std::string::npos) << last.caption;
    EXPECT_NE(last.caption.find("= 1"), std::string::npos) << last.caption;
}

// The corner z^l_{1,1}: p = 1-i+1 is 1, 0, -1, so only w_{1,1} reaches an output; the
// other eight taps land in the zero padding around delta^{l+1} (dashed arrows, term 0).
//   delta^l_{1,1} = delta^{l+1}_{1,1} w_{1,1} = 1*1 = 1
TEST(InfluenceLesson, CornerElementFallsIntoTheZeroPadding) {
    const Lesson lesson = influence_of(default_scene(), Cell{0, 0});
    const Step& tap12 = lesson.steps[1];
    ASSERT_EQ(tap12.links.size(), 1u);
    EXPECT_TRUE(tap12.links[0].dashed);
    EXPECT_EQ(tap12.links[0].to, (Cell{0, -1}));  // q = 1-2+1 = 0: left of the grid
    EXPECT_TRUE(has_mark(tap12, GridId::Upstream, {0, -1}, MarkRole::Padding, 1));
    EXPECT_TRUE(tap12.terms[1].padding);
    EXPECT_EQ(tap12.terms[1].value, 0);
    EXPECT_EQ(tap12.terms[1].symbolic, "\\delta^{l+1}_{1,0} \\cdot w_{1,2}");
    EXPECT_EQ(tap12.terms[1].numeric, "0 \\cdot 0");
    EXPECT_NE(tap12.caption.find("zero padding"), std::string::npos) << tap12.caption;
    const Step& last = lesson.steps.back();
    EXPECT_EQ(*last.value, 1);
    EXPECT_EQ(last.links.size(), 9u);
    int dashed = 0;
    for (const Link& l : last.links) dashed += l.dashed ? 1 : 0;
    EXPECT_EQ(dashed, 8);
}

// Stride 2 on the default input, upstream 1 -1 / 0 2. Element z^l_{2,2}: p = (2-i)/2+1 is
// 1.5 (between outputs), 1, 0.5 (above the first output: zero padding). Only w_{2,2}
// reaches delta^{l+1}_{1,1}: delta^l_{2,2} = 1*1 = 1.
TEST(InfluenceLesson, StrideGapsHaveNoCell) {
    Scene scene = default_scene();
    scene.spec.stride = {2, 2};
    scene.upstream = matrix_from_rows({{1, -1}, {0, 2}});
    const Lesson lesson = influence_of(scene, Cell{1, 1});
    const Step& tap11 = lesson.steps[0];
    EXPECT_TRUE(tap11.links.empty());
    EXPECT_TRUE(tap11.tags.empty());
    EXPECT_TRUE(tap11.terms[0].padding);
    EXPECT_EQ(tap11.terms[0].symbolic, "\\delta^{l+1}_{1.5,1.5} \\cdot w_{1,1}");
    EXPECT_NE(tap11.caption.find("not whole"), std::string::npos) << tap11.caption;
    EXPECT_NE(tap11.caption.find("(2-1)/2+1 = 1.5"), std::string::npos) << tap11.caption;
    EXPECT_TRUE(marks_of(tap11, GridId::Upstream, MarkRole::Term).empty());
    EXPECT_EQ(line_tex(tap11, LineKind::General),
              "\\delta^{l}_{m,n} = f'(z^{l}_{m,n}) \\sum_{i=1}^{3} \\sum_{j=1}^{3} "
              "\\delta^{l+1}_{(m-i)/2+1,(n-j)/2+1} \\cdot w_{i,j}");
    const Step& tap22 = lesson.steps[4];
    ASSERT_EQ(tap22.links.size(), 1u);
    EXPECT_EQ(tap22.links[0].to, (Cell{0, 0}));
    EXPECT_FALSE(tap22.links[0].dashed);
    const Step& tap33 = lesson.steps[8];
    EXPECT_TRUE(tap33.links.empty());  // 0.5 is not whole either: no cell to point at
    EXPECT_NE(tap33.caption.find("zero padding"), std::string::npos) << tap33.caption;
    EXPECT_EQ(*lesson.steps.back().value, 1);
}

// Relu: z^l_{3,3} = -1, so f'(z^l_{3,3}) = 0 and the sum 7 is multiplied away.
TEST(InfluenceLesson, ActivationSlopeMultipliesTheSum) {
    Scene scene = default_scene();
    scene.activation = Activation::Relu;
    const Lesson lesson = influence_of(scene, Cell{2, 2});
    EXPECT_EQ(lesson.grids.front(), GridId::Input);
    EXPECT_EQ(lesson.grids[1], GridId::Activated);
    const Step& tap = lesson.steps[0];
    EXPECT_EQ(tap.links[0].from_grid, GridId::Activated);
    EXPECT_TRUE(has_mark(tap, GridId::Activated, {2, 2}, MarkRole::Focus));
    const Step& last = lesson.steps.back();
    EXPECT_EQ(*last.value, 0);
    EXPECT_EQ(term_sum(last), 7);
    EXPECT_EQ(line_tex(last, LineKind::Sum), "= 0 \\cdot 7 = 0");
    EXPECT_NE(last.caption.find("relu"), std::string::npos) << last.caption;
}

// Dilation 2 (a 1x1 output): p = m-2i+2. Element z^l_{1,1}, tap w_{2,1}: p = 1-2*2+2 = -1,
// written with TeX's \cdot, never a bare Unicode dot.
TEST(InfluenceLesson, DilationWritesItsProductInTex) {
    Scene scene = default_scene();
    scene.spec.dilation = {2, 2};
    scene.upstream.reset();
    const Lesson lesson = influence_of(scene, Cell{0, 0});
    const Step& tap21 = lesson.steps[3];
    EXPECT_NE(tap21.caption.find("p = 1-2 \\cdot 2+2 = -1"), std::string::npos) << tap21.caption;
    EXPECT_EQ(line_tex(tap21, LineKind::General).find("\\delta^{l+1}_{m-2i+2,n-2j+2}") ==
                  std::string::npos,
              false)
        << line_tex(tap21, LineKind::General);
    for (const Step& s : lesson.steps)
        for (const std::string& tex : lesson_test::all_tex(s))
            EXPECT_EQ(tex.find("\u00b7"), std::string::npos) << tex;
    // Only w_{1,1} reaches the single output: delta^l_{1,1} = 1 * 1 (J = sum z^{l+1}).
    EXPECT_EQ(*lesson.steps.back().value, 1);
}

TEST(InfluenceLesson, ZeroBasedIndices) {
    Scene scene = default_scene();
    scene.index_base = 0;
    const Lesson lesson = influence_of(scene, Cell{2, 2});
    const Step& tap21 = lesson.steps[3];
    EXPECT_EQ(tap21.terms[3].symbolic, "\\delta^{l+1}_{1,2} \\cdot w_{1,0}");
    EXPECT_EQ(line_tex(tap21, LineKind::Substituted),
              "\\delta^{l+1}_{2-1,2-0} \\cdot w_{1,0} = \\delta^{l+1}_{1,2} \\cdot w_{1,0}");
    EXPECT_EQ(tap21.tags[0].tex, "w_{1,0}");
}

TEST(InfluenceLesson, WithoutACellEveryElementPlaysItsFanOut) {
    const Scene scene = default_scene();
    const LayerResults results = compute_layer(scene);
    const Lesson lesson = build_lesson(LessonName::Influence, scene, results, std::nullopt);
    ASSERT_EQ(lesson.steps.size(), 25u);
    for (int k = 0; k < 25; ++k) {
        const Step& s = lesson.steps[std::size_t(k)];
        const Cell e{k / 5, k % 5};
        EXPECT_EQ(*s.about, (Focus{GridId::Input, e}));
        EXPECT_EQ(*s.value, results.grad_input(e.row, e.col));
        EXPECT_EQ(s.terms.size(), 9u);
        EXPECT_EQ(s.links.size(), 9u);  // stride 1: every position is whole
        EXPECT_TRUE(has_mark(s, GridId::GradInput, e, MarkRole::Result));
        EXPECT_EQ(int(marks_of(s, GridId::GradInput, MarkRole::Done).size()), k);
        EXPECT_EQ(s.filling, std::vector<GridId>{GridId::GradInput});
    }
    EXPECT_EQ(*lesson.steps[12].value, 7);  // z^l_{3,3}, worked above
}

// Random scenes across every option with a kernel of distinct powers of two: the oracle's
// d z^{l+1}_{p,q} / d z^l_{m,n} names the taps that reach (p,q); the lesson's solid links
// must be exactly those, its values the oracle's delta^l.
TEST(InfluenceLesson, RandomScenesAgreeWithTheOracle) {
    for (std::uint32_t seed = 1; seed <= 120; ++seed) {
        Scene scene = ad::random_scene(seed * 40503u + 7u);
        const int kh = int(scene.kernel.rows()), kw = int(scene.kernel.cols());
        for (int i = 0; i < kh; ++i)
            for (int j = 0; j < kw; ++j) scene.kernel(i, j) = std::ldexp(1.0, i * kw + j);
        const LayerResults results = compute_layer(scene);
        const ad::ReferenceLayer reference = ad::reference_layer(scene);
        const std::vector<Matrix> sens =
            ad::output_sensitivities(results.activated, scene.kernel, scene.spec);
        const int Wo = int(results.output.cols());
        const int H = int(scene.input.rows()), W = int(scene.input.cols());
        const Lesson all = build_lesson(LessonName::Influence, scene, results, std::nullopt);
        ASSERT_EQ(int(all.steps.size()), H * W);
        std::mt19937 rng(seed);
        const Cell chosen{int(rng() % unsigned(H)), int(rng() % unsigned(W))};
        const Lesson one = build_lesson(LessonName::Influence, scene, results, chosen);
        ASSERT_EQ(int(one.steps.size()), kh * kw + 1);
        for (int m = 0; m < H; ++m) {
            for (int n = 0; n < W; ++n) {
                SCOPED_TRACE("seed " + std::to_string(seed) + " element " + std::to_string(m) +
                             "," + std::to_string(n));
                const Step& s = all.steps[std::size_t(m * W + n)];
                const double scale = std::max(1.0, std::abs(reference.grad_input(m, n)));
                EXPECT_NEAR(*s.value, reference.grad_input(m, n), 1e-9 * scale);
                EXPECT_NEAR(results.activation_slope(m, n) * term_sum(s), *s.value, 1e-9 * scale);
                // Solid links: tap k reaches (p,q) iff bit k of the oracle's derivative.
                int solid = 0;
                for (const Link& l : s.links) {
                    if (l.dashed) continue;
                    ++solid;
                    const auto bits = static_cast<long long>(
                        sens[std::size_t(l.to.row * Wo + l.to.col)](m, n));
                    EXPECT_TRUE((bits >> l.term) & 1) << "tap " << l.term;
                }
                int expected = 0;
                for (const Matrix& d : sens)
                    expected += std::popcount(static_cast<unsigned long long>(d(m, n)));
                EXPECT_EQ(solid, expected);
                for (const std::string& tex : lesson_test::all_tex(s))
                    EXPECT_TRUE(braces_balance(tex)) << tex;
            }
        }
        // The chosen element's tap steps build the same sum up one term at a time.
        double running = 0;
        for (int k = 0; k < kh * kw; ++k) {
            const Step& s = one.steps[std::size_t(k)];
            running += s.terms.back().value;
            EXPECT_NEAR(term_sum(s), running, 1e-9 * std::max(1.0, std::abs(running)));
        }
        EXPECT_EQ(*one.steps.back().value, *all.steps[std::size_t(chosen.row * W + chosen.col)].value);
    }
}

}  // namespace
}  // namespace convlens
