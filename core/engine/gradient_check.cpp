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

struct ProbeResult {
    double max_relative = 0;
    Cell worst;
    int checked = 0;
    int skipped = 0;
};

// Finite differences of J over the probed elements of `values`, against `analytic`.
template <class Skip, class Objective>
ProbeResult probe(const Matrix& values, const Matrix& analytic, int budget, Skip skip,
                  Objective J_of) {
    ProbeResult result;
    Matrix probed = values;
    for (int k : probe_indices(int(values.size()), budget)) {
        const int r = k / int(values.cols()), c = k % int(values.cols());
        const double x = values(r, c);
        if (skip(x)) {
            ++result.skipped;
            continue;
        }
        auto J = [&](double v) {
            probed(r, c) = v;
            return J_of(probed);
        };
        const double fd = finite_difference(J, x);
        probed(r, c) = x;
        const double rel = relative(fd, analytic(r, c));
        if (rel >= result.max_relative) {
            result.max_relative = rel;
            result.worst = {r, c};
        }
        ++result.checked;
    }
    return result;
}

}  // namespace

double finite_difference(const std::function<double(double)>& J, double x) {
    return derivative(J, x, step_for(x));
}

GradientCheck check_gradients(const Scene& scene, int max_elements) {
    const LayerResults results = compute_layer(scene);
    GradientCheck check;

    // Keep the total cost near a few hundred million multiply-adds whatever the size.
    const double forward_cost = double(results.output.size()) * double(scene.kernel.size());
    const int budget = int(std::clamp(4e8 / (4 * std::max(1.0, forward_cost)), 16.0,
                                      double(std::max(1, max_elements))));

    // The input's probes skip relu's kink: a step across it has no derivative to match.
    const auto input_skip = [&](double x) {
        return scene.activation == Activation::Relu && std::abs(x) <= step_for(x);
    };
    const auto kernel_skip = [](double) { return false; };
    const ProbeResult in = probe(
        scene.input, results.grad_input, budget, input_skip,
        [&](const Matrix& input) { return objective(scene, input, scene.kernel); });
    const ProbeResult ker = probe(
        scene.kernel, results.grad_kernel, budget, kernel_skip,
        [&](const Matrix& kernel) { return objective(scene, scene.input, kernel); });
    check.input_max_relative = in.max_relative;
    check.input_worst = in.worst;
    check.input_checked = in.checked;
    check.input_skipped = in.skipped;
    check.kernel_max_relative = ker.max_relative;
    check.kernel_worst = ker.worst;
    check.kernel_checked = ker.checked;
    return check;
}

}  // namespace convlens
