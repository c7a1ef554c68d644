// The window's pure edits of a scene (core/scene/scene_edit.h): resizing keeps the block
// that fits, presets are the textbook kernels, the loss source switch stashes and restores,
// and the named matrices reach the scene's own cells. Expected values are written out by
// hand in the textbook's one-based reading (row 1 is the top row).
#include <random>

#include <gtest/gtest.h>

#include "engine/layer_results.h"
#include "scene/scene.h"
#include "scene/scene_edit.h"

namespace convlens {
namespace {

// Shapes first: Eigen's == on matrices of different shapes asserts instead of failing.
::testing::AssertionResult same(const Matrix& a, const Matrix& b) {
    if (a.rows() == b.rows() && a.cols() == b.cols() && a == b) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "\n" << a << "\nis not\n" << b;
}

Scene three_by_three() {
    Scene s = default_scene();
    s.input = Matrix{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    s.kernel = Matrix{{1, 0}, {0, -1}};
    s.upstream = Matrix{{1, 2}, {3, 4}};  // valid 3x3 * 2x2: 2x2 outputs
    s.target.reset();
    s.spec = ConvSpec{};
    return s;
}

TEST(SceneEdit, ResizedKeepsTheTopLeftBlockAndFillsTheRest) {
    const Matrix m{{1, 2, 3}, {4, 5, 6}};
    const Matrix grown = resized(m, 3, 4, -1);
    const Matrix expected_grown{{1, 2, 3, -1}, {4, 5, 6, -1}, {-1, -1, -1, -1}};
    EXPECT_EQ(grown, expected_grown);
    const Matrix shrunk = resized(m, 1, 2);
    EXPECT_TRUE(same(shrunk, (Matrix{{1, 2}})));
}

TEST(SceneEdit, GrowingTheInputGrowsTheUpstreamErrorToTheNewOutput) {
    const Scene s = with_input_shape(three_by_three(), 4, 3);
    // 4x3 input, 2x2 kernel, stride 1, no padding: 3x2 outputs.
    EXPECT_TRUE(same(s.input, (Matrix{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {0, 0, 0}})));
    ASSERT_TRUE(s.upstream);
    EXPECT_TRUE(same(*s.upstream, (Matrix{{1, 2}, {3, 4}, {0, 0}})));
    EXPECT_NO_THROW(validate_scene(s));
}

TEST(SceneEdit, AKernelLargerThanTheInputLeavesTheLossMatricesAlone) {
    // No output at all: conform_to_output cannot know a shape, validation names the problem.
    const Scene s = with_kernel_shape(three_by_three(), 4, 4);
    ASSERT_TRUE(s.upstream);
    EXPECT_TRUE(same(*s.upstream, (Matrix{{1, 2}, {3, 4}})));
    EXPECT_THROW(validate_scene(s), InputError);
}

TEST(SceneEdit, PresetsAreTheTextbookKernels) {
    Scene s = three_by_three();
    s.input = Matrix::Zero(5, 5);
    s.kernel = Matrix::Zero(3, 3);
    s.upstream = Matrix::Zero(3, 3);
    EXPECT_TRUE(same(with_kernel_preset(s, KernelPreset::Identity).kernel,
              (Matrix{{0, 0, 0}, {0, 1, 0}, {0, 0, 0}})));
    const Matrix box = with_kernel_preset(s, KernelPreset::BoxBlur).kernel;
    EXPECT_TRUE(same(box, Matrix::Constant(3, 3, 1.0 / 9)));
    EXPECT_TRUE(same(with_kernel_preset(s, KernelPreset::SobelX).kernel,
              (Matrix{{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}})));
    EXPECT_TRUE(same(with_kernel_preset(s, KernelPreset::Laplacian).kernel,
              (Matrix{{0, 1, 0}, {1, -4, 1}, {0, 1, 0}})));
    // A 2x2 identity has its 1 at row 1, column 1 (one-based): the middle rounds up-left.
    s.kernel = Matrix::Zero(2, 2);
    s.upstream = Matrix::Zero(4, 4);
    EXPECT_TRUE(same(with_kernel_preset(s, KernelPreset::Identity).kernel, (Matrix{{1, 0}, {0, 0}})));
    // Sobel on a 2x2 kernel makes it 3x3 and the upstream error follows the output.
    const Scene sobel = with_kernel_preset(s, KernelPreset::SobelX);
    ASSERT_TRUE(sobel.upstream);
    EXPECT_EQ(sobel.upstream->rows(), 3);
    EXPECT_EQ(sobel.upstream->cols(), 3);
}

TEST(SceneEdit, RandomSmallIntegersStayInMinusThreeToThree) {
    std::mt19937 rng(7);
    const Matrix m = random_small_integers(40, 40, rng);
    bool saw_low = false, saw_high = false;
    for (int r = 0; r < 40; ++r)
        for (int c = 0; c < 40; ++c) {
            const double v = m(r, c);
            EXPECT_EQ(v, static_cast<int>(v));
            EXPECT_GE(v, -3);
            EXPECT_LE(v, 3);
            saw_low = saw_low || v == -3;
            saw_high = saw_high || v == 3;
        }
    EXPECT_TRUE(saw_low && saw_high) << "1600 draws reach both ends";
}

TEST(SceneEdit, SwitchingTheLossSourceStashesAndRestores) {
    LossStash stash;
    const Scene start = three_by_three();
    const Scene summed = with_loss_source(start, LossSource::Sum, stash);
    EXPECT_FALSE(summed.upstream);
    EXPECT_FALSE(summed.target);
    const Scene targeted = with_loss_source(summed, LossSource::Target, stash);
    ASSERT_TRUE(targeted.target);
    EXPECT_TRUE(same(*targeted.target, Matrix::Zero(2, 2)));
    Scene edited = targeted;
    (*edited.target)(0, 1) = 5;
    // Back to upstream: the stashed 1 2 / 3 4 returns; then target: the edited target.
    const Scene back = with_loss_source(edited, LossSource::Upstream, stash);
    ASSERT_TRUE(back.upstream);
    EXPECT_FALSE(back.target);
    EXPECT_TRUE(same(*back.upstream, (Matrix{{1, 2}, {3, 4}})));
    const Scene target_again = with_loss_source(back, LossSource::Target, stash);
    ASSERT_TRUE(target_again.target);
    EXPECT_TRUE(same(*target_again.target, (Matrix{{0, 5}, {0, 0}})));
    // A fresh upstream is the gradient of the sum: all ones.
    LossStash empty;
    const Scene ones = with_loss_source(summed, LossSource::Upstream, empty);
    ASSERT_TRUE(ones.upstream);
    EXPECT_TRUE(same(*ones.upstream, Matrix::Ones(2, 2)));
}

TEST(SceneEdit, SceneValueReachesTheStoredCellOrNothing) {
    Scene s = three_by_three();
    // z^l_{2,3} (one-based) is 6.
    double* v = scene_value(s, SceneMatrix::Input, {1, 2});
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(*v, 6);
    *v = -2;
    EXPECT_EQ(s.input(1, 2), -2);
    EXPECT_EQ(*scene_value(s, SceneMatrix::Kernel, {1, 1}), -1);
    EXPECT_EQ(*scene_value(s, SceneMatrix::Upstream, {1, 0}), 3);
    EXPECT_EQ(scene_value(s, SceneMatrix::Target, {0, 0}), nullptr) << "no target";
    EXPECT_EQ(scene_value(s, SceneMatrix::Input, {3, 0}), nullptr);
    EXPECT_EQ(scene_value(s, SceneMatrix::Input, {0, -1}), nullptr);
    EXPECT_EQ(scene_value(s, SceneMatrix::Kernel, {0, 2}), nullptr);
}

}  // namespace
}  // namespace convlens
