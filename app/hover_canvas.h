// The hover view's grids laid out once per scene geometry, theme and selection, and the focus
// drawn over them each time it moves: hovering a 1024 x 1024 layer re-lays out nothing and
// hands the heatmaps the very values they showed before, so nothing is re-uploaded either.
// New results of an edit that changes only values get the layout they had with the new
// values swapped in (with_new_values), unchanged grids keeping their very value arrays and
// changed ones written only where their numbers changed.
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
    // the results (the window bumps it whenever they change): results of another serial
    // get their values swapped into the layout, or are laid out anew when their shapes,
    // spec or loss differ.
    DisplayList draw(const Scene& scene, const LayerResults& results, std::uint64_t results_serial,
                     const InfluenceView& view, const Theme& theme, const LayoutOptions& options);
    // Lay out anew next time (fonts, sizes).
    void forget() { grids_ = {}; }
    int layouts() const { return layouts_; }  // how often it laid out, for tests and benchmarks
    int value_swaps() const { return value_swaps_; }  // new results kept in the old layout
    // What the value swaps wrote, summed over them (canvas/canvas_grids.h's SwapWork): the
    // doubles copied into the grids, the heatmap values written, and how many heatmap arrays
    // took new values in an earlier array's storage. For tests and benchmarks.
    struct SwapTotals {
        long values_copied = 0, floats_written = 0, arrays_reused = 0;
    };
    const SwapTotals& swap_totals() const { return swap_totals_; }

private:
    CanvasGrids grids_;
    std::uint64_t serial_ = 0;
    Theme theme_;
    LayoutOptions options_;
    int layouts_ = 0;
    int value_swaps_ = 0;
    SwapTotals swap_totals_;
};

// Whether two sets of options lay out the same canvas.
bool same_layout_options(const LayoutOptions& a, const LayoutOptions& b);
bool same_theme_colors(const Theme& a, const Theme& b);

}  // namespace convlens
