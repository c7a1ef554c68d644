// compute_layer_into writing over results it computed before (the window's worker hands its
// old results back): nothing of the earlier scene may survive into the new numbers, whatever
// changes between the two (shape, activation, where the error comes from, the fast path or
// the reference loops), and the storage is reused when the shapes match. Numbers are held to
// the reference loops of engine/layer.h and the activation's own formula, not to
// compute_layer (which is the same code).

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "engine/activation.h"
#include "engine/fast_conv.h"
#include "engine/layer.h"
#include "engine/layer_results.h"
#include "scene/scene.h"

namespace convlens {
namespace {

Matrix random_grid(std::mt19937& rng, int rows, int cols) {
    std::uniform_real_distribution<double> value(-1, 1);
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = value(rng);
    return m;
}

double largest_gap(const Matrix& a, const Matrix& b) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) return INFINITY;
    return (a - b).cwiseAbs().maxCoeff();
}

// Every number of r against the reference loops, to 1e-12 of the terms' magnitudes
// (the fast path adds in another order); the activation and its slope exactly.
void expect_reference_results(const Scene& scene, const LayerResults& r) {
    const Shape in{int(scene.input.rows()), int(scene.input.cols())};
    const Shape k{int(scene.kernel.rows()), int(scene.kernel.cols())};
    Matrix a(in.rows, in.cols), slope(in.rows, in.cols);
    for (Eigen::Index i = 0; i < a.size(); ++i) {
        a.data()[i] = activate(scene.activation, scene.input.data()[i]);
        slope.data()[i] = activation_derivative(scene.activation, scene.input.data()[i]);
    }
    EXPECT_EQ(r.activated, a);
    EXPECT_EQ(r.activation_slope, slope);
    const Matrix z = forward(a, scene.kernel, scene.spec);
    const double w_sum = scene.kernel.cwiseAbs().sum();
    EXPECT_LE(largest_gap(r.output, z), 1e-12 * a.cwiseAbs().maxCoeff() * w_sum);
    Matrix up;
    std::optional<double> loss;
    if (scene.upstream) {
        up = *scene.upstream;
    } else if (scene.target) {
        up = z - *scene.target;
        loss = 0.5 * up.squaredNorm();
    } else {
        up = Matrix::Ones(z.rows(), z.cols());
        loss = z.sum();
    }
    EXPECT_LE(largest_gap(r.upstream, up), 1e-12 * a.cwiseAbs().maxCoeff() * w_sum);
    ASSERT_EQ(r.loss.has_value(), loss.has_value());
    if (loss) {
        EXPECT_NEAR(*r.loss, *loss, 1e-10 * (1 + std::abs(*loss)));
    }
    const Matrix grad_in =
        slope.cwiseProduct(grad_activated_scatter(up, scene.kernel, in, scene.spec));
    const double up_max = up.cwiseAbs().maxCoeff();
    EXPECT_LE(largest_gap(r.grad_input, grad_in), 1e-12 * up_max * w_sum);
    if (r.fast_path)
        EXPECT_EQ(r.grad_input_gather.size(), 0);
    else
        EXPECT_LE(largest_gap(r.grad_input_gather, grad_in), 1e-12 * up_max * w_sum);
    EXPECT_LE(largest_gap(r.grad_kernel, grad_kernel(a, up, k, scene.spec)),
              1e-12 * a.cwiseAbs().maxCoeff() * up.cwiseAbs().sum());
}

Scene random_photograph(std::mt19937& rng, int size, int kernel) {
    Scene s;
    s.input = random_grid(rng, size, size);
    s.kernel = random_grid(rng, kernel, kernel);
    return s;
}

TEST(LayerResultsReuse, NothingOfTheEarlierSceneSurvives) {
    std::mt19937 rng(31);
    LayerResults r;
    // A sequence that changes one thing at a time, each computed into the same results.
    Scene s = random_photograph(rng, 90, 5);  // fast path, identity, J = sum z
    ASSERT_GE(layer_work({90, 90}, {5, 5}, s.spec), kFastPathMinWork);
    std::vector<Scene> scenes;
    scenes.push_back(s);
    s.activation = Activation::Relu;
    s.target = random_grid(rng, 86, 86);  // J from a target, relu's slope
    scenes.push_back(s);
    s.activation = Activation::Sigmoid;
    s.target.reset();
    s.upstream = random_grid(rng, 86, 86);  // a given upstream: no loss
    scenes.push_back(s);
    s.upstream.reset();
    s.activation = Activation::Identity;  // back to the sum: upstream ones again, slope ones
    scenes.push_back(s);
    s.input = random_grid(rng, 120, 120);
    s.kernel = random_grid(rng, 7, 7);
    s.spec.stride = {2, 3};
    s.spec.padding = {2, 1};
    s.activation = Activation::Tanh;  // a strided fast layer of other shapes
    ASSERT_GE(layer_work({120, 120}, {7, 7}, s.spec), kFastPathMinWork);
    scenes.push_back(s);
    scenes.push_back(random_photograph(rng, 6, 3));  // a lesson-sized grid: the reference loops
    scenes.push_back(random_photograph(rng, 120, 7));
    for (std::size_t n = 0; n < scenes.size(); ++n) {
        SCOPED_TRACE("scene " + std::to_string(n));
        compute_layer_into(scenes[n], &r);
        expect_reference_results(scenes[n], r);
        EXPECT_EQ(r.fast_path, n != 5);
    }
}

TEST(LayerResultsReuse, AnEditOfTheSameShapeWritesIntoTheSameStorage) {
    std::mt19937 rng(37);
    Scene s = random_photograph(rng, 100, 7);
    s.activation = Activation::Relu;
    LayerResults r = compute_layer(s);
    const double* activated = r.activated.data();
    const double* output = r.output.data();
    const double* grad_input = r.grad_input.data();
    s.input(50, 40) += 0.25;
    s.kernel(3, 3) -= 0.5;
    compute_layer_into(s, &r);
    EXPECT_EQ(r.activated.data(), activated);
    EXPECT_EQ(r.output.data(), output);
    EXPECT_EQ(r.grad_input.data(), grad_input);
    expect_reference_results(s, r);
}

// The first bad number is named in reading order whatever the fast check found: an
// infinite delta^l cell after a NaN in dJ/dw is reported as the delta^l one, and an
// output cell before both.
TEST(LayerResultsReuse, CheckFiniteNamesTheFirstBadNumberInOrder) {
    std::mt19937 rng(41);
    LayerResults r = compute_layer(random_photograph(rng, 8, 3));
    EXPECT_NO_THROW(check_finite(r, 1));
    r.grad_kernel(1, 2) = NAN;
    r.grad_input(4, 0) = -INFINITY;
    r.grad_input(5, 5) = INFINITY;
    try {
        check_finite(r, 1);
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("error delta^{l}_{5,1} overflows a double (-inf)", 0), 0u)
            << e.what();
    }
    r.output(2, 3) = INFINITY;
    try {
        check_finite(r, 0);
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("output z^{l+1}_{2,3} overflows a double (inf)", 0), 0u)
            << e.what();
    }
}

}  // namespace
}  // namespace convlens
