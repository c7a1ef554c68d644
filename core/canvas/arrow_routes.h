// Arrows that never cross a number: a link between two cells runs along the grid lines and
// through the space between grids, around every text, and enters its target at a corner.
// step_render.cpp routes the links of a frame through one ArrowRouter.
#pragma once

#include <optional>
#include <vector>

#include "canvas/display_list.h"

namespace convlens {

// One grid as the router sees it: the lines between its cells (ring included), where
// numbers never are, and the block it fills with its title, labels and cells, around
// which the lanes between grids run.
struct RouteGrid {
    Rect lattice;                // cells and reserved ring, edges on cell lines
    float cell = 0;              // 0: no lanes inside (a heatmap's hairline cells)
    Rect block;                  // title, caption, index labels, cells and ring
};

// A route from a corner of the source cell to a corner of the target cell, then the head:
// a short diagonal from that corner into the target cell, where no number is.
struct ArrowRoute {
    std::vector<Point> path;     // two points or more, axis-parallel pieces
    Point head_tip;
};

// Half an arrow's width and a little more: what a route keeps between its centre line and
// the ink of any text (canvas/draw_rules.h text_ink_box).
inline constexpr float kArrowClearance = 1.5f;
// The head goes this far into the target cell along each axis, in cells.
inline constexpr float kHeadInset = 0.2f;

class ArrowRouter {
public:
    // `obstacles`: the ink boxes of every text of the frame.
    ArrowRouter(const std::vector<RouteGrid>& grids, std::vector<Rect> obstacles);
    // The shortest route with few bends, or nullopt when the cells are not on the lanes
    // or every way is blocked. `own`: ink boxes the head may cross (the target cell's tag
    // naming this very link).
    std::optional<ArrowRoute> route(Rect from_cell, Rect to_cell, float cell,
                                    const std::vector<Rect>& own) const;

private:
    std::optional<size_t> node(Point p) const;

    std::vector<float> xs_, ys_;          // the lanes, sorted
    std::vector<Rect> obstacles_;         // inflated by kArrowClearance
    // Per node (row-major over ys_ x xs_): the piece to the next x / next y is clear.
    std::vector<unsigned char> right_open_, down_open_;
    std::vector<float> right_cost_, down_cost_;  // per unit of length
    // The search's distances and way back, reused from route to route (a router serves
    // one frame on one thread): a state counts only when stamped with this generation.
    mutable std::vector<float> dist_;
    mutable std::vector<size_t> parent_;
    mutable std::vector<unsigned> stamp_;
    mutable unsigned generation_ = 0;
};

}  // namespace convlens
