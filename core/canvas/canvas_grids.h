// What CanvasGrids holds (canvas-internal): the laid-out blocks with copies of their
// numbers, and the step-independent part of every frame. step_canvas.cpp builds it.
#pragma once

#include <algorithm>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "canvas/grid_crop.h"
#include "canvas/grid_drawing.h"
#include "canvas/step_canvas.h"

namespace convlens {

struct CanvasGrids::Impl {
    Theme theme;                       // the one `base` and `frame` were drawn with
    LayoutOptions options;
    int base_index = 1;                // the scene's index base
    bool activated = false;
    // What else the places depend on, for with_new_values: the layer's spec, where the
    // error comes from (the caption of delta^{l+1}) and whether steps decided any room.
    ConvSpec spec;
    LossSource loss = LossSource::Sum;
    bool stepped = false;
    // The blocks point into these. Shared: new results that leave a grid's numbers as they
    // were share its copy (and its heatmap's values) instead of copying megabytes again.
    std::vector<std::shared_ptr<const Matrix>> values;
    std::vector<GridBlock> blocks;
    std::vector<BlockMetrics> metrics;
    std::vector<Point> headers;
    // Everything no step changes: size, background, geometry, titles, captions, cells.
    DisplayList base;
    // The items of base that blocks[k] drew, [first, end): with_new_values copies those of
    // grids whose numbers stayed and draws only the others anew.
    std::vector<std::pair<size_t, size_t>> block_items;
    // What the with_new_values that made these grids did, for tests and benchmarks.
    struct SwapWork {
        long rows_compared = 0;    // rows of the old and new numbers compared
        long grids_changed = 0;
        long values_copied = 0;    // doubles written into the grids' copies
        long floats_written = 0;   // heatmap values converted (or copied) into their arrays
        long arrays_reused = 0;    // heatmap arrays written into an earlier one's storage
    } swap;
    float equation_y = 0;              // where the caption and equation lines start
    // Base with an empty step drawn over it, made when first asked for.
    mutable std::once_flag frame_made;
    mutable DisplayList frame;

    const GridBlock* block(GridId id) const {
        for (const GridBlock& b : blocks)
            if (b.id == id) return &b;
        return nullptr;
    }
    size_t index_of(GridId id) const {
        for (size_t k = 0; k < blocks.size(); ++k)
            if (blocks[k].id == id) return k;
        return blocks.size();
    }
    // A grid's crop when the canvas shows only a part of it (canvas/grid_crop.h), else null.
    const GridCrop* crop_of(GridId id) const {
        const GridBlock* b = block(id);
        return b && !b->crop.whole() ? &b->crop : nullptr;
    }
    bool cropped() const {
        return std::any_of(blocks.begin(), blocks.end(), [](const GridBlock& b) { return !b.crop.whole(); });
    }
    // A step (real indices, as lessons make them) in the cells the canvas draws: the blocks'
    // and the base's geometry count a crop's cells from its first one.
    Step shown(const Step& step) const {
        return step_in_crops(step, [this](GridId id) { return crop_of(id); });
    }
};

// layout_grids + draw_step for grids drawn once (the hover view, laid out anew for every
// focus): the same frame without copying the grids' part of it.
DisplayList draw_step_once(const Scene& scene, const LayerResults& results,
                           const std::vector<GridId>& grids, const Theme& theme,
                           const LayoutOptions& options, const Step& step);

// Line heights of the text under the grids, in em of the equation's size.
inline constexpr float kEquationLine = 2.0f;
inline float equation_size(const LayoutOptions& options) { return options.title_size * 0.9f; }
inline constexpr float kCanvasMargin = 16;

}  // namespace convlens
