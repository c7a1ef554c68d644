#include "engine/gradient_check.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "engine/layer_results.h"

namespace convlens {
namespace {

// Elements to probe: all of them, or an evenly spread subset that keeps the first and
// the last (corners are where padding and stride bugs show).
std::vector<int> probe_indices(int count, int limit) {
    std::vector<int> indices;
    if (count <= limit) {
        for (int k = 0; k < count; ++k) indices.push_back(k);
        return indices;
    }
    for (int k = 0; k < limit; ++k)
        indices.push_back(int((long long)k * (count - 1) / (limit - 1)));
    indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
    return indices;
}

// Central differences refined once by Richardson extrapolation: O(h^4) truncation with a
// step large enough that rounding in J stays far below the 1e-6 tolerance.
double derivative(const std::function<double(double)>& J, double x, double h) {
    const double d1 = (J(x + h) - J(x - h)) / (2 * h);
    const double d2 = (J(x + h / 2) - J(x - h / 2)) / h;
    return (4 * d2 - d1) / 3;
}

double relative(double a, double b) {
    return std::abs(a - b) / std::max({1.0, std::abs(a), std::abs(b)});
}

double step_for(double x) { return 1e-3 * std::max(1.0, std::abs(x)); }

}  // namespace

GradientCheck check_gradients(const Scene& scene, int max_elements) {
    const LayerResults results = compute_layer(scene);
    GradientCheck check;

    // Keep the total cost near a few hundred million multiply-adds whatever the size.
    const double forward_cost = double(results.output.size()) * double(scene.kernel.size());
    const int budget = int(std::clamp(4e8 / (4 * std::max(1.0, forward_cost)), 16.0,
                                      double(std::max(1, max_elements))));

    Matrix input = scene.input;
    for (int k : probe_indices(int(input.size()), budget)) {
        const int m = k / int(input.cols()), n = k % int(input.cols());
        const double x = scene.input(m, n);
        const double h = step_for(x);
        if (scene.activation == Activation::Relu && std::abs(x) <= h) {
            ++check.input_skipped;  // the step would cross relu's kink
            continue;
        }
        auto J = [&](double v) {
            input(m, n) = v;
            return objective(scene, input, scene.kernel);
        };
        const double fd = derivative(J, x, h);
        input(m, n) = x;
        const double rel = relative(fd, results.grad_input(m, n));
        if (rel >= check.input_max_relative) {
            check.input_max_relative = rel;
            check.input_worst = {m, n};
        }
        ++check.input_checked;
    }

    Matrix kernel = scene.kernel;
    for (int k : probe_indices(int(kernel.size()), budget)) {
        const int i = k / int(kernel.cols()), j = k % int(kernel.cols());
        const double x = scene.kernel(i, j);
        auto J = [&](double v) {
            kernel(i, j) = v;
            return objective(scene, scene.input, kernel);
        };
        const double fd = derivative(J, x, step_for(x));
        kernel(i, j) = x;
        const double rel = relative(fd, results.grad_kernel(i, j));
        if (rel >= check.kernel_max_relative) {
            check.kernel_max_relative = rel;
            check.kernel_worst = {i, j};
        }
        ++check.kernel_checked;
    }
    return check;
}

}  // namespace convlens
