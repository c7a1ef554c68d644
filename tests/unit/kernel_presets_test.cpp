// Kernel presets: each filter checked by what it does to inputs whose answer is worked by
// hand (ramps, a quadratic bowl, flat grey), and the Gaussian's taps against exp() by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "engine/layer_results.h"
#include "scene/kernel_presets.h"
#include "scene/scene.h"

namespace convlens {
namespace {

// z^{l+1} of a cross-correlation without padding (the engine's reference loops).
Matrix forward(const Matrix& input, const Matrix& kernel) {
    Scene scene;
    scene.input = input;
    scene.kernel = kernel;
    return compute_layer(scene).output;
}

// z_{m,n} = f(m, n) with one-based m, n, as the textbook writes them.
template <typename F>
Matrix field(int rows, int cols, F f) {
    Matrix m(rows, cols);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) m(r, c) = f(r + 1, c + 1);
    return m;
}

void expect_all(const Matrix& m, double value, double tolerance = 1e-12) {
    ASSERT_GT(m.size(), 0);
    EXPECT_LE((m.array() - value).abs().maxCoeff(), tolerance) << m;
}

// On z_{m,n} = n each row of Sobel x sees (n+1) - (n-1) = 2, weighted 1 + 2 + 1: 8.
// Sobel y sees nothing across a ramp that only changes along the columns.
TEST(KernelPresets, SobelAnswersTheRampAlongItsOwnAxis) {
    const Matrix columns = field(6, 7, [](int, int n) { return double(n); });
    const Matrix rows = field(6, 7, [](int m, int) { return 3.0 * m; });
    expect_all(forward(columns, sobel_x()), 8);
    expect_all(forward(columns, sobel_y()), 0);
    expect_all(forward(rows, sobel_y()), 24);  // rows grow by 3 downwards
    expect_all(forward(rows, sobel_x()), 0);
}

// The discrete Laplacian of m^2 + n^2: (m+1)^2 + (m-1)^2 - 2 m^2 = 2 per axis, 4 in all;
// of a plane a m + b n + c it is 0.
TEST(KernelPresets, LaplacianOfABowlIsFourAndOfAPlaneZero) {
    expect_all(forward(field(6, 6, [](int m, int n) { return double(m * m + n * n); }), laplacian()), 4);
    expect_all(forward(field(6, 6, [](int m, int n) { return 2.0 * m - 5.0 * n + 1; }), laplacian()), 0);
}

// Sharpen = identity - Laplacian: flat grey stays, the bowl's centre value drops by 4.
TEST(KernelPresets, SharpenIsIdentityMinusLaplacian) {
    expect_all(forward(Matrix::Constant(5, 5, 0.7), sharpen()), 0.7);
    const Matrix bowl = field(5, 5, [](int m, int n) { return double(m * m + n * n); });
    const Matrix out = forward(bowl, sharpen());
    for (int r = 0; r < out.rows(); ++r)
        for (int c = 0; c < out.cols(); ++c) EXPECT_DOUBLE_EQ(out(r, c), bowl(r + 1, c + 1) - 4);
}

// Box blur of size 2 over | 1 2 3 ; 4 5 6 |: (1+2+4+5)/4 = 3, (2+3+5+6)/4 = 4.
TEST(KernelPresets, BoxBlurAveragesItsWindow) {
    const Matrix out = forward(matrix_from_rows({{1, 2, 3}, {4, 5, 6}}), box_blur(2));
    ASSERT_EQ(out.rows(), 1);
    ASSERT_EQ(out.cols(), 2);
    EXPECT_DOUBLE_EQ(out(0, 0), 3);
    EXPECT_DOUBLE_EQ(out(0, 1), 4);
    EXPECT_EQ(box_blur(5).rows(), 5);
    EXPECT_NEAR(box_blur(5).sum(), 1, 1e-12);
}

// size 3, sigma 1: centre 1, edges e^{-1/2}, corners e^{-1}, over 1 + 4 e^{-1/2} + 4 e^{-1}.
TEST(KernelPresets, GaussianThreeBySigmaOneByHand) {
    const double total = 1 + 4 * std::exp(-0.5) + 4 * std::exp(-1.0);
    const Matrix w = gaussian(3, 1.0);
    ASSERT_EQ(w.rows(), 3);
    ASSERT_EQ(w.cols(), 3);
    EXPECT_NEAR(w(1, 1), 1 / total, 1e-15);
    for (auto [r, c] : {std::pair{0, 1}, {1, 0}, {1, 2}, {2, 1}}) EXPECT_NEAR(w(r, c), std::exp(-0.5) / total, 1e-15);
    for (auto [r, c] : {std::pair{0, 0}, {0, 2}, {2, 0}, {2, 2}}) EXPECT_NEAR(w(r, c), std::exp(-1.0) / total, 1e-15);
}

TEST(KernelPresets, GaussianSumsToOneAtEverySizeAndSigma) {
    for (int size : {1, 2, 4, 5, 11, 32})
        for (double sigma : {1e-3, 0.5, 1.0, 3.0, 1e3}) {
            SCOPED_TRACE(std::to_string(size) + " " + std::to_string(sigma));
            const Matrix w = gaussian(size, sigma);
            EXPECT_TRUE(w.allFinite());
            EXPECT_NEAR(w.sum(), 1, 1e-12);
            EXPECT_TRUE(w.isApprox(w.transpose())) << "symmetric";
            EXPECT_TRUE(w.isApprox(w.colwise().reverse())) << "mirror";
        }
    // A tiny sigma keeps all weight on the nearest taps: the centre, or the middle four.
    EXPECT_NEAR(gaussian(5, 1e-3)(2, 2), 1, 1e-12);
    EXPECT_NEAR(gaussian(4, 1e-3)(1, 2), 0.25, 1e-12);
    // A huge sigma is nearly the box blur.
    EXPECT_LE((gaussian(3, 1e3) - box_blur(3)).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(KernelPresets, BadSizesAndSigmasAreInputErrors) {
    EXPECT_THROW(gaussian(0, 1), InputError);
    EXPECT_THROW(gaussian(kMaxKernelExtent + 1, 1), InputError);
    EXPECT_THROW(gaussian(3, 0), InputError);
    EXPECT_THROW(gaussian(3, -1), InputError);
    EXPECT_THROW(gaussian(3, std::numeric_limits<double>::quiet_NaN()), InputError);
    EXPECT_THROW(gaussian(3, std::numeric_limits<double>::infinity()), InputError);
    EXPECT_THROW(box_blur(0), InputError);
    EXPECT_THROW(box_blur(33), InputError);
}

TEST(KernelPresets, EveryFilterHasANameAndAKernelThatFitsTheCaps) {
    for (KernelFilter f : kKernelFilters) {
        SCOPED_TRACE(filter_name(f));
        EXPECT_STRNE(filter_name(f), "?");
        const Matrix w = filter_kernel(f, 5, 1.5);
        EXPECT_EQ(w.rows(), filter_has_size(f) ? 5 : 3);
        EXPECT_TRUE(w.allFinite());
    }
}

}  // namespace
}  // namespace convlens
