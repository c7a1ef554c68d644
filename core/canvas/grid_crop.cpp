#include "canvas/grid_crop.h"

#include <algorithm>
#include <array>

namespace convlens {
namespace {

// One axis of a crop: [lo, hi] widened by the margin, grown to the minimum about its
// centre, shifted back inside 0..full-1 and clipped there.
std::pair<int, int> crop_axis(int lo, int hi, int full) {
    lo -= kCropMargin;
    hi += kCropMargin;
    const int least = std::min(kMinCropCells, full);
    if (hi - lo + 1 < least) {
        const int missing = least - (hi - lo + 1);
        lo -= missing / 2;
        hi += missing - missing / 2;
    }
    // Grown past one end: the room goes to the other end, so the crop keeps its size.
    if (lo < 0) hi = std::max(hi, least - 1), lo = 0;
    if (hi > full - 1) lo = std::min(lo, full - least), hi = full - 1;
    lo = std::clamp(lo, 0, std::max(0, full - 1));
    hi = std::clamp(hi, lo, std::max(0, full - 1));
    return {lo, hi};
}

}  // namespace

GridCrop whole_grid(int rows, int cols) { return {{0, 0}, rows, cols, rows, cols}; }

void CellBox::add(Cell c) {
    if (empty()) {
        top = bottom = c.row;
        left = right = c.col;
        return;
    }
    top = std::min(top, c.row);
    bottom = std::max(bottom, c.row);
    left = std::min(left, c.col);
    right = std::max(right, c.col);
}

void CellBox::add(const CellBox& other) {
    if (other.empty()) return;
    add(Cell{other.top, other.left});
    add(Cell{other.bottom, other.right});
}

namespace {

constexpr size_t kGridIds = static_cast<size_t>(GridId::PaddedUpstream) + 1;

// The boxes of every grid in one pass over the steps (a long lesson's Done marks add up).
std::array<CellBox, kGridIds> referenced_boxes(const std::vector<Step>& steps) {
    std::array<CellBox, kGridIds> boxes;
    auto add = [&](GridId id, Cell c) { boxes[static_cast<size_t>(id)].add(c); };
    for (const Step& s : steps) {
        for_each_placed_cell(s, add);
        if (s.about) add(s.about->grid, s.about->cell);
    }
    return boxes;
}

}  // namespace

CellBox referenced_cells(GridId grid, const std::vector<Step>& steps) {
    return referenced_boxes(steps)[static_cast<size_t>(grid)];
}

GridCrop crop_around(const CellBox& box, int full_rows, int full_cols) {
    if (box.empty() || full_rows <= 0 || full_cols <= 0) return whole_grid(full_rows, full_cols);
    const auto [top, bottom] = crop_axis(box.top, box.bottom, full_rows);
    const auto [left, right] = crop_axis(box.left, box.right, full_cols);
    return {{top, left}, bottom - top + 1, right - left + 1, full_rows, full_cols};
}

std::vector<std::optional<GridCrop>> lesson_crops(const std::vector<GridShape>& grids,
                                                  const std::vector<Step>& steps,
                                                  int max_value_cells) {
    std::vector<std::optional<GridCrop>> crops(grids.size());
    auto big = [&](const GridShape& g) {
        return static_cast<long long>(g.rows) * g.cols > max_value_cells;
    };
    // Grids that share indices and shape: one family, one crop.
    auto together = [](const GridShape& a, const GridShape& b) {
        if (a.id == b.id) return true;
        const int family = cell_family(a.id);
        return family >= 0 && family == cell_family(b.id) && a.rows == b.rows && a.cols == b.cols;
    };
    if (std::none_of(grids.begin(), grids.end(), big)) return crops;
    const std::array<CellBox, kGridIds> boxes = referenced_boxes(steps);
    for (size_t k = 0; k < grids.size(); ++k) {
        if (!big(grids[k])) continue;
        CellBox box;
        for (const GridShape& other : grids)
            if (together(grids[k], other)) box.add(boxes[static_cast<size_t>(other.id)]);
        if (box.empty()) continue;
        const GridCrop crop = crop_around(box, grids[k].rows, grids[k].cols);
        if (static_cast<long long>(crop.rows) * crop.cols > max_value_cells || crop.whole()) continue;
        crops[k] = crop;
    }
    return crops;
}

}  // namespace convlens
