#include "hover_canvas.h"

#include <algorithm>
#include <utility>

#include "canvas/canvas_grids.h"
#include "lesson/influence_step.h"

namespace convlens {

namespace {

// The interface size, where the options carry one (canvas/layer_layout.h is growing it).
template <class Options>
float text_scale_of(const Options& o) {
    if constexpr (requires { o.text_scale; }) return o.text_scale;
    else return 1;
}

}  // namespace

bool same_layout_options(const LayoutOptions& a, const LayoutOptions& b) {
    return a.cell == b.cell && a.gap == b.gap && a.lesson_gap == b.lesson_gap &&
           text_scale_of(a) == text_scale_of(b) &&
           a.title_size == b.title_size && a.value_size == b.value_size &&
           a.max_value_cells == b.max_value_cells && a.selected_input == b.selected_input &&
           a.show_equation == b.show_equation && a.equation_lines == b.equation_lines;
}

bool same_theme_colors(const Theme& a, const Theme& b) {
    return a.dark == b.dark && a.background == b.background && a.text == b.text &&
           a.muted_text == b.muted_text && a.grid_line == b.grid_line &&
           a.padding_cell == b.padding_cell && a.highlight == b.highlight &&
           a.influence == b.influence && a.outside == b.outside && a.negative == b.negative &&
           a.neutral == b.neutral && a.positive == b.positive;
}

DisplayList HoverCanvas::draw(const Scene& scene, const LayerResults& results,
                              std::uint64_t results_serial, const InfluenceView& view,
                              const Theme& theme, const LayoutOptions& options) {
    // As layout_layer: room for the longest equation the hover view shows, so that
    // hovering never changes the canvas size.
    LayoutOptions o = options;
    o.equation_lines = std::max(o.equation_lines, scene.activation != Activation::Identity ? 4 : 3);
    const bool same_look = same_theme_colors(theme_, theme) && same_layout_options(options_, o);
    if (!grids_.empty() && same_look && serial_ != results_serial) {
        // The old grids are handed over: their copies of changed grids take the new numbers.
        grids_ = with_new_values(std::move(grids_), scene, results);
        if (!grids_.empty()) {
            serial_ = results_serial;
            ++value_swaps_;
            const CanvasGrids::Impl::SwapWork& work = grids_.impl().swap;
            swap_totals_.values_copied += work.values_copied;
            swap_totals_.floats_written += work.floats_written;
            swap_totals_.arrays_reused += work.arrays_reused;
        }
    }
    if (grids_.empty() || serial_ != results_serial || !same_look) {
        grids_ = layout_grids(scene, results, layer_grids(scene), {}, theme, o);
        serial_ = results_serial;
        theme_ = theme;
        options_ = o;
        ++layouts_;
    }
    return draw_step(grids_, influence_step(scene, view), theme);
}

}  // namespace convlens
