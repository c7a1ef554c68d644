// The canvas of a lesson: the grids a lesson needs, laid out once per scene and lesson,
// and any step (or the motion between two steps) drawn over them as a display list.
// The window and every exported file draw what these functions return.
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "canvas/display_list.h"
#include "canvas/layer_layout.h"
#include "canvas/theme.h"
#include "engine/layer_results.h"
#include "lesson/lesson_step.h"
#include "scene/scene.h"

namespace convlens {

// The grids' places, sizes, titles, captions and index labels, computed once; drawing a
// step never moves a grid. Immutable and cheap to copy: it shares what it holds, copies
// of the numbers included, so it outlives the scene it was made from.
class CanvasGrids {
public:
    struct Impl;                       // canvas/step_canvas.cpp's business
    CanvasGrids() = default;
    explicit CanvasGrids(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
    bool empty() const { return !impl_; }
    // No other copy shares what this one holds (with_new_values may then reuse its storage).
    bool sole_owner() const { return impl_.use_count() == 1; }
    const Impl& impl() const { return *impl_; }
    // The frame without any step: grids, titles, captions, index labels, values.
    const DisplayList& frame() const;

private:
    std::shared_ptr<const Impl> impl_;
};

// The layer's own grids in the order the hover view shows them (a^l only with an
// activation): what the canvas shows when no lesson is chosen.
std::vector<GridId> layer_grids(const Scene& scene);

// Lays out `grids` (layer grids and any of `extras`) for this scene and its results.
// `steps`, the steps that will be drawn over them (a lesson's), decide the room kept for
// marks in a grid's zero padding and for the text under the grids (readouts; caption and
// equation when options.show_equation), so that no step moves or resizes anything. Without
// them the hover view's rule holds: room for every tap around z^{l+1} and delta^{l+1}, and
// none for text beyond options.equation_lines (a longer text extends the canvas). Lesson
// grid sets go in one row or two, captions on one line or wrapped to their grid, whichever
// draws them larger in the window's canvas region (1090 x 540 at the default 1400 x 900);
// the layer's own set keeps the hover view's two rows and options.gap. Throws InputError when a grid has no numbers (an extra grid
// missing from `extras`). Draws with `theme` (draw_step redraws with another if asked).
// With steps, a grid too big for numbers is shown as the crop of it the steps touch
// (canvas/grid_crop.h): its labels, caption and the list's GridGeometry give real indices,
// and an overview of the whole grid beside it shows where the crop lies.
CanvasGrids layout_grids(const Scene& scene, const LayerResults& results,
                         const std::vector<GridId>& grids, const std::vector<ExtraGrid>& extras,
                         const Theme& theme, const LayoutOptions& options = {},
                         const std::vector<Step>& steps = {});

// The same grids with the numbers of new results, when they lay out exactly as `grids` did:
// the same layer grids (no extras, no crops, laid out without steps) of the same shapes,
// spec, index base, kind of activation and loss. Every place, size, title, caption and
// label stays; the cells' numbers and colours and the heatmaps' values and ranges are the
// new ones, and a grid whose numbers did not change keeps its copy and its heatmap's very
// value array (so a texture of it is not uploaded again). Equal to layout_grids(scene,
// results, layer grids, {}, theme, options) of the same theme and options; empty when the
// new results would be laid out differently (lay them out anew then). It costs what the
// edit changed, bar one compare: each grid's numbers are compared row by row with its copy
// (one memcmp per row), and only the box of cells that differ is then written. Given the
// only copy of the grids (moved in), it writes that box into their old copies, and into the
// heatmap array from two results back when nothing else holds it any more (that array's
// box and this one's, not a whole grid's conversion); a new colour range comes from the
// box unless the old largest number shrank. Only grids whose numbers changed are drawn
// anew, and their DrawHeatmaps say which array they follow and in which cells they differ
// from it (DrawHeatmap::changed_since, changed), so an upload need not compare either.
CanvasGrids with_new_values(CanvasGrids grids, const Scene& scene, const LayerResults& results);

// The frame of one step: the laid-out grids with the step's marks, links (routed around
// every text: canvas/arrow_routes.h), tags, tokens,
// kernel window, readouts and (when options.show_equation) its equation and caption.
// Marks by role: Focus a thick outline in theme.highlight; Window an outline in the term's
// colour (term_color(-1), theme.influence, when it has none); Term an outline and a light
// tint of its colour; Padding a dashed outline in its colour (theme.outside without one);
// Result a thicker outline in term_color(-1); Done a thin muted one. On cells too small to
// outline (heatmaps) or past 256 of a kind, one frame around them. A number the step does
// not show (hidden_values, or a `filling` grid's cell without Done or Result) leaves its
// cell blank. options.selected_input outlines that element in z^l, a^l and delta^l.
DisplayList draw_step(const CanvasGrids& grids, const Step& step, const Theme& theme);

// The frame at fraction t (0..1) of the way from `from` to `to`: the kernel window glides,
// tokens travel (turning ones along an arc), marks and hidden values fade. t = 0 draws
// `from` exactly, t = 1 draws `to` exactly, as draw_step does.
DisplayList draw_motion(const CanvasGrids& grids, const Step& from, const Step& to, float t,
                        const Theme& theme);

}  // namespace convlens
