// Properties of the engine over a sweep of shapes, strides, paddings, dilations, both
// modes and every activation: scatter equals gather, the adjoint identity, finite
// differences, and the output shape against Dumoulin & Visin, "A guide to convolution
// arithmetic for deep learning" (2016).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

#include "engine/gradient_check.h"
#include "engine/layer.h"
#include "engine/layer_results.h"
#include "unit/autodiff.h"

namespace convlens {
namespace {

// Every geometry with H, W in 1..max_input, k in 1..max_kernel, s in 1..3, P in 0..2,
// d in 1..3 (the same on both axes except where a test varies one axis), that has an output.
template <class F>
void for_each_geometry(int max_input, int max_kernel, F&& body) {
    for (int H = 1; H <= max_input; ++H)
        for (int k = 1; k <= max_kernel; ++k)
            for (int s = 1; s <= 3; ++s)
                for (int P = 0; P <= 2; ++P)
                    for (int d = 1; d <= 3; ++d) {
                        if (H + 2 * P - d * (k - 1) - 1 < 0) continue;  // no output
                        ConvSpec spec;
                        spec.stride = {s, s};
                        spec.padding = {P, P};
                        spec.dilation = {d, d};
                        body(H, k, spec);
                    }
}

std::string geometry(int H, int W, int kh, int kw, const ConvSpec& sp) {
    return std::to_string(H) + "x" + std::to_string(W) + " * " + std::to_string(kh) + "x" +
           std::to_string(kw) + " s" + std::to_string(sp.stride.rows) + "," +
           std::to_string(sp.stride.cols) + " P" + std::to_string(sp.padding.rows) + "," +
           std::to_string(sp.padding.cols) + " d" + std::to_string(sp.dilation.rows) + "," +
           std::to_string(sp.dilation.cols) + " " + mode_name(sp.mode);
}

// ---- Scatter (the chain rule, tap by tap) equals gather (the rotated-kernel correlation).

TEST(EngineProperty, ScatterEqualsGatherOverTheSweep) {
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> pick(1, 6);
    int checked = 0;
    for_each_geometry(9, 4, [&](int H, int k, ConvSpec spec) {
        for (ConvMode mode : {ConvMode::CrossCorrelation, ConvMode::Convolution}) {
            spec.mode = mode;
            // The column axis gets its own size and kernel so rows and columns differ.
            const int W = pick(rng), kw = std::min(pick(rng), 4);
            const int Wo = ad::reference_extent(W, kw, spec.stride.cols, spec.padding.cols,
                                                spec.dilation.cols);
            if (Wo < 1) continue;
            const int Ho = ad::reference_extent(H, k, spec.stride.rows, spec.padding.rows,
                                                spec.dilation.rows);
            const Matrix kernel = ad::random_matrix(rng, k, kw);
            const Matrix upstream = ad::random_matrix(rng, Ho, Wo);
            const Matrix scatter = grad_activated_scatter(upstream, kernel, {H, W}, spec);
            const Matrix gather = grad_activated_gather(upstream, kernel, {H, W}, spec);
            ASSERT_EQ(scatter.rows(), H);
            ASSERT_EQ(scatter.cols(), W);
            ASSERT_EQ(gather.rows(), H);
            ASSERT_EQ(gather.cols(), W);
            const double scale = std::max(1.0, scatter.cwiseAbs().maxCoeff());
            EXPECT_LE((scatter - gather).cwiseAbs().maxCoeff(), 1e-12 * scale)
                << geometry(H, W, k, kw, spec);
            ++checked;
        }
    });
    EXPECT_GT(checked, 900);
}

// Through compute_layer, every activation: grad_input (scatter) == grad_input_gather.
TEST(EngineProperty, ComputeLayerScatterEqualsGatherForEveryActivation) {
    for (std::uint32_t seed = 100; seed < 1100; ++seed) {
        const Scene s = ad::random_scene(seed);
        const LayerResults r = compute_layer(s);
        const double scale = std::max(1.0, r.grad_input.cwiseAbs().maxCoeff());
        ASSERT_LE((r.grad_input - r.grad_input_gather).cwiseAbs().maxCoeff(), 1e-12 * scale)
            << s.title << " " << activation_name(s.activation) << " "
            << geometry(int(s.input.rows()), int(s.input.cols()), int(s.kernel.rows()),
                        int(s.kernel.cols()), s.spec);
        // The difference the window reports bounds every element's (an independent loop,
        // not the expression layer_results.cpp uses).
        bool attained = false;
        for (Eigen::Index i = 0; i < r.grad_input.size(); ++i) {
            const double gap = std::abs(r.grad_input.data()[i] - r.grad_input_gather.data()[i]);
            ASSERT_LE(gap, r.scatter_gather_difference);
            attained = attained || gap == r.scatter_gather_difference;
        }
        EXPECT_TRUE(attained) << "the reported difference is no element's difference";
        // delta^l = f'(z^l) * dJ/da^l is checked against the independent autodiff in
        // engine_autodiff_test.cpp; restating layer_results.cpp here could not fail.
    }
}

// ---- The adjoint identity: the backward pass (identity activation) is the transpose of
// the forward map x -> conv(x, w):  <conv(x), y> = <x, conv^T(y)>.

TEST(EngineProperty, AdjointIdentity) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> pick(1, 7);
    int checked = 0;
    for_each_geometry(9, 4, [&](int H, int k, ConvSpec spec) {
        for (ConvMode mode : {ConvMode::CrossCorrelation, ConvMode::Convolution}) {
            spec.mode = mode;
            const int W = pick(rng), kw = std::min(pick(rng), 4);
            spec.stride.cols = 1 + (W + kw) % 3;  // vary the column geometry too
            const int Wo = ad::reference_extent(W, kw, spec.stride.cols, spec.padding.cols,
                                                spec.dilation.cols);
            if (Wo < 1) continue;
            const int Ho = ad::reference_extent(H, k, spec.stride.rows, spec.padding.rows,
                                                spec.dilation.rows);
            const Matrix x = ad::random_matrix(rng, H, W);
            const Matrix w = ad::random_matrix(rng, k, kw);
            const Matrix y = ad::random_matrix(rng, Ho, Wo);
            const Matrix fx = forward(x, w, spec);
            ASSERT_EQ(fx.rows(), Ho);
            ASSERT_EQ(fx.cols(), Wo);
            const double lhs = inner_product(fx, y);
            // Scale: the sum of |terms| bounds the rounding of both sides.
            const double scale = std::max(1.0, x.cwiseAbs().sum() * w.cwiseAbs().sum() *
                                                   y.cwiseAbs().maxCoeff());
            const double rhs_scatter = inner_product(x, grad_activated_scatter(y, w, {H, W}, spec));
            const double rhs_gather = inner_product(x, grad_activated_gather(y, w, {H, W}, spec));
            EXPECT_NEAR(lhs, rhs_scatter, 1e-13 * scale) << geometry(H, W, k, kw, spec);
            EXPECT_NEAR(lhs, rhs_gather, 1e-13 * scale) << geometry(H, W, k, kw, spec);
            // The kernel gradient is the adjoint in w: <conv(x, w), y> = <w, dJ/dw>.
            EXPECT_NEAR(lhs, inner_product(w, grad_kernel(x, y, {k, kw}, spec)), 1e-13 * scale)
                << geometry(H, W, k, kw, spec);
            ++checked;
            if (::testing::Test::HasFailure()) return;
        }
    });
    EXPECT_GT(checked, 900);
}

// ---- Central finite differences against both gradients.

TEST(EngineProperty, FiniteDifferencesPassOnRandomScenes) {
    int skipped_kinks = 0;
    for (std::uint32_t seed = 5000; seed < 5400; ++seed) {
        const Scene s = ad::random_scene(seed, {.max_input = 6, .max_kernel = 3, .max_stride = 3,
                                                .max_padding = 2, .max_dilation = 2});
        const GradientCheck c = check_gradients(s);
        EXPECT_TRUE(c.passed(1e-6))
            << s.title << " " << activation_name(s.activation) << " "
            << geometry(int(s.input.rows()), int(s.input.cols()), int(s.kernel.rows()),
                        int(s.kernel.cols()), s.spec)
            << ": input " << c.input_max_relative << ", kernel " << c.kernel_max_relative;
        EXPECT_EQ(c.input_checked + c.input_skipped, s.input.size());
        EXPECT_EQ(c.kernel_checked, s.kernel.size());
        skipped_kinks += c.input_skipped;
    }
    EXPECT_GT(skipped_kinks, 0);  // integer scenes with relu put z = 0 on the kink
}

// Pixel-sized values (0..255, as in an image a teacher might load): the check's step and
// tolerance still hold, and relu elements within a step of the kink are skipped, not failed.
TEST(EngineProperty, FiniteDifferencesAtPixelScaleAndNearTheKink) {
    for (std::uint32_t seed = 700; seed < 740; ++seed) {
        Scene s = ad::random_scene(seed, {.max_input = 6, .max_kernel = 3, .max_stride = 2,
                                          .max_padding = 1, .max_dilation = 2});
        s.input = (s.input.array() * 64 + 128).round().matrix();
        if (s.target) *s.target *= 1000;
        const GradientCheck c = check_gradients(s);
        EXPECT_TRUE(c.passed(1e-6)) << s.title << " " << activation_name(s.activation) << ": "
                                    << c.input_max_relative << " " << c.kernel_max_relative;
    }
    Scene kink;
    kink.input = Matrix{{1e-9, -1e-9, 1}, {2, 3e-9, -1}, {0.5, 1, 0}};
    kink.kernel = Matrix{{1, -2}, {3, 0.5}};
    kink.activation = Activation::Relu;
    const GradientCheck c = check_gradients(kink);
    EXPECT_TRUE(c.passed(1e-6)) << c.input_max_relative;
    EXPECT_GE(c.input_skipped, 1);
    EXPECT_EQ(c.input_checked + c.input_skipped, 9);
}

// A large input is checked on a subset (corners included) and still passes.
TEST(EngineProperty, FiniteDifferencesOnALargeInputUseASubset) {
    std::mt19937 rng(3);
    Scene s;
    s.input = ad::random_matrix(rng, 24, 24);
    s.kernel = ad::random_matrix(rng, 3, 3);
    s.activation = Activation::Tanh;
    s.spec.padding = {1, 1};
    const GradientCheck c = check_gradients(s, 60);
    EXPECT_TRUE(c.passed(1e-6)) << c.input_max_relative << " " << c.kernel_max_relative;
    EXPECT_LE(c.input_checked, 120);  // a subset of the 576 elements
    EXPECT_GE(c.input_checked, 4);
}

// objective() is the J that finite differences differentiate: the loss itself, or the
// surrogate <upstream, z^{l+1}> when the scene gives upstream.
TEST(EngineProperty, ObjectiveMatchesTheLoss) {
    for (std::uint32_t seed = 300; seed < 400; ++seed) {
        const Scene s = ad::random_scene(seed);
        const LayerResults r = compute_layer(s);
        const double j = objective(s, s.input, s.kernel);
        if (r.loss) {
            EXPECT_DOUBLE_EQ(j, *r.loss);
        } else {
            EXPECT_NEAR(j, inner_product(*s.upstream, r.output), 1e-12 * std::max(1.0, std::abs(j)));
        }
    }
}

// ---- Output shape against Dumoulin & Visin.

TEST(EngineProperty, OutputShapeFollowsConvolutionArithmetic) {
    int rel1 = 0, rel2 = 0, rel3 = 0, rel4 = 0, rel5 = 0, rel6 = 0, dilated = 0;
    for (int i = 1; i <= 12; ++i)
        for (int k = 1; k <= 6; ++k)
            for (int s = 1; s <= 4; ++s)
                for (int p = 0; p <= 3; ++p)
                    for (int d = 1; d <= 3; ++d) {
                        const int k_eff = k + (k - 1) * (d - 1);  // dilated kernel size
                        SCOPED_TRACE("i=" + std::to_string(i) + " k=" + std::to_string(k) +
                                     " s=" + std::to_string(s) + " p=" + std::to_string(p) +
                                     " d=" + std::to_string(d));
                        const bool exists = i + 2 * p >= k_eff;
                        if (!exists) {
                            EXPECT_LE(output_extent(i, k, s, p, d), 0);
                            ConvSpec sp;
                            sp.stride = {s, 1};
                            sp.padding = {p, 0};
                            sp.dilation = {d, 1};
                            EXPECT_THROW(output_shape({i, 1}, {k, 1}, sp), InputError);
                            continue;
                        }
                        // The reference is no formula: slide the dilated kernel over the
                        // padded input and count where it fits, first window at 0.
                        int o = 0;
                        while (o * s + k_eff <= i + 2 * p) ++o;
                        const int got = output_extent(i, k, s, p, d);
                        EXPECT_EQ(got, o);
                        // Each of the guide's relationships, checked against the engine
                        // where it applies. Relationship 15 (dilation) holds everywhere:
                        // o = floor((i + 2p - k - (k-1)(d-1)) / s) + 1.
                        EXPECT_EQ(got, (i + 2 * p - k - (k - 1) * (d - 1)) / s + 1);
                        if (d == 1) {
                            // Relationship 6: o = floor((i + 2p - k)/s) + 1.
                            EXPECT_EQ(got, (i + 2 * p - k) / s + 1);
                            ++rel6;
                            if (s == 1 && p == 0) { EXPECT_EQ(got, i - k + 1); ++rel1; }
                            if (s == 1) { EXPECT_EQ(got, (i - k) + 2 * p + 1); ++rel2; }
                            if (s == 1 && k % 2 == 1 && p == k / 2) { EXPECT_EQ(got, i); ++rel3; }
                            if (s == 1 && p == k - 1) { EXPECT_EQ(got, i + k - 1); ++rel4; }
                            if (p == 0) { EXPECT_EQ(got, (i - k) / s + 1); ++rel5; }
                        } else {
                            ++dilated;
                        }
                        // output_shape and forward() agree, each axis on its own.
                        ConvSpec sp;
                        sp.stride = {s, 1};
                        sp.padding = {p, 0};
                        sp.dilation = {d, 1};
                        EXPECT_EQ(output_shape({i, 3}, {k, 2}, sp), (Shape{o, 2}));
                        ConvSpec tr;
                        tr.stride = {1, s};
                        tr.padding = {0, p};
                        tr.dilation = {1, d};
                        EXPECT_EQ(output_shape({3, i}, {2, k}, tr), (Shape{2, o}));
                        const Matrix out = forward(Matrix::Ones(i, 3), Matrix::Ones(k, 2), sp);
                        EXPECT_EQ(out.rows(), o);
                        EXPECT_EQ(out.cols(), 2);
                    }
    EXPECT_GT(rel1, 0);
    EXPECT_GT(rel2, 0);
    EXPECT_GT(rel3, 0);
    EXPECT_GT(rel4, 0);
    EXPECT_GT(rel5, 0);
    EXPECT_GT(rel6, 0);
    EXPECT_GT(dilated, 0);
}

// Dumoulin & Visin's worked figures: 4x4 input, 3x3 kernel, no padding, unit strides -> 2x2
// (fig. 2.1); 5x5, 4x4, p=2 -> 6x6 (fig. 2.2); 5x5, 3x3, p=1 ("half") -> 5x5 (fig. 2.3);
// 5x5, 3x3, p=2 ("full") -> 7x7 (fig. 2.4); 5x5, 3x3, s=2 -> 2x2 (fig. 2.6);
// 5x5, 3x3, p=1, s=2 -> 3x3 (fig. 2.7); 6x6, 3x3, p=1, s=2 -> 3x3 (fig. 2.8);
// 7x7, 3x3, d=2 -> 3x3 (fig. 5.1).
TEST(EngineProperty, OutputShapeOfTheGuidesFigures) {
    auto shape = [](int i, int k, int s, int p, int d) {
        ConvSpec sp;
        sp.stride = {s, s};
        sp.padding = {p, p};
        sp.dilation = {d, d};
        return output_shape({i, i}, {k, k}, sp);
    };
    EXPECT_EQ(shape(4, 3, 1, 0, 1), (Shape{2, 2}));
    EXPECT_EQ(shape(5, 4, 1, 2, 1), (Shape{6, 6}));
    EXPECT_EQ(shape(5, 3, 1, 1, 1), (Shape{5, 5}));
    EXPECT_EQ(shape(5, 3, 1, 2, 1), (Shape{7, 7}));
    EXPECT_EQ(shape(5, 3, 2, 0, 1), (Shape{2, 2}));
    EXPECT_EQ(shape(5, 3, 2, 1, 1), (Shape{3, 3}));
    EXPECT_EQ(shape(6, 3, 2, 1, 1), (Shape{3, 3}));
    EXPECT_EQ(shape(7, 3, 1, 0, 2), (Shape{3, 3}));
}

TEST(EngineProperty, OutputShapeRejectsWhatHasNoOutput) {
    ConvSpec plain;
    EXPECT_THROW(output_shape({2, 5}, {3, 3}, plain), InputError);  // rows: 2 < 3
    EXPECT_THROW(output_shape({5, 2}, {3, 3}, plain), InputError);  // columns
    ConvSpec dil;
    dil.dilation = {2, 2};
    EXPECT_THROW(output_shape({4, 4}, {3, 3}, dil), InputError);  // k' = 5 > 4
    EXPECT_EQ(output_shape({5, 5}, {3, 3}, dil), (Shape{1, 1}));  // k' = 5 = 5
    ConvSpec pad;
    pad.padding = {1, 0};
    EXPECT_EQ(output_shape({1, 3}, {3, 3}, pad), (Shape{1, 1}));  // 1 + 2 = 3 rows fit

    ConvSpec bad;
    bad.stride = {0, 1};
    EXPECT_THROW(output_shape({5, 5}, {3, 3}, bad), InputError);
    bad = ConvSpec{};
    bad.stride = {1, -1};
    EXPECT_THROW(output_shape({5, 5}, {3, 3}, bad), InputError);
    bad = ConvSpec{};
    bad.dilation = {1, 0};
    EXPECT_THROW(output_shape({5, 5}, {3, 3}, bad), InputError);
    bad = ConvSpec{};
    bad.padding = {-1, 0};
    EXPECT_THROW(output_shape({5, 5}, {3, 3}, bad), InputError);
    // The message is never empty: it is what the command line prints.
    try {
        output_shape({2, 2}, {3, 3}, plain);
        FAIL() << "no InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()), "");
    }
    // compute_layer refuses such scenes too, with the same kind of error.
    Scene s;
    s.input = Matrix::Ones(2, 2);
    s.kernel = Matrix::Ones(3, 3);
    EXPECT_THROW(compute_layer(s), InputError);
}

}  // namespace
}  // namespace convlens
