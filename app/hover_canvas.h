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

// The hover view's grids for one result, laid out wherever that is cheapest: the engine
// thread lays them out right after it computes (recompute_worker.h), so that a 1024 x 1024
// result reaches the UI thread with its frame done. Only the grids: the focus changes every
// frame and is drawn over them on the UI thread.
struct HoverGrids {
    CanvasGrids grids;
    Theme theme;              // what they were laid out with
    LayoutOptions options;    // after the equation lines HoverCanvas keeps room for
};

// What HoverCanvas::draw lays out for these results; callable on any thread.
HoverGrids lay_out_hover_grids(const Scene& scene, const LayerResults& results, const Theme& theme,
                               const LayoutOptions& options);

class HoverCanvas {
public:
    // Equal to layout_layer(scene, results, view, theme, options); `results_serial` names
    // the results (the window bumps it whenever they change), so that a new scene is laid
    // out anew and an old one is not.
    DisplayList draw(const Scene& scene, const LayerResults& results, std::uint64_t results_serial,
                     const InfluenceView& view, const Theme& theme, const LayoutOptions& options);
    // Grids laid out elsewhere for the results named `results_serial`: the draw that first
    // meets that serial takes them instead of laying out, when its theme and options are the
    // ones they were laid out with (else it lays out as before and drops them).
    void offer(HoverGrids grids, std::uint64_t results_serial);
    // Lay out anew next time (fonts, sizes).
    void forget() {
        grids_ = {};
        offered_.reset();
    }
    int layouts() const { return layouts_; }  // how often it laid out, for tests and benchmarks
    int adopted() const { return adopted_; }  // how often it took offered grids instead

private:
    CanvasGrids grids_;
    std::uint64_t serial_ = 0;
    Theme theme_;
    LayoutOptions options_;
    std::optional<HoverGrids> offered_;
    std::uint64_t offered_serial_ = 0;
    int layouts_ = 0;
    int adopted_ = 0;
};

// Whether two sets of options lay out the same canvas.
bool same_layout_options(const LayoutOptions& a, const LayoutOptions& b);
bool same_theme_colors(const Theme& a, const Theme& b);

}  // namespace convlens
