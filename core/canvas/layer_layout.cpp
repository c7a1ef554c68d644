#include "canvas/layer_layout.h"

#include <algorithm>
#include <cmath>

#include "canvas/canvas_grids.h"
#include "canvas/step_canvas.h"
#include "lesson/influence_step.h"

namespace convlens {

LayoutOptions window_layout_options() {
    LayoutOptions options;
    options.value_size = 17;
    options.title_size = 24;
    options.gap = 44;
    options.show_equation = false;
    return options;
}

LayoutOptions window_lesson_layout_options() {
    // A lesson shows fewer grids than the hover view, but up to six with the gather form's:
    // numbers as large as the cells allow keep them readable (13 px and more at 1400 x 900).
    LayoutOptions options = window_layout_options();
    options.value_size = 20;
    return options;
}

LayoutOptions scaled_options(const LayoutOptions& options) {
    LayoutOptions o = options;
    const float k = options.text_scale > 0 && std::isfinite(options.text_scale) ? options.text_scale : 1;
    o.cell *= k;
    o.gap *= k;
    o.lesson_gap *= k;
    o.title_size *= k;
    o.value_size *= k;
    o.text_scale = 1;
    return o;
}

float smallest_value_size(const DisplayList& list) {
    float smallest = 0;
    for (const DrawItem& item : list.items)
        if (const auto* t = std::get_if<DrawText>(&item); t && t->monospace_digits && t->color.a > 0)
            smallest = smallest == 0 ? t->size : std::min(smallest, t->size);
    return smallest;
}

float legible_zoom(const DisplayList& list, float min_px) {
    const float size = smallest_value_size(list);
    return size > 0 ? min_px / size : 0;
}

std::string grid_symbol_tex(GridId id) {
    switch (id) {
        case GridId::Input: return "z^{l}";
        case GridId::Activated: return "a^{l} = f(z^{l})";
        case GridId::Kernel: return "w";  // as every formula writes it (w_{i,j}, rot180(w))
        case GridId::Output: return "z^{l+1}";
        case GridId::Upstream: return "\\delta^{l+1}";
        case GridId::GradInput: return "\\delta^{l}";
        case GridId::GradKernel: return "\\partial J / \\partial w";
        case GridId::RotatedKernel: return "\\mathrm{rot180}(w)";
        case GridId::PaddedUpstream: return "\\tilde{\\delta}^{l+1}";
    }
    return "";
}

std::string grid_role(GridId id) {
    switch (id) {
        case GridId::Input: return "input of the forward pass";
        case GridId::Activated: return "input of the forward pass, activated";
        case GridId::Kernel: return "weights of the forward pass";
        case GridId::Output: return "output of the forward pass";
        case GridId::Upstream: return "input of the backward pass";
        case GridId::GradInput: return "output of the backward pass";
        case GridId::GradKernel: return "output of the backward pass: weight gradient";
        case GridId::RotatedKernel: return "the kernel turned by 180°";
        case GridId::PaddedUpstream: return "δˡ⁺¹ spread by the stride, padded with zeros";
    }
    return "";
}

DisplayList layout_layer(const Scene& scene, const LayerResults& results,
                         const InfluenceView& view, const Theme& theme,
                         const LayoutOptions& options) {
    const Step step = influence_step(scene, view);
    // Room for the longest equation the hover view shows (three lines, four with f'), or
    // this one's if longer, so that hovering never changes the canvas size.
    LayoutOptions o = options;
    o.equation_lines = std::max(o.equation_lines, scene.activation != Activation::Identity ? 4 : 3);
    return draw_step_once(scene, results, layer_grids(scene), theme, o, step);
}

}  // namespace convlens
