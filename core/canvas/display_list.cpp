#include "canvas/display_list.h"

#include <algorithm>
#include <cmath>

namespace convlens {

std::optional<Cell> GridGeometry::hit(Point p) const {
    if (rows <= 0 || cols <= 0 || !(cell > 0) || !cells.contains(p)) return std::nullopt;
    // Clamped because a point on the far edge can round to one past the last cell.
    const int col = std::clamp(static_cast<int>(std::floor((p.x - cells.x) / cell)), 0, cols - 1);
    const int row = std::clamp(static_cast<int>(std::floor((p.y - cells.y) / cell)), 0, rows - 1);
    return Cell{row + first.row, col + first.col};
}

std::optional<Cell> GridOverview::hit(Point p) const {
    if (rows <= 0 || cols <= 0 || !(rect.w > 0) || !(rect.h > 0) || !rect.contains(p)) return std::nullopt;
    const float cell_w = rect.w / static_cast<float>(cols), cell_h = rect.h / static_cast<float>(rows);
    return Cell{std::clamp(static_cast<int>(std::floor((p.y - rect.y) / cell_h)), 0, rows - 1),
                std::clamp(static_cast<int>(std::floor((p.x - rect.x) / cell_w)), 0, cols - 1)};
}

const GridGeometry* DisplayList::grid(GridId id) const {
    for (const GridGeometry& g : grids)
        if (g.id == id) return &g;
    return nullptr;
}

std::optional<std::pair<GridId, Cell>> DisplayList::hit(Point p) const {
    for (const GridGeometry& g : grids)
        if (auto c = g.hit(p)) return std::pair{g.id, *c};
    return std::nullopt;
}

}  // namespace convlens
