// The hover view's grids laid out once per result, theme and selection, and the focus drawn
// over them each time it moves: hovering a 1024 x 1024 layer re-lays out nothing and hands
// the heatmaps the very values they showed before, so nothing is re-uploaded either.
#pragma once

#include <cstdint>
#include <optional>

#include "canvas/layer_layout.h"
#include "canvas/step_canvas.h"
#include "canvas/theme.h"
#include "engine/layer_results.h"
#include "lesson/influence_focus.h"
#include "scene/scene.h"

namespace convlens {

class HoverCanvas {
public:
    // Equal to layout_layer(scene, results, view, theme, options); `results_serial` names
    // the results (the window bumps it whenever they change), so that a new scene is laid
    // out anew and an old one is not.
    DisplayList draw(const Scene& scene, const LayerResults& results, std::uint64_t results_serial,
                     const InfluenceView& view, const Theme& theme, const LayoutOptions& options);
    // Lay out anew next time (fonts, sizes).
    void forget() { grids_ = {}; }
    int layouts() const { return layouts_; }  // how often it laid out, for tests and benchmarks

private:
    CanvasGrids grids_;
    std::uint64_t serial_ = 0;
    Theme theme_;
    LayoutOptions options_;
    int layouts_ = 0;
};

// Whether two sets of options lay out the same canvas.
bool same_layout_options(const LayoutOptions& a, const LayoutOptions& b);
bool same_theme_colors(const Theme& a, const Theme& b);

}  // namespace convlens
