// One grid of the layer view, measured and drawn: its cells (or one heatmap), values,
// index labels, zero-padding ring, title and caption. layer_layout.cpp arranges grids.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "canvas/display_list.h"
#include "canvas/layer_layout.h"
#include "canvas/text_metrics.h"
#include "canvas/theme.h"

namespace convlens {

// Cells of padding around a grid, per side.
struct Ring {
    int top = 0, bottom = 0, left = 0, right = 0;
    bool any() const { return top > 0 || bottom > 0 || left > 0 || right > 0; }
};

struct GridBlock {
    GridId id = GridId::Input;
    const Matrix* values = nullptr;  // never null once made; may be empty (0 x 0)
    std::string title_tex;
    std::string caption;
    int base = 1;                    // index labels are written in the scene's base
    float cell = 0;                  // side of one cell: options.cell, smaller for heatmaps
    bool heatmap = false;            // one image, no numbers
    double scale = 0;                // max |value|: where the colour map saturates
    Ring ring;                       // space reserved around the cells, in cells
    bool ring_visible = false;       // draw the ring (dashed cells)
    bool ring_zeros = false;         // write the padding's 0 into ring cells
    // TeX labels (the tap w_{i,j} that reaches a cell) in a cell's top-right corner, nearly
    // as large as the numbers; the cell's value moves down to make room.
    std::vector<std::pair<Cell, std::string>> tags;

    const std::string* tag_of(Cell c) const {
        for (const auto& [at, tex] : tags)
            if (at == c) return &tex;
        return nullptr;
    }

    int rows() const { return static_cast<int>(values->rows()); }
    int cols() const { return static_cast<int>(values->cols()); }
};

// Distances from the block's header corner (top left of its title) to its cells, and the
// extents past them; layer_layout lines up titles along rows and cells down columns.
struct BlockMetrics {
    float label_w = 0;      // row index labels, left of the ring
    float label_h = 0;      // column index labels, above the ring
    float header_h = 0;     // title and caption
    float header_w = 0;
    float left_lead = 0;    // header left -> cells.x
    float top_lead = 0;     // header top -> cells.y
    float right_extent = 0;   // cells.x -> right end of the ring
    float bottom_extent = 0;  // cells.y -> bottom end of the ring
};

GridBlock make_block(GridId id, const Matrix& values, int base, const LayoutOptions& options);
BlockMetrics measure(const GridBlock& block, const LayoutOptions& options);

// Draws the block with its cells' top-left corner at `cells` and its title at `header`:
// title, caption, index labels, cells and ring, but not what is written in the cells.
GridGeometry draw_grid(const GridBlock& block, const BlockMetrics& metrics, Point cells,
                       Point header, const Theme& theme, const LayoutOptions& options,
                       DisplayList& out);
// What is written in the cells (values, tap tags, the padding's zeros), drawn after the
// arrows so that an arrow crossing a cell passes under its number: each text an arrow
// crosses gets a patch of its cell's colour behind it.
void draw_cell_texts(const GridBlock& block, const GridGeometry& geometry, const Theme& theme,
                     const LayoutOptions& options, const std::vector<DrawArrow>& arrows,
                     DisplayList& out);

// The fill a cell is drawn with; positions outside the grid are padding.
Color cell_fill(const GridBlock& block, const Theme& theme, Cell c);

// Text from TeX-like source (parsed) or plain text (kept as one run).
DrawText math_text(const std::string& source, Rect box, float size, Color color,
                   HAlign align = HAlign::Center);
DrawText plain_text(const std::string& text, Rect box, float size, Color color,
                    HAlign align = HAlign::Center);

}  // namespace convlens
