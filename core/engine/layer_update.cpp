#include "engine/layer_update.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include "engine/activation.h"
#include "engine/fast_conv.h"
#include "util/changed_box.h"

namespace convlens {
namespace {

// [SECTION] Ranges of cells

// Indices begin..end-1 along one axis.
struct Range {
    int begin = 0;
    int end = 0;
    bool empty() const { return begin >= end; }
    int size() const { return empty() ? 0 : end - begin; }
};

// A rectangle of cells of one grid.
struct Box {
    Range rows, cols;
    bool empty() const { return rows.empty() || cols.empty(); }
    long area() const { return long(rows.size()) * cols.size(); }
};

Box whole(const Matrix& m) { return {{0, int(m.rows())}, {0, int(m.cols())}}; }

// The smallest box holding both.
Box hull(const Box& a, const Box& b) {
    if (a.empty()) return b;
    if (b.empty()) return a;
    return {{std::min(a.rows.begin, b.rows.begin), std::max(a.rows.end, b.rows.end)},
            {std::min(a.cols.begin, b.cols.begin), std::max(a.cols.end, b.cols.end)}};
}

auto block(Matrix& m, const Box& b) {
    return m.block(b.rows.begin, b.cols.begin, b.rows.size(), b.cols.size());
}
auto block(const Matrix& m, const Box& b) {
    return m.block(b.rows.begin, b.cols.begin, b.rows.size(), b.cols.size());
}

// [SECTION] Which cells an edit reaches, along one axis
// Output p reads the input cells s*p - P + d*i, i = 0..k-1: the span s*p - P .. s*p - P + d(k-1).
// The ranges below take the whole span (a dilated kernel skips some of its cells): a cell
// too many is computed again to the same number, a cell too few would keep a stale one.

struct Axis {
    int input = 0;    // H (or W)
    int output = 0;   // Ho
    int stride = 1;   // s
    int padding = 0;  // P
    int span = 0;     // d(k-1)
};

int floor_div(int x, int m) { return x >= 0 ? x / m : -((-x + m - 1) / m); }
int ceil_div(int x, int m) { return -floor_div(-x, m); }

// The outputs whose window meets input cells `in`; the same outputs are the ones whose
// errors delta^{l+1} flow back into `in`.
Range outputs_reading(const Axis& a, Range in) {
    if (in.empty()) return {};
    return {std::max(0, ceil_div(in.begin + a.padding - a.span, a.stride)),
            std::min(a.output, floor_div(in.end - 1 + a.padding, a.stride) + 1)};
}

// The input cells the windows of outputs `out` read: where their errors flow back to.
Range inputs_read_by(const Axis& a, Range out) {
    if (out.empty()) return {};
    return {std::max(0, a.stride * out.begin - a.padding),
            std::min(a.input, a.stride * (out.end - 1) - a.padding + a.span + 1)};
}

// The sub-layer of outputs `out`: the input cells (padding included, so possibly below 0
// or past the end) that their windows read, first and how many. Its own output extent,
// floor((extent - d(k-1) - 1)/s) + 1, is exactly out.size().
int window_start(const Axis& a, Range out) { return a.stride * out.begin - a.padding; }
int window_extent(const Axis& a, Range out) { return a.stride * (out.size() - 1) + a.span + 1; }

// [SECTION] What changed

bool same_bits(const double* a, const double* b, long count) {
    return std::memcmp(a, b, sizeof(double) * std::size_t(count)) == 0;
}

bool same_values(const Matrix& a, const Matrix& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() && same_bits(a.data(), b.data(), long(a.size()));
}

bool same_values(const std::optional<Matrix>& a, const std::optional<Matrix>& b) {
    return a.has_value() == b.has_value() && (!a || same_values(*a, *b));
}

bool same_shape(const Matrix& a, const Matrix& b) { return a.rows() == b.rows() && a.cols() == b.cols(); }
bool has_shape(const Matrix& m, Shape shape) { return m.rows() == shape.rows && m.cols() == shape.cols; }

// The box around every cell whose bits differ (empty when none).
Box changed_cells(const Matrix& before, const Matrix& after) {
    const CellRect c = changed_box(before.data(), after.data(), int(after.rows()), int(after.cols()));
    return c.empty() ? Box{} : Box{{c.row, c.row + c.rows}, {c.col, c.col + c.cols}};
}

bool finite_in(const Matrix& m, const Box& b) {
    if (b.empty()) return true;
    const long cols = long(m.cols());
    if (b.cols.begin == 0 && b.cols.end == cols)  // whole rows lie one after the other
        return all_finite(m.data() + b.rows.begin * cols, b.rows.size() * cols);
    for (int i = b.rows.begin; i < b.rows.end; ++i)
        if (!all_finite(m.data() + i * cols + b.cols.begin, b.cols.size())) return false;
    return true;
}

// [SECTION] Patches, computed by the fast engine on sub-layers
// Small matrices the engine thread keeps between edits.
struct Scratch {
    Matrix z, activated, slope;  // the edited box of z^l and its activation
    Matrix window;               // a-hat under the windows of a patch of outputs
    Matrix errors;               // delta^{l+1} of the outputs feeding a patch of inputs
    Matrix patch;                // what the fast engine computed for the sub-layer
};

Scratch& scratch() {
    thread_local Scratch s;
    return s;
}

// a^l and f' in `box`, by activate_into itself (the numbers compute_layer writes). The
// identity's slope stays all ones.
void activate_box(Activation f, const Matrix& input, const Box& box, LayerResults* r) {
    if (f == Activation::Identity) {
        block(r->activated, box) = block(input, box);
        return;
    }
    Scratch& s = scratch();
    s.z = block(input, box);
    activate_into(f, s.z, &s.activated, &s.slope);
    block(r->activated, box) = s.activated;
    block(r->activation_slope, box) = s.slope;
}

ConvSpec without_padding(ConvSpec spec) {
    spec.padding = {0, 0};
    return spec;
}

// z^{l+1} over `outputs`: the fast engine's forward pass over the patch of a-hat their
// windows read (zeros where it leaves a^l: the padding), with no padding of its own. Each
// output sums the same taps in the same order over the same values as the full pass.
void forward_patch(const Matrix& activated, const Matrix& kernel, const ConvSpec& spec,
                   const Axis& rows, const Axis& cols, const Box& outputs, Matrix* output) {
    Scratch& s = scratch();
    const int top = window_start(rows, outputs.rows), left = window_start(cols, outputs.cols);
    s.window.setZero(window_extent(rows, outputs.rows), window_extent(cols, outputs.cols));
    const Box inside{{std::max(0, top), std::min(rows.input, top + int(s.window.rows()))},
                     {std::max(0, left), std::min(cols.input, left + int(s.window.cols()))}};
    if (!inside.empty())
        s.window.block(inside.rows.begin - top, inside.cols.begin - left, inside.rows.size(),
                       inside.cols.size()) = block(activated, inside);
    fast_forward_into(s.window, kernel, without_padding(spec), &s.patch);
    block(*output, outputs) = s.patch;
}

// delta^l over `cells`: the fast engine's backward pass on the sub-layer of the outputs
// whose errors feed them (every such output, so each cell sums the same taps over the same
// errors as the full pass), times f'. A cell no output feeds gets 0, as in the full pass.
void grad_patch(const LayerResults& r, const Matrix& kernel, const ConvSpec& spec,
                const Axis& rows, const Axis& cols, const Box& cells, bool identity,
                Matrix* grad_input) {
    Scratch& s = scratch();
    const Box feeders{outputs_reading(rows, cells.rows), outputs_reading(cols, cells.cols)};
    if (feeders.empty()) {
        block(*grad_input, cells).setZero();
        return;
    }
    const int top = window_start(rows, feeders.rows), left = window_start(cols, feeders.cols);
    const Shape extent{window_extent(rows, feeders.rows), window_extent(cols, feeders.cols)};
    s.errors = block(r.upstream, feeders);
    fast_grad_activated_into(s.errors, kernel, extent, without_padding(spec), &s.patch);
    for (int i = cells.rows.begin; i < cells.rows.end; ++i)
        for (int j = cells.cols.begin; j < cells.cols.end; ++j) {
            const int pi = i - top, pj = j - left;
            double g = pi >= 0 && pi < extent.rows && pj >= 0 && pj < extent.cols ? s.patch(pi, pj) : 0.0;
            if (!identity) g *= r.activation_slope(i, j);  // as the full pass's *= f'
            (*grad_input)(i, j) = g;
        }
}

}  // namespace

bool update_layer_into(const Scene& before, const Scene& after, LayerResults* out) {
    LayerResults& r = *out;
    // What the update keeps from `before` must be what `after` has.
    if (!same_shape(before.input, after.input) || !same_shape(before.kernel, after.kernel) ||
        !(before.spec == after.spec) || before.activation != after.activation ||
        before.index_base != after.index_base || !same_values(before.upstream, after.upstream) ||
        !same_values(before.target, after.target))
        return false;
    if (!r.fast_path || r.loss_source != loss_source(after)) return false;
    const Shape input{int(after.input.rows()), int(after.input.cols())};
    const Shape kernel{int(after.kernel.rows()), int(after.kernel.cols())};
    const Shape output = output_shape(input, kernel, after.spec);  // before's: valid
    if (!has_shape(r.activated, input) || !has_shape(r.activation_slope, input) ||
        !has_shape(r.output, output) || !has_shape(r.upstream, output) ||
        !has_shape(r.grad_input, input) || !has_shape(r.grad_kernel, kernel))
        return false;

    const Box box = changed_cells(before.input, after.input);
    const bool kernel_changed = !same_values(before.kernel, after.kernel);
    if (box.empty() && !kernel_changed) return true;  // the same numbers

    const ConvSpec& spec = after.spec;
    const Axis rows{input.rows, output.rows, spec.stride.rows, spec.padding.rows,
                    spec.dilation.rows * (kernel.rows - 1)};
    const Axis cols{input.cols, output.cols, spec.stride.cols, spec.padding.cols,
                    spec.dilation.cols * (kernel.cols - 1)};
    // z^{l+1} that changed: all of it under a new kernel, else where a window meets the box.
    const Box outputs = kernel_changed ? whole(r.output)
                                       : Box{outputs_reading(rows, box.rows), outputs_reading(cols, box.cols)};
    // Patches over half the grid cost about what the full passes cost.
    if (2 * box.area() > long(input.rows) * input.cols) return false;
    if (!kernel_changed && 2 * outputs.area() > long(output.rows) * output.cols) return false;

    // Only the new values can be bad (before's were valid): checked here, and when one is,
    // validate_scene names it in the words compute_layer(after) would.
    if (!finite_in(after.input, box) || (kernel_changed && !all_finite(after.kernel))) {
        validate_scene(after);  // throws
        return false;
    }

    // a^l, f' and z^{l+1}.
    if (!box.empty()) activate_box(after.activation, after.input, box, &r);
    if (kernel_changed) fast_forward_into(r.activated, after.kernel, spec, &r.output);
    else if (!outputs.empty()) forward_patch(r.activated, after.kernel, spec, rows, cols, outputs, &r.output);

    // delta^{l+1} and J, as compute_layer_into computes them (J by a full pass).
    Box errors;  // the delta^{l+1} that changed
    switch (r.loss_source) {
        case LossSource::Upstream: break;  // the scene's, unchanged
        case LossSource::Target:
            if (kernel_changed) r.upstream = r.output - *after.target;
            else if (!outputs.empty())
                block(r.upstream, outputs) = block(r.output, outputs) - block(*after.target, outputs);
            errors = outputs;
            r.loss = 0.5 * r.upstream.squaredNorm();
            break;
        case LossSource::Sum:  // delta^{l+1} stays all ones
            r.loss = r.output.sum();
            break;
    }

    // delta^l: where the changed errors flow back to, and where f' changed.
    const bool identity = after.activation == Activation::Identity;
    Box grads;
    if (kernel_changed) {
        fast_grad_activated_into(r.upstream, after.kernel, input, spec, &r.grad_input);
        if (!identity) r.grad_input.array() *= r.activation_slope.array();
        grads = whole(r.grad_input);
    } else {
        grads = hull(Box{inputs_read_by(rows, errors.rows), inputs_read_by(cols, errors.cols)},
                     identity ? Box{} : box);
        if (!grads.empty()) grad_patch(r, after.kernel, spec, rows, cols, grads, identity, &r.grad_input);
    }

    // dJ/dw: every tap meets the edited cells; a full pass, so nothing drifts.
    fast_grad_kernel_into(r.activated, r.upstream, kernel, spec, &r.grad_kernel);

    // Before's results were all finite: a bad number lies in what changed. check_finite
    // then names the first one as it would for compute_layer(after).
    if (!finite_in(r.activated, box) || !finite_in(r.output, outputs) || !finite_in(r.upstream, errors) ||
        (r.loss && !std::isfinite(*r.loss)) || !finite_in(r.grad_input, grads) ||
        !all_finite(r.grad_kernel))
        check_finite(r, after.index_base);
    return true;
}

}  // namespace convlens
