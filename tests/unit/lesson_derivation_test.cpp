// The derivation lesson: DERIVATION.md's six lines with their verdicts, the slip and its
// fix written out, and the four live numbers (mistaken, chain rule, rotated kernel, finite
// difference) against hand arithmetic on the default scene (one-based in the comments,
// D = delta^{l+1}) and against the autodiff oracle on random scenes.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <regex>
#include <set>
#include <string>

#include "engine/activation.h"
#include "engine/layer_results.h"
#include "lesson/lesson.h"
#include "unit/autodiff.h"
#include "unit/lesson_test_support.h"

namespace convlens {
namespace {

using namespace lesson_test;

Lesson derivation(const Scene& scene, Cell cell) {
    return build_lesson(LessonName::Derivation, scene, compute_layer(scene), cell);
}

const Readout& readout(const Step& step, const std::string& label) {
    for (const Readout& r : step.readouts)
        if (r.label_tex == label) return r;
    throw std::runtime_error("no readout " + label);
}

std::string equation_text(const Step& step) {
    std::string all;
    for (const EquationLine& line : step.equation) all += line.tex() + "\n";
    return all;
}

bool mentions(const Step& step, const std::string& text) {
    return equation_text(step).find(text) != std::string::npos;
}

// Default scene, z_{3,3}: every tap reaches an output (p = 4 - i in 1..3).
//   mistaken:  (sum of the nine D) * (sum of w) = (1-1+2+0+2-1-2+1+1) * (1+0-1+2+1+0+0-1+3)
//              = 3 * 5 = 15
//   chain rule: sum D_{4-i,4-j} w_{i,j} = 1 + 0 + 2 - 2 + 2 + 0 + 0 + 1 + 3 = 7
//   rotated kernel: the same 7; finite differences of J = <D, z^{l+1}>, linear in z: 7.
TEST(LessonDerivation, DefaultSceneFourNumbersByHand) {
    const Scene scene = default_scene();
    const Lesson lesson = derivation(scene, {2, 2});
    ASSERT_EQ(lesson.steps.size(), 6u);
    const Verdict verdicts[] = {Verdict::Correct, Verdict::Correct, Verdict::Wrong,
                                Verdict::Wrong,   Verdict::Wrong,   Verdict::Correct};
    for (size_t n = 0; n < 6; ++n) {
        SCOPED_TRACE("line " + std::to_string(n + 1));
        const Step& step = lesson.steps[n];
        EXPECT_EQ(step.verdict, verdicts[n]);
        EXPECT_FALSE(step.reason.empty());
        ASSERT_GE(step.equation.size(), 2u);
        EXPECT_EQ(step.equation[0].kind, LineKind::General) << "the line's formula first";
        // Then the verdict in words.
        const std::string verdict = verdicts[n] == Verdict::Correct ? "\\text{Correct: " : "\\text{Wrong: ";
        EXPECT_TRUE(mentions(step, verdict)) << equation_text(step);
        ASSERT_EQ(step.readouts.size(), 4u);
        EXPECT_EQ(readout(step, "\\text{mistaken}").value, 15);
        EXPECT_FALSE(readout(step, "\\text{mistaken}").agrees);
        EXPECT_EQ(readout(step, "\\text{chain rule}").value, 7);
        EXPECT_TRUE(readout(step, "\\text{chain rule}").agrees);
        EXPECT_EQ(readout(step, "\\text{rotated kernel}").value, 7);
        EXPECT_TRUE(readout(step, "\\text{rotated kernel}").agrees);
        EXPECT_NEAR(readout(step, "\\text{finite difference}").value, 7, 1e-9);
        EXPECT_TRUE(readout(step, "\\text{finite difference}").agrees);
        EXPECT_TRUE(has_mark(step, GridId::Input, {2, 2}, MarkRole::Focus));
        EXPECT_TRUE(has_mark(step, GridId::GradInput, {2, 2}, MarkRole::Result));
    }
    EXPECT_EQ(lesson.grids, (std::vector<GridId>{GridId::Input, GridId::Kernel, GridId::Upstream,
                                                 GridId::GradInput}));
}

TEST(LessonDerivation, TheSlipAndItsFixAreWrittenOut) {
    const Lesson lesson = derivation(default_scene(), {2, 2});
    EXPECT_TRUE(mentions(lesson.steps[0], "\\partial J / \\partial z^{l+1}_{m-i+1,n-j+1}"));
    // Line 3: the slip reuses i, j; the fix has fresh a, b.
    EXPECT_TRUE(mentions(lesson.steps[2], "z^{l}_{(m-i+1)+i-1,(n-j+1)+j-1} \\cdot w_{i,j}"))
        << equation_text(lesson.steps[2]);
    EXPECT_TRUE(mentions(lesson.steps[2], "\\sum_{a} \\sum_{b} z^{l}_{m-i+a,n-j+b} \\cdot w_{a,b}"));
    // Line 5: the sum of all weights, then only a = i, b = j survives.
    EXPECT_TRUE(mentions(lesson.steps[4], "= \\sum_{i} \\sum_{j} w_{i,j}"));
    EXPECT_TRUE(mentions(lesson.steps[4], "\\cdot w_{a,b} = w_{i,j}"));
    // Line 6: the result with the element's numbers, and the rotated-kernel form.
    const Step& result = lesson.steps[5];
    EXPECT_TRUE(mentions(result, "\\sum_{i} \\sum_{j} \\delta^{l+1}_{m-i+1,n-j+1} \\cdot w_{i,j}"));
    EXPECT_TRUE(mentions(result, "\\tilde{\\delta}_{m+i'-1,n+j'-1} \\cdot \\mathrm{rot180}(w)_{i',j'}"));
    EXPECT_TRUE(mentions(result, "i' = k_{h}-i+1"));
    EXPECT_EQ(line_tex(result, LineKind::Sum), "= 7");
    ASSERT_TRUE(result.value.has_value());
    EXPECT_EQ(*result.value, 7);
    EXPECT_EQ(result.terms.size(), 9u);
    EXPECT_EQ(term_sum(result), 7);
    // The mistaken line marks the whole kernel: the sum of all weights.
    EXPECT_EQ(marks_of(lesson.steps[4], GridId::Kernel, MarkRole::Window).size(), 9u);
}

// Zero-based: every "+1" and "-1" disappears: m-i, (m-i)+i, m+i', i' = k_h-i-1.
TEST(LessonDerivation, ZeroBasedIndices) {
    Scene scene = default_scene();
    scene.index_base = 0;
    const Lesson lesson = derivation(scene, {2, 2});
    EXPECT_TRUE(mentions(lesson.steps[2], "z^{l}_{(m-i)+i,(n-j)+j}")) << equation_text(lesson.steps[2]);
    EXPECT_TRUE(mentions(lesson.steps[5], "\\tilde{\\delta}_{m+i',n+j'}"));
    EXPECT_TRUE(mentions(lesson.steps[5], "i' = k_{h}-i-1"));
    EXPECT_TRUE(mentions(lesson.steps[5], "\\delta^{l+1}_{2,2} \\cdot w_{0,0}"));
}

// The corner z_{1,1}: only tap (1,1) reaches an output. mistaken = D_{1,1} * 5 = 5,
// chain rule = D_{1,1} w_{1,1} = 1.
TEST(LessonDerivation, CornerOnlyCountsTheTapsThatReach) {
    const Lesson lesson = derivation(default_scene(), {0, 0});
    EXPECT_EQ(readout(lesson.steps[0], "\\text{mistaken}").value, 5);
    EXPECT_EQ(readout(lesson.steps[0], "\\text{chain rule}").value, 1);
    EXPECT_EQ(lesson.steps[0].terms.size(), 1u);
}

// A 1x1 kernel is the degenerate case where the mistake gives the right number:
// sum_a sum_b w_{a,b} = w_{1,1}. delta_{m,n} = 2 D_{m,n}.
TEST(LessonDerivation, MistakeAgreesOnlyInTheDegenerateCase) {
    Scene scene;
    scene.input = Matrix{{1, 2}, {3, 4}};
    scene.kernel = Matrix{{2}};
    scene.upstream = Matrix{{1, -3}, {5, 7}};
    const Lesson lesson = derivation(scene, {0, 1});
    EXPECT_EQ(readout(lesson.steps[0], "\\text{mistaken}").value, -6);
    EXPECT_TRUE(readout(lesson.steps[0], "\\text{mistaken}").agrees);
    EXPECT_EQ(readout(lesson.steps[0], "\\text{chain rule}").value, -6);
}

// relu at z_{1,3} = 0 (the default input's first row): f'(0) = 0, so delta_{1,3} = 0.
// The chain-rule sum there is D_{1,3} w_{1,1} + D_{1,2} w_{1,2} + D_{1,1} w_{1,3}
// = 2 - 0 - 1 = 1, and J is linear on each side of the kink with slopes 1 (right) and 0
// (left): the central difference straddles it and gives (1 + 0) / 2 = 0.5. It cannot agree,
// and the caption says why.
TEST(LessonDerivation, ReluKinkIsNamed) {
    Scene scene = default_scene();
    scene.activation = Activation::Relu;
    const Lesson lesson = derivation(scene, {0, 2});
    const Step& step = lesson.steps[0];
    EXPECT_EQ(readout(step, "\\text{chain rule}").value, 0);
    EXPECT_NEAR(readout(step, "\\text{finite difference}").value, 0.5, 1e-9);
    EXPECT_FALSE(readout(step, "\\text{finite difference}").agrees);
    EXPECT_NE(step.caption.find("kink"), std::string::npos) << step.caption;
    // With an activation the result carries f'.
    EXPECT_TRUE(mentions(lesson.steps[5], "\\delta^{l}_{m,n} = f'(z^{l}_{m,n}) \\cdot \\sum_{i}"));
    EXPECT_EQ(line_tex(lesson.steps[5], LineKind::Sum), "= 0 \\cdot 1 = 0");
}

// Random scenes: the chain rule and the rotated kernel are the oracle's delta^l, the finite
// difference is within 1e-6 of it (away from relu's kink), the mistaken number is the
// reached D times the kernel sum (times f'), computed here from the index arithmetic.
TEST(LessonDerivation, RandomScenesFourNumbersAgainstTheOracle) {
    std::mt19937 rng(11);
    int mistaken_differs = 0;
    for (std::uint32_t seed = 1; seed <= 40; ++seed) {
        const Scene scene = ad::random_scene(9400 + seed);
        SCOPED_TRACE("seed " + std::to_string(9400 + seed));
        const ad::ReferenceLayer oracle = ad::reference_layer(scene);
        const int H = int(scene.input.rows()), W = int(scene.input.cols());
        const int kh = int(scene.kernel.rows()), kw = int(scene.kernel.cols());
        const Cell e{std::uniform_int_distribution<int>(0, H - 1)(rng),
                     std::uniform_int_distribution<int>(0, W - 1)(rng)};
        const Lesson lesson = derivation(scene, e);
        ASSERT_EQ(lesson.steps.size(), 6u);
        const auto& sp = scene.spec;
        const bool conv = sp.mode == ConvMode::Convolution;
        double reached = 0;
        for (int i = 0; i < kh; ++i)
            for (int j = 0; j < kw; ++j) {
                const int nr = e.row + sp.padding.rows - sp.dilation.rows * (conv ? kh - 1 - i : i);
                const int nc = e.col + sp.padding.cols - sp.dilation.cols * (conv ? kw - 1 - j : j);
                if (nr < 0 || nc < 0 || nr % sp.stride.rows || nc % sp.stride.cols) continue;
                const int p = nr / sp.stride.rows, q = nc / sp.stride.cols;
                if (p < oracle.upstream.rows() && q < oracle.upstream.cols()) reached += oracle.upstream(p, q);
            }
        const double slope = activation_derivative(scene.activation, scene.input(e.row, e.col));
        const double mistaken = slope * reached * scene.kernel.sum();
        const double truth = oracle.grad_input(e.row, e.col);
        const double tol = 1e-9 * std::max(1.0, std::abs(truth));
        for (const Step& step : lesson.steps) {
            EXPECT_NEAR(readout(step, "\\text{mistaken}").value, mistaken,
                        1e-9 * std::max(1.0, std::abs(mistaken)));
            EXPECT_NEAR(readout(step, "\\text{chain rule}").value, truth, tol);
            EXPECT_NEAR(readout(step, "\\text{rotated kernel}").value, truth, tol);
            if (!is_kink(scene.activation, scene.input(e.row, e.col))) {
                EXPECT_NEAR(readout(step, "\\text{finite difference}").value, truth,
                            1e-6 * std::max(1.0, std::abs(truth)));
            }
            for (const std::string& tex : all_tex(step)) EXPECT_TRUE(braces_balance(tex)) << tex;
        }
        mistaken_differs += !readout(lesson.steps[0], "\\text{mistaken}").agrees;
        EXPECT_NEAR(*lesson.steps.back().value, truth, tol);
    }
    EXPECT_GT(mistaken_differs, 10) << "the mistake shows on most scenes";
}

// Captions are set as TeX-like text: an apostrophe would become a prime, a hyphen a minus.
TEST(LessonDerivation, CaptionsHoldNoApostropheOrHyphen) {
    Scene scene = default_scene();
    scene.spec.stride = {2, 1};
    scene.upstream.reset();
    scene.activation = Activation::Relu;
    for (LessonName name : {LessonName::Backward, LessonName::Equivalence, LessonName::Derivation})
        for (const Step& step : build_lesson(name, scene, compute_layer(scene), Cell{0, 2}).steps) {
            EXPECT_EQ(step.caption.find('\''), std::string::npos) << step.caption;
            EXPECT_EQ(step.caption.find('-'), std::string::npos) << step.caption;
        }
}

TEST(LessonDerivation, TexUsesKnownCommands) {
    const std::set<std::string> known = {"delta", "tilde", "cdot", "cdots", "sum", "mathrm",
                                         "partial", "text", "quad"};
    const std::regex command(R"(\\([A-Za-z]+))");
    Scene scene = default_scene();
    scene.activation = Activation::Sigmoid;
    for (const Step& step : derivation(scene, {1, 2}).steps)
        for (const std::string& tex : all_tex(step))
            for (auto it = std::sregex_iterator(tex.begin(), tex.end(), command);
                 it != std::sregex_iterator(); ++it)
                EXPECT_TRUE(known.count((*it)[1])) << (*it)[1] << " in " << tex;
}

}  // namespace
}  // namespace convlens
