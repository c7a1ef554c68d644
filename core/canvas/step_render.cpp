#include "canvas/step_render.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include "canvas/arrow_routes.h"
#include "canvas/draw_rules.h"
#include "canvas/text_metrics.h"
#include "util/number_format.h"

namespace convlens {
namespace {

constexpr float kFocusWidth = 3, kSelectionWidth = 5, kWindowWidth = 3, kTermWidth = 3,
                kPaddingWidth = 2.5f, kResultWidth = 4, kDoneWidth = 1.5f;
// Beyond a few hundred cells (a kernel tap over a 256x256 input) single outlines cost more
// than they show, and on cells a few units wide they paint a solid block over the values:
// one frame around their bounding box says the same.
constexpr size_t kMaxOutlines = 256;
constexpr float kMinOutlinedCell = 12;
constexpr float kTint = 0.22f;           // a term's cells: a light wash of its colour
constexpr Color kNone{0, 0, 0, 0};       // no fill, no outline (Color{} is opaque black)

bool inside(const GridGeometry& g, Cell c) {
    return c.row >= 0 && c.col >= 0 && c.row < g.rows && c.col < g.cols;
}

Color over(Color top, Color under) {
    const float a = top.a;
    return {top.r * a + under.r * (1 - a), top.g * a + under.g * (1 - a),
            top.b * a + under.b * (1 - a), std::max(under.a, a)};
}

bool same_theme(const Theme& a, const Theme& b) {
    return a.dark == b.dark && a.background == b.background && a.text == b.text &&
           a.padding_cell == b.padding_cell && a.neutral == b.neutral &&
           a.positive == b.positive && a.negative == b.negative && a.grid_line == b.grid_line &&
           a.muted_text == b.muted_text;
}

// Drawing order: quiet marks under loud ones.
int layer_of(MarkRole role) {
    switch (role) {
        case MarkRole::Done: return 0;
        case MarkRole::Window: return 1;
        case MarkRole::Padding: return 2;
        case MarkRole::Term: return 3;
        case MarkRole::Result: return 4;
        case MarkRole::Focus: return 5;
    }
    return 0;
}

struct MarkStyle {
    Color stroke;
    float width = 1;
    bool dashed = false;
    Color tint = kNone;
};

MarkStyle style_of(const Mark& m, const Theme& theme) {
    switch (m.role) {
        case MarkRole::Focus: return {theme.highlight, kFocusWidth, false, kNone};
        case MarkRole::Window: return {term_color(theme, m.term), kWindowWidth, false, kNone};
        case MarkRole::Term: {
            const Color c = term_color(theme, m.term);
            return {c, kTermWidth, false, faded(c, kTint)};
        }
        case MarkRole::Padding:
            return {m.term >= 0 ? term_color(theme, m.term) : theme.outside, kPaddingWidth, true, kNone};
        case MarkRole::Result: return {term_color(theme, -1), kResultWidth, false, kNone};
        case MarkRole::Done: return {faded(theme.muted_text, 0.6f), kDoneWidth, false, kNone};
    }
    return {};
}

struct CellLess {
    bool operator()(const std::pair<GridId, Cell>& a, const std::pair<GridId, Cell>& b) const {
        return std::tuple(a.first, a.second.row, a.second.col) <
               std::tuple(b.first, b.second.row, b.second.col);
    }
};

class Painter {
public:
    Painter(const CanvasGrids::Impl& grids, const Theme& theme, DisplayList& out)
        : grids_(grids), theme_(theme), out_(out) {}

    const GridGeometry* geometry(GridId id) const { return out_.grid(id); }

    // A cell's outline, inset so that outlines of neighbouring cells do not overlap; past
    // the reserved ring the padding cell does not exist yet: it gets one.
    void outline(GridId id, Cell c, Color color, float width, bool dashed, Color tint = kNone) {
        const GridGeometry* g = geometry(id);
        const GridBlock* b = grids_.block(id);
        if (!g || !b) return;
        if (!inside(*g, c) && !b->ring.holds(c, g->rows, g->cols))
            out_.items.push_back(DrawRect{g->cell_rect(c), theme_.padding_cell, theme_.grid_line, 1, true});
        const Rect r = g->cell_rect(c);
        if (tint.a > 0) out_.items.push_back(DrawRect{r, tint, {0, 0, 0, 0}, 0, false});
        const float w = std::min(width, g->cell * 0.25f);
        out_.items.push_back(DrawRect{{r.x + w / 2, r.y + w / 2, r.w - w, r.h - w},
                                      {0, 0, 0, 0}, color, w, dashed});
    }

    // One frame around the cells of the grid that `cells` names, in whole cells (so a
    // frame around every cell is exactly the grid's rectangle).
    void frame(GridId id, const std::vector<Cell>& cells, Color color, float width, bool dashed) {
        const GridGeometry* g = geometry(id);
        if (!g) return;
        int top = g->rows, left = g->cols, bottom = -1, right = -1;
        for (const Cell& c : cells) {
            if (!inside(*g, c)) continue;
            top = std::min(top, c.row);
            left = std::min(left, c.col);
            bottom = std::max(bottom, c.row);
            right = std::max(right, c.col);
        }
        if (bottom < 0) return;
        const Rect a = g->cell_rect({top, left});
        out_.items.push_back(DrawRect{{a.x, a.y, static_cast<float>(right - left + 1) * g->cell,
                                       static_cast<float>(bottom - top + 1) * g->cell},
                                      {0, 0, 0, 0}, color, width, dashed});
    }

    // The first and last of a block's cells inside the grid: the box that frame() makes of
    // all of them.
    static void corners_inside(const GridGeometry& g, const MarkBlock& b, std::vector<Cell>& cells) {
        auto span = [](int first, int spacing, int n, int extent) {  // indices k whose cell is in 0..extent-1
            int lo = 0, hi = n - 1;
            while (lo <= hi && first + lo * spacing < 0) ++lo;
            while (hi >= lo && first + hi * spacing >= extent) --hi;
            return std::pair(lo, hi);
        };
        const auto [r0, r1] = span(b.first.row, b.spacing.row, b.rows, g.rows);
        const auto [c0, c1] = span(b.first.col, b.spacing.col, b.cols, g.cols);
        if (r0 > r1 || c0 > c1) return;
        cells.push_back({b.first.row + r0 * b.spacing.row, b.first.col + c0 * b.spacing.col});
        cells.push_back({b.first.row + r1 * b.spacing.row, b.first.col + c1 * b.spacing.col});
    }

    // Blocks count as the marks of their cells; a block is listed cell by cell only when
    // its group is outlined cell by cell (at most kMaxOutlines of them), else its corners
    // alone give the frame: the cost of a block does not grow with it.
    void marks(const std::vector<Faded<Mark>>& marks, const std::vector<Faded<MarkBlock>>& blocks) {
        // Grouped by grid and look, so that a group too big to outline cell by cell
        // becomes one frame; groups drawn quiet ones first.
        using Key = std::tuple<int, size_t, int, int>;  // layer, grid, role, term
        struct Group {
            std::vector<const Faded<Mark>*> marks;
            std::vector<const Faded<MarkBlock>*> blocks;
            long long cells = 0;
        };
        std::map<Key, Group> groups;
        auto group_of = [&](GridId id, MarkRole role, int term) -> Group* {
            const size_t grid = grids_.index_of(id);
            if (grid == grids_.blocks.size()) return nullptr;
            // On cells too small to outline, a role's marks share one frame whatever their
            // terms: a frame per term would be a solid block per cell.
            const bool small = out_.grids[grid].cell < kMinOutlinedCell;
            return &groups[{layer_of(role), grid, static_cast<int>(role), small ? -1 : term}];
        };
        for (const Faded<Mark>& m : marks) {
            if (m.alpha <= 0) continue;
            if (Group* g = group_of(m.item.grid, m.item.role, m.item.term)) g->marks.push_back(&m), ++g->cells;
        }
        for (const Faded<MarkBlock>& b : blocks) {
            if (b.alpha <= 0 || b.item.count() == 0) continue;
            if (Group* g = group_of(b.item.grid, b.item.role, b.item.term))
                g->blocks.push_back(&b), g->cells += b.item.count();
        }
        for (const auto& [key, group] : groups) {
            const Mark first = group.marks.empty() ? group.blocks.front()->item.mark(0)
                                                   : group.marks.front()->item;
            const float alpha = group.marks.empty() ? group.blocks.front()->alpha : group.marks.front()->alpha;
            const GridGeometry* g = geometry(first.grid);
            const MarkStyle style = style_of(first, theme_);
            if (group.cells > static_cast<long long>(kMaxOutlines) || g->cell < kMinOutlinedCell) {
                std::vector<Cell> cells;
                for (const Faded<Mark>* m : group.marks) cells.push_back(m->item.cell);
                for (const Faded<MarkBlock>* b : group.blocks) corners_inside(*g, b->item, cells);
                frame(first.grid, cells, faded(style.stroke, alpha), kWindowWidth, style.dashed);
                continue;
            }
            auto outline_mark = [&](const Mark& m, float a) {
                outline(m.grid, m.cell, faded(style.stroke, a), style.width, style.dashed, faded(style.tint, a));
                if (style.tint.a > 0) tints_[{m.grid, m.cell}] = faded(style.tint, a);
            };
            for (const Faded<Mark>* m : group.marks) outline_mark(m->item, m->alpha);
            for (const Faded<MarkBlock>* b : group.blocks)
                for (long long k = 0; k < b->item.count(); ++k) outline_mark(b->item.mark(k), b->alpha);
        }
    }

    void window(const PlacedWindow& w) {
        const GridGeometry* g = geometry(w.window.grid);
        if (!g || w.alpha <= 0 || w.window.rows < 1 || w.window.cols < 1) return;
        const float s = g->cell;
        const KernelWindow& k = w.window;
        const float x0 = g->cells.x + w.col * s, y0 = g->cells.y + w.row * s;
        const Color taps = faded(theme_.influence, w.alpha);
        const float inset = 1.5f;
        // Over a heatmap's tiny cells tap frames would paint a solid block: the outer
        // frame alone shows where the window is.
        for (int i = 0; i < k.rows && s >= kMinOutlinedCell; ++i)
            for (int j = 0; j < k.cols; ++j) {
                const float x = x0 + static_cast<float>(j * k.spacing.col) * s;
                const float y = y0 + static_cast<float>(i * k.spacing.row) * s;
                out_.items.push_back(DrawRect{{x + inset, y + inset, s - 2 * inset, s - 2 * inset},
                                              {0, 0, 0, 0}, taps, 2, false});
            }
        const float width = static_cast<float>((k.cols - 1) * k.spacing.col + 1) * s;
        const float height = static_cast<float>((k.rows - 1) * k.spacing.row + 1) * s;
        const float out = 3;  // just outside the tap cells, so both read
        out_.items.push_back(DrawRect{{x0 - out, y0 - out, width + 2 * out, height + 2 * out},
                                      {0, 0, 0, 0}, faded(theme_.text, w.alpha), 2.5f, false});
    }

private:
    const CanvasGrids::Impl& grids_;
    const Theme& theme_;
    DisplayList& out_;

public:
    std::map<std::pair<GridId, Cell>, Color, CellLess> tints_;
};

// A route's pieces as lines, dashed all along it when the link reaches no output (the
// dashes run on round the bends).
void draw_path(const std::vector<Point>& path, Color color, float width, bool dashed,
               DisplayList& out) {
    auto line = [&](Point a, Point b) {
        if (std::abs(a.x - b.x) + std::abs(a.y - b.y) > 1e-3f) out.items.push_back(DrawLine{a, b, color, width});
    };
    if (!dashed) {
        for (size_t k = 1; k < path.size(); ++k) line(path[k - 1], path[k]);
        return;
    }
    std::vector<float> at = {0};  // distance along the path of each point
    for (size_t k = 1; k < path.size(); ++k)
        at.push_back(at.back() + std::hypot(path[k].x - path[k - 1].x, path[k].y - path[k - 1].y));
    auto point_at = [&](float d) {
        size_t k = 1;
        while (k + 1 < path.size() && at[k] < d) ++k;
        const float piece = at[k] - at[k - 1];
        const float t = piece > 0 ? std::clamp((d - at[k - 1]) / piece, 0.0f, 1.0f) : 0.0f;
        return Point{path[k - 1].x + (path[k].x - path[k - 1].x) * t,
                     path[k - 1].y + (path[k].y - path[k - 1].y) * t};
    };
    for (const Dash& dash : dashes_along(at.back(), kArrowDash)) {
        Point from = point_at(dash.start);
        for (size_t k = 1; k + 1 < path.size(); ++k)  // bends inside the dash
            if (at[k] > dash.start && at[k] < dash.end) {
                line(from, path[k]);
                from = path[k];
            }
        line(from, point_at(dash.end));
    }
}

// The links of the frame, each routed along grid lines and between grids around every
// text the frame writes (`texts`: the lists those are in), its head a short diagonal into
// the target cell. A link the router finds no way for is drawn straight, edge to edge.
void draw_links(const CanvasGrids::Impl& grids, const Scenery& scenery, const Theme& theme,
                const std::vector<const DisplayList*>& texts, DisplayList& out) {
    if (std::none_of(scenery.links.begin(), scenery.links.end(),
                     [](const Faded<Link>& l) { return l.alpha > 0; }))
        return;
    std::vector<Rect> obstacles;
    for (const DisplayList* list : texts)
        for (const DrawItem& item : list->items)
            if (const auto* t = std::get_if<DrawText>(&item); t && t->color.a > 0)
                obstacles.push_back(text_ink_box(*t));
    // A crop's overview of its whole grid is a picture: routes go around it, not over it.
    for (size_t k = 0; k < grids.blocks.size() && k < grids.metrics.size(); ++k) {
        const Rect o = grids.metrics[k].overview;
        if (o.w > 0) obstacles.push_back({out.grids[k].cells.x + o.x, out.grids[k].cells.y + o.y, o.w, o.h});
    }
    std::vector<RouteGrid> lanes;
    for (size_t k = 0; k < grids.blocks.size(); ++k) {
        const GridBlock& b = grids.blocks[k];
        const GridGeometry& g = out.grids[k];
        const BlockMetrics& m = grids.metrics[k];
        const Rect lattice{g.cells.x - static_cast<float>(b.ring.left) * g.cell,
                           g.cells.y - static_cast<float>(b.ring.top) * g.cell,
                           static_cast<float>(b.ring.left + g.cols + b.ring.right) * g.cell,
                           static_cast<float>(b.ring.top + g.rows + b.ring.bottom) * g.cell};
        const Point h = grids.headers[k];
        lanes.push_back({lattice, b.heatmap || g.cell < kMinOutlinedCell ? 0 : g.cell,
                         {h.x, h.y, std::max(m.left_lead + m.right_extent, m.header_w),
                          m.top_lead + m.bottom_extent}});
    }
    const ArrowRouter router(lanes, std::move(obstacles));
    // The texts that may be a link's own tag: those written with a tag's source.
    std::vector<const DrawText*> tag_texts;
    for (const DisplayList* list : texts)
        for (const DrawItem& item : list->items)
            if (const auto* x = std::get_if<DrawText>(&item))
                if (std::any_of(scenery.tags.begin(), scenery.tags.end(),
                                [&](const Faded<Tag>& t) { return t.item.tex == x->source; }))
                    tag_texts.push_back(x);
    for (const Faded<Link>& f : scenery.links) {
        const Link& l = f.item;
        const GridGeometry* a = out.grid(l.from_grid);
        const GridGeometry* b = out.grid(l.to_grid);
        if (!a || !b || f.alpha <= 0) continue;
        const Rect from = a->cell_rect(l.from), to = b->cell_rect(l.to);
        // The tag naming this link in its target cell is the arrow's own label.
        std::vector<Rect> own;
        for (const Faded<Tag>& t : scenery.tags) {
            if (t.alpha <= 0 || t.item.grid != l.to_grid || !(t.item.cell == l.to)) continue;
            for (const DrawText* x : tag_texts)
                if (x->source == t.item.tex && to.contains(x->box.center())) own.push_back(text_ink_box(*x));
        }
        const Color color = faded(l.dashed && l.term < 0 ? theme.outside : term_color(theme, l.term), f.alpha);
        const float head = std::clamp(b->cell * 0.3f, 4.0f, 8.0f);
        if (const auto route = router.route(from, to, b->cell, own)) {
            draw_path(route->path, color, 2, l.dashed, out);
            out.items.push_back(DrawArrow{route->path.back(), route->head_tip, color, 2, head, l.dashed});
            continue;
        }
        Point s = from.center(), e = to.center();
        const float dx = e.x - s.x, dy = e.y - s.y, length = std::hypot(dx, dy);
        if (length > 1e-3f) {
            // From edge to edge: the head stops on the target cell's border.
            const float ux = dx / length, uy = dy / length;
            const float to_edge = 0.46f / std::max(std::abs(ux), std::abs(uy));
            s = {s.x + ux * to_edge * a->cell, s.y + uy * to_edge * a->cell};
            e = {e.x - ux * to_edge * b->cell, e.y - uy * to_edge * b->cell};
        }
        out.items.push_back(DrawArrow{s, e, color, 2, head, l.dashed});
    }
}

// Text the layout kept no room for (the hover view's equation) extends the canvas.
// (Rounding of the line heights' sum must not make room the layout kept look too small.)
void grow(DisplayList& out, float right, float bottom) {
    if (right + kCanvasMargin > out.width + 0.5f) out.width = right + kCanvasMargin;
    if (bottom + kCanvasMargin > out.height + 0.5f) out.height = bottom + kCanvasMargin;
}

void draw_texts(const CanvasGrids::Impl& grids, const Faded<const Step*>& f, const Theme& theme,
                DisplayList& out) {
    if (f.alpha <= 0) return;
    const Step& step = *f.item;
    const LayoutOptions& o = grids.options;
    const float size = equation_size(o), line_h = size * kEquationLine;
    float y = grids.equation_y;
    if (!step.readouts.empty()) {
        // One line: label = value, those that agree with the engine in one colour, any
        // that does not struck through in the colour of what reaches nothing.
        float x = kCanvasMargin;
        for (const Readout& r : step.readouts) {
            const std::string tex = r.label_tex + " = " + format_number(r.value);
            const float w = estimate_math_width(parse_math(tex), size);
            const Color c = faded(r.agrees ? term_color(theme, 0) : theme.outside, f.alpha);
            out.items.push_back(math_text(tex, {x, y, w, line_h}, size, c, HAlign::Left));
            if (!r.agrees)
                out.items.push_back(DrawLine{{x, y + line_h / 2}, {x + w, y + line_h / 2}, c, 2});
            x += w + size * 2;
        }
        y += line_h;
        grow(out, x, y);
    }
    if (!o.show_equation) return;
    if (!step.caption.empty()) {
        // Captions are TeX like the equation (z^{l+1}_{2,3} in a sentence), as the window's
        // equation panel sets them.
        const float w = estimate_math_width(parse_math(step.caption), o.value_size);
        out.items.push_back(math_text(step.caption, {kCanvasMargin, y, w, line_h}, o.value_size,
                                      faded(theme.muted_text, f.alpha), HAlign::Left));
        y += line_h;
        grow(out, kCanvasMargin + w, y);
    }
    for (size_t k = 0; k < step.equation.size(); ++k) {
        const float left = kCanvasMargin + (k == 0 ? 0 : size * 2);
        float x = left;
        std::string line;
        for (const EquationPiece& p : step.equation[k].pieces) {
            // Each piece ends where the whole line up to it would: a piece parsed alone
            // loses the space before its leading "+", the line keeps it.
            line += p.tex;
            const float w = estimate_math_width(parse_math(p.tex), size);
            const float end = left + estimate_math_width(parse_math(line), size);
            const Color c = p.term >= 0 ? term_color(theme, p.term) : theme.text;
            out.items.push_back(math_text(p.tex, {end - w, y, w, line_h}, size, faded(c, f.alpha), HAlign::Left));
            x = end;
        }
        y += line_h;
        grow(out, x, y);
    }
}

}  // namespace

bool shows_value(const Step& step, GridId grid, Cell cell) {
    auto listed = [&](const std::vector<GridId>& v) { return std::find(v.begin(), v.end(), grid) != v.end(); };
    if (listed(step.hidden_values)) return false;
    if (!listed(step.filling)) return true;
    const auto fills = [](MarkRole role) { return role == MarkRole::Done || role == MarkRole::Result; };
    return std::any_of(step.marks.begin(), step.marks.end(),
                       [&](const Mark& m) { return m.grid == grid && m.cell == cell && fills(m.role); }) ||
           std::any_of(step.mark_blocks.begin(), step.mark_blocks.end(), [&](const MarkBlock& b) {
               return b.grid == grid && fills(b.role) && b.contains(cell);
           });
}

bool shows_inserted_zeros(const Step& step, GridId grid) {
    const auto& v = step.hidden_inserted_zeros;
    return std::find(v.begin(), v.end(), grid) == v.end();
}

std::optional<PlacedToken> place_token(const CanvasGrids::Impl& grids, const Token& token) {
    const GridGeometry* g = grids.base.grid(token.grid);
    if (!g) return std::nullopt;
    return PlacedToken{&token, g->cell_rect(token.cell).center(), g->cell, 1};
}

Scenery scenery_of(const Step& step, const CanvasGrids::Impl& grids) {
    Scenery s;
    for (const Mark& m : step.marks) s.marks.push_back({m, 1});
    for (const MarkBlock& b : step.mark_blocks) s.mark_blocks.push_back({b, 1});
    for (const Link& l : step.links) s.links.push_back({l, 1});
    for (const Tag& t : step.tags) s.tags.push_back({t, 1});
    for (const Token& t : step.tokens)
        if (auto p = place_token(grids, t)) s.tokens.push_back(*p);
    if (step.window)
        s.windows.push_back({*step.window, static_cast<float>(step.window->origin.row),
                             static_cast<float>(step.window->origin.col), 1});
    s.value_alpha = [&step](GridId g, Cell c) { return shows_value(step, g, c) ? 1.0f : 0.0f; };
    s.inserted_alpha = [&step](GridId g) { return shows_inserted_zeros(step, g) ? 1.0f : 0.0f; };
    s.texts.push_back({&step, 1});
    return s;
}

DisplayList render(const CanvasGrids::Impl& grids, const Scenery& scenery, const Theme& theme,
                   DisplayList* spent_base) {
    DisplayList out;
    if (same_theme(theme, grids.theme)) {
        if (spent_base)
            out = std::move(*spent_base);
        else
            out = grids.base;
    } else {
        out.width = grids.base.width;
        out.height = grids.base.height;
        out.grids = grids.base.grids;
        for (size_t k = 0; k < grids.blocks.size(); ++k)
            draw_grid(grids.blocks[k], grids.metrics[k], out.grids[k], grids.headers[k], theme,
                      grids.options, out);
    }
    out.background = theme.background;
    // About as many texts again as the base has cells, plus the step: one allocation.
    out.items.reserve(out.items.size() * 2 + scenery.marks.size() * 2 + 64);

    std::vector<bool> ring_shown(grids.blocks.size());
    std::map<std::pair<GridId, Cell>, Color, CellLess> covers;
    for (size_t k = 0; k < grids.blocks.size(); ++k) {
        const GridBlock& b = grids.blocks[k];
        // The reserved ring is drawn in every frame, marks in it or not: a ring that came
        // and went with the focus would move the labels and the canvas's extent with it.
        ring_shown[k] = b.ring.any();
        if (ring_shown[k]) draw_ring(b, out.grids[k], theme, out);
        draw_index_labels(b, grids.metrics[k], out.grids[k], ring_shown[k], theme, grids.options, out);
        const float inserted = scenery.inserted_alpha ? scenery.inserted_alpha(b.id) : 1.0f;
        draw_inserted_cells(b, out.grids[k], inserted, theme, out);
        // A number not shown yet is not given away by its colour either: the cell is blank
        // (a number fading in brings its colour with it).
        if (!scenery.value_alpha || b.heatmap) continue;
        for (int r = 0; r < b.rows(); ++r)
            for (int c = 0; c < b.cols(); ++c) {
                const float shown = scenery.value_alpha(b.id, {r, c});
                if (shown >= 1 || b.is_inserted({r, c})) continue;
                const Color blank = faded(theme.background, 1 - shown);
                out.items.push_back(DrawRect{out.grids[k].cell_rect({r, c}), blank,
                                             faded(theme.grid_line, 1 - shown), 1, false});
                covers[{b.id, Cell{r, c}}] = blank;
            }
    }

    Painter paint(grids, theme, out);
    if (grids.options.selected_input)
        for (GridId id : {GridId::Input, GridId::Activated, GridId::GradInput}) {
            const GridCrop* crop = grids.crop_of(id);
            const Cell selected = crop ? crop->shown(*grids.options.selected_input)
                                       : *grids.options.selected_input;
            if (paint.geometry(id) && inside(*paint.geometry(id), selected))
                paint.outline(id, selected, theme.highlight, kSelectionWidth, false);
        }
    paint.marks(scenery.marks, scenery.mark_blocks);
    for (const PlacedWindow& w : scenery.windows) paint.window(w);

    // The texts first, each layer in a list of its own: the links are routed around all of
    // them, then drawn under them.
    DisplayList cell_texts, chips, captions;
    for (size_t k = 0; k < grids.blocks.size(); ++k) {
        const GridBlock& b = grids.blocks[k];
        CellTexts texts;
        texts.ring_shown = ring_shown[k];
        for (const Faded<Tag>& t : scenery.tags)
            if (t.item.grid == b.id) texts.tags.push_back({t.item.cell, t.item.tex, t.alpha});
        if (scenery.value_alpha)
            texts.value_alpha = [&scenery, id = b.id](Cell c) { return scenery.value_alpha(id, c); };
        texts.inserted_alpha = scenery.inserted_alpha ? scenery.inserted_alpha(b.id) : 1.0f;
        if (!paint.tints_.empty() || !covers.empty())
            texts.seen = [&paint, &covers, id = b.id](Cell c, Color fill) {
                const auto cover = covers.find({id, c});
                if (cover != covers.end()) fill = over(cover->second, fill);
                const auto tint = paint.tints_.find({id, c});
                return tint == paint.tints_.end() ? fill : over(tint->second, fill);
            };
        draw_cell_texts(b, out.grids[k], theme, grids.options, texts, cell_texts);
    }
    // Tokens ride above the grids: chips in the colours of the cells they came from.
    for (const PlacedToken& t : scenery.tokens) {
        if (t.alpha <= 0) continue;
        const Rect cell{t.centre.x - t.side / 2, t.centre.y - t.side / 2, t.side, t.side};
        draw_chip(cell, t.token->value_tex, t.token->tag_tex, theme.background, theme.text, t.alpha,
                  theme, grids.options, chips);
    }
    captions.width = out.width;
    captions.height = out.height;
    for (const Faded<const Step*>& f : scenery.texts) draw_texts(grids, f, theme, captions);
    out.width = captions.width;
    out.height = captions.height;

    draw_links(grids, scenery, theme, {&out, &cell_texts, &chips, &captions}, out);
    for (DisplayList* list : {&cell_texts, &chips, &captions})
        out.items.insert(out.items.end(), std::make_move_iterator(list->items.begin()),
                         std::make_move_iterator(list->items.end()));
    // Drawn in shown cells; the list tells its readers (hit-tests, the window's outlines)
    // real indices, and where a crop lies in its grid.
    for (size_t k = 0; k < grids.blocks.size() && k < out.grids.size(); ++k) {
        const GridCrop& crop = grids.blocks[k].crop;
        out.grids[k].first = crop.first;
        out.grids[k].full_rows = crop.full_rows;
        out.grids[k].full_cols = crop.full_cols;
        const Rect o = grids.metrics[k].overview;
        if (o.w > 0)
            out.overviews.push_back({grids.blocks[k].id,
                                     {out.grids[k].cells.x + o.x, out.grids[k].cells.y + o.y, o.w, o.h},
                                     crop.full_rows, crop.full_cols});
    }
    return out;
}

}  // namespace convlens
