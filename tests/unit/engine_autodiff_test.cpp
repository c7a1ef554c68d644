// The engine against an independent reverse-mode automatic differentiation
// (tests/unit/autodiff.h): on many random scenes across every option, compute_layer's
// numbers and influence_taps' structure must match what the tape derives from the
// forward formula of DESIGN.md alone.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "engine/influence.h"
#include "engine/layer.h"
#include "engine/layer_results.h"
#include "unit/autodiff.h"

namespace convlens {
namespace {

constexpr double kRelative = 1e-9;

std::string describe(const Scene& s) {
    std::ostringstream o;
    o << s.title << ": input " << s.input.rows() << "x" << s.input.cols() << ", kernel "
      << s.kernel.rows() << "x" << s.kernel.cols() << ", stride " << s.spec.stride.rows << ","
      << s.spec.stride.cols << ", padding " << s.spec.padding.rows << "," << s.spec.padding.cols
      << ", dilation " << s.spec.dilation.rows << "," << s.spec.dilation.cols << ", "
      << mode_name(s.spec.mode) << ", " << activation_name(s.activation) << ", loss "
      << (s.upstream ? "upstream" : s.target ? "target" : "sum") << ", base " << s.index_base;
    return o.str();
}

// Same shape, and every entry within kRelative of the AD value, relative to the
// matrix's largest magnitude (at least 1) so that cancellations near 0 do not count.
::testing::AssertionResult matrices_agree(const char* what, const Matrix& engine,
                                          const Matrix& reference) {
    if (engine.rows() != reference.rows() || engine.cols() != reference.cols())
        return ::testing::AssertionFailure()
               << what << ": shape " << engine.rows() << "x" << engine.cols() << ", AD has "
               << reference.rows() << "x" << reference.cols();
    const double scale = std::max(1.0, reference.cwiseAbs().maxCoeff());
    for (Eigen::Index r = 0; r < engine.rows(); ++r)
        for (Eigen::Index c = 0; c < engine.cols(); ++c)
            if (!(std::abs(engine(r, c) - reference(r, c)) <= kRelative * scale))
                return ::testing::AssertionFailure()
                       << what << "(" << r << "," << c << ") zero-based: engine " << engine(r, c)
                       << ", AD " << reference(r, c);
    return ::testing::AssertionSuccess();
}

// ---- The oracle itself, before it judges anything.

TEST(Autodiff, TapeDifferentiatesThePrimitives) {
    ad::Tape t;
    const ad::Var x = t.variable(0.7), y = t.variable(-1.3);
    // f = x*y + exp(x) - tanh(y) / x + relu(y) + sigmoid(x)
    const ad::Var f = x * y + ad::exp(x) - ad::tanh(y) / x + ad::relu(y) + ad::sigmoid(x);
    const auto g = t.gradient(f);
    const double sx = 1 / (1 + std::exp(-0.7));
    const double th = std::tanh(-1.3);
    EXPECT_DOUBLE_EQ(f.value(), 0.7 * -1.3 + std::exp(0.7) - th / 0.7 + 0 + sx);
    // df/dx = y + e^x + tanh(y)/x^2 + s(1-s);  df/dy = x - (1 - tanh^2 y)/x + 0
    EXPECT_DOUBLE_EQ(g[static_cast<std::size_t>(x.id)],
                     -1.3 + std::exp(0.7) + th / (0.7 * 0.7) + sx * (1 - sx));
    EXPECT_DOUBLE_EQ(g[static_cast<std::size_t>(y.id)], 0.7 - (1 - th * th) / 0.7);

    // relu at exactly 0 has derivative 0; above 0 it passes the adjoint on.
    ad::Tape u;
    const ad::Var zero = u.variable(0), two = u.variable(2);
    const ad::Var r = ad::relu(zero) + ad::relu(two);
    const auto gr = u.gradient(r);
    EXPECT_EQ(gr[static_cast<std::size_t>(zero.id)], 0);
    EXPECT_EQ(gr[static_cast<std::size_t>(two.id)], 1);
}

// The textbook 3x3 input, 2x2 kernel case worked by hand in engine_hand_worked_test.cpp:
// the oracle must reproduce it before its verdicts on random scenes mean anything.
TEST(Autodiff, ReferenceLayerReproducesTheHandWorkedCase) {
    Scene s;
    s.input = Matrix{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
    s.kernel = Matrix{{1, 2}, {3, 4}};
    s.upstream = Matrix{{1, -1}, {2, 3}};
    const ad::ReferenceLayer r = ad::reference_layer(s);
    EXPECT_EQ(r.output, (Matrix{{37, 47}, {67, 77}}));
    EXPECT_EQ(r.upstream, (Matrix{{1, -1}, {2, 3}}));
    EXPECT_EQ(r.grad_input, (Matrix{{1, 1, -2}, {5, 8, 2}, {6, 17, 12}}));
    EXPECT_EQ(r.grad_kernel, (Matrix{{22, 27}, {37, 42}}));
    EXPECT_FALSE(r.loss.has_value());

    s.spec.mode = ConvMode::Convolution;
    const ad::ReferenceLayer c = ad::reference_layer(s);
    EXPECT_EQ(c.output, (Matrix{{23, 33}, {53, 63}}));
    EXPECT_EQ(c.grad_input, (Matrix{{4, -1, -3}, {10, 17, 8}, {4, 8, 3}}));
    EXPECT_EQ(c.grad_kernel, (Matrix{{42, 37}, {27, 22}}));

    s.spec.mode = ConvMode::CrossCorrelation;
    s.upstream.reset();
    s.target = Matrix{{36, 47}, {70, 77}};
    const ad::ReferenceLayer t = ad::reference_layer(s);
    ASSERT_TRUE(t.loss.has_value());
    EXPECT_EQ(*t.loss, 5);  // 1/2 (1^2 + 0 + (-3)^2 + 0)
    EXPECT_EQ(t.upstream, (Matrix{{1, 0}, {-3, 0}}));
}

// ---- compute_layer against the tape.

TEST(EngineVersusAutodiff, ComputeLayerAgreesOnRandomScenes) {
    constexpr std::uint32_t kScenes = 4000;
    std::map<std::string, int> seen;  // coverage of every option value
    for (std::uint32_t seed = 1; seed <= kScenes; ++seed) {
        const Scene scene = ad::random_scene(seed);
        SCOPED_TRACE(describe(scene));
        const ad::ReferenceLayer ref = ad::reference_layer(scene);
        const LayerResults res = compute_layer(scene);

        EXPECT_TRUE(matrices_agree("output", res.output, ref.output));
        EXPECT_TRUE(matrices_agree("upstream", res.upstream, ref.upstream));
        EXPECT_TRUE(matrices_agree("grad_input (scatter)", res.grad_input, ref.grad_input));
        EXPECT_TRUE(matrices_agree("grad_input_gather", res.grad_input_gather, ref.grad_input));
        EXPECT_TRUE(matrices_agree("grad_kernel", res.grad_kernel, ref.grad_kernel));
        ASSERT_EQ(res.loss.has_value(), ref.loss.has_value());
        if (ref.loss) {
            EXPECT_NEAR(*res.loss, *ref.loss, kRelative * std::max(1.0, std::abs(*ref.loss)));
        }
        const double j = objective(scene, scene.input, scene.kernel);
        EXPECT_NEAR(j, ref.objective, kRelative * std::max(1.0, std::abs(ref.objective)));
        if (::testing::Test::HasFailure()) break;  // one scene's report is enough to debug

        const ConvSpec& sp = scene.spec;
        ++seen["mode " + std::string(mode_name(sp.mode))];
        ++seen["activation " + std::string(activation_name(scene.activation))];
        ++seen[scene.upstream ? "loss upstream" : scene.target ? "loss target" : "loss sum"];
        ++seen["base " + std::to_string(scene.index_base)];
        for (int v : {sp.stride.rows, sp.stride.cols}) ++seen["stride " + std::to_string(v)];
        for (int v : {sp.padding.rows, sp.padding.cols}) ++seen["padding " + std::to_string(v)];
        for (int v : {sp.dilation.rows, sp.dilation.cols}) ++seen["dilation " + std::to_string(v)];
        for (auto v : {scene.input.rows(), scene.input.cols()}) ++seen["input " + std::to_string(v)];
        for (auto v : {scene.kernel.rows(), scene.kernel.cols()}) ++seen["kernel " + std::to_string(v)];
    }
    // The sweep really covers every option (shapes 1..7, kernels 1..4, strides 1..3,
    // paddings 0..2, dilations 1..3, both modes, all activations, losses and bases).
    std::vector<std::string> wanted = {"mode cross-correlation", "mode convolution",
                                       "activation identity", "activation relu",
                                       "activation sigmoid", "activation tanh",
                                       "loss upstream", "loss target", "loss sum",
                                       "base 0", "base 1"};
    for (int v = 1; v <= 3; ++v) wanted.push_back("stride " + std::to_string(v));
    for (int v = 0; v <= 2; ++v) wanted.push_back("padding " + std::to_string(v));
    for (int v = 1; v <= 3; ++v) wanted.push_back("dilation " + std::to_string(v));
    for (int v = 1; v <= 7; ++v) wanted.push_back("input " + std::to_string(v));
    for (int v = 1; v <= 4; ++v) wanted.push_back("kernel " + std::to_string(v));
    for (const std::string& w : wanted) EXPECT_GE(seen[w], 20) << w;
}

// Scenes with larger grids and integer values (relu meets z = 0 exactly; every sum is
// exact, so the engine must match the tape to the last bit on identity/relu).
TEST(EngineVersusAutodiff, LargerIntegerScenesAgreeExactly) {
    for (std::uint32_t seed = 9001; seed <= 9060; ++seed) {
        std::mt19937 rng(seed);
        auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
        Scene s = ad::random_scene(seed, {.max_input = 16, .max_kernel = 5, .max_stride = 3,
                                          .max_padding = 3, .max_dilation = 3});
        for (Eigen::Index r = 0; r < s.input.rows(); ++r)
            for (Eigen::Index c = 0; c < s.input.cols(); ++c) s.input(r, c) = uniform(-3, 3);
        for (Eigen::Index r = 0; r < s.kernel.rows(); ++r)
            for (Eigen::Index c = 0; c < s.kernel.cols(); ++c) s.kernel(r, c) = uniform(-3, 3);
        s.activation = seed % 2 ? Activation::Relu : Activation::Identity;
        SCOPED_TRACE(describe(s));
        const ad::ReferenceLayer ref = ad::reference_layer(s);
        const LayerResults res = compute_layer(s);
        if (!s.upstream && !s.target) {  // every quantity is an integer: exact equality
            EXPECT_EQ(res.output, ref.output);
            EXPECT_EQ(res.grad_input, ref.grad_input);
            EXPECT_EQ(res.grad_input_gather, ref.grad_input);
            EXPECT_EQ(res.grad_kernel, ref.grad_kernel);
        } else {
            EXPECT_TRUE(matrices_agree("grad_input", res.grad_input, ref.grad_input));
            EXPECT_TRUE(matrices_agree("grad_input_gather", res.grad_input_gather, ref.grad_input));
            EXPECT_TRUE(matrices_agree("grad_kernel", res.grad_kernel, ref.grad_kernel));
        }
        if (::testing::Test::HasFailure()) break;
    }
}

// ---- influence_taps against the structure of the derivative.
//
// With the kernel w_{i,j} = 2^(i*kw + j) (zero-based), d z^{l+1}_{p,q} / d a^l_{m,n} is a
// sum of distinct powers of two, and bit k is set exactly when tap k = (i,j) carries
// a^l_{m,n} into z^{l+1}_{p,q}. So tap (i,j) of z_{m,n} reaches output (p,q) iff that
// derivative contains w_{i,j}; everything influence_taps says must match that.

// Per-axis expectation from DESIGN.md (zero-based): the stored tap i sits at window
// offset i (cross-correlation) or k-1-i (convolution); it reaches output p when
// s*p + d*offset = m + P. Returns the real-valued p.
double axis_position(int m, int i, int k, int s, int P, int d, ConvMode mode) {
    const int offset = mode == ConvMode::Convolution ? k - 1 - i : i;
    return static_cast<double>(m + P - d * offset) / s;
}

TEST(EngineVersusAutodiff, InfluenceTapsMatchTheDerivativeStructure) {
    int inside_taps = 0, gaps = 0, paddings = 0;
    for (std::uint32_t seed = 1; seed <= 800; ++seed) {
        Scene scene = ad::random_scene(seed * 7919u);
        const int H = int(scene.input.rows()), W = int(scene.input.cols());
        const int kh = int(scene.kernel.rows()), kw = int(scene.kernel.cols());
        for (int i = 0; i < kh; ++i)
            for (int j = 0; j < kw; ++j) scene.kernel(i, j) = std::ldexp(1.0, i * kw + j);
        SCOPED_TRACE(describe(scene));
        const ConvSpec& sp = scene.spec;
        const int Ho = ad::reference_extent(H, kh, sp.stride.rows, sp.padding.rows, sp.dilation.rows);
        const int Wo = ad::reference_extent(W, kw, sp.stride.cols, sp.padding.cols, sp.dilation.cols);
        std::mt19937 rng(seed);
        const Matrix upstream = ad::random_matrix(rng, Ho, Wo);
        const std::vector<Matrix> sens = ad::output_sensitivities(scene.input, scene.kernel, sp);
        const Matrix scatter = grad_activated_scatter(upstream, scene.kernel, {H, W}, sp);
        const AxisIndexMap rows = row_index_map(sp, kh, scene.index_base);
        const AxisIndexMap cols = col_index_map(sp, kw, scene.index_base);

        for (int m = 0; m < H; ++m) {
            for (int n = 0; n < W; ++n) {
                // Decode, from the tape, which tap reaches which output.
                std::map<int, Cell> reached;  // tap k -> (p, q)
                for (int p = 0; p < Ho; ++p) {
                    for (int q = 0; q < Wo; ++q) {
                        auto bits = static_cast<long long>(sens[std::size_t(p * Wo + q)](m, n));
                        ASSERT_EQ(double(bits), sens[std::size_t(p * Wo + q)](m, n));
                        for (int k = 0; bits != 0; ++k, bits >>= 1) {
                            if (!(bits & 1)) continue;
                            ASSERT_FALSE(reached.count(k)) << "one tap, two outputs?";
                            reached[k] = Cell{p, q};
                        }
                    }
                }

                const auto taps = influence_taps(scene.kernel, upstream, {H, W}, sp, {m, n},
                                                 scene.index_base);
                ASSERT_EQ(int(taps.size()), kh * kw);
                double sum = 0;
                for (int k = 0; k < kh * kw; ++k) {
                    const InfluenceTap& t = taps[std::size_t(k)];
                    const int i = k / kw, j = k % kw;
                    SCOPED_TRACE("element (" + std::to_string(m) + "," + std::to_string(n) +
                                 ") tap (" + std::to_string(i) + "," + std::to_string(j) +
                                 ") zero-based");
                    ASSERT_EQ(t.tap, (Cell{i, j}));  // row-major order of (i, j)
                    EXPECT_EQ(t.weight, scene.kernel(i, j));
                    EXPECT_FALSE(t.index.empty());
                    const auto it = reached.find(k);
                    if (it != reached.end()) {
                        ++inside_taps;
                        EXPECT_EQ(t.reach, TapReach::Inside);
                        EXPECT_EQ(t.row_reach, TapReach::Inside);
                        EXPECT_EQ(t.col_reach, TapReach::Inside);
                        ASSERT_TRUE(t.output.has_value());
                        EXPECT_EQ(*t.output, it->second);
                        EXPECT_EQ(t.upstream, upstream(it->second.row, it->second.col));
                        EXPECT_EQ(t.product, t.upstream * t.weight);
                        EXPECT_EQ(t.reason, "");
                        // The symbolic map evaluates to the same output, in the scene's base.
                        const int b = scene.index_base;
                        EXPECT_EQ(rows.evaluate(m + b, i + b), std::optional<int>(it->second.row + b));
                        EXPECT_EQ(cols.evaluate(n + b, j + b), std::optional<int>(it->second.col + b));
                        sum += t.product;
                    } else {
                        EXPECT_NE(t.reach, TapReach::Inside);
                        EXPECT_FALSE(t.output.has_value());
                        EXPECT_EQ(t.upstream, 0);
                        EXPECT_EQ(t.product, 0);
                        EXPECT_FALSE(t.reason.empty());
                        EXPECT_TRUE(t.row_reach != TapReach::Inside || t.col_reach != TapReach::Inside);
                        EXPECT_TRUE(t.reach == t.row_reach || t.reach == t.col_reach);
                        if (t.reach == TapReach::StrideGap) ++gaps;
                        if (t.reach == TapReach::ZeroPadding) ++paddings;
                    }
                    // Each axis on its own, from p = (m + P - d*offset) / s.
                    const double pr = axis_position(m, i, kh, sp.stride.rows, sp.padding.rows,
                                                    sp.dilation.rows, sp.mode);
                    const double pc = axis_position(n, j, kw, sp.stride.cols, sp.padding.cols,
                                                    sp.dilation.cols, sp.mode);
                    auto expect_axis = [](TapReach got, double pos, int extent, const char* axis) {
                        const bool whole = pos == std::floor(pos);
                        if (whole && pos >= 0 && pos < extent) {
                            EXPECT_EQ(got, TapReach::Inside) << axis;
                        } else if (whole) {
                            EXPECT_EQ(got, TapReach::ZeroPadding) << axis << " at " << pos;
                        } else if (pos > 0 && pos < extent - 1) {  // strictly between two outputs
                            EXPECT_EQ(got, TapReach::StrideGap) << axis << " at " << pos;
                        } else {
                            EXPECT_NE(got, TapReach::Inside) << axis << " at " << pos;
                        }
                    };
                    expect_axis(t.row_reach, pr, Ho, "row");
                    expect_axis(t.col_reach, pc, Wo, "column");
                }
                // The scatter form is exactly the sum over the reaching taps.
                EXPECT_NEAR(sum, scatter(m, n), 1e-12 * std::max(1.0, std::abs(sum)));
                if (::testing::Test::HasFailure()) return;
            }
        }
    }
    // The sweep met every kind of tap.
    EXPECT_GT(inside_taps, 1000);
    EXPECT_GT(gaps, 100);
    EXPECT_GT(paddings, 100);
}

}  // namespace
}  // namespace convlens
