// One grid of the canvas, measured and drawn: its cells (or one heatmap), values, index
// labels, zero-padding ring, title and caption. step_canvas.cpp arranges the grids.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "canvas/display_list.h"
#include "canvas/grid_crop.h"
#include "canvas/layer_layout.h"
#include "canvas/text_metrics.h"
#include "canvas/theme.h"

namespace convlens {

// Cells of padding around a grid, per side.
struct Ring {
    int top = 0, bottom = 0, left = 0, right = 0;
    bool any() const { return top > 0 || bottom > 0 || left > 0 || right > 0; }
    bool holds(Cell c, int rows, int cols) const {
        return c.row >= -top && c.col >= -left && c.row < rows + bottom && c.col < cols + right;
    }
};

struct GridBlock {
    GridId id = GridId::Input;
    const Matrix* values = nullptr;  // never null once made; may be empty (0 x 0)
    std::string title_tex;
    std::string caption;
    // The caption as drawn: one line, or wrapped to the grid's width (wrap_caption).
    std::vector<std::string> caption_lines;
    Cell first_index{1, 1};          // the labels of row 0 and column 0, as printed
    float cell = 0;                  // side of one cell: options.cell, smaller for heatmaps
    bool heatmap = false;            // one image, no numbers
    double scale = 0;                // max |value|: where the colour map saturates
    // The numbers as written in the cells (row-major, empty for heatmaps): one count of
    // decimals for the whole grid, and one size, the largest at which the widest fits.
    std::vector<std::string> value_texts;
    float value_size = 0;
    Ring ring;                       // space reserved around the cells, in cells
    bool ring_zeros = false;         // write the padding's 0 into ring cells
    // Row-major, rows*cols entries or empty: 1 where the cell is a zero the gather form
    // inserted, drawn like padding (dashed, a muted 0) and not in the colour map.
    std::vector<unsigned char> inserted;
    // The cells' fills in the layout's colour map (row-major), made once by cache_fills:
    // every frame of a lesson writes its numbers over them.
    std::vector<Color> fills;
    Color fills_negative, fills_neutral, fills_positive;
    // A heatmap's values as its DrawHeatmap carries them (inserted zeros NaN), made once by
    // cache_fills instead of the fills: every frame of the grids shares this one copy.
    std::shared_ptr<const std::vector<float>> heatmap_values;
    // After with_new_values changed a heatmap's numbers (canvas/step_canvas.cpp): the value
    // array it replaced and the cells in which the numbers differ. The DrawHeatmap carries
    // both as its upload hint, and the next change writes only its own and these cells
    // into that array's storage (when nothing else holds it) instead of converting the
    // whole grid. Null: laid out afresh.
    std::shared_ptr<const std::vector<float>> heatmap_before;
    DrawHeatmap::Cells heatmap_changed;
    // Where `values` lies in the whole grid: a lesson on a big grid shows a crop of it
    // (canvas/grid_crop.h), and the block's cells are then the crop's, `values` its numbers
    // and first_index the real index of its first row and column.
    GridCrop crop;
    // A crop's overview: the whole grid's values (row-major floats, inserted zeros NaN),
    // drawn as a small heatmap beside the crop with the crop's rectangle on it, so that the
    // student sees where the part lies. Null for a grid shown whole.
    std::shared_ptr<const std::vector<float>> overview_values;

    int rows() const { return static_cast<int>(values->rows()); }
    int cols() const { return static_cast<int>(values->cols()); }
    bool inside(Cell c) const { return c.row >= 0 && c.col >= 0 && c.row < rows() && c.col < cols(); }
    bool is_inserted(Cell c) const {
        if (!inside(c) || inserted.empty()) return false;
        return inserted[static_cast<size_t>(c.row) * static_cast<size_t>(cols()) +
                        static_cast<size_t>(c.col)] != 0;
    }
};

// Distances from the block's header corner (top left of its title) to its cells, and the
// extents past them; the arrangement lines up titles along rows and cells down columns.
struct BlockMetrics {
    float label_w = 0;      // row index labels, left of the ring
    float label_h = 0;      // column index labels, above the ring
    float header_h = 0;     // title and caption
    float header_w = 0;
    float left_lead = 0;    // header left -> cells.x
    float top_lead = 0;     // header top -> cells.y
    float right_extent = 0;   // cells.x -> right end of the ring
    float bottom_extent = 0;  // cells.y -> bottom end of the ring (or of the overview)
    Rect overview;            // a crop's overview, from cells.x and cells.y (w 0: none)
};

GridBlock make_block(GridId id, const Matrix& values, Cell first_index,
                     const LayoutOptions& options);
BlockMetrics measure(const GridBlock& block, const LayoutOptions& options);
// Breaks the caption at spaces into lines no wider than the grid with its labels and ring
// (a long caption would otherwise decide the column's width); 0 lines: one line.
void wrap_caption(GridBlock& block, const LayoutOptions& options, bool wrap);

// Where the block's cells are once its cells' top-left corner is at `cells`.
GridGeometry place_block(const GridBlock& block, Point cells);

// What does not change from step to step: title, caption and the cells' colours (inserted
// zeros excepted, which a step may hide). Index labels and rings are drawn per step.
void draw_grid(const GridBlock& block, const BlockMetrics& metrics, const GridGeometry& geometry,
               Point header, const Theme& theme, const LayoutOptions& options, DisplayList& out);
// The ring of padding cells, dashed, and the index labels: next to the cells unless the
// ring is shown, outside it when it is, with the ring's own rows and columns labelled.
void draw_ring(const GridBlock& block, const GridGeometry& geometry, const Theme& theme,
               DisplayList& out);
void draw_index_labels(const GridBlock& block, const BlockMetrics& metrics,
                       const GridGeometry& geometry, bool ring_shown, const Theme& theme,
                       const LayoutOptions& options, DisplayList& out);
// The inserted zeros' cells, dashed like padding, `alpha` of the way faded in.
void draw_inserted_cells(const GridBlock& block, const GridGeometry& geometry, float alpha,
                         const Theme& theme, DisplayList& out);

// A label in a cell's corner (the tap w_{i,j} that reaches it), as visible as `alpha`.
struct CellTag {
    Cell cell;
    std::string tex;
    float alpha = 1;
};

// What a step writes in one grid's cells.
struct CellTexts {
    std::vector<CellTag> tags;
    bool ring_shown = false;
    // How visible each cell's number is (hidden or not yet filled in: 0); null: all 1.
    std::function<float(Cell)> value_alpha;
    float inserted_alpha = 1;                  // the inserted zeros' "0"
    // The colour seen behind a cell's text when the step tints the cell; null: its fill.
    std::function<Color(Cell, Color)> seen;
};

// What is written in the cells (values, tags, the padding's zeros); the arrows are routed
// around these texts and drawn under them.
void draw_cell_texts(const GridBlock& block, const GridGeometry& geometry, const Theme& theme,
                     const LayoutOptions& options, const CellTexts& texts, DisplayList& out);

// The fill a cell is drawn with; positions outside the grid and inserted zeros are padding.
Color cell_fill(const GridBlock& block, const Theme& theme, Cell c);
// The cells' fills, or for a heatmap its values as floats (colours are the backend's).
void cache_fills(GridBlock& block, const Theme& theme);
// max |value| of a grid, where its colour map saturates (0 when that is not finite).
double grid_scale(const Matrix& values);
// A heatmap's values: row-major floats, NaN for inserted zeros.
std::shared_ptr<const std::vector<float>> heatmap_values(const GridBlock& block);
// The same of any grid's numbers: row-major floats, NaN where `inserted` (row-major, empty
// or one per value) marks a zero the gather form inserted.
std::shared_ptr<const std::vector<float>> heatmap_values(const Matrix& values,
                                                         const std::vector<unsigned char>& inserted);

// A cell-sized chip in the style of the cells: a value and, above it, its tag.
void draw_chip(Rect cell, const std::string& value_tex, const std::string& tag_tex, Color fill,
               Color stroke, float alpha, const Theme& theme, const LayoutOptions& options,
               DisplayList& out);

// Text from TeX-like source (parsed) or plain text (kept as one run).
DrawText math_text(const std::string& source, Rect box, float size, Color color,
                   HAlign align = HAlign::Center);
DrawText plain_text(const std::string& text, Rect box, float size, Color color,
                    HAlign align = HAlign::Center);

// A colour `alpha` as opaque as it was.
inline Color faded(Color c, float alpha) { return {c.r, c.g, c.b, c.a * alpha}; }

}  // namespace convlens
