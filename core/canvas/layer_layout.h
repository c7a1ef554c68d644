// Options of the canvas, and the hover view drawn in one go: every layer grid side by side
// (z^l, a^l, w, z^{l+1}, delta^{l+1}, delta^l, dJ/dw) with the current focus as a step.
#pragma once

#include <optional>
#include <string>

#include "canvas/display_list.h"
#include "canvas/theme.h"
#include "engine/layer_results.h"
#include "lesson/lesson_step.h"
#include "scene/scene.h"

namespace convlens {

struct InfluenceView;  // lesson/influence_focus.h: only the thin wrapper below takes one

struct LayoutOptions {
    float cell = 46;             // side of one cell, layout units
    float gap = 56;              // between grids of the hover view
    float lesson_gap = 28;       // between a lesson's grids: their captions wrap to the
                                 // grid's width, so they need less room than the hover view's
    float title_size = 18;
    float value_size = 13;
    int max_value_cells = 24 * 24;  // larger grids become heatmaps without numbers
    std::optional<Cell> selected_input;  // drawn with a stronger outline (the selection)
    bool show_equation = true;   // the expanded equation under the grids (slides); the
                                 // window shows it in its influence panel instead
    int equation_lines = 0;      // with show_equation: lines kept under the grids for it
                                 // even when no step given to layout_grids needs them
    // The window's interface size (1 = 100 %, 2 = 200 %). Every size above (cells, gaps,
    // text) is multiplied by it, so that a layout unit at canvas zoom 1 is an interface
    // pixel: the window then keeps the canvas at no less than legible_zoom (below), which
    // is what makes canvas digits grow with the interface instead of shrinking to fit.
    float text_scale = 1;
};

// The sizes of `options` multiplied by its text_scale (and text_scale then 1): what
// layout_grids lays out with. Scaling twice is scaling once.
LayoutOptions scaled_options(const LayoutOptions& options);

// Canvas digits are legible from this many pixels (times the interface size) up: the
// smallest number in a cell of the window's default layout must reach it.
inline constexpr float kMinLegibleDigitPx = 8;

// The size of the smallest number drawn in a cell of `list` (layout units), 0 when none.
float smallest_value_size(const DisplayList& list);
// The least canvas zoom (device pixels per layout unit) at which every number in a cell of
// `list` is at least `min_px` tall: a window fitting the canvas into a small region zooms
// no further out than this and lets the canvas scroll (pan) instead. 0 when no numbers.
float legible_zoom(const DisplayList& list, float min_px = kMinLegibleDigitPx);

// The window's options, for the hover view and for lessons. The canvas is zoomed out to fit
// beside the panels (about 0.6 at 1400 x 900), so its text is set larger than the defaults
// made for a full-size slide, and the equation goes to the panel under the canvas. Tests
// use these very options, so they follow the window when it changes.
LayoutOptions window_layout_options();
LayoutOptions window_lesson_layout_options();

// Coordinates are layout units: origin at the top left of the canvas, x right, y down,
// everything inside [0, width] x [0, height]; meant as pixels at 100% zoom and content
// scale 1 (a backend may scale and pan). Titles line up along the forward row
// (z^l, [a^l], z^{l+1}, w) and the backward row below (delta^l, delta^{l+1}, dJ/dw);
// same-shaped grids share a column. Grids keep their place whatever the focus: the ring
// around z^{l+1}/delta^{l+1} for taps into the padding is reserved and drawn (dashed, its
// rows and columns labelled: 0, -1 before a one-based grid) with or without a focus.
// Arrows run along grid lines and between grids, never across a number.
// The same as layout_grids(layer_grids) + draw_step(influence_step(view)) (step_canvas.h).
DisplayList layout_layer(const Scene& scene, const LayerResults& results,
                         const InfluenceView& view, const Theme& theme,
                         const LayoutOptions& options = {});

// The TeX-like title of each grid, e.g. "\delta^{l+1}" for Upstream.
std::string grid_symbol_tex(GridId id);
// "input of the forward pass", "output of the backward pass", ...
std::string grid_role(GridId id);

}  // namespace convlens
