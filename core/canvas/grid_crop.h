// The part of a big grid a lesson's canvas shows: every cell the lesson's steps name, a
// margin, grown to a readable size, so that a lesson on a photograph has numbers to read.
//
// A grid with more cells than LayoutOptions::max_value_cells is a heatmap without numbers.
// When a lesson is laid out (layout_grids with its steps), such a grid is cropped to the
// bounding box of the cells the steps reference in it (marks, links, tags, tokens, kernel
// windows), plus kCropMargin cells, grown to kMinCropCells a side and clipped to the grid.
// Grids that share indices and shape (z^l, a^l, delta^l; z^{l+1}, delta^{l+1}) share one
// crop, the union of theirs, so corresponding cells line up; a grid of such a family that
// no step touches takes the family's crop. A crop still too large for numbers is dropped:
// the grid stays a whole heatmap. The canvas then draws the crop as a small grid whose
// labels carry the real indices, and translates each step into the crop's cells.
#pragma once

#include <optional>
#include <vector>

#include "lesson/lesson_step.h"

namespace convlens {

inline constexpr int kCropMargin = 1;    // cells of context around what the steps name
inline constexpr int kMinCropCells = 8;  // a crop is at least this many cells a side
                                         // (or the whole grid's side when smaller)

// Where a crop lies in its grid, zero-based. Whole grids have first = {0, 0} and
// rows, cols = full_rows, full_cols.
struct GridCrop {
    Cell first{0, 0};                  // the real index of the crop's top-left cell
    int rows = 0, cols = 0;            // the crop's size
    int full_rows = 0, full_cols = 0;  // the whole grid's size
    bool whole() const {
        return first.row == 0 && first.col == 0 && rows == full_rows && cols == full_cols;
    }
    // Whether a real cell of the grid is one of the crop's.
    bool contains(Cell real) const {
        return real.row >= first.row && real.col >= first.col && real.row < first.row + rows &&
               real.col < first.col + cols;
    }
    // A real cell (possibly outside the grid: its padding) in the crop's own cells.
    Cell shown(Cell real) const { return {real.row - first.row, real.col - first.col}; }
    Cell real(Cell shown) const { return {shown.row + first.row, shown.col + first.col}; }
    // Whether the crop reaches the grid's edge on each side (only there is the zero
    // padding next to its cells).
    bool at_top() const { return first.row == 0; }
    bool at_left() const { return first.col == 0; }
    bool at_bottom() const { return first.row + rows == full_rows; }
    bool at_right() const { return first.col + cols == full_cols; }
};

// The whole grid as a crop of itself.
GridCrop whole_grid(int rows, int cols);

// The smallest box around cells, real indices, possibly reaching outside the grid.
struct CellBox {
    int top = 0, left = 0, bottom = -1, right = -1;  // inclusive; bottom < top: empty
    bool empty() const { return bottom < top || right < left; }
    void add(Cell c);
    void add(const CellBox& other);
    bool contains(Cell c) const {
        return !empty() && c.row >= top && c.row <= bottom && c.col >= left && c.col <= right;
    }
};

// Calls add(grid, cell) for every cell `s` draws something at: its marks, both ends of its
// links, its tags and tokens, and the kernel window's first and last cell. What a crop
// must show and a padding ring must make room for.
template <class Add>
void for_each_placed_cell(const Step& s, Add&& add) {
    for (const Mark& m : s.marks) add(m.grid, m.cell);
    for (const MarkBlock& b : s.mark_blocks)  // a lattice's corners hold its box
        if (b.count() > 0) add(b.grid, b.first), add(b.grid, b.last());
    for (const Link& l : s.links) {
        add(l.from_grid, l.from);
        add(l.to_grid, l.to);
    }
    for (const Tag& t : s.tags) add(t.grid, t.cell);
    for (const Token& t : s.tokens) add(t.grid, t.cell);
    if (s.window) {
        const KernelWindow& w = *s.window;
        add(w.grid, w.origin);
        add(w.grid, Cell{w.origin.row + (w.rows - 1) * w.spacing.row,
                         w.origin.col + (w.cols - 1) * w.spacing.col});
    }
}

// Every cell of `grid` that any of `steps` names: marks, link ends, tags, tokens, the
// kernel window's first and last frame, and the cell the step is about.
CellBox referenced_cells(GridId grid, const std::vector<Step>& steps);

// The crop of a full_rows x full_cols grid around `box`: kCropMargin added, grown to
// kMinCropCells (about the box's centre), clipped to the grid.
GridCrop crop_around(const CellBox& box, int full_rows, int full_cols);

// A grid the canvas shows, by its size.
struct GridShape {
    GridId id = GridId::Input;
    int rows = 0, cols = 0;
};

// The crop of each of `grids` (same order): a crop for each grid with more than
// `max_value_cells` cells that the steps (or its family's other grids) touch and whose crop
// has at most `max_value_cells` cells; nullopt for the others (drawn whole).
std::vector<std::optional<GridCrop>> lesson_crops(const std::vector<GridShape>& grids,
                                                  const std::vector<Step>& steps,
                                                  int max_value_cells);

// `step` with every cell of a cropped grid moved into its crop's own cells. `crop_of`
// gives a grid's crop (nullptr: not cropped, its cells stay).
template <class CropOf>
Step step_in_crops(const Step& step, const CropOf& crop_of) {
    Step s = step;
    auto move = [&](GridId grid, Cell& cell) {
        if (const GridCrop* c = crop_of(grid)) cell = c->shown(cell);
    };
    for (Mark& m : s.marks) move(m.grid, m.cell);
    for (MarkBlock& b : s.mark_blocks) move(b.grid, b.first);
    for (Link& l : s.links) {
        move(l.from_grid, l.from);
        move(l.to_grid, l.to);
    }
    for (Tag& t : s.tags) move(t.grid, t.cell);
    for (Token& t : s.tokens) move(t.grid, t.cell);
    if (s.window) move(s.window->grid, s.window->origin);
    if (s.about) move(s.about->grid, s.about->cell);
    return s;
}

}  // namespace convlens
