// The fast engine (engine/fast_conv.h) against the reference loops of engine/layer.h on
// random scenes: tiny inputs, strides 2-3, padding, dilation, non-square kernels, both
// modes; the adjoint identity on its own; thread counts; compute_layer's routing.
//
// Tolerance: the fast path adds the same terms in another order (and fuses multiply-adds
// where the processor has them), so an element may differ from the reference by a few
// units in the last place of the SUM OF THE MAGNITUDES of its terms, not of the element
// itself (which may be a cancellation near zero). Each check bounds that magnitude sum
// per element (max|x| * sum|y| of the two factors) and allows 1e-12 of it: a wrong tap,
// a wrong offset or a missed row is off by a whole term, many orders above that.

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "engine/fast_conv.h"
#include "engine/layer.h"
#include "engine/layer_results.h"
#include "scene/scene.h"

namespace convlens {
namespace {

constexpr double kRelative = 1e-12;

Matrix random_matrix(std::mt19937& rng, int rows, int cols) {
    std::uniform_real_distribution<double> value(-1, 1);
    Matrix m(rows, cols);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) m(r, c) = value(rng);
    return m;
}

std::string describe(Shape in, Shape k, const ConvSpec& sp) {
    return std::to_string(in.rows) + "x" + std::to_string(in.cols) + " * " +
           std::to_string(k.rows) + "x" + std::to_string(k.cols) + " s" +
           std::to_string(sp.stride.rows) + "," + std::to_string(sp.stride.cols) + " P" +
           std::to_string(sp.padding.rows) + "," + std::to_string(sp.padding.cols) + " d" +
           std::to_string(sp.dilation.rows) + "," + std::to_string(sp.dilation.cols) + " " +
           mode_name(sp.mode);
}

// max |fast - reference| <= kRelative * magnitude; also the shapes agree.
::testing::AssertionResult close(const char* what, const Matrix& fast, const Matrix& reference,
                                 double magnitude) {
    if (fast.rows() != reference.rows() || fast.cols() != reference.cols())
        return ::testing::AssertionFailure()
               << what << ": fast is " << fast.rows() << "x" << fast.cols() << ", reference "
               << reference.rows() << "x" << reference.cols();
    const double gap = (fast - reference).cwiseAbs().maxCoeff();
    if (!(gap <= kRelative * magnitude))
        return ::testing::AssertionFailure()
               << what << ": max gap " << gap << " > " << kRelative << " * " << magnitude;
    return ::testing::AssertionSuccess();
}

struct RandomLayer {
    Shape input, kernel;
    ConvSpec spec;
    Shape out;
};

// Random geometry that has an output: H, W in 1..max_input, kh, kw in 1..7 independently,
// s in 1..3, P in 0..3, d in 1..3, each per axis.
RandomLayer random_layer(std::mt19937& rng, int max_input) {
    std::uniform_int_distribution<int> extent(1, max_input), k(1, 7), s(1, 3), p(0, 3), d(1, 3),
        coin(0, 1);
    for (;;) {
        RandomLayer l;
        l.input = {extent(rng), extent(rng)};
        l.kernel = {k(rng), k(rng)};
        l.spec.stride = {s(rng), s(rng)};
        l.spec.padding = {p(rng), p(rng)};
        l.spec.dilation = {d(rng), d(rng)};
        l.spec.mode = coin(rng) ? ConvMode::Convolution : ConvMode::CrossCorrelation;
        if (output_extent(l.input.rows, l.kernel.rows, l.spec.stride.rows, l.spec.padding.rows,
                          l.spec.dilation.rows) < 1 ||
            output_extent(l.input.cols, l.kernel.cols, l.spec.stride.cols, l.spec.padding.cols,
                          l.spec.dilation.cols) < 1)
            continue;
        l.out = output_shape(l.input, l.kernel, l.spec);
        return l;
    }
}

// All three passes of one layer, fast against reference (the scatter form for dJ/da^l:
// the chain rule tap by tap, not the gather form the fast path also uses).
void expect_agrees(const RandomLayer& l, std::mt19937& rng, int threads) {
    const Matrix a = random_matrix(rng, l.input.rows, l.input.cols);
    const Matrix w = random_matrix(rng, l.kernel.rows, l.kernel.cols);
    const Matrix up = random_matrix(rng, l.out.rows, l.out.cols);
    SCOPED_TRACE(describe(l.input, l.kernel, l.spec) + " threads " + std::to_string(threads));
    const double max_a = a.cwiseAbs().maxCoeff(), max_up = up.cwiseAbs().maxCoeff();
    const double sum_w = w.cwiseAbs().sum(), sum_up = up.cwiseAbs().sum();
    EXPECT_TRUE(close("forward", fast_forward(a, w, l.spec, threads), forward(a, w, l.spec),
                      max_a * sum_w));
    EXPECT_TRUE(close("grad_activated",
                      fast_grad_activated(up, w, l.input, l.spec, threads),
                      grad_activated_scatter(up, w, l.input, l.spec), max_up * sum_w));
    EXPECT_TRUE(close("grad_kernel", fast_grad_kernel(a, up, l.kernel, l.spec, threads),
                      grad_kernel(a, up, l.kernel, l.spec), max_a * sum_up));
}

TEST(FastConv, AgreesWithTheReferenceOnSmallRandomScenes) {
    std::mt19937 rng(2026);
    for (int n = 0; n < 600; ++n) expect_agrees(random_layer(rng, 12), rng, 1);
}

// Wider rows: several whole 32-column blocks plus a partial one, stride phases far apart.
TEST(FastConv, AgreesWithTheReferenceOnWiderRandomScenes) {
    std::mt19937 rng(7);
    for (int n = 0; n < 40; ++n) expect_agrees(random_layer(rng, 90), rng, 1);
}

// No padding, column stride 1: the input's rows are read in place (all but the last few,
// whose blocks would run past its end). Widths around the 32-column blocks, narrow inputs
// where no row qualifies, dilation and row strides that leave rows unused.
TEST(FastConv, AgreesWithTheReferenceWhenRowsAreReadInPlace) {
    std::mt19937 rng(17);
    for (int W : {1, 3, 31, 32, 33, 40, 64, 65})
        for (int k : {1, 3, 7}) {
            RandomLayer l;
            l.input = {45, W};
            l.kernel = {std::min(k, 45), std::min(k, W)};
            l.spec.stride = {1 + W % 3, 1};
            l.spec.dilation = {1, k == 3 && W >= 7 ? 2 : 1};
            l.spec.padding = {W % 2, 0};  // row padding alone keeps the columns in place
            l.out = output_shape(l.input, l.kernel, l.spec);
            expect_agrees(l, rng, 1);
            l.spec.padding = {0, 0};
            l.out = output_shape(l.input, l.kernel, l.spec);
            expect_agrees(l, rng, 1);
        }
}

// Large enough for the work to be shared among threads (and more threads than cores).
TEST(FastConv, AgreesWithTheReferenceWhenThreaded) {
    std::mt19937 rng(11);
    for (int threads : {2, 3, 0}) {
        RandomLayer l;
        l.input = {150, 131};
        l.kernel = {7, 4};
        l.spec.stride = {1, 2};
        l.spec.padding = {3, 1};
        l.spec.dilation = {2, 1};
        l.spec.mode = threads == 3 ? ConvMode::Convolution : ConvMode::CrossCorrelation;
        l.out = output_shape(l.input, l.kernel, l.spec);
        ASSERT_GE(long(l.out.rows) * l.out.cols * 28, 4L << 15);  // beyond one thread's share
        expect_agrees(l, rng, threads);
    }
}

// With stride > 1 the input gradient is computed phase by phase (fast_conv.h): the elements
// whose index is rho mod s take only the taps that meet real upstream values. Every stride
// 2-3 on either axis, with padding wider than the dilated kernel (the spread upstream starts
// before the input), dilation equal to the stride (phases that no tap reaches: zeros),
// kernels larger and smaller than the stride, both modes; against the scatter form.
TEST(FastConv, StridedInputGradientAgreesWithTheReferenceInEveryPhase) {
    std::mt19937 rng(23);
    std::uniform_int_distribution<int> extent(1, 70), k(1, 7), s(2, 3), p(0, 9), d(1, 3),
        coin(0, 1);
    int checked = 0;
    while (checked < 150) {
        RandomLayer l;
        l.input = {extent(rng), extent(rng)};
        l.kernel = {k(rng), k(rng)};
        l.spec.stride = {s(rng), s(rng)};
        if (coin(rng)) (coin(rng) ? l.spec.stride.rows : l.spec.stride.cols) = 1;  // one axis
        l.spec.padding = {p(rng), p(rng)};
        l.spec.dilation = coin(rng) ? l.spec.stride : AxisPair{d(rng), d(rng)};
        l.spec.mode = coin(rng) ? ConvMode::Convolution : ConvMode::CrossCorrelation;
        if (output_extent(l.input.rows, l.kernel.rows, l.spec.stride.rows, l.spec.padding.rows,
                          l.spec.dilation.rows) < 1 ||
            output_extent(l.input.cols, l.kernel.cols, l.spec.stride.cols, l.spec.padding.cols,
                          l.spec.dilation.cols) < 1)
            continue;
        l.out = output_shape(l.input, l.kernel, l.spec);
        const Matrix w = random_matrix(rng, l.kernel.rows, l.kernel.cols);
        const Matrix up = random_matrix(rng, l.out.rows, l.out.cols);
        SCOPED_TRACE(describe(l.input, l.kernel, l.spec));
        EXPECT_TRUE(close("grad_activated", fast_grad_activated(up, w, l.input, l.spec, 1),
                          grad_activated_scatter(up, w, l.input, l.spec),
                          up.cwiseAbs().maxCoeff() * w.cwiseAbs().sum()));
        ++checked;
    }
}

// A hand-worked column of the phases: 1x6 input, kernel [1 10 100], stride 2, dilation 2,
// no padding (one-based). Wo = floor((6 - 4 - 1)/2) + 1 = 1: z_1 = a_1 + 10 a_3 + 100 a_5,
// so with upstream [1], dJ/da = [1 0 10 0 100 0]: the even elements are a phase that no tap
// reaches, exactly zero.
TEST(FastConv, HandWorkedPhaseThatNoTapReaches) {
    ConvSpec spec;
    spec.stride = {1, 2};
    spec.dilation = {1, 2};
    const Matrix w = matrix_from_rows({{1, 10, 100}});
    EXPECT_EQ(fast_grad_activated(matrix_from_rows({{1}}), w, {1, 6}, spec),
              matrix_from_rows({{1, 0, 10, 0, 100, 0}}));
    // Stride 3 without dilation, 1x8 input, kernel [1 10]: Wo = floor((8 - 2)/3) + 1 = 3,
    // z_p = a_{3p-2} + 10 a_{3p-1}; upstream [1 2 3]: dJ/da = [1 10 0 2 20 0 3 30].
    spec.stride = {1, 3};
    spec.dilation = {1, 1};
    EXPECT_EQ(fast_grad_activated(matrix_from_rows({{1, 2, 3}}), matrix_from_rows({{1, 10}}),
                                  {1, 8}, spec),
              matrix_from_rows({{1, 10, 0, 2, 20, 0, 3, 30}}));
}

// The same numbers whatever the number of threads: every output element is computed by
// one thread in one order, and the kernel gradient adds fixed row blocks in order.
TEST(FastConv, ThreadCountDoesNotChangeTheNumbers) {
    std::mt19937 rng(3);
    const ConvSpec spec;
    const Matrix a = random_matrix(rng, 200, 190), w = random_matrix(rng, 5, 6);
    const Shape out = output_shape({200, 190}, {5, 6}, spec);
    const Matrix up = random_matrix(rng, out.rows, out.cols);
    const Matrix z1 = fast_forward(a, w, spec, 1), g1 = fast_grad_activated(up, w, {200, 190}, spec, 1);
    const Matrix k1 = fast_grad_kernel(a, up, {5, 6}, spec, 1);
    for (int threads : {2, 5}) {
        EXPECT_EQ(fast_forward(a, w, spec, threads), z1);
        EXPECT_EQ(fast_grad_activated(up, w, {200, 190}, spec, threads), g1);
        EXPECT_EQ(fast_grad_kernel(a, up, {5, 6}, spec, threads), k1);
    }
    // Strided: each phase's rows are shared among the threads.
    ConvSpec strided;
    strided.stride = {2, 3};
    strided.padding = {3, 1};
    const Shape strided_out = output_shape({200, 190}, {5, 6}, strided);
    const Matrix up2 = random_matrix(rng, strided_out.rows, strided_out.cols);
    const Matrix s1 = fast_grad_activated(up2, w, {200, 190}, strided, 1);
    EXPECT_TRUE(close("strided grad_activated", s1,
                      grad_activated_scatter(up2, w, {200, 190}, strided),
                      up2.cwiseAbs().maxCoeff() * w.cwiseAbs().sum()));
    for (int threads : {2, 5}) EXPECT_EQ(fast_grad_activated(up2, w, {200, 190}, strided, threads), s1);
}

// The adjoint identity, with no reference loop involved:
// <fast_forward(a, w), u> = <a, fast_grad_activated(u, w)> = <w, fast_grad_kernel(a, u)>,
// since z^{l+1} is linear in a and in w.
TEST(FastConv, AdjointIdentityHolds) {
    std::mt19937 rng(99);
    for (int n = 0; n < 60; ++n) {
        const RandomLayer l = random_layer(rng, 40);
        const Matrix a = random_matrix(rng, l.input.rows, l.input.cols);
        const Matrix w = random_matrix(rng, l.kernel.rows, l.kernel.cols);
        const Matrix up = random_matrix(rng, l.out.rows, l.out.cols);
        SCOPED_TRACE(describe(l.input, l.kernel, l.spec));
        const double forward_side = inner_product(fast_forward(a, w, l.spec), up);
        const double input_side = inner_product(a, fast_grad_activated(up, w, l.input, l.spec));
        const double kernel_side = inner_product(w, fast_grad_kernel(a, up, l.kernel, l.spec));
        // Magnitude of the triple sum sum |a w u| over all products, bounded generously.
        const double scale = a.cwiseAbs().sum() * w.cwiseAbs().sum() * up.cwiseAbs().maxCoeff();
        EXPECT_NEAR(input_side, forward_side, 1e-12 * scale);
        EXPECT_NEAR(kernel_side, forward_side, 1e-12 * scale);
    }
}

// A hand-worked 1x5 row, stride 2, padding 1, dilation 2, kernel [1 10] (one-based):
// a-hat = [0 1 2 3 4 5 0]; z_p = a-hat_{2(p-1)+1} * 1 + a-hat_{2(p-1)+3} * 10:
// Wo = floor((5 + 2 - 2 - 1) / 2) + 1 = 3; z_1 = 0 + 2*10 = 20, z_2 = 2 + 4*10 = 42,
// z_3 = 4 + 0*10 = 4.
// Upstream [1 1 1]: dJ/da-hat_k sums the weights that read k: a-hat_1:1, a-hat_3:10+1,
// a-hat_5:10+1, a-hat_7:10; cropped: a_1..a_5 = [0 11 0 11 0]. dJ/dw_1 = 0+2+4 = 6,
// dJ/dw_2 = 2+4+0 = 6.
TEST(FastConv, HandWorkedStridedDilatedRow) {
    ConvSpec spec;
    spec.stride = {1, 2};
    spec.padding = {0, 1};
    spec.dilation = {1, 2};
    const Matrix a = matrix_from_rows({{1, 2, 3, 4, 5}});
    const Matrix w = matrix_from_rows({{1, 10}});
    EXPECT_EQ(fast_forward(a, w, spec), matrix_from_rows({{20, 42, 4}}));
    const Matrix up = matrix_from_rows({{1, 1, 1}});
    EXPECT_EQ(fast_grad_activated(up, w, {1, 5}, spec), matrix_from_rows({{0, 11, 0, 11, 0}}));
    EXPECT_EQ(fast_grad_kernel(a, up, {1, 2}, spec), matrix_from_rows({{6, 6}}));
}

TEST(FastConv, WrongUpstreamShapeIsAnInputError) {
    const Matrix a = Matrix::Ones(6, 6), w = Matrix::Ones(3, 3), up = Matrix::Ones(3, 4);
    EXPECT_THROW(fast_grad_activated(up, w, {6, 6}, ConvSpec{}), InputError);
    EXPECT_THROW(fast_grad_kernel(a, up, {3, 3}, ConvSpec{}), InputError);
    EXPECT_THROW(fast_forward(Matrix::Ones(2, 2), w, ConvSpec{}), InputError);  // no output
}

// compute_layer: lesson-sized scenes keep the reference loops exactly; large ones take
// the fast path, whose numbers agree with the reference to the tolerance above.
TEST(FastConv, ComputeLayerRoutesLargeLayersThroughTheFastPath) {
    std::mt19937 rng(5);
    Scene small;
    small.input = random_matrix(rng, 7, 6);
    small.kernel = random_matrix(rng, 3, 2);
    const LayerResults rs = compute_layer(small);
    EXPECT_FALSE(rs.fast_path);
    EXPECT_EQ(rs.output, forward(small.input, small.kernel, small.spec));
    EXPECT_EQ(rs.grad_input,
              grad_activated_scatter(rs.upstream, small.kernel, {7, 6}, small.spec));

    Scene large;
    large.input = random_matrix(rng, 120, 110);
    large.kernel = random_matrix(rng, 5, 4);
    large.spec.padding = {2, 1};
    large.activation = Activation::Tanh;
    large.target = random_matrix(rng, 120, 109);
    ASSERT_GE(layer_work({120, 110}, {5, 4}, large.spec), kFastPathMinWork);
    const LayerResults r = compute_layer(large);
    EXPECT_TRUE(r.fast_path);
    const Matrix a = r.activated;
    EXPECT_TRUE(close("output", r.output, forward(a, large.kernel, large.spec),
                      large.kernel.cwiseAbs().sum()));
    const Matrix reference_grad = r.activation_slope.cwiseProduct(
        grad_activated_scatter(r.upstream, large.kernel, {120, 110}, large.spec));
    const double max_up = r.upstream.cwiseAbs().maxCoeff();
    EXPECT_TRUE(close("grad_input", r.grad_input, reference_grad,
                      max_up * large.kernel.cwiseAbs().sum()));
    EXPECT_EQ(r.grad_input_gather.size(), 0);  // one form on the fast path, not a copy
    EXPECT_TRUE(close("grad_kernel", r.grad_kernel,
                      grad_kernel(a, r.upstream, {5, 4}, large.spec), r.upstream.cwiseAbs().sum()));
}

}  // namespace
}  // namespace convlens
