#include "canvas/grid_drawing.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "canvas/heatmap_colors.h"

#include "util/number_format.h"

namespace convlens {
namespace {

// A tagged cell names the tap that reaches it (w_{i,j}) in its top-right corner, as large
// as the numbers where it fits, and moves its value down into the rest: neither covers the
// other. Arrows come from the input grids on the left and stop just inside a cell's left
// (or, when steep, top) edge, so the right corner is the one their tips never reach; an
// arrow crossing a cell at mid-height on its way to a neighbour runs between tag and value.
// At the window's usual zoom (about 0.6) anything much smaller than a number is a few
// unreadable pixels.
constexpr float kTagBand = 0.38f;     // of the cell, from its top
constexpr float kTagInset = 0.1f;     // of the cell, from its sides: clear of focus outlines
constexpr float kTagMaxSize = 0.36f;  // of the cell

Rect tag_box(Rect cell) {
    return {cell.x + cell.w * kTagInset, cell.y + cell.h * 0.02f, cell.w * (1 - 2 * kTagInset),
            cell.h * kTagBand};
}

Rect below_tag(Rect cell) {
    const float top = cell.h * (kTagBand - 0.02f);
    return {cell.x, cell.y + top, cell.w, cell.h - top};
}

float tag_size(const std::string& tex, Rect cell, const LayoutOptions& options) {
    const float fits = tag_box(cell).w / std::max(1.0f, estimate_math_width(parse_math(tex), 1));
    return std::min({options.value_size, kTagMaxSize * cell.h, fits});
}

DrawText tag_text(const std::string& tex, Rect cell, Color color, const LayoutOptions& options) {
    return math_text(tex, tag_box(cell), tag_size(tex, cell, options), color, HAlign::Right);
}

// The value under a tag: as large as the numbers elsewhere unless the cell is too short.
float value_size_under_tag(Rect cell, float size) {
    return std::min(size, 0.75f * below_tag(cell).h);
}

// A number takes at most this much of its cell's width (clear of the grid lines, where
// arrows run), and is never drawn smaller than kMinValueSize however wide it is.
constexpr float kValueWidth = 0.9f;
constexpr float kMinValueEm = 0.6f;
constexpr float kMinValueSize = 6;

// A heatmap grid fits in about this many default cells across, whatever its size.
constexpr float kHeatmapSpanCells = 16;
constexpr float kMinHeatmapCell = 1.5f;
// Line heights in em of their text: just above the ink of a title with a superscript (1.3
// em) and of plain text (1.16 em). Each row of grids stacks all three, and the window fits
// the whole layer in about 500 px of height, so every unit here costs the numbers size.
constexpr float kTitleLine = 1.4f, kCaptionLine = 1.4f, kIndexLine = 1.3f;
// A crop's overview: its longer side this share of the crop's height, this many cells
// right of the crop (clear of the routes that run along the crop's last grid line).
constexpr float kOverviewShare = 0.45f, kOverviewGap = 0.6f;
constexpr float kCropFrameWidth = 2;

// The whole grid, small, beside its crop, with the crop's rectangle drawn on it.
void draw_overview(const GridBlock& b, const BlockMetrics& m, const GridGeometry& g,
                   const Theme& theme, DisplayList& out) {
    if (!b.overview_values || m.overview.w <= 0) return;
    const Rect at{g.cells.x + m.overview.x, g.cells.y + m.overview.y, m.overview.w, m.overview.h};
    DrawHeatmap& map = std::get<DrawHeatmap>(out.items.emplace_back(std::in_place_type<DrawHeatmap>));
    map.rect = at;
    map.rows = b.crop.full_rows;
    map.cols = b.crop.full_cols;
    map.grid = b.id;
    map.values = b.overview_values;
    map.scale = b.scale;
    map.map = diverging_map(theme);
    map.missing = theme.padding_cell;
    out.items.push_back(DrawRect{at, {0, 0, 0, 0}, theme.grid_line, 1, false});
    const float unit = at.w / static_cast<float>(b.crop.full_cols);
    // At least a few units across, so that a crop of a 1024-wide grid still shows.
    const float w = std::max(3.0f, static_cast<float>(b.crop.cols) * unit);
    const float h = std::max(3.0f, static_cast<float>(b.crop.rows) * unit);
    const float x = std::min(at.x + static_cast<float>(b.crop.first.col) * unit, at.x + at.w - w);
    const float y = std::min(at.y + static_cast<float>(b.crop.first.row) * unit, at.y + at.h - h);
    out.items.push_back(DrawRect{{x, y, w, h}, {0, 0, 0, 0}, theme.highlight, kCropFrameWidth, false});
}

bool show_every_label(const GridBlock& b) { return !b.heatmap; }

void draw_cells(const GridBlock& b, const GridGeometry& g, const Theme& theme, DisplayList& out) {
    if (b.heatmap) {
        // Made in place: moving it into the variant trips GCC 12's maybe-uninitialized.
        DrawHeatmap& map = std::get<DrawHeatmap>(out.items.emplace_back(std::in_place_type<DrawHeatmap>));
        map.rect = g.cells;
        map.rows = b.rows();
        map.cols = b.cols();
        map.grid = b.id;
        map.values = b.heatmap_values ? b.heatmap_values : heatmap_values(b);
        if (b.heatmap_before && map.values == b.heatmap_values) {
            map.changed_since = b.heatmap_before;
            map.changed = b.heatmap_changed;
        }
        map.scale = b.scale;
        map.map = diverging_map(theme);
        map.missing = theme.padding_cell;
        out.items.push_back(DrawRect{g.cells, {0, 0, 0, 0}, theme.grid_line, 1, false});
        return;
    }
    // Inserted zeros are the step's to draw: it may not show them yet.
    for (int r = 0; r < b.rows(); ++r)
        for (int c = 0; c < b.cols(); ++c)
            if (!b.is_inserted({r, c}))
                out.items.push_back(DrawRect{g.cell_rect({r, c}), cell_fill(b, theme, {r, c}),
                                             theme.grid_line, 1, false});
}

// What is written in a cell. Arrows are routed around texts (canvas/arrow_routes.h), so a
// text needs no patch behind it.
void put_cell_text(DrawText text, DisplayList& out) { out.items.push_back(std::move(text)); }

}  // namespace

GridBlock make_block(GridId id, const Matrix& values, Cell first_index,
                     const LayoutOptions& options) {
    GridBlock b;
    b.id = id;
    b.values = &values;
    b.first_index = first_index;
    b.title_tex = grid_symbol_tex(id);
    b.crop = whole_grid(static_cast<int>(values.rows()), static_cast<int>(values.cols()));
    const long long count = static_cast<long long>(values.rows()) * values.cols();
    b.heatmap = count > options.max_value_cells;
    const float longest = static_cast<float>(std::max<Eigen::Index>({values.rows(), values.cols(), 1}));
    b.cell = b.heatmap ? std::clamp(options.cell * kHeatmapSpanCells / longest, kMinHeatmapCell,
                                    options.cell)
                       : options.cell;
    b.scale = grid_scale(values);
    if (!b.heatmap) {
        // Row-major, as the cells are read; one size for all, so 0.11 is as large as 3.
        std::vector<double> row_major;
        row_major.reserve(static_cast<size_t>(count));
        for (Eigen::Index r = 0; r < values.rows(); ++r)
            for (Eigen::Index c = 0; c < values.cols(); ++c) row_major.push_back(values(r, c));
        const int decimals = shared_decimals(row_major.data(), static_cast<long>(row_major.size()));
        float widest = kMinValueEm;
        for (double v : row_major) {
            b.value_texts.push_back(format_with_decimals(v, decimals));
            widest = std::max(widest, estimate_math_width(parse_math(b.value_texts.back()), 1));
        }
        b.value_size = std::max(kMinValueSize, std::min(options.value_size, kValueWidth * b.cell / widest));
    }
    return b;
}

BlockMetrics measure(const GridBlock& b, const LayoutOptions& options) {
    BlockMetrics m;
    float widest = 0;
    // The ring's rows are labelled too (canvas draws the reserved ring in every frame).
    const int above = b.heatmap ? 0 : b.ring.top, below = b.heatmap ? 0 : b.ring.bottom;
    for (int k : {b.first_index.row - above, b.first_index.row + b.rows() - 1 + below})
        widest = std::max(widest, estimate_text_width(std::to_string(k), options.value_size));
    m.label_w = widest + options.value_size * 0.9f;
    m.label_h = options.value_size * kIndexLine;
    const std::vector<std::string> one = {b.caption};
    const std::vector<std::string>& lines = b.caption_lines.empty() ? one : b.caption_lines;
    m.header_h = options.title_size * kTitleLine +
                 options.value_size * kCaptionLine * static_cast<float>(lines.size());
    m.header_w = estimate_math_width(parse_math(b.title_tex), options.title_size);
    for (const std::string& line : lines)
        m.header_w = std::max(m.header_w, estimate_text_width(line, options.value_size));
    m.left_lead = m.label_w + static_cast<float>(b.ring.left) * b.cell;
    m.top_lead = m.header_h + m.label_h + static_cast<float>(b.ring.top) * b.cell;
    m.right_extent = static_cast<float>(b.cols() + b.ring.right) * b.cell;
    m.bottom_extent = static_cast<float>(b.rows() + b.ring.bottom) * b.cell;
    if (b.overview_values && b.crop.full_rows > 0 && b.crop.full_cols > 0) {
        // Beside the crop, top-aligned with its cells, its longer side about half the crop's
        // height (at least three cells), so it reads as a map and not as another grid.
        const float side = std::max(3.0f, kOverviewShare * static_cast<float>(b.rows())) * b.cell;
        const float unit = side / static_cast<float>(std::max(b.crop.full_rows, b.crop.full_cols));
        m.overview = {m.right_extent + kOverviewGap * b.cell, 0,
                      static_cast<float>(b.crop.full_cols) * unit,
                      static_cast<float>(b.crop.full_rows) * unit};
        m.right_extent = m.overview.x + m.overview.w;
        m.bottom_extent = std::max(m.bottom_extent, m.overview.y + m.overview.h);
    }
    return m;
}

void wrap_caption(GridBlock& b, const LayoutOptions& options, bool wrap) {
    b.caption_lines.clear();
    if (!wrap) return;
    const BlockMetrics m = measure(b, options);
    const float width = std::max(m.left_lead + m.right_extent,
                                 estimate_math_width(parse_math(b.title_tex), options.title_size));
    std::string line;
    size_t start = 0;
    while (start <= b.caption.size()) {
        size_t end = b.caption.find(' ', start);
        if (end == std::string::npos) end = b.caption.size();
        const std::string word = b.caption.substr(start, end - start);
        const std::string longer = line.empty() ? word : line + " " + word;
        if (!line.empty() && estimate_text_width(longer, options.value_size) > width) {
            b.caption_lines.push_back(line);
            line = word;
        } else {
            line = longer;
        }
        start = end + 1;
    }
    if (!line.empty()) b.caption_lines.push_back(line);
}

GridGeometry place_block(const GridBlock& b, Point cells) {
    GridGeometry g;
    g.id = b.id;
    g.rows = b.rows();
    g.cols = b.cols();
    g.cell = b.cell;
    g.cells = {cells.x, cells.y, static_cast<float>(g.cols) * b.cell,
               static_cast<float>(g.rows) * b.cell};
    g.full_rows = g.rows;  // the canvas's own geometry is in shown cells; render() tells
    g.full_cols = g.cols;  // the list where a crop lies in its grid (publish_crops)
    return g;
}

void draw_grid(const GridBlock& b, const BlockMetrics& m, const GridGeometry& g, Point header,
               const Theme& theme, const LayoutOptions& options, DisplayList& out) {
    const float title_h = options.title_size * kTitleLine;
    out.items.push_back(math_text(b.title_tex, {header.x, header.y, m.header_w, title_h},
                                  options.title_size, theme.text, HAlign::Left));
    const std::vector<std::string> one = {b.caption};
    const std::vector<std::string>& lines = b.caption_lines.empty() ? one : b.caption_lines;
    const float line_h = options.value_size * kCaptionLine;
    for (size_t k = 0; k < lines.size(); ++k)
        out.items.push_back(plain_text(lines[k],
                                       {header.x, header.y + title_h + static_cast<float>(k) * line_h,
                                        m.header_w, line_h},
                                       options.value_size, theme.muted_text, HAlign::Left));
    draw_cells(b, g, theme, out);
    draw_overview(b, m, g, theme, out);
}

void draw_ring(const GridBlock& b, const GridGeometry& g, const Theme& theme, DisplayList& out) {
    const Ring& ring = b.ring;
    if (!ring.any()) return;
    if (b.heatmap) {
        // One dashed frame: hundreds of hairline cells would read as noise.
        const Rect outer = {g.cells.x - static_cast<float>(ring.left) * b.cell,
                            g.cells.y - static_cast<float>(ring.top) * b.cell,
                            static_cast<float>(ring.left + b.cols() + ring.right) * b.cell,
                            static_cast<float>(ring.top + b.rows() + ring.bottom) * b.cell};
        // The ring is drawn over the grid's cells (each step decides whether it shows):
        // its four bands are filled, the heatmap inside them stays visible.
        const Rect& in = g.cells;
        const Rect bands[] = {
            {outer.x, outer.y, outer.w, in.y - outer.y},
            {outer.x, in.y + in.h, outer.w, outer.y + outer.h - in.y - in.h},
            {outer.x, in.y, in.x - outer.x, in.h},
            {in.x + in.w, in.y, outer.x + outer.w - in.x - in.w, in.h}};
        for (const Rect& band : bands)
            if (band.w > 0 && band.h > 0)
                out.items.push_back(DrawRect{band, theme.padding_cell, {0, 0, 0, 0}, 1, false});
        out.items.push_back(DrawRect{outer, {0, 0, 0, 0}, theme.grid_line, 1, true});
        return;
    }
    for (int r = -ring.top; r < b.rows() + ring.bottom; ++r) {
        for (int c = -ring.left; c < b.cols() + ring.right; ++c) {
            if (b.inside({r, c})) continue;
            out.items.push_back(
                DrawRect{g.cell_rect({r, c}), theme.padding_cell, theme.grid_line, 1, true});
        }
    }
}

void draw_index_labels(const GridBlock& b, const BlockMetrics& m, const GridGeometry& g,
                       bool ring_shown, const Theme& theme, const LayoutOptions& options,
                       DisplayList& out) {
    const float size = std::min(options.value_size, std::max(b.cell, options.value_size * 0.8f));
    // Outside the ring when it is drawn, and its rows and columns are labelled as well, in
    // a fainter colour: "q = -1" in the equation is the column labelled -1 (a heatmap
    // labels only its own first and last row and column, next to its ring).
    const bool ring = ring_shown && b.ring.any();
    const bool ring_labels = ring && !b.heatmap;
    const float ring_left = ring ? static_cast<float>(b.ring.left) * b.cell : 0;
    const float ring_top = ring ? static_cast<float>(b.ring.top) * b.cell : 0;
    const Rect cells = g.cells;
    const Color ring_color = faded(theme.muted_text, 0.6f);
    auto labelled = [&](int k, int n) { return show_every_label(b) || k == 0 || k == n - 1; };
    const int first_row = ring_labels ? -b.ring.top : 0, last_row = b.rows() + (ring_labels ? b.ring.bottom : 0);
    for (int r = first_row; r < last_row; ++r) {
        if (!labelled(r, b.rows())) continue;
        const Rect box{cells.x - ring_left - m.label_w, cells.y + static_cast<float>(r) * b.cell,
                       m.label_w - size * 0.4f, b.cell};
        const bool in_ring = r < 0 || r >= b.rows();
        out.items.push_back(plain_text(std::to_string(r + b.first_index.row), box, size,
                                       in_ring ? ring_color : theme.muted_text, HAlign::Right));
    }
    const int first_col = ring_labels ? -b.ring.left : 0, last_col = b.cols() + (ring_labels ? b.ring.right : 0);
    for (int c = first_col; c < last_col; ++c) {
        if (!labelled(c, b.cols())) continue;
        const Rect box{cells.x + static_cast<float>(c) * b.cell, cells.y - ring_top - m.label_h,
                       b.cell, m.label_h};
        const bool in_ring = c < 0 || c >= b.cols();
        out.items.push_back(plain_text(std::to_string(c + b.first_index.col), box, size,
                                       in_ring ? ring_color : theme.muted_text, HAlign::Center));
    }
}

void draw_inserted_cells(const GridBlock& b, const GridGeometry& g, float alpha,
                         const Theme& theme, DisplayList& out) {
    if (b.inserted.empty() || alpha <= 0 || b.heatmap) return;
    for (int r = 0; r < b.rows(); ++r)
        for (int c = 0; c < b.cols(); ++c)
            if (b.is_inserted({r, c}))
                out.items.push_back(DrawRect{g.cell_rect({r, c}), faded(theme.padding_cell, alpha),
                                             faded(theme.grid_line, alpha), 1, true});
}

void draw_cell_texts(const GridBlock& b, const GridGeometry& g, const Theme& theme,
                     const LayoutOptions& options, const CellTexts& texts,
                     DisplayList& out) {
    if (b.heatmap) return;
    auto tag_of = [&](Cell c) -> const CellTag* {
        for (const CellTag& t : texts.tags)
            if (t.cell == c && t.alpha > 0) return &t;
        return nullptr;
    };
    auto seen = [&](Cell c, Color fill) { return texts.seen ? texts.seen(c, fill) : fill; };
    const float zero = options.value_size * 0.9f;
    // A zero of the padding or one the gather form inserted: muted, under any tag.
    auto write_zero = [&](Cell c, Rect rect, float alpha) {
        const CellTag* tag = tag_of(c);
        if (tag)
            put_cell_text(tag_text(tag->tex, rect, faded(theme.muted_text, tag->alpha), options),
                          out);
        if (alpha > 0)
            put_cell_text(math_text("0", tag ? below_tag(rect) : rect,
                                    tag ? value_size_under_tag(rect, zero) : zero,
                                    faded(theme.muted_text, alpha)),
                          out);
    };
    const Ring& ring = b.ring;
    if (texts.ring_shown && ring.any()) {
        for (int r = -ring.top; r < b.rows() + ring.bottom; ++r) {
            for (int c = -ring.left; c < b.cols() + ring.right; ++c) {
                if (b.inside({r, c})) continue;
                write_zero({r, c}, g.cell_rect({r, c}), b.ring_zeros ? 1.0f : 0.0f);
            }
        }
    }
    for (int r = 0; r < b.rows(); ++r) {
        for (int c = 0; c < b.cols(); ++c) {
            const Rect rect = g.cell_rect({r, c});
            const Color fill = cell_fill(b, theme, {r, c});
            if (b.is_inserted({r, c})) {
                write_zero({r, c}, rect, texts.inserted_alpha);
                continue;
            }
            const Color under = seen({r, c}, fill);
            const float alpha = texts.value_alpha ? texts.value_alpha({r, c}) : 1.0f;
            const std::string& source =
                b.value_texts[static_cast<size_t>(r) * static_cast<size_t>(b.cols()) +
                              static_cast<size_t>(c)];
            const CellTag* tag = tag_of({r, c});
            if (tag)
                put_cell_text(tag_text(tag->tex, rect, faded(text_color_on(theme, under), tag->alpha),
                                       options),
                              out);
            if (alpha <= 0) continue;
            const float size = b.value_size;
            DrawText text = math_text(source, tag ? below_tag(rect) : rect,
                                      tag ? value_size_under_tag(rect, size) : size,
                                      faded(text_color_on(theme, under), alpha));
            text.monospace_digits = true;
            put_cell_text(std::move(text), out);
        }
    }
}

Color cell_fill(const GridBlock& b, const Theme& theme, Cell c) {
    if (!b.inside(c) || b.is_inserted(c)) return theme.padding_cell;
    if (!b.fills.empty() && b.fills_negative == theme.negative && b.fills_neutral == theme.neutral &&
        b.fills_positive == theme.positive)
        return b.fills[static_cast<size_t>(c.row) * static_cast<size_t>(b.cols()) +
                       static_cast<size_t>(c.col)];
    return diverging_color(theme, (*b.values)(c.row, c.col), b.scale);
}

double grid_scale(const Matrix& values) {
    const double scale = values.size() > 0 ? values.cwiseAbs().maxCoeff() : 0.0;
    return std::isfinite(scale) ? scale : 0.0;
}

std::shared_ptr<const std::vector<float>> heatmap_values(const Matrix& m,
                                                         const std::vector<unsigned char>& inserted) {
    // Matrix is row-major like the list: one pass over its storage (a 1024 x 1024 grid is
    // converted on every new result, so this loop is on the way from an edit to the screen).
    const std::size_t n = static_cast<size_t>(m.rows()) * static_cast<size_t>(m.cols());
    // Made from the doubles directly: a vector of n zeros written over doubled the stores.
    auto values = std::make_shared<std::vector<float>>(m.data(), m.data() + n);
    float* out = values->data();
    if (inserted.size() == n)
        for (std::size_t k = 0; k < n; ++k)
            if (inserted[k]) out[k] = std::numeric_limits<float>::quiet_NaN();
    return values;
}

std::shared_ptr<const std::vector<float>> heatmap_values(const GridBlock& b) {
    return heatmap_values(*b.values, b.inserted);
}

void cache_fills(GridBlock& b, const Theme& theme) {
    b.fills.clear();
    if (b.heatmap) {
        // Hundreds of thousands of CIELAB conversions would make every layout slow; the
        // backends colour the values themselves.
        b.heatmap_values = heatmap_values(b);
        b.heatmap_before.reset();  // converted whole: no earlier array to speak of
        b.heatmap_changed = {};
        return;
    }
    std::vector<Color> fills;
    fills.reserve(static_cast<size_t>(b.rows()) * static_cast<size_t>(b.cols()));
    for (int r = 0; r < b.rows(); ++r)
        for (int c = 0; c < b.cols(); ++c) fills.push_back(cell_fill(b, theme, {r, c}));
    b.fills = std::move(fills);
    b.fills_negative = theme.negative;
    b.fills_neutral = theme.neutral;
    b.fills_positive = theme.positive;
}

void draw_chip(Rect cell, const std::string& value_tex, const std::string& tag_tex, Color fill,
               Color stroke, float alpha, const Theme& theme, const LayoutOptions& options,
               DisplayList& out) {
    out.items.push_back(DrawRect{cell, faded(fill, alpha), faded(stroke, alpha), 2, false});
    const Color ink = faded(text_color_on(theme, fill), alpha);
    if (!tag_tex.empty()) out.items.push_back(tag_text(tag_tex, cell, ink, options));
    const float fits = kValueWidth * cell.w / std::max(kMinValueEm, estimate_math_width(parse_math(value_tex), 1));
    const float size = std::max(kMinValueSize, std::min(options.value_size, fits));
    DrawText value = math_text(value_tex, tag_tex.empty() ? cell : below_tag(cell),
                               tag_tex.empty() ? size : value_size_under_tag(cell, size), ink);
    value.monospace_digits = true;
    out.items.push_back(std::move(value));
}

DrawText math_text(const std::string& source, Rect box, float size, Color color, HAlign align) {
    DrawText t;
    t.box = box;
    t.text = parse_math(source);
    t.source = source;
    t.size = size;
    t.color = color;
    t.align = align;
    return t;
}

DrawText plain_text(const std::string& text, Rect box, float size, Color color, HAlign align) {
    DrawText t = math_text(text, box, size, color, align);
    t.text = MathText{{TextRun{text, Script::Base, false}}};
    return t;
}

}  // namespace convlens
