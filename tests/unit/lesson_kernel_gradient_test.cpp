// The kernel-gradient lesson against hand arithmetic in the textbook's notation and, on
// random scenes, against the autodiff oracle: which input cell each delta^{l+1}_{p,q}
// multiplies for a tap, and dJ/dw_{i,j} itself.
#include <algorithm>
#include <cmath>
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

Lesson kernel_gradient_of(const Scene& scene, std::optional<Cell> cell = std::nullopt) {
    return build_lesson(LessonName::KernelGradient, scene, compute_layer(scene), cell);
}

// The default scene: dJ/dw_{i,j} = sum_p sum_q delta^{l+1}_{p,q} z^l_{p+i-1,q+j-1}.
//   delta^{l+1} =  1 -1  2     z^l rows 1..3, cols 1..3 = 1  2  0   (tap (1,1))
//                  0  2 -1                                0 -2  1
//                 -2  1  1                                3  1 -1
//   1*1 + (-1)*2 + 2*0 = -1;  0*0 + 2*(-2) + (-1)*1 = -5;  (-2)*3 + 1*1 + 1*(-1) = -6: -12
//   tap (2,3): z^l rows 2..4, cols 3..5 = 1 2 1 / -1 0 2 / 2 1 -2
//   1*1 + (-1)*2 + 2*1 = 1;  0*(-1) + 2*0 + (-1)*2 = -2;  (-2)*2 + 1*1 + 1*(-2) = -5: -6
TEST(KernelGradientLesson, DefaultSceneOneStepPerTap) {
    const Scene scene = default_scene();
    const LayerResults results = compute_layer(scene);
    const Lesson lesson = build_lesson(LessonName::KernelGradient, scene, results, Cell{1, 2});
    ASSERT_EQ(lesson.steps.size(), 9u);
    EXPECT_EQ(lesson.first_step_of_cell, 5);
    EXPECT_EQ(lesson.grids,
              (std::vector<GridId>{GridId::Input, GridId::Upstream, GridId::GradKernel}));
    EXPECT_EQ(*lesson.steps[0].value, -12);
    EXPECT_EQ(term_sum(lesson.steps[0]), -12);
    const Step& s = lesson.steps[5];
    EXPECT_EQ(*s.value, -6);
    EXPECT_EQ(*s.value, results.grad_kernel(1, 2));
    EXPECT_EQ(term_sum(s), -6);
    EXPECT_EQ(*s.about, (Focus{GridId::GradKernel, {1, 2}}));
    ASSERT_TRUE(s.window);
    EXPECT_EQ(s.window->grid, GridId::Input);
    EXPECT_EQ(s.window->origin, (Cell{1, 2}));
    EXPECT_EQ(s.window->spacing, (Cell{1, 1}));
    EXPECT_EQ(s.window->rows, 3);
    EXPECT_EQ(s.window->cols, 3);
    ASSERT_EQ(s.terms.size(), 9u);
    EXPECT_EQ(s.terms[0].symbolic, "\\delta^{l+1}_{1,1} \\cdot z^{l}_{2,3}");
    EXPECT_EQ(s.terms[0].numeric, "1 \\cdot 1");
    EXPECT_EQ(s.terms[7].symbolic, "\\delta^{l+1}_{3,2} \\cdot z^{l}_{4,4}");
    EXPECT_EQ(s.terms[7].numeric, "1 \\cdot 1");
    for (int p = 0; p < 3; ++p)
        for (int q = 0; q < 3; ++q) {
            EXPECT_TRUE(has_mark(s, GridId::Upstream, {p, q}, MarkRole::Term, p * 3 + q));
            EXPECT_TRUE(has_mark(s, GridId::Input, {p + 1, q + 2}, MarkRole::Term, p * 3 + q));
        }
    EXPECT_TRUE(has_mark(s, GridId::GradKernel, {1, 2}, MarkRole::Result));
    EXPECT_EQ(marks_of(s, GridId::GradKernel, MarkRole::Done).size(), 5u);
    EXPECT_EQ(s.filling, std::vector<GridId>{GridId::GradKernel});
    EXPECT_EQ(line_tex(s, LineKind::General),
              "\\partial J / \\partial w_{i,j} = \\sum_{p=1}^{3} \\sum_{q=1}^{3} "
              "\\delta^{l+1}_{p,q} \\cdot z^{l}_{p+i-1,q+j-1}");
    EXPECT_EQ(line_tex(s, LineKind::Substituted)
                  .rfind("\\partial J / \\partial w_{2,3} = \\delta^{l+1}_{1,1} \\cdot z^{l}_{2,3} + ", 0),
              0u);
    EXPECT_EQ(line_tex(s, LineKind::Sum), "= -6");
    EXPECT_NE(s.caption.find("rows 2..4, columns 3..5"), std::string::npos) << s.caption;
}

// Padding 1 and J = sum z^{l+1} (delta^{l+1} all ones, 5x5): for w_{1,1} the sliding
// delta starts at padded row and column 0, so its first row and column meet zeros and
// dJ/dw_{1,1} is the sum of z^l over rows 1..4, columns 1..4:
//   (1+2+0-1) + (0-2+1+2) + (3+1-1+0) + (-1+0+2+1) = 2 + 1 + 3 + 2 = 8
TEST(KernelGradientLesson, PaddingTermsAreZero) {
    Scene scene = default_scene();
    scene.spec.padding = {1, 1};
    scene.upstream.reset();
    const Lesson lesson = kernel_gradient_of(scene);
    const Step& s = lesson.steps[0];
    EXPECT_EQ(s.window->origin, (Cell{-1, -1}));
    EXPECT_EQ(s.window->rows, 5);
    ASSERT_EQ(s.terms.size(), 25u);
    EXPECT_EQ(marks_of(s, GridId::Input, MarkRole::Padding).size(), 9u);
    EXPECT_TRUE(s.terms[0].padding);
    EXPECT_EQ(s.terms[0].symbolic, "\\delta^{l+1}_{1,1} \\cdot \\hat{z}^{l}_{1,1}");
    EXPECT_EQ(s.terms[0].numeric, "1 \\cdot 0");
    EXPECT_EQ(s.terms[6].symbolic, "\\delta^{l+1}_{2,2} \\cdot \\hat{z}^{l}_{2,2}");  // = z^l_{1,1}
    EXPECT_EQ(*s.value, 8);
    EXPECT_EQ(term_sum(s), 8);
    EXPECT_NE(line_tex(s, LineKind::General).find("\\hat{z}^{l}_{p+i-1,q+j-1}"), std::string::npos);
    EXPECT_NE(line_tex(s, LineKind::Values).find("\\cdots"), std::string::npos);
    EXPECT_NE(s.caption.find("over \\hat{z}^{l} as if it were the kernel, over rows 1..5, columns "
                             "1..5"),
              std::string::npos)
        << s.caption;
}

// Stride 2, upstream 1 -1 / 0 2: w_{1,1} meets z^l_{1,1}, z^l_{1,3}, z^l_{3,1}, z^l_{3,3}
//   = 1, 0, 3, -1:  1*1 + (-1)*0 + 0*3 + 2*(-1) = -1
TEST(KernelGradientLesson, StrideSpacesTheSlidingDelta) {
    Scene scene = default_scene();
    scene.spec.stride = {2, 2};
    scene.upstream = matrix_from_rows({{1, -1}, {0, 2}});
    const Step s = kernel_gradient_of(scene).steps[0];
    EXPECT_EQ(s.window->spacing, (Cell{2, 2}));
    EXPECT_EQ(s.window->rows, 2);
    EXPECT_TRUE(has_mark(s, GridId::Input, {2, 2}, MarkRole::Term, 3));
    EXPECT_EQ(*s.value, -1);
    EXPECT_NE(line_tex(s, LineKind::General).find("z^{l}_{2(p-1)+i,2(q-1)+j}"), std::string::npos);
}

// Convolution: w_{1,1} sits at window offset (3,3), so delta^{l+1} slides over rows 3..5:
//   -1 0 2 / 2 1 -2 / 0 -3 1 against 1 -1 2 / 0 2 -1 / -2 1 1:
//   -1 + 0 + 4 = 3;  0 + 2 + 2 = 4;  0 - 3 + 1 = -2;  sum 5
TEST(KernelGradientLesson, ConvolutionModeSlidesFromTheFlippedOffset) {
    Scene scene = default_scene();
    scene.spec.mode = ConvMode::Convolution;
    const Step s = kernel_gradient_of(scene).steps[0];
    EXPECT_EQ(s.window->origin, (Cell{2, 2}));
    EXPECT_EQ(*s.value, 5);
    EXPECT_EQ(s.terms[0].symbolic, "\\delta^{l+1}_{1,1} \\cdot z^{l}_{3,3}");
    EXPECT_NE(s.caption.find("window offset (3,3)"), std::string::npos) << s.caption;
}

TEST(KernelGradientLesson, ActivationAndZeroBase) {
    Scene scene = default_scene();
    scene.activation = Activation::Tanh;
    scene.index_base = 0;
    const LayerResults results = compute_layer(scene);
    const Lesson lesson = build_lesson(LessonName::KernelGradient, scene, results, std::nullopt);
    EXPECT_EQ(lesson.grids, (std::vector<GridId>{GridId::Input, GridId::Activated,
                                                 GridId::Upstream, GridId::GradKernel}));
    const Step& s = lesson.steps[5];
    EXPECT_EQ(s.window->grid, GridId::Activated);
    EXPECT_EQ(s.terms[0].symbolic, "\\delta^{l+1}_{0,0} \\cdot a^{l}_{1,2}");
    EXPECT_NEAR(s.terms[0].value, 1 * std::tanh(1.0), 1e-12);  // delta_{0,0} = 1, z_{1,2} = 1
    EXPECT_NE(line_tex(s, LineKind::General).find("\\sum_{p=0}^{2}"), std::string::npos);
    EXPECT_NE(line_tex(s, LineKind::General).find("a^{l}_{p+i,q+j}"), std::string::npos);
}

// Random scenes with a kernel of distinct powers of two: bit (i,j) of the oracle's
// d z^{l+1}_{p,q} / d a^l_{m,n} says tap (i,j) multiplies a^l_{m,n} into z^{l+1}_{p,q},
// exactly the pairs the lesson's step for (i,j) must mark; values are the oracle's dJ/dw.
TEST(KernelGradientLesson, RandomScenesAgreeWithTheOracle) {
    for (std::uint32_t seed = 1; seed <= 150; ++seed) {
        Scene scene = ad::random_scene(seed * 69069u + 3u);
        const int kh = int(scene.kernel.rows()), kw = int(scene.kernel.cols());
        for (int i = 0; i < kh; ++i)
            for (int j = 0; j < kw; ++j) scene.kernel(i, j) = std::ldexp(1.0, i * kw + j);
        const LayerResults results = compute_layer(scene);
        const ad::ReferenceLayer reference = ad::reference_layer(scene);
        const std::vector<Matrix> sens =
            ad::output_sensitivities(results.activated, scene.kernel, scene.spec);
        const int Ho = int(results.output.rows()), Wo = int(results.output.cols());
        const Lesson lesson = build_lesson(LessonName::KernelGradient, scene, results, std::nullopt);
        ASSERT_EQ(int(lesson.steps.size()), kh * kw);
        const GridId a_grid =
            scene.activation == Activation::Identity ? GridId::Input : GridId::Activated;
        for (int i = 0; i < kh; ++i) {
            for (int j = 0; j < kw; ++j) {
                SCOPED_TRACE("seed " + std::to_string(seed) + " tap " + std::to_string(i) + "," +
                             std::to_string(j));
                const Step& s = lesson.steps[std::size_t(i * kw + j)];
                const double scale = std::max(1.0, std::abs(reference.grad_kernel(i, j)));
                EXPECT_NEAR(*s.value, reference.grad_kernel(i, j), 1e-9 * scale);
                EXPECT_NEAR(term_sum(s), *s.value, 1e-9 * scale);
                ASSERT_EQ(int(s.terms.size()), Ho * Wo);
                int pairs = 0;
                for (const Mark& m : s.marks) {
                    if (m.grid != a_grid || m.role != MarkRole::Term) continue;
                    ++pairs;
                    const int p = m.term / Wo, q = m.term % Wo;
                    const auto bits = static_cast<long long>(
                        sens[std::size_t(p * Wo + q)](m.cell.row, m.cell.col));
                    EXPECT_TRUE((bits >> (i * kw + j)) & 1);
                }
                int expected = 0;
                for (const Matrix& d : sens)
                    for (Eigen::Index r = 0; r < d.rows(); ++r)
                        for (Eigen::Index c = 0; c < d.cols(); ++c)
                            expected += (static_cast<long long>(d(r, c)) >> (i * kw + j)) & 1;
                EXPECT_EQ(pairs, expected);
                for (const std::string& tex : lesson_test::all_tex(s))
                    EXPECT_TRUE(braces_balance(tex)) << tex;
            }
        }
    }
}

}  // namespace
}  // namespace convlens
