#include "engine/layer_results.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <iterator>
#include <string>

#include "engine/activation.h"
#include "engine/fast_conv.h"
#include "engine/layer.h"

namespace convlens {
namespace {

// "overflows a double (inf)", "overflows a double (-inf)", "is undefined (NaN)".
std::string what_went_wrong(double v) {
    if (std::isnan(v)) return "is undefined (NaN, infinities of opposite sign)";
    return std::string("overflows a double (") + (v > 0 ? "inf" : "-inf") + ")";
}

struct NamedGrid {
    const Matrix* values;
    const char* name;  // "output z^{l+1}"
    const char* why;   // what makes it that large
};

}  // namespace

// x - x is 0 for a finite x and NaN for inf or NaN, and a NaN stays in a sum. Eight
// running sums in two-double vectors with no early exit (Eigen's allFinite
// tests one value at a time, and the baseline build has no 64-bit integer compares to
// vectorise a bit test with): a photograph's five grids are checked after every edit.
bool all_finite(const double* v, long n) {
    typedef double Pair __attribute__((vector_size(16)));
    Pair acc[4] = {};
    long k = 0;
    for (; k + 8 <= n; k += 8)
        for (int c = 0; c < 4; ++c) {
            Pair x;
            std::memcpy(&x, v + k + 2 * c, sizeof x);
            acc[c] += x - x;
        }
    double rest = 0;
    for (; k < n; ++k) rest += v[k] - v[k];
    const Pair total = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    return total[0] == 0 && total[1] == 0 && rest == 0;
}

bool all_finite(const Matrix& m) { return all_finite(m.data(), long(m.size())); }

LossSource loss_source(const Scene& scene) {
    if (scene.upstream) return LossSource::Upstream;
    if (scene.target) return LossSource::Target;
    return LossSource::Sum;
}

LayerResults compute_layer(const Scene& scene) {
    LayerResults r;
    compute_layer_into(scene, &r);
    return r;
}

void compute_layer_into(const Scene& scene, LayerResults* out) {
    validate_scene(scene);
    LayerResults& r = *out;
    const Shape input{int(scene.input.rows()), int(scene.input.cols())};
    const Shape kernel{int(scene.kernel.rows()), int(scene.kernel.cols())};
    activate_into(scene.activation, scene.input, &r.activated, &r.activation_slope);
    r.fast_path = layer_work(input, kernel, scene.spec) >= kFastPathMinWork;
    if (r.fast_path) fast_forward_into(r.activated, scene.kernel, scene.spec, &r.output);
    else r.output = forward(r.activated, scene.kernel, scene.spec);
    // Results this function wrote for J = sum z^{l+1} hold all ones already when the output
    // keeps its shape: an edit of a photograph does not write 8 MB of ones again.
    const bool ones_already = r.loss_source == LossSource::Sum &&
                              r.upstream.rows() == r.output.rows() &&
                              r.upstream.cols() == r.output.cols();
    r.loss_source = loss_source(scene);
    switch (r.loss_source) {
        case LossSource::Upstream:
            r.upstream = *scene.upstream;
            r.loss.reset();
            break;
        case LossSource::Target: {
            r.upstream = r.output - *scene.target;
            r.loss = 0.5 * r.upstream.squaredNorm();
            break;
        }
        case LossSource::Sum:
            if (!ones_already) r.upstream.setOnes(r.output.rows(), r.output.cols());
            r.loss = r.output.sum();
            break;
    }
    r.scatter_gather_difference = 0;
    if (r.fast_path) {  // a photograph: the fast engine, one backward form (see fast_path)
        fast_grad_activated_into(r.upstream, scene.kernel, input, scene.spec, &r.grad_input);
        // The identity's slope is all ones: multiplying by it would change no number.
        if (scene.activation != Activation::Identity)
            r.grad_input.array() *= r.activation_slope.array();
        r.grad_input_gather.resize(0, 0);  // not a second 8 MB copy of grad_input
        fast_grad_kernel_into(r.activated, r.upstream, kernel, scene.spec, &r.grad_kernel);
    } else {
        r.grad_input = r.activation_slope.cwiseProduct(
            grad_activated_scatter(r.upstream, scene.kernel, input, scene.spec));
        r.grad_input_gather = r.activation_slope.cwiseProduct(
            grad_activated_gather(r.upstream, scene.kernel, input, scene.spec));
        r.grad_kernel = grad_kernel(r.activated, r.upstream, kernel, scene.spec);
        r.scatter_gather_difference =
            (r.grad_input - r.grad_input_gather).cwiseAbs().maxCoeff();
    }
    check_finite(r, scene.index_base);
}

bool may_overflow(const Scene& scene) {
    // In long double (up to 1e4932) the bounds themselves cannot overflow: the largest is
    // about outputs * (taps * 1.8e308^2)^2.
    using Real = long double;
    const auto largest = [](const Matrix& m) { return m.size() ? Real(m.cwiseAbs().maxCoeff()) : Real(0); };
    // Activations squash (sigmoid, tanh) or keep at most |z| (identity, relu); every slope
    // f' is at most 1.
    const bool squashes = scene.activation == Activation::Sigmoid || scene.activation == Activation::Tanh;
    const Real a = squashes ? Real(1) : largest(scene.input);
    const Real w = largest(scene.kernel);
    const Real taps = Real(scene.kernel.size());
    const Shape out = output_shape({int(scene.input.rows()), int(scene.input.cols())},
                                   {int(scene.kernel.rows()), int(scene.kernel.cols())}, scene.spec);
    const Real outputs = Real(out.rows) * Real(out.cols);
    const Real output = taps * a * w;  // a sum of at most kh*kw products per output
    Real upstream = 1, loss = outputs * output;
    if (scene.upstream) {
        upstream = largest(*scene.upstream);
        loss = 0;
    } else if (scene.target) {
        upstream = output + largest(*scene.target);
        loss = outputs * upstream * upstream / 2;
    }
    const Real grad_input = taps * upstream * w;   // each element feeds at most kh*kw outputs
    const Real grad_kernel = outputs * upstream * a;  // each tap joins at most Ho*Wo pairs
    // A quarter of the largest double leaves room for the rounding of long sums.
    const Real limit = Real(std::numeric_limits<double>::max()) / 4;
    return std::max({output, upstream, loss, grad_input, grad_kernel}) >= limit;
}

void check_results_fit(const Scene& scene) {
    if (may_overflow(scene)) compute_layer(scene);
}

void check_finite(const LayerResults& r, int index_base) {
    const NamedGrid grids[] = {
        {&r.activated, "activated input a^{l}", "the activation of z^{l}"},
        {&r.output, "output z^{l+1}", "its sum of input times kernel is beyond 1.8e308"},
        {&r.upstream, "upstream error delta^{l+1}", "z^{l+1} - target is beyond 1.8e308"},
    };
    // The common case, every number finite, in one vectorised pass per grid; the search for
    // the first bad cell (in reading order) runs only when there is one to name.
    if (all_finite(r.activated) && all_finite(r.output) && all_finite(r.upstream) &&
        (!r.loss || std::isfinite(*r.loss)) && all_finite(r.grad_input) &&
        all_finite(r.grad_kernel))
        return;
    const auto check_grids = [&](const NamedGrid* begin, const NamedGrid* end) {
        for (const NamedGrid* g = begin; g != end; ++g)
            for (Eigen::Index i = 0; i < g->values->rows(); ++i)
                for (Eigen::Index j = 0; j < g->values->cols(); ++j) {
                    const double v = (*g->values)(i, j);
                    if (std::isfinite(v)) continue;
                    throw InputError(std::string(g->name) + "_{" + std::to_string(i + index_base) +
                                     "," + std::to_string(j + index_base) + "} " +
                                     what_went_wrong(v) + ": " + g->why);
                }
    };
    check_grids(std::begin(grids), std::end(grids));
    if (r.loss && !std::isfinite(*r.loss))
        throw InputError(std::string("the loss J ") + what_went_wrong(*r.loss) + ": " +
                         (r.loss_source == LossSource::Target
                              ? "1/2 sum (z^{l+1} - target)^2 is beyond 1.8e308"
                              : "sum z^{l+1} is beyond 1.8e308"));
    const NamedGrid gradients[] = {
        {&r.grad_input, "error delta^{l}", "its sum of upstream error times kernel is beyond 1.8e308"},
        {&r.grad_kernel, "kernel gradient dJ/dw", "its sum of upstream error times input is beyond 1.8e308"},
    };
    check_grids(std::begin(gradients), std::end(gradients));
}

double objective(const Scene& scene, const Matrix& input, const Matrix& kernel) {
    const Matrix z = forward(activate(scene.activation, input), kernel, scene.spec);
    switch (loss_source(scene)) {
        case LossSource::Upstream: return inner_product(*scene.upstream, z);
        case LossSource::Target: return 0.5 * (z - *scene.target).squaredNorm();
        case LossSource::Sum: return z.sum();
    }
    return 0;
}

}  // namespace convlens
