// The forward lesson against hand arithmetic in the textbook's one-based notation and,
// on random scenes, against the autodiff oracle's derivative structure: each step's
// products are exactly the (input, tap) pairs z^{l+1}_{p,q} depends on.
#include <cctype>
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "autodiff.h"
#include "lesson/lesson.h"
#include "lesson/lesson_common.h"
#include "lesson_test_support.h"

namespace convlens {
namespace {

using lesson_test::braces_balance;
using lesson_test::has_mark;
using lesson_test::line_tex;
using lesson_test::marks_of;
using lesson_test::term_sum;

// The default scene:
//   z^l =  1  2  0 -1  3      w =  1  0 -1
//          0 -2  1  2  1           2  1  0
//          3  1 -1  0  2           0 -1  3
//         -1  0  2  1 -2
//          2  1  0 -3  1
Lesson forward_of(const Scene& scene, std::optional<Cell> cell = std::nullopt) {
    return build_lesson(LessonName::Forward, scene, compute_layer(scene), cell);
}

TEST(ForwardLesson, DefaultSceneWalksTheNineOutputsRowByRow) {
    const Scene scene = default_scene();
    const Lesson lesson = forward_of(scene, Cell{1, 2});
    ASSERT_EQ(lesson.steps.size(), 9u);
    EXPECT_EQ(lesson.first_step_of_cell, 5);  // z^{l+1}_{2,3}: row 2, column 3 of 3x3
    EXPECT_EQ(lesson.grids, (std::vector<GridId>{GridId::Input, GridId::Kernel, GridId::Output}));
    for (int k = 0; k < 9; ++k) {
        ASSERT_TRUE(lesson.steps[k].about);
        EXPECT_EQ(lesson.steps[k].about->grid, GridId::Output);
        EXPECT_EQ(lesson.steps[k].about->cell, (Cell{k / 3, k % 3}));
    }

    // z^{l+1}_{1,1}: rows 1..3, columns 1..3 of z^l times w:
    //   1*1 + 2*0 + 0*(-1) = 1;  0*2 + (-2)*1 + 1*0 = -2;  3*0 + 1*(-1) + (-1)*3 = -4
    //   sum -5
    ASSERT_TRUE(lesson.steps[0].value);
    EXPECT_EQ(*lesson.steps[0].value, -5);
    EXPECT_EQ(term_sum(lesson.steps[0]), -5);

    // z^{l+1}_{2,3}: rows 2..4, columns 3..5:
    //    1 2  1      1*1 + 2*0 + 1*(-1) = 0
    //   -1 0  2     -1*2 + 0*1 + 2*0 = -2
    //    2 1 -2      2*0 + 1*(-1) + (-2)*3 = -7      sum -9
    const Step& s = lesson.steps[5];
    ASSERT_TRUE(s.value);
    EXPECT_EQ(*s.value, -9);
    EXPECT_EQ(term_sum(s), -9);
    ASSERT_TRUE(s.window);
    EXPECT_EQ(s.window->grid, GridId::Input);
    EXPECT_EQ(s.window->origin, (Cell{1, 2}));
    EXPECT_EQ(s.window->spacing, (Cell{1, 1}));
    EXPECT_EQ(s.window->rows, 3);
    EXPECT_EQ(s.window->cols, 3);
    ASSERT_EQ(s.terms.size(), 9u);
    EXPECT_EQ(s.terms[0].symbolic, "z^{l}_{2,3} \\cdot w_{1,1}");
    EXPECT_EQ(s.terms[0].numeric, "1 \\cdot 1");
    EXPECT_EQ(s.terms[2].symbolic, "z^{l}_{2,5} \\cdot w_{1,3}");
    EXPECT_EQ(s.terms[2].numeric, "1 \\cdot (-1)");
    EXPECT_EQ(s.terms[8].symbolic, "z^{l}_{4,5} \\cdot w_{3,3}");
    EXPECT_EQ(s.terms[8].value, -6);
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) {
            const int term = a * 3 + b;
            EXPECT_TRUE(has_mark(s, GridId::Input, {1 + a, 2 + b}, MarkRole::Term, term));
            EXPECT_TRUE(has_mark(s, GridId::Kernel, {a, b}, MarkRole::Term, term));
        }
    EXPECT_TRUE(marks_of(s, GridId::Input, MarkRole::Padding).empty());
    EXPECT_TRUE(has_mark(s, GridId::Output, {1, 2}, MarkRole::Result));
    const auto done = marks_of(s, GridId::Output, MarkRole::Done);
    ASSERT_EQ(done.size(), 5u);  // (1,1) (1,2) (1,3) (2,1) (2,2)
    EXPECT_EQ(done.back().cell, (Cell{1, 1}));
    EXPECT_EQ(s.filling, std::vector<GridId>{GridId::Output});

    EXPECT_EQ(line_tex(s, LineKind::General),
              "z^{l+1}_{p,q} = \\sum_{i=1}^{3} \\sum_{j=1}^{3} z^{l}_{p+i-1,q+j-1} \\cdot w_{i,j}");
    EXPECT_EQ(line_tex(s, LineKind::Substituted).rfind("z^{l+1}_{2,3} = z^{l}_{2,3} \\cdot w_{1,1} + ", 0),
              0u);
    EXPECT_EQ(line_tex(s, LineKind::Values).rfind("= 1 \\cdot 1 + 2 \\cdot 0 + 1 \\cdot (-1) + ", 0),
              0u);
    EXPECT_EQ(line_tex(s, LineKind::Sum), "= -9");
    EXPECT_EQ(s.equation.back().kind, LineKind::Sum);
    EXPECT_NE(s.caption.find("rows 2..4, columns 3..5"), std::string::npos) << s.caption;
}

TEST(ForwardLesson, PaddingPutsTheFirstWindowPartlyInTheZeroRing) {
    Scene scene = default_scene();
    scene.spec.padding = {1, 1};
    scene.upstream.reset();  // 5x5 output now; the loss falls back to the sum
    const LayerResults results = compute_layer(scene);
    const Lesson lesson = build_lesson(LessonName::Forward, scene, results, std::nullopt);
    ASSERT_EQ(lesson.steps.size(), 25u);
    const Step& s = lesson.steps[0];
    EXPECT_EQ(s.window->origin, (Cell{-1, -1}));
    // Window offsets (0,*) and (*,0) are padding: five of the nine products.
    EXPECT_EQ(marks_of(s, GridId::Input, MarkRole::Padding).size(), 5u);
    EXPECT_TRUE(has_mark(s, GridId::Input, {-1, -1}, MarkRole::Padding, 0));
    EXPECT_TRUE(has_mark(s, GridId::Input, {0, 0}, MarkRole::Term, 4));
    EXPECT_TRUE(s.terms[0].padding);
    EXPECT_EQ(s.terms[0].symbolic, "\\hat{z}^{l}_{1,1} \\cdot w_{1,1}");
    EXPECT_EQ(s.terms[0].numeric, "0 \\cdot 1");
    EXPECT_EQ(s.terms[4].symbolic, "\\hat{z}^{l}_{2,2} \\cdot w_{2,2}");  // = z^l_{1,1}
    // Only w_{2,2}, w_{2,3}, w_{3,2}, w_{3,3} meet the input:
    //   1*1 + 2*0 + 0*(-1) + (-2)*3 = -5
    EXPECT_EQ(*s.value, -5);
    EXPECT_EQ(term_sum(s), -5);
    EXPECT_EQ(line_tex(s, LineKind::General),
              "z^{l+1}_{p,q} = \\sum_{i=1}^{3} \\sum_{j=1}^{3} \\hat{z}^{l}_{p+i-1,q+j-1} \\cdot "
              "w_{i,j}");
    EXPECT_NE(s.caption.find("rows 1..3, columns 1..3 of \\hat{z}^{l}"), std::string::npos)
        << s.caption;
    EXPECT_NE(s.caption.find("zero padding"), std::string::npos) << s.caption;
    EXPECT_NE(s.caption.find("\\hat{z}^{l}_{r,c} = z^{l}_{r-1,c-1}"), std::string::npos)
        << s.caption;
}

TEST(ForwardLesson, StrideMakesTheWindowJump) {
    Scene scene = default_scene();
    scene.spec.stride = {2, 2};
    scene.upstream.reset();
    const Lesson lesson = forward_of(scene, Cell{1, 1});
    ASSERT_EQ(lesson.steps.size(), 4u);  // Ho = floor((5-3)/2)+1 = 2
    EXPECT_EQ(lesson.first_step_of_cell, 3);
    const Step& s = lesson.steps[3];
    EXPECT_EQ(s.window->origin, (Cell{2, 2}));
    // Rows 3..5, columns 3..5:  -1 0 2 / 2 1 -2 / 0 -3 1
    //   -1*1 + 0 + 2*(-1) = -3;  2*2 + 1*1 + 0 = 5;  0 + (-3)*(-1) + 1*3 = 6;  sum 8
    EXPECT_EQ(*s.value, 8);
    EXPECT_EQ(line_tex(s, LineKind::General),
              "z^{l+1}_{p,q} = \\sum_{i=1}^{3} \\sum_{j=1}^{3} z^{l}_{2(p-1)+i,2(q-1)+j} \\cdot "
              "w_{i,j}");
    EXPECT_EQ(s.terms[0].symbolic, "z^{l}_{3,3} \\cdot w_{1,1}");
}

TEST(ForwardLesson, DilationSpreadsTheWindow) {
    Scene scene = default_scene();
    scene.spec.dilation = {2, 2};
    scene.upstream.reset();
    const Lesson lesson = forward_of(scene);
    ASSERT_EQ(lesson.steps.size(), 1u);  // Ho = 5 - 2*2 = 1
    const Step& s = lesson.steps[0];
    EXPECT_EQ(s.window->spacing, (Cell{2, 2}));
    EXPECT_TRUE(has_mark(s, GridId::Input, {4, 2}, MarkRole::Term, 7));  // w_{3,2}
    // Corners and edge middles:  1*1 + 0*0 + 3*(-1) = -2;  3*2 + (-1)*1 + 2*0 = 5;
    //                            2*0 + 0*(-1) + 1*3 = 3;   sum 6
    EXPECT_EQ(*s.value, 6);
    EXPECT_EQ(line_tex(s, LineKind::General),
              "z^{l+1}_{p,q} = \\sum_{i=1}^{3} \\sum_{j=1}^{3} z^{l}_{p+2(i-1),q+2(j-1)} \\cdot "
              "w_{i,j}");
    EXPECT_NE(s.caption.find("rows 1..5 every 2nd"), std::string::npos) << s.caption;
}

TEST(ForwardLesson, ConvolutionModeUsesTheFlippedTap) {
    Scene scene = default_scene();
    scene.spec.mode = ConvMode::Convolution;
    const Lesson lesson = forward_of(scene);
    const Step& s = lesson.steps[0];
    // w_{1,1} sits at window offset (3,3): it multiplies z^l_{3,3} = -1.
    EXPECT_EQ(s.terms[0].symbolic, "z^{l}_{3,3} \\cdot w_{1,1}");
    EXPECT_TRUE(has_mark(s, GridId::Input, {2, 2}, MarkRole::Term, 0));
    EXPECT_TRUE(has_mark(s, GridId::Kernel, {0, 0}, MarkRole::Term, 0));
    // rot180(w) = 3 -1 0 / 0 1 2 / -1 0 1 over rows 1..3, columns 1..3:
    //   1*3 + 2*(-1) + 0 = 1;  0 + (-2)*1 + 1*2 = 0;  3*(-1) + 0 + (-1)*1 = -4;  sum -3
    EXPECT_EQ(*s.value, -3);
    EXPECT_EQ(term_sum(s), -3);
    EXPECT_EQ(line_tex(s, LineKind::General),
              "z^{l+1}_{p,q} = \\sum_{i=1}^{3} \\sum_{j=1}^{3} z^{l}_{p-i+3,q-j+3} \\cdot w_{i,j}");
}

TEST(ForwardLesson, ReluReadsTheActivatedGrid) {
    Scene scene = default_scene();
    scene.activation = Activation::Relu;
    const LayerResults results = compute_layer(scene);
    const Lesson lesson = build_lesson(LessonName::Forward, scene, results, std::nullopt);
    EXPECT_EQ(lesson.grids, (std::vector<GridId>{GridId::Input, GridId::Activated, GridId::Kernel,
                                                 GridId::Output}));
    const Step& s = lesson.steps[0];
    EXPECT_EQ(s.window->grid, GridId::Activated);
    EXPECT_EQ(s.terms[0].symbolic, "a^{l}_{1,1} \\cdot w_{1,1}");
    // relu zeroes -2, -1: 1*1 + 0 + 0 + 0 + 0*1 + 0 + 0 + 1*(-1) + 0*3 = 0
    EXPECT_EQ(*s.value, 0);
    EXPECT_EQ(s.terms[4].numeric, "0 \\cdot 1");  // a^l_{2,2} = relu(-2)
    EXPECT_TRUE(has_mark(s, GridId::Activated, {1, 1}, MarkRole::Term, 4));
}

TEST(ForwardLesson, ZeroBasedIndicesDropTheOnes) {
    Scene scene = default_scene();
    scene.index_base = 0;
    const Lesson lesson = forward_of(scene);
    const Step& s = lesson.steps[5];
    EXPECT_EQ(s.terms[0].symbolic, "z^{l}_{1,2} \\cdot w_{0,0}");
    EXPECT_EQ(line_tex(s, LineKind::General),
              "z^{l+1}_{p,q} = \\sum_{i=0}^{2} \\sum_{j=0}^{2} z^{l}_{p+i,q+j} \\cdot w_{i,j}");
    EXPECT_EQ(line_tex(s, LineKind::Substituted).rfind("z^{l+1}_{1,2} = ", 0), 0u);
}

TEST(ForwardLesson, LongSumsAreShortenedButEveryTermIsKept) {
    Scene scene;
    scene.input = Matrix::Constant(6, 6, 1.0);
    scene.kernel = Matrix::Constant(4, 4, 2.0);
    const Lesson lesson = forward_of(scene);
    const Step& s = lesson.steps[0];
    EXPECT_EQ(s.terms.size(), 16u);
    EXPECT_EQ(*s.value, 32);
    EXPECT_NE(line_tex(s, LineKind::Values).find("\\cdots"), std::string::npos);
}

// The index expression of the forward formula for every geometry, zero- and one-based:
// substituting numbers into the printed expression must give window_input_index + P.
TEST(ForwardLesson, GeneralLineIndexAgreesWithTheWindow) {
    struct Case {
        AxisPair stride, dilation;
        ConvMode mode;
        int base;
        const char* row;
    } cases[] = {
        {{1, 1}, {1, 1}, ConvMode::CrossCorrelation, 1, "p+i-1"},
        {{2, 1}, {1, 1}, ConvMode::CrossCorrelation, 1, "2(p-1)+i"},
        {{1, 1}, {3, 1}, ConvMode::CrossCorrelation, 1, "p+3(i-1)"},
        {{2, 1}, {3, 1}, ConvMode::CrossCorrelation, 1, "2(p-1)+3(i-1)+1"},
        {{1, 1}, {1, 1}, ConvMode::Convolution, 1, "p-i+3"},
        {{2, 1}, {1, 1}, ConvMode::Convolution, 1, "2(p-1)-i+4"},
        {{1, 1}, {2, 1}, ConvMode::Convolution, 1, "p+2(3-i)"},
        {{2, 1}, {2, 1}, ConvMode::Convolution, 1, "2(p-1)+2(3-i)+1"},
        {{1, 1}, {1, 1}, ConvMode::CrossCorrelation, 0, "p+i"},
        {{2, 1}, {3, 1}, ConvMode::CrossCorrelation, 0, "2p+3i"},
        {{1, 1}, {1, 1}, ConvMode::Convolution, 0, "p-i+2"},
        {{2, 1}, {2, 1}, ConvMode::Convolution, 0, "2p+2(2-i)"},
    };
    for (const Case& c : cases) {
        Scene scene;
        scene.input = Matrix::Constant(9, 3, 1.0);
        scene.kernel = Matrix::Constant(3, 1, 1.0);
        scene.spec.stride = c.stride;
        scene.spec.dilation = c.dilation;
        scene.spec.mode = c.mode;
        scene.index_base = c.base;
        const std::string general = line_tex(forward_of(scene).steps[0], LineKind::General);
        EXPECT_NE(general.find(std::string("_{") + c.row + ","), std::string::npos)
            << general << " wanted " << c.row;
    }
    // Check the table itself by hand for one entry each: s=2, d=3, base 1, p=2, i=3:
    // zero-based p=1, i=2: input 2*1 + 3*2 = 8, one-based 9 = 2(2-1)+3(3-1)+1 = 2+6+1. And
    // convolution s=2, base 1, p=2, i=1: offset kh-i = 2 (zero-based), input 2+2 = 4, i.e.
    // one-based 5 = 2(2-1)-1+4.
}

// A small evaluator for the index expressions: integers, + and -, parentheses, and a
// number right before '(' multiplying it ("2(3-1)+1").
class IndexArithmetic {
public:
    explicit IndexArithmetic(std::string text) : s_(std::move(text)) {}
    int value() {
        const int v = sum();
        EXPECT_EQ(pos_, s_.size()) << "unparsed rest of " << s_;
        return v;
    }

private:
    int sum() {
        int v = product();
        while (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) {
            const char op = s_[pos_++];
            const int r = product();
            v = op == '+' ? v + r : v - r;
        }
        return v;
    }
    int product() {
        int v = factor();
        while (pos_ < s_.size() && s_[pos_] == '(') v *= factor();
        return v;
    }
    int factor() {
        if (pos_ < s_.size() && s_[pos_] == '(') {
            ++pos_;
            const int v = sum();
            EXPECT_EQ(s_[pos_], ')') << s_;
            ++pos_;
            return v;
        }
        std::size_t end = pos_;
        while (end < s_.size() && std::isdigit(static_cast<unsigned char>(s_[end]))) ++end;
        EXPECT_GT(end, pos_) << "a number expected at " << pos_ << " in " << s_;
        const int v = std::stoi(s_.substr(pos_, end - pos_));
        pos_ = end;
        return v;
    }
    std::string s_;
    std::size_t pos_ = 0;
};

// The general line's index, with p and i put in, is the padded input's index (in the
// scene's base) that the engine's forward loop reads: s*p + d*o, o = i or kh-1-i.
TEST(ForwardLesson, GeneralLineIndexEvaluatesToTheWindowForEveryGeometry) {
    int checked = 0;
    for (int s = 1; s <= 3; ++s)
        for (int d = 1; d <= 3; ++d)
            for (int k = 1; k <= 4; ++k)
                for (ConvMode mode : {ConvMode::CrossCorrelation, ConvMode::Convolution})
                    for (int base : {0, 1}) {
                        const WindowAxis axis{s, 2, d, k, mode};
                        const std::string tex = window_index_tex(axis, 'p', 'i', base);
                        for (int p = 0; p < 4; ++p)
                            for (int i = 0; i < k; ++i) {
                                std::string expr;
                                for (char c : tex) {
                                    if (c == 'p') expr += "(" + std::to_string(p + base) + ")";
                                    else if (c == 'i') expr += "(" + std::to_string(i + base) + ")";
                                    else expr += c;
                                }
                                const int oracle = s * p + d * (mode == ConvMode::Convolution ? k - 1 - i : i);
                                EXPECT_EQ(IndexArithmetic(expr).value(), oracle + base)
                                    << tex << " at p=" << p + base << ", i=" << i + base;
                                EXPECT_EQ(window_input_index(axis, p, i) + axis.padding, oracle);
                                ++checked;
                            }
                    }
    EXPECT_GT(checked, 1000);
}

// On random scenes across every option: each step's value is the engine's output, the
// terms add up to it, and the non-padding products are exactly the pairs the oracle's
// d z^{l+1}_{p,q} / d a^l_{m,n} is built from (a kernel of distinct powers of two names
// the taps in every derivative).
TEST(ForwardLesson, RandomScenesAgreeWithTheOracle) {
    for (std::uint32_t seed = 1; seed <= 150; ++seed) {
        Scene scene = ad::random_scene(seed * 2654435761u);
        const int kh = int(scene.kernel.rows()), kw = int(scene.kernel.cols());
        const LayerResults results = compute_layer(scene);
        const ad::ReferenceLayer reference = ad::reference_layer(scene);
        const Lesson lesson = build_lesson(LessonName::Forward, scene, results, std::nullopt);
        const int Ho = int(results.output.rows()), Wo = int(results.output.cols());
        ASSERT_EQ(int(lesson.steps.size()), Ho * Wo) << "seed " << seed;

        Matrix powers(kh, kw);
        for (int i = 0; i < kh; ++i)
            for (int j = 0; j < kw; ++j) powers(i, j) = std::ldexp(1.0, i * kw + j);
        const std::vector<Matrix> sens =
            ad::output_sensitivities(results.activated, powers, scene.spec);
        const GridId a_grid =
            scene.activation == Activation::Identity ? GridId::Input : GridId::Activated;
        for (int p = 0; p < Ho; ++p) {
            for (int q = 0; q < Wo; ++q) {
                const Step& s = lesson.steps[std::size_t(p * Wo + q)];
                SCOPED_TRACE("seed " + std::to_string(seed) + " output " + std::to_string(p) +
                             "," + std::to_string(q));
                ASSERT_TRUE(s.value);
                EXPECT_NEAR(*s.value, reference.output(p, q), 1e-9);
                EXPECT_NEAR(term_sum(s), *s.value, 1e-9);
                ASSERT_EQ(int(s.terms.size()), kh * kw);
                // Rebuild d z_{p,q} / d a from the step's non-padding terms.
                Matrix rebuilt = Matrix::Zero(scene.input.rows(), scene.input.cols());
                for (const Mark& m : s.marks) {
                    if (m.grid != a_grid || m.role != MarkRole::Term) continue;
                    EXPECT_FALSE(s.terms[std::size_t(m.term)].padding);
                    rebuilt(m.cell.row, m.cell.col) += std::ldexp(1.0, m.term);
                }
                EXPECT_EQ(rebuilt, sens[std::size_t(p * Wo + q)]);
                for (const std::string& tex : lesson_test::all_tex(s))
                    EXPECT_TRUE(braces_balance(tex)) << tex;
            }
        }
    }
}

}  // namespace
}  // namespace convlens
