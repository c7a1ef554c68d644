#include "lesson/gather_form.h"

#include <cstdlib>

#include "engine/layer.h"

namespace convlens {
namespace {

Shape shape_of(const Matrix& m) { return {int(m.rows()), int(m.cols())}; }

// The upstream index along one axis that padded index r holds, or -1 for an inserted zero.
int upstream_index(int r, int kernel, int output, int stride, int dilation) {
    const int from_top = r - dilation * (kernel - 1);
    if (from_top < 0 || from_top % stride != 0) return -1;
    const int p = from_top / stride;
    return p < output ? p : -1;
}

std::string signed_constant(int value) {
    if (value == 0) return "";
    return (value > 0 ? "+" : "-") + std::to_string(std::abs(value));
}

// Zero-based label m0 + P + d*i0 written in base b: m + d*i' + (P - d*b).
std::string axis_symbolic(char element, char tap, int padding, int dilation, int base) {
    std::string s(1, element);
    s += "+";
    if (dilation != 1) s += std::to_string(dilation);
    s += tap;
    s += "'";
    return s + signed_constant(padding - dilation * base);
}

}  // namespace

Matrix gather_kernel(const Scene& scene) {
    return rotate180(effective_kernel(scene.kernel, scene.spec.mode));
}

Cell stored_tap_at(Cell gather_position, Shape kernel, ConvMode mode) {
    if (mode == ConvMode::Convolution) return gather_position;
    return {kernel.rows - 1 - gather_position.row, kernel.cols - 1 - gather_position.col};
}

Cell gather_position_of(Cell stored_tap, Shape kernel, ConvMode mode) {
    return stored_tap_at(stored_tap, kernel, mode);  // an involution
}

Cell padded_position_of(Cell upstream, Shape kernel, const ConvSpec& spec) {
    return {spec.dilation.rows * (kernel.rows - 1) + spec.stride.rows * upstream.row,
            spec.dilation.cols * (kernel.cols - 1) + spec.stride.cols * upstream.col};
}

std::optional<Cell> upstream_at(Cell padded, Shape kernel, Shape output, const ConvSpec& spec) {
    const int p = upstream_index(padded.row, kernel.rows, output.rows, spec.stride.rows,
                                 spec.dilation.rows);
    const int q = upstream_index(padded.col, kernel.cols, output.cols, spec.stride.cols,
                                 spec.dilation.cols);
    if (p < 0 || q < 0) return std::nullopt;
    return Cell{p, q};
}

KernelWindow gather_window(Cell element, Shape kernel, const ConvSpec& spec) {
    KernelWindow w;
    w.grid = GridId::PaddedUpstream;
    w.origin = {element.row + spec.padding.rows, element.col + spec.padding.cols};
    w.spacing = {spec.dilation.rows, spec.dilation.cols};
    w.rows = kernel.rows;
    w.cols = kernel.cols;
    return w;
}

std::vector<GatherTerm> gather_terms(const Scene& scene, const Matrix& padded, Cell element) {
    const Shape kernel = shape_of(scene.kernel);
    const Shape input = shape_of(scene.input);
    const Shape output = output_shape(input, kernel, scene.spec);
    const KernelWindow window = gather_window(element, kernel, scene.spec);
    std::vector<GatherTerm> terms;
    terms.reserve(size_t(kernel.rows) * size_t(kernel.cols));
    for (int i = 0; i < kernel.rows; ++i)
        for (int j = 0; j < kernel.cols; ++j) {
            GatherTerm t;
            t.position = {i, j};
            t.tap = stored_tap_at(t.position, kernel, scene.spec.mode);
            t.padded = {window.origin.row + window.spacing.row * i,
                        window.origin.col + window.spacing.col * j};
            t.upstream = upstream_at(t.padded, kernel, output, scene.spec);
            t.weight = scene.kernel(t.tap.row, t.tap.col);
            t.padded_value = padded(t.padded.row, t.padded.col);
            t.product = t.padded_value * t.weight;
            terms.push_back(t);
        }
    return terms;
}

ExtraGrid rotated_kernel_grid(const Scene& scene) {
    ExtraGrid g;
    g.id = GridId::RotatedKernel;
    g.values = gather_kernel(scene);
    const std::string size =
        std::to_string(g.values.rows()) + "×" + std::to_string(g.values.cols());
    if (scene.spec.mode == ConvMode::Convolution) {
        g.title_tex = "\\mathrm{rot180}(\\mathrm{rot180}(w)) = w";
        g.caption = "w as stored: the forward pass already flipped it, " + size;
    } else {
        g.title_tex = "\\mathrm{rot180}(w)";
        g.caption = "w turned by 180°, " + size;
    }
    g.first_index = {scene.index_base, scene.index_base};
    return g;
}

ExtraGrid padded_upstream_grid(const Scene& scene, const LayerResults& results) {
    const Shape kernel = shape_of(scene.kernel);
    const Shape input = shape_of(scene.input);
    const Shape output = shape_of(results.upstream);
    ExtraGrid g;
    g.id = GridId::PaddedUpstream;
    g.values = gather_padded_upstream(results.upstream, kernel, input, scene.spec);
    g.title_tex = "\\tilde{\\delta}^{l+1}";
    std::string how;
    if (scene.spec.stride.rows != 1 || scene.spec.stride.cols != 1)
        how = "spread by the stride and ";
    g.caption = "input of the backward pass " + how + "padded with zeros, " +
                std::to_string(g.values.rows()) + "×" + std::to_string(g.values.cols());
    g.first_index = {scene.index_base, scene.index_base};
    g.inserted_zero.assign(size_t(g.values.size()), 1);
    for (int r = 0; r < g.values.rows(); ++r)
        for (int c = 0; c < g.values.cols(); ++c)
            if (upstream_at({r, c}, kernel, output, scene.spec))
                g.inserted_zero[size_t(r) * size_t(g.values.cols()) + size_t(c)] = 0;
    return g;
}

std::string padded_index_symbolic(const ConvSpec& spec, int base) {
    return axis_symbolic('m', 'i', spec.padding.rows, spec.dilation.rows, base) + "," +
           axis_symbolic('n', 'j', spec.padding.cols, spec.dilation.cols, base);
}

std::string gather_kernel_symbol(ConvMode mode) {
    return mode == ConvMode::Convolution ? "w" : "\\mathrm{rot180}(w)";
}

std::string scatter_gather_check_label(ConvMode mode) {
    return mode == ConvMode::Convolution
               ? "scatter vs. gather (unrotated w):"
               : "scatter vs. gather (rotated kernel):";
}

}  // namespace convlens
