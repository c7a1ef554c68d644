#include "canvas/layer_layout.h"

#include <algorithm>
#include <cmath>

#include "canvas/grid_drawing.h"
#include "engine/conv_spec.h"

namespace convlens {
namespace {

constexpr float kMargin = 16;
// The ring kept free around z^{l+1} and delta^{l+1} for taps into the zero padding stops
// here: huge dilated kernels would otherwise push every other grid off the slide. Cells
// beyond it are still drawn where they fall.
constexpr int kMaxOutputRing = 8;
constexpr float kFocusWidth = 3, kSelectionWidth = 5, kInfluenceWidth = 3, kOutsideWidth = 2.5f;
constexpr size_t kMaxOutlines = 256;
constexpr float kMinOutlinedCell = 12;
// Past this many taps (a 7x7 kernel and up) single arrows merge into a solid wedge that
// hides the grids; one arrow to the middle of the cells reached says the same.
constexpr size_t kMaxArrows = 49;

struct AxisGeometry {
    int input, kernel, stride, padding, dilation;
};

// How far outside the output, in output cells, the taps of any input element can land
// along one axis: the zero padding the gather form puts around delta^{l+1}. Reserved
// whether or not anything is hovered, so that grids never jump under the mouse.
std::pair<int, int> output_overhang(AxisGeometry a) {
    const int outputs = output_extent(a.input, a.kernel, a.stride, a.padding, a.dilation);
    if (outputs < 1 || a.stride < 1) return {0, 0};
    int lo = 0, hi = outputs - 1;
    for (int m = 0; m < a.input; ++m) {
        for (int o = 0; o < a.kernel; ++o) {
            const int numerator = m + a.padding - a.dilation * o;
            if (numerator % a.stride != 0) continue;
            lo = std::min(lo, numerator / a.stride);
            hi = std::max(hi, numerator / a.stride);
        }
    }
    return {std::min(-lo, kMaxOutputRing), std::min(hi - (outputs - 1), kMaxOutputRing)};
}

Ring output_ring(const Scene& scene) {
    const ConvSpec& s = scene.spec;
    const auto [top, bottom] = output_overhang({static_cast<int>(scene.input.rows()),
                                                static_cast<int>(scene.kernel.rows()), s.stride.rows,
                                                s.padding.rows, s.dilation.rows});
    const auto [left, right] = output_overhang({static_cast<int>(scene.input.cols()),
                                                static_cast<int>(scene.kernel.cols()), s.stride.cols,
                                                s.padding.cols, s.dilation.cols});
    return {top, bottom, left, right};
}

bool inside(const GridGeometry& g, Cell c) {
    return c.row >= 0 && c.col >= 0 && c.row < g.rows && c.col < g.cols;
}

std::string caption(GridId id, const Matrix& m, LossSource loss) {
    std::string s = grid_role(id) + ", " + std::to_string(m.rows()) + "×" + std::to_string(m.cols());
    if (id == GridId::Upstream) {
        s += loss == LossSource::Upstream ? ", given"
             : loss == LossSource::Target ? ", z − target"
                                          : ", all 1 (J = ∑ z)";
    }
    return s;
}

struct Slot {
    GridId id;
    const Matrix* values;
    int column, row;
};

std::vector<Slot> arrange(const Scene& scene, const LayerResults& r) {
    // Same-shaped grids share a column: z^l over delta^l, z^{l+1} over delta^{l+1}, w over
    // dJ/dw; the backward row then reads right to left, as the error flows.
    const bool activated = scene.activation != Activation::Identity;
    const int out_col = activated ? 2 : 1;
    std::vector<Slot> slots = {{GridId::Input, &scene.input, 0, 0}};
    if (activated) slots.push_back({GridId::Activated, &r.activated, 1, 0});
    slots.push_back({GridId::Kernel, &scene.kernel, out_col + 1, 0});
    slots.push_back({GridId::Output, &r.output, out_col, 0});
    slots.push_back({GridId::Upstream, &r.upstream, out_col, 1});
    slots.push_back({GridId::GradInput, &r.grad_input, 0, 1});
    slots.push_back({GridId::GradKernel, &r.grad_kernel, out_col + 1, 1});
    return slots;
}

class Overlay {
public:
    Overlay(DisplayList& out, const std::vector<GridBlock>& blocks, const Theme& theme,
            const LayoutOptions& options, int base)
        : out_(out), blocks_(blocks), theme_(theme), options_(options), base_(base) {}

    void outline(GridId id, Cell c, Color color, float width, bool dashed,
                 bool may_leave_grid = false) {
        const GridGeometry* g = out_.grid(id);
        if (!g || (!may_leave_grid && !inside(*g, c))) return;
        const GridBlock& b = block(id);
        // Past the reserved ring the padding cell does not exist yet: give it one.
        if (!inside(*g, c) && (c.row < -b.ring.top || c.col < -b.ring.left ||
                               c.row >= g->rows + b.ring.bottom || c.col >= g->cols + b.ring.right))
            out_.items.push_back(DrawRect{g->cell_rect(c), theme_.padding_cell, theme_.grid_line, 1, true});
        // Inset so that outlines of neighbouring cells do not overlap.
        const float w = std::min(width, g->cell * 0.25f);
        const Rect r = g->cell_rect(c);
        out_.items.push_back(DrawRect{{r.x + w / 2, r.y + w / 2, r.w - w, r.h - w},
                                      {0, 0, 0, 0}, color, w, dashed});
    }

    // Beyond a few hundred cells (a kernel tap over a 256x256 input) single outlines
    // cost more than they show: one frame around their bounding box says the same.
    void outline_all(GridId id, const std::vector<Cell>& cells, Color color) {
        const GridGeometry* g = out_.grid(id);
        if (!g) return;
        // Outlines on cells a few units wide would paint a solid block over the values.
        if (cells.size() <= kMaxOutlines && g->cell >= kMinOutlinedCell) {
            for (const Cell& c : cells) outline(id, c, color, kInfluenceWidth, false);
            return;
        }
        int top = g->rows, left = g->cols, bottom = -1, right = -1;
        for (const Cell& c : cells) {
            if (!inside(*g, c)) continue;
            top = std::min(top, c.row);
            left = std::min(left, c.col);
            bottom = std::max(bottom, c.row);
            right = std::max(right, c.col);
        }
        if (bottom < 0) return;
        // Sized in whole cells, as GridGeometry::cells is: a frame around every cell is then
        // exactly the grid's rectangle, not one rounding step off it.
        const Rect a = g->cell_rect({top, left});
        out_.items.push_back(DrawRect{{a.x, a.y, static_cast<float>(right - left + 1) * g->cell,
                                       static_cast<float>(bottom - top + 1) * g->cell},
                                      {0, 0, 0, 0}, color, kInfluenceWidth, false});
    }

    void arrow(GridId from_id, Cell from, GridId to_id, Cell to, bool dashed) {
        const GridGeometry* a = out_.grid(from_id);
        const GridGeometry* b = out_.grid(to_id);
        if (!a || !b) return;
        Point s = a->cell_rect(from).center(), e = b->cell_rect(to).center();
        const float dx = e.x - s.x, dy = e.y - s.y, length = std::hypot(dx, dy);
        if (length > 1e-3f) {
            // From edge to edge: the head stops on the output cell's border, never on its
            // number, and stays readable however many arrows reach neighbouring cells.
            const float ux = dx / length, uy = dy / length;
            const float to_edge = 0.46f / std::max(std::abs(ux), std::abs(uy));  // just inside
            s = {s.x + ux * to_edge * a->cell, s.y + uy * to_edge * a->cell};
            e = {e.x - ux * to_edge * b->cell, e.y - uy * to_edge * b->cell};
        }
        out_.items.push_back(DrawArrow{s, e, dashed ? theme_.outside : theme_.influence, 2,
                                       std::clamp(b->cell * 0.3f, 4.0f, 8.0f), dashed});
    }

    // One arrow to the cell in the middle of every output the taps reach.
    void arrow_to_middle(GridId from_id, Cell from, GridId to_id,
                         const std::vector<InfluenceRow>& rows) {
        int top = 0, left = 0, bottom = -1, right = -1;
        for (const InfluenceRow& row : rows) {
            if (row.tap.reach != TapReach::Inside || !row.tap.output) continue;
            const Cell c = *row.tap.output;
            if (bottom < 0) top = bottom = c.row, left = right = c.col;
            top = std::min(top, c.row);
            left = std::min(left, c.col);
            bottom = std::max(bottom, c.row);
            right = std::max(right, c.col);
        }
        if (bottom >= 0) arrow(from_id, from, to_id, {(top + bottom) / 2, (left + right) / 2}, false);
    }

private:
    const GridBlock& block(GridId id) const {
        return *std::find_if(blocks_.begin(), blocks_.end(), [&](const GridBlock& b) { return b.id == id; });
    }

    DisplayList& out_;
    const std::vector<GridBlock>& blocks_;
    const Theme& theme_;
    const LayoutOptions& options_;
    int base_;
};

constexpr GridId kInputFamily[] = {GridId::Input, GridId::Activated, GridId::GradInput};
constexpr GridId kOutputFamily[] = {GridId::Output, GridId::Upstream};
constexpr GridId kKernelFamily[] = {GridId::Kernel, GridId::GradKernel};

void draw_influence(const InfluenceView& view, bool activated, const Theme& theme, Overlay& o) {
    const Focus focus = *view.focus;
    auto in_family = [&](const auto& family) {
        return std::find(std::begin(family), std::end(family), focus.grid) != std::end(family);
    };
    if (in_family(kInputFamily)) {
        for (GridId id : kInputFamily) o.outline(id, focus.cell, theme.highlight, kFocusWidth, false);
        const GridId source = activated ? GridId::Activated : GridId::Input;
        const size_t arrows = static_cast<size_t>(std::count_if(
            view.rows.begin(), view.rows.end(),
            [](const InfluenceRow& row) { return row.output_position.has_value(); }));
        if (arrows > kMaxArrows) {
            // A big kernel: frames around what is reached, one arrow, no per-tap marks.
            o.arrow_to_middle(source, focus.cell, GridId::Output, view.rows);
            std::vector<Cell> taps, outputs;
            for (const InfluenceRow& row : view.rows)
                if (row.tap.reach == TapReach::Inside && row.tap.output) {
                    taps.push_back(row.tap.tap);
                    outputs.push_back(*row.tap.output);
                }
            o.outline_all(GridId::Kernel, taps, theme.influence);
            for (GridId id : kOutputFamily) o.outline_all(id, outputs, theme.influence);
            return;
        }
        for (const InfluenceRow& row : view.rows) {
            const bool reaches = row.tap.reach == TapReach::Inside;
            o.outline(GridId::Kernel, row.tap.tap, reaches ? theme.influence : theme.outside,
                      reaches ? kInfluenceWidth : kOutsideWidth, !reaches);
            if (!row.output_position) continue;  // a stride gap has no cell to point at
            const Cell p = *row.output_position;
            for (GridId id : kOutputFamily) {
                o.outline(id, p, reaches ? theme.influence : theme.outside,
                          reaches ? kInfluenceWidth : kOutsideWidth, !reaches, true);
            }
            o.arrow(source, focus.cell, GridId::Output, p, !reaches);
        }
    } else if (in_family(kOutputFamily)) {
        for (GridId id : kOutputFamily) o.outline(id, focus.cell, theme.highlight, kFocusWidth, false);
        for (GridId id : kInputFamily) o.outline_all(id, view.input_cells, theme.influence);
        o.outline_all(GridId::Kernel, view.kernel_taps, theme.influence);
    } else {
        for (GridId id : kKernelFamily) o.outline(id, focus.cell, theme.highlight, kFocusWidth, false);
        o.outline_all(GridId::Input, view.input_cells, theme.influence);
        o.outline_all(GridId::Activated, view.input_cells, theme.influence);
        for (GridId id : kOutputFamily) o.outline_all(id, view.output_cells, theme.influence);
    }
}

// The equation broken at its " = ": a line per step of the arithmetic.
std::vector<std::string> equation_lines(const std::string& tex) {
    std::vector<std::string> parts;
    const std::string sep = " = ";
    size_t start = 0;
    for (size_t at; (at = tex.find(sep, start)) != std::string::npos; start = at + sep.size())
        parts.push_back(tex.substr(start, at - start));
    parts.push_back(tex.substr(start));
    if (parts.size() < 2) return parts;
    std::vector<std::string> lines = {parts[0] + " = " + parts[1]};
    for (size_t k = 2; k < parts.size(); ++k) lines.push_back("= " + parts[k]);
    return lines;
}

}  // namespace

std::string grid_symbol_tex(GridId id) {
    switch (id) {
        case GridId::Input: return "z^{l}";
        case GridId::Activated: return "a^{l} = f(z^{l})";
        case GridId::Kernel: return "w^{l+1}";
        case GridId::Output: return "z^{l+1}";
        case GridId::Upstream: return "\\delta^{l+1}";
        case GridId::GradInput: return "\\delta^{l}";
        case GridId::GradKernel: return "\\partial J / \\partial w";
        case GridId::RotatedKernel: return "\\mathrm{rot180}(w)";
        case GridId::PaddedUpstream: return "\\tilde{\\delta}^{l+1}";
    }
    return "";
}

std::string grid_role(GridId id) {
    switch (id) {
        case GridId::Input: return "input of the forward pass";
        case GridId::Activated: return "input of the forward pass, activated";
        case GridId::Kernel: return "weights of the forward pass";
        case GridId::Output: return "output of the forward pass";
        case GridId::Upstream: return "input of the backward pass";
        case GridId::GradInput: return "output of the backward pass";
        case GridId::GradKernel: return "output of the backward pass: weight gradient";
        case GridId::RotatedKernel: return "the kernel turned by 180°";
        case GridId::PaddedUpstream: return "δˡ⁺¹ spread by the stride, padded with zeros";
    }
    return "";
}

DisplayList layout_layer(const Scene& scene, const LayerResults& results,
                         const InfluenceView& view, const Theme& theme,
                         const LayoutOptions& options) {
    DisplayList out;
    out.background = theme.background;
    const bool activated = scene.activation != Activation::Identity;
    const int base = scene.index_base;
    const std::vector<Slot> slots = arrange(scene, results);

    const int pad_rows = std::clamp(scene.spec.padding.rows, 0, kMaxPadding);
    const int pad_cols = std::clamp(scene.spec.padding.cols, 0, kMaxPadding);
    const Ring padding{pad_rows, pad_rows, pad_cols, pad_cols};
    const bool taps_into_padding =
        view.focus && std::any_of(view.output_cells.begin(), view.output_cells.end(), [&](Cell c) {
            return c.row < 0 || c.col < 0 || c.row >= results.output.rows() ||
                   c.col >= results.output.cols();
        });
    std::vector<GridBlock> blocks;
    for (const Slot& s : slots) {
        GridBlock b = make_block(s.id, *s.values, base, options);
        b.caption = caption(s.id, *s.values, results.loss_source);
        // The padded a-hat is what the kernel reads: the ring goes on a^l, or on z^l
        // when f is the identity.
        if (s.id == (activated ? GridId::Activated : GridId::Input) && padding.any()) {
            b.ring = padding;
            b.ring_visible = b.ring_zeros = true;
        }
        if (s.id == GridId::Output || s.id == GridId::Upstream) {
            b.ring = output_ring(scene);
            b.ring_visible = taps_into_padding;
            b.ring_zeros = s.id == GridId::Upstream;
        }
        blocks.push_back(std::move(b));
    }

    // The tap that carries z^l_{m,n} into each output cell, named in that cell.
    if (view.focus && (view.focus->grid == GridId::Input || view.focus->grid == GridId::Activated ||
                       view.focus->grid == GridId::GradInput)) {
        for (GridBlock& b : blocks) {
            if (b.id != GridId::Output && b.id != GridId::Upstream) continue;
            for (const InfluenceRow& row : view.rows)
                if (row.output_position)
                    b.tags.emplace_back(*row.output_position,
                                        "w_{" + std::to_string(row.tap.tap.row + base) + "," +
                                            std::to_string(row.tap.tap.col + base) + "}");
        }
    }

    // Titles line up along each row; each grid hangs right under its own title (plus its
    // reserved ring), and cells line up down each column, where shapes agree.
    int columns = 0;
    for (const Slot& s : slots) columns = std::max(columns, s.column + 1);
    std::vector<float> col_lead(columns, 0), col_width(columns, 0), row_height(2, 0);
    std::vector<BlockMetrics> metrics;
    for (size_t k = 0; k < slots.size(); ++k) {
        metrics.push_back(measure(blocks[k], options));
        col_lead[slots[k].column] = std::max(col_lead[slots[k].column], metrics[k].left_lead);
    }
    for (size_t k = 0; k < slots.size(); ++k) {
        const BlockMetrics& m = metrics[k];
        float& w = col_width[slots[k].column];
        w = std::max({w, col_lead[slots[k].column] + m.right_extent, m.header_w});
        float& h = row_height[slots[k].row];
        h = std::max(h, m.top_lead + m.bottom_extent);
    }
    std::vector<float> col_x(columns, kMargin);
    for (int c = 1; c < columns; ++c) col_x[c] = col_x[c - 1] + col_width[c - 1] + options.gap;
    const float row_y[2] = {kMargin, kMargin + row_height[0] + options.gap};

    for (size_t k = 0; k < slots.size(); ++k) {
        const Slot& s = slots[k];
        const Point header{col_x[s.column], row_y[s.row]};
        const Point cells{header.x + col_lead[s.column], header.y + metrics[k].top_lead};
        out.grids.push_back(draw_grid(blocks[k], metrics[k], cells, header, theme, options, out));
    }

    Overlay overlay(out, blocks, theme, options, base);
    if (options.selected_input)
        for (GridId id : kInputFamily)
            overlay.outline(id, *options.selected_input, theme.highlight, kSelectionWidth, false);
    if (view.focus) draw_influence(view, activated, theme, overlay);
    std::vector<DrawArrow> arrows;
    for (const DrawItem& item : out.items)
        if (const auto* a = std::get_if<DrawArrow>(&item)) arrows.push_back(*a);
    for (size_t k = 0; k < slots.size(); ++k)
        draw_cell_texts(blocks[k], out.grids[k], theme, options, arrows, out);

    // Lines reserved for the longest equation this scene can show, so that hovering
    // never changes the canvas size.
    const float eq_size = options.title_size * 0.9f, line_h = eq_size * 2.0f;
    const std::vector<std::string> lines = equation_lines(view.equation_tex);
    const size_t reserved =
        !options.show_equation
            ? 0
            : std::max<size_t>(activated ? 4 : 3, view.equation_tex.empty() ? 0 : lines.size());
    const float eq_y = row_y[1] + row_height[1] + options.gap * 0.5f;
    float width = col_x[columns - 1] + col_width[columns - 1];
    if (options.show_equation && !view.equation_tex.empty()) {
        for (size_t k = 0; k < lines.size(); ++k) {
            const float indent = k == 0 ? 0 : eq_size * 2;
            const float w = estimate_math_width(parse_math(lines[k]), eq_size);
            out.items.push_back(math_text(lines[k],
                                          {kMargin + indent, eq_y + static_cast<float>(k) * line_h, w, line_h},
                                          eq_size, theme.text, HAlign::Left));
            width = std::max(width, kMargin + indent + w);
        }
    }
    out.width = width + kMargin;
    out.height = (reserved > 0 ? eq_y + static_cast<float>(reserved) * line_h
                               : row_y[1] + row_height[1]) +
                 kMargin;
    return out;
}

}  // namespace convlens
