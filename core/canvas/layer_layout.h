// Lays out the layer view: every grid side by side (z^l, a^l, w, z^{l+1}, delta^{l+1},
// delta^l, dJ/dw) with values, colour maps, titles, and the influence highlights and
// arrows of the current focus. Scene + results + lesson step + theme -> display list.
#pragma once

#include "canvas/display_list.h"
#include "canvas/theme.h"
#include "engine/layer_results.h"
#include "lesson/influence_focus.h"
#include "scene/scene.h"

namespace convlens {

struct LayoutOptions {
    float cell = 46;             // side of one cell, layout units
    float gap = 56;              // between grids
    float title_size = 18;
    float value_size = 13;
    int max_value_cells = 24 * 24;  // larger grids become heatmaps without numbers
    std::optional<Cell> selected_input;  // drawn with a stronger outline (the selection)
    bool show_equation = true;   // the expanded equation under the grids (slides); the
                                 // window shows it in its influence panel instead
};

// Coordinates are layout units: origin at the top left of the canvas, x right, y down,
// everything inside [0, width] x [0, height]; meant as pixels at 100% zoom and content
// scale 1 (a backend may scale and pan). Titles line up along the forward row
// (z^l, [a^l], z^{l+1}, w) and the backward row below (delta^l, delta^{l+1}, dJ/dw);
// same-shaped grids share a column. Grids keep their place whatever the focus: the ring
// around z^{l+1}/delta^{l+1} for taps into the padding is reserved even when not drawn.
DisplayList layout_layer(const Scene& scene, const LayerResults& results,
                         const InfluenceView& view, const Theme& theme,
                         const LayoutOptions& options = {});

// The TeX-like title of each grid, e.g. "\delta^{l+1}" for Upstream.
std::string grid_symbol_tex(GridId id);
// "input of the forward pass", "output of the backward pass", ...
std::string grid_role(GridId id);

}  // namespace convlens
