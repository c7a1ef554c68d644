#include "unit/autodiff.h"

#include <cmath>
#include <stdexcept>

namespace convlens::ad {

double Var::value() const { return tape->value(id); }

Var Tape::node(double value, int parent_a, double partial_a, int parent_b, double partial_b) {
    nodes_.push_back(Node{value, {parent_a, parent_b}, {partial_a, partial_b}});
    return Var{this, static_cast<int>(nodes_.size()) - 1};
}

Var Tape::variable(double value) { return node(value, -1, 0); }
Var Tape::constant(double value) { return node(value, -1, 0); }

std::vector<double> Tape::gradient(Var output) const {
    std::vector<double> adjoint(nodes_.size(), 0.0);
    adjoint[static_cast<std::size_t>(output.id)] = 1.0;
    for (int k = output.id; k >= 0; --k) {
        const Node& n = nodes_[static_cast<std::size_t>(k)];
        const double a = adjoint[static_cast<std::size_t>(k)];
        if (a == 0) continue;
        for (int e = 0; e < 2; ++e)
            if (n.parent[e] >= 0) adjoint[static_cast<std::size_t>(n.parent[e])] += a * n.partial[e];
    }
    return adjoint;
}

namespace {
Tape& same_tape(Var a, Var b) {
    if (a.tape != b.tape) throw std::logic_error("ad: operands on different tapes");
    return *a.tape;
}
}  // namespace

Var operator+(Var a, Var b) { return same_tape(a, b).node(a.value() + b.value(), a.id, 1, b.id, 1); }
Var operator-(Var a, Var b) { return same_tape(a, b).node(a.value() - b.value(), a.id, 1, b.id, -1); }
Var operator*(Var a, Var b) {
    return same_tape(a, b).node(a.value() * b.value(), a.id, b.value(), b.id, a.value());
}
Var operator/(Var a, Var b) {
    const double q = a.value() / b.value();
    return same_tape(a, b).node(q, a.id, 1 / b.value(), b.id, -q / b.value());
}
Var operator-(Var a) { return a.tape->node(-a.value(), a.id, -1); }
Var operator+(Var a, double c) { return a.tape->node(a.value() + c, a.id, 1); }
Var operator*(double c, Var a) { return a.tape->node(c * a.value(), a.id, c); }
Var exp(Var a) {
    const double e = std::exp(a.value());
    return a.tape->node(e, a.id, e);
}
Var tanh(Var a) {
    const double t = std::tanh(a.value());
    return a.tape->node(t, a.id, 1 - t * t);
}
Var relu(Var a) {
    const double v = a.value();
    return a.tape->node(v > 0 ? v : 0, a.id, v > 0 ? 1 : 0);
}
Var sigmoid(Var a) {
    Tape& t = *a.tape;
    return t.constant(1) / (exp(-a) + 1.0);
}

int reference_extent(int input, int kernel, int stride, int padding, int dilation) {
    // Ho = floor((H + 2P - d(kh-1) - 1) / s) + 1, with a true floor for negative numerators.
    const int numerator = input + 2 * padding - dilation * (kernel - 1) - 1;
    if (numerator < 0) return 0;
    return numerator / stride + 1;
}

namespace {

Var apply_activation(Activation f, Var z) {
    switch (f) {
        case Activation::Identity: return z;
        case Activation::Relu: return relu(z);
        case Activation::Sigmoid: return sigmoid(z);
        case Activation::Tanh: return tanh(z);
    }
    throw std::logic_error("ad: unknown activation");
}

// The forward formula of DESIGN.md in its own one-based notation:
//   z^{l+1}_{p,q} = sum_{i=1..kh} sum_{j=1..kw}
//                   a-hat_{s(p-1)+d(i-1)+1, s(q-1)+d(j-1)+1} * w_{i,j}
// with a-hat the activated input padded by P zeros; in convolution mode the window
// offset (i,j) holds the stored w_{kh-i+1, kw-j+1}. Padding entries are constant zeros,
// so they are simply left out of the sum. `a` and `w` are row-major grids of nodes.
std::vector<Var> forward_nodes(Tape& tape, const std::vector<Var>& a, int H, int W,
                               const std::vector<Var>& w, int kh, int kw, const ConvSpec& spec,
                               int Ho, int Wo) {
    const int sr = spec.stride.rows, sc = spec.stride.cols;
    const int Pr = spec.padding.rows, Pc = spec.padding.cols;
    const int dr = spec.dilation.rows, dc = spec.dilation.cols;
    const bool flip = spec.mode == ConvMode::Convolution;
    std::vector<Var> z;
    z.reserve(static_cast<std::size_t>(Ho * Wo));
    for (int p = 1; p <= Ho; ++p) {
        for (int q = 1; q <= Wo; ++q) {
            Var sum = tape.constant(0);
            for (int i = 1; i <= kh; ++i) {
                for (int j = 1; j <= kw; ++j) {
                    const int row_hat = sr * (p - 1) + dr * (i - 1) + 1;  // in a-hat, one-based
                    const int col_hat = sc * (q - 1) + dc * (j - 1) + 1;
                    const int m = row_hat - Pr, n = col_hat - Pc;         // in a, one-based
                    if (m < 1 || m > H || n < 1 || n > W) continue;       // a zero of the padding
                    const int wi = flip ? kh - i + 1 : i;
                    const int wj = flip ? kw - j + 1 : j;
                    sum = sum + a[static_cast<std::size_t>((m - 1) * W + (n - 1))] *
                                    w[static_cast<std::size_t>((wi - 1) * kw + (wj - 1))];
                }
            }
            z.push_back(sum);
        }
    }
    return z;
}

}  // namespace

LossChoice loss_choice(const Scene& scene) {
    if (scene.upstream) return LossChoice::Upstream;
    if (scene.target) return LossChoice::Target;
    return LossChoice::Sum;
}

ReferenceLayer reference_layer(const Scene& scene) {
    const int H = static_cast<int>(scene.input.rows()), W = static_cast<int>(scene.input.cols());
    const int kh = static_cast<int>(scene.kernel.rows()), kw = static_cast<int>(scene.kernel.cols());
    const ConvSpec& spec = scene.spec;
    const int Ho = reference_extent(H, kh, spec.stride.rows, spec.padding.rows, spec.dilation.rows);
    const int Wo = reference_extent(W, kw, spec.stride.cols, spec.padding.cols, spec.dilation.cols);
    if (Ho < 1 || Wo < 1) throw std::invalid_argument("reference_layer: no output");

    Tape tape;
    std::vector<Var> z_in, a, w;
    for (int m = 0; m < H; ++m)
        for (int n = 0; n < W; ++n) z_in.push_back(tape.variable(scene.input(m, n)));
    for (int i = 0; i < kh; ++i)
        for (int j = 0; j < kw; ++j) w.push_back(tape.variable(scene.kernel(i, j)));
    for (Var v : z_in) a.push_back(apply_activation(scene.activation, v));

    const std::vector<Var> z_out = forward_nodes(tape, a, H, W, w, kh, kw, spec, Ho, Wo);

    // J, from DESIGN.md's "Loss" paragraph.
    Var J = tape.constant(0);
    const LossChoice choice = loss_choice(scene);
    for (int p = 0; p < Ho; ++p) {
        for (int q = 0; q < Wo; ++q) {
            const Var zo = z_out[static_cast<std::size_t>(p * Wo + q)];
            switch (choice) {
                case LossChoice::Upstream: J = J + (*scene.upstream)(p, q) * zo; break;
                case LossChoice::Target: {
                    const Var diff = zo - tape.constant((*scene.target)(p, q));
                    J = J + 0.5 * (diff * diff);
                    break;
                }
                case LossChoice::Sum: J = J + zo; break;
            }
        }
    }

    const std::vector<double> g = tape.gradient(J);
    auto adj = [&](Var v) { return g[static_cast<std::size_t>(v.id)]; };
    ReferenceLayer r;
    r.output.resize(Ho, Wo);
    r.upstream.resize(Ho, Wo);
    for (int p = 0; p < Ho; ++p)
        for (int q = 0; q < Wo; ++q) {
            r.output(p, q) = z_out[static_cast<std::size_t>(p * Wo + q)].value();
            r.upstream(p, q) = adj(z_out[static_cast<std::size_t>(p * Wo + q)]);
        }
    r.grad_input.resize(H, W);
    for (int m = 0; m < H; ++m)
        for (int n = 0; n < W; ++n) r.grad_input(m, n) = adj(z_in[static_cast<std::size_t>(m * W + n)]);
    r.grad_kernel.resize(kh, kw);
    for (int i = 0; i < kh; ++i)
        for (int j = 0; j < kw; ++j) r.grad_kernel(i, j) = adj(w[static_cast<std::size_t>(i * kw + j)]);
    r.objective = J.value();
    if (choice != LossChoice::Upstream) r.loss = J.value();
    return r;
}

std::vector<Matrix> output_sensitivities(const Matrix& activated_input, const Matrix& kernel,
                                         const ConvSpec& spec) {
    const int H = static_cast<int>(activated_input.rows()), W = static_cast<int>(activated_input.cols());
    const int kh = static_cast<int>(kernel.rows()), kw = static_cast<int>(kernel.cols());
    const int Ho = reference_extent(H, kh, spec.stride.rows, spec.padding.rows, spec.dilation.rows);
    const int Wo = reference_extent(W, kw, spec.stride.cols, spec.padding.cols, spec.dilation.cols);
    Tape tape;
    std::vector<Var> a, w;
    for (int m = 0; m < H; ++m)
        for (int n = 0; n < W; ++n) a.push_back(tape.variable(activated_input(m, n)));
    for (int i = 0; i < kh; ++i)
        for (int j = 0; j < kw; ++j) w.push_back(tape.constant(kernel(i, j)));
    const std::vector<Var> z = forward_nodes(tape, a, H, W, w, kh, kw, spec, Ho, Wo);
    std::vector<Matrix> result;
    for (const Var out : z) {
        const std::vector<double> g = tape.gradient(out);
        Matrix d(H, W);
        for (int m = 0; m < H; ++m)
            for (int n = 0; n < W; ++n) d(m, n) = g[static_cast<std::size_t>(a[static_cast<std::size_t>(m * W + n)].id)];
        result.push_back(std::move(d));
    }
    return result;
}

Matrix random_matrix(std::mt19937& rng, int rows, int cols, double lo, double hi) {
    std::uniform_real_distribution<double> value(lo, hi);
    Matrix m(rows, cols);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) m(r, c) = value(rng);
    return m;
}

Scene random_scene(std::uint32_t seed, const RandomSceneLimits& limits) {
    std::mt19937 rng(seed);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    Scene s;
    int H = 0, W = 0, kh = 0, kw = 0, Ho = 0, Wo = 0;
    do {
        H = uniform(1, limits.max_input);
        W = uniform(1, limits.max_input);
        kh = uniform(1, limits.max_kernel);
        kw = uniform(1, limits.max_kernel);
        s.spec.stride = {uniform(1, limits.max_stride), uniform(1, limits.max_stride)};
        s.spec.padding = {uniform(0, limits.max_padding), uniform(0, limits.max_padding)};
        s.spec.dilation = {uniform(1, limits.max_dilation), uniform(1, limits.max_dilation)};
        Ho = reference_extent(H, kh, s.spec.stride.rows, s.spec.padding.rows, s.spec.dilation.rows);
        Wo = reference_extent(W, kw, s.spec.stride.cols, s.spec.padding.cols, s.spec.dilation.cols);
    } while (Ho < 1 || Wo < 1);
    s.spec.mode = uniform(0, 1) ? ConvMode::Convolution : ConvMode::CrossCorrelation;
    constexpr Activation kActivations[] = {Activation::Identity, Activation::Relu,
                                           Activation::Sigmoid, Activation::Tanh};
    s.activation = kActivations[uniform(0, 3)];
    s.index_base = uniform(0, 1);
    const bool integers = uniform(0, 3) == 0;
    auto values = [&](int rows, int cols) {
        if (!integers) return random_matrix(rng, rows, cols);
        Matrix m(rows, cols);
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c) m(r, c) = uniform(-2, 2);
        return m;
    };
    s.input = values(H, W);
    s.kernel = values(kh, kw);
    switch (uniform(0, 2)) {
        case 0: s.upstream = values(Ho, Wo); break;
        case 1: s.target = values(Ho, Wo); break;
        default: break;
    }
    s.title = "random scene " + std::to_string(seed);
    return s;
}

}  // namespace convlens::ad
