// The backend-neutral display list: what one frame of convlens looks like, as plain
// shapes in layout units. The GL backend draws it on screen and cairo into files, so what
// a teacher sees is what lands on the slide; tests read the list itself.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "canvas/math_text.h"
#include "engine/matrix.h"
#include "lesson/lesson_step.h"
#include "util/changed_box.h"

namespace convlens {

struct Color {
    float r = 0, g = 0, b = 0, a = 1;  // 0..1, straight (not premultiplied) alpha
    friend bool operator==(const Color&, const Color&) = default;
};

struct Point {
    float x = 0, y = 0;
};

struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
    bool contains(Point p) const { return p.x >= x && p.x < x + w && p.y >= y && p.y < y + h; }
    Point center() const { return {x + w / 2, y + h / 2}; }
};

enum class HAlign { Left, Center, Right };

struct DrawRect {
    Rect rect;
    Color fill{0, 0, 0, 0};      // alpha 0: no fill
    Color stroke{0, 0, 0, 0};    // alpha 0: no outline
    float stroke_width = 1;
    bool dashed = false;         // dashed outline: cells that exist only as zero padding
};

// Text in a box: centred vertically, aligned horizontally. `source` is the TeX-like
// source it was rendered from (for "copy as LaTeX"); `runs` is what to draw.
struct DrawText {
    Rect box;
    MathText text;
    std::string source;
    float size = 14;             // font size of base-level runs
    Color color;
    HAlign align = HAlign::Center;
    bool monospace_digits = false;  // numbers in cells
};

struct DrawArrow {
    Point from, to;
    Color color;
    float width = 2;
    float head = 8;              // arrow head length
    bool dashed = false;         // taps that reach no output
};

struct DrawLine {
    Point from, to;
    Color color;
    float width = 1;
};

// The theme's diverging colour map by its three stops (canvas/theme.h's diverging_color
// runs from one through the next): what a heatmap is coloured with.
struct DivergingMap {
    Color negative, neutral, positive;
    friend bool operator==(const DivergingMap&, const DivergingMap&) = default;
};

// A large grid drawn as one image: its values and their range, not colours. The screen
// uploads the values once as a float texture and colours them in a shader (app/
// heatmap_texture.h); files colour them through a lookup table (canvas/heatmap_colors.h).
// The values are shared, so frames that only move a mark over the grid share them too.
// GCC 12 reports the variant's move of this struct, inlined where the list's vector grows,
// as reading uninitialised members (a false positive of its -Wmaybe-uninitialized with
// std::variant; every member has an initialiser).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
struct DrawHeatmap {
    Rect rect;
    int rows = 0, cols = 0;
    GridId grid = GridId::Input;
    double scale = 0;            // |value| where the map saturates; <= 0: all neutral
    DivergingMap map;
    Color missing;
    // Row-major, top row first, rows*cols entries. NaN: a cell that is no value of the
    // grid (a zero the gather form inserted), drawn in `missing`.
    std::shared_ptr<const std::vector<float>> values;
    // A hint for a backend that still holds the values it drew before (the window's
    // texture): `values` equal *changed_since's everywhere outside the cells of `changed`
    // (rows row..row+rows-1, columns col..col+cols-1), so only those need uploading and
    // nothing needs comparing. The hover view's value swap (canvas/step_canvas.h's
    // with_new_values) sets it; null or expired: no hint, compare as before.
    using Cells = CellRect;
    std::weak_ptr<const std::vector<float>> changed_since;
    Cells changed;
    bool complete() const {
        return rows > 0 && cols > 0 && values &&
               values->size() == static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols);
    }
};
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

using DrawItem = std::variant<DrawRect, DrawText, DrawArrow, DrawLine, DrawHeatmap>;

// Where a grid's cells are, for hit-testing and for anchoring arrows. A lesson on a big
// grid may show only a crop of it (canvas/grid_crop.h): `first` is then the real index of
// the first shown cell, and cell_rect and hit speak real indices all the same.
struct GridGeometry {
    GridId id = GridId::Input;
    Rect cells;                  // the shown cells, without any padding ring
    int rows = 0, cols = 0;      // how many are shown
    float cell = 0;              // side of one square cell
    Cell first{0, 0};            // the real (zero-based) index of the top-left shown cell
    int full_rows = 0, full_cols = 0;  // the whole grid's size (rows, cols unless cropped)
    // The rectangle of a real cell (outside the shown ones too: padding rings use them).
    Rect cell_rect(Cell c) const {
        return {cells.x + static_cast<float>(c.col - first.col) * cell,
                cells.y + static_cast<float>(c.row - first.row) * cell, cell, cell};
    }
    // Whether a real cell is one of those shown.
    bool shows(Cell c) const {
        return c.row >= first.row && c.col >= first.col && c.row < first.row + rows &&
               c.col < first.col + cols;
    }
    // The real cell under p among those shown.
    std::optional<Cell> hit(Point p) const;
};

// A lesson on a big grid shows a crop of it and, beside the crop, the whole grid as a
// small heatmap (canvas/grid_crop.h): where that overview is, so that a click on it can
// name the real cell under the pointer (the window makes it the lesson's cell).
struct GridOverview {
    GridId id = GridId::Input;
    Rect rect;                   // the whole grid, drawn small
    int rows = 0, cols = 0;      // the whole grid's size
    std::optional<Cell> hit(Point p) const;
};

struct DisplayList {
    float width = 0, height = 0;  // extent of everything, layout units
    Color background;
    std::vector<DrawItem> items;  // back to front
    std::vector<GridGeometry> grids;
    std::vector<GridOverview> overviews;  // not part of hit(): a crop's cells are the grid

    const GridGeometry* grid(GridId id) const;
    // The grid and cell under p, or nullopt.
    std::optional<std::pair<GridId, Cell>> hit(Point p) const;
};

}  // namespace convlens
