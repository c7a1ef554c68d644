#include "canvas/step_canvas.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "canvas/canvas_grids.h"
#include "canvas/grid_crop.h"
#include "canvas/step_render.h"
#include "engine/conv_spec.h"
#include "lesson/grid_values.h"
#include "util/number_format.h"

namespace convlens {
namespace {

// The ring kept free around a grid for marks in its zero padding stops here: huge dilated
// kernels would otherwise push every other grid off the slide. Cells beyond it are still
// drawn where they fall.
constexpr int kMaxRing = 8;
// The window's canvas region at its default size (1400 x 900): a lesson's grids go in one
// row or two, whichever lets them be drawn larger there.
constexpr float kRegionWidth = 1090, kRegionHeight = 540;

struct AxisGeometry {
    int input, kernel, stride, padding, dilation;
};

// How far outside the output, in output cells, the taps of any input element can land
// along one axis: the zero padding the gather form puts around delta^{l+1}. Reserved
// whether or not anything is hovered, so that grids never jump under the mouse.
std::pair<int, int> output_overhang(AxisGeometry a) {
    int outputs = 0;
    try {
        outputs = output_extent(a.input, a.kernel, a.stride, a.padding, a.dilation);
    } catch (const InputError&) {
        return {0, 0};
    }
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
    return {std::min(-lo, kMaxRing), std::min(hi - (outputs - 1), kMaxRing)};
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

Ring widen(Ring r, Cell c, int rows, int cols) {
    r.top = std::max(r.top, std::min(-c.row, kMaxRing));
    r.left = std::max(r.left, std::min(-c.col, kMaxRing));
    r.bottom = std::max(r.bottom, std::min(c.row - (rows - 1), kMaxRing));
    r.right = std::max(r.right, std::min(c.col - (cols - 1), kMaxRing));
    return r;
}

// The ring that the steps' marks, links, tags, tokens and windows need around `b`.
Ring ring_for_steps(const GridBlock& b, const std::vector<Step>& steps) {
    Ring r;
    const int rows = b.rows(), cols = b.cols();
    auto add = [&](GridId id, Cell c) {
        if (id == b.id) r = widen(r, c, rows, cols);
    };
    for (const Step& s : steps) for_each_placed_cell(s, add);
    return r;
}

Ring max_ring(Ring a, Ring b) {
    return {std::max(a.top, b.top), std::max(a.bottom, b.bottom), std::max(a.left, b.left),
            std::max(a.right, b.right)};
}

// "rows 38..45, columns 38..45": the crop's rows and columns as its labels print them.
std::string crop_words(const GridCrop& crop, Cell first_index) {
    const int top = first_index.row + crop.first.row, left = first_index.col + crop.first.col;
    return "rows " + std::to_string(top) + ".." + std::to_string(top + crop.rows - 1) + ", columns " +
           std::to_string(left) + ".." + std::to_string(left + crop.cols - 1);
}

// A cropped grid's inserted zeros: the crop's part of the whole grid's (row-major).
std::vector<unsigned char> cropped(const std::vector<unsigned char>& whole, const GridCrop& crop) {
    if (crop.whole()) return whole;
    std::vector<unsigned char> part;
    part.reserve(static_cast<size_t>(crop.rows) * static_cast<size_t>(crop.cols));
    for (int r = crop.first.row; r < crop.first.row + crop.rows; ++r)
        for (int c = crop.first.col; c < crop.first.col + crop.cols; ++c)
            part.push_back(whole[static_cast<size_t>(r) * static_cast<size_t>(crop.full_cols) +
                                 static_cast<size_t>(c)]);
    return part;
}

// "input of the forward pass, 5×5", or for a crop "..., rows 38..45, columns 38..45 of 128×128".
std::string caption(GridId id, const Matrix& m, LossSource loss, const GridCrop& crop,
                    Cell first_index) {
    std::string s = grid_role(id) + ", " + (crop.whole() ? "" : crop_words(crop, first_index) + " of ") +
                    std::to_string(m.rows()) + "×" + std::to_string(m.cols());
    if (id == GridId::Upstream) {
        s += loss == LossSource::Upstream ? ", given"
             : loss == LossSource::Target ? ", z − target"
                                          : ", all 1 (J = ∑ z)";
    }
    return s;
}

bool has(const std::vector<GridId>& grids, GridId id) {
    return std::find(grids.begin(), grids.end(), id) != grids.end();
}

struct Slot {
    size_t block;
    int column, row;
};

// The hover view's arrangement: same-shaped grids share a column, z^l over delta^l,
// z^{l+1} over delta^{l+1}, w over dJ/dw; the backward row then reads right to left, as
// the error flows.
std::vector<Slot> layer_arrangement(const std::vector<GridBlock>& blocks, bool activated) {
    const int out_col = activated ? 2 : 1;
    std::vector<Slot> slots;
    for (size_t k = 0; k < blocks.size(); ++k) {
        switch (blocks[k].id) {
            case GridId::Input: slots.push_back({k, 0, 0}); break;
            case GridId::Activated: slots.push_back({k, 1, 0}); break;
            case GridId::Kernel: slots.push_back({k, out_col + 1, 0}); break;
            case GridId::Output: slots.push_back({k, out_col, 0}); break;
            case GridId::Upstream: slots.push_back({k, out_col, 1}); break;
            case GridId::GradInput: slots.push_back({k, 0, 1}); break;
            case GridId::GradKernel: slots.push_back({k, out_col + 1, 1}); break;
            case GridId::RotatedKernel:
            case GridId::PaddedUpstream: slots.push_back({k, 0, 2}); break;  // never here
        }
    }
    return slots;
}

struct Placement {
    std::vector<Point> headers, cells;
    float width = 0, bottom = 0;     // right end of the grids, bottom of the last row
};

// Titles line up along each row; each grid hangs right under its own title (plus its
// reserved ring), and cells line up down each column.
Placement place(const std::vector<GridBlock>& blocks, const std::vector<BlockMetrics>& metrics,
                const std::vector<Slot>& slots, float gap) {
    int columns = 0, rows = 0;
    for (const Slot& s : slots) {
        columns = std::max(columns, s.column + 1);
        rows = std::max(rows, s.row + 1);
    }
    std::vector<float> col_lead(columns, 0), col_width(columns, 0), row_height(rows, 0);
    for (const Slot& s : slots)
        col_lead[s.column] = std::max(col_lead[s.column], metrics[s.block].left_lead);
    for (const Slot& s : slots) {
        const BlockMetrics& m = metrics[s.block];
        float& w = col_width[s.column];
        w = std::max({w, col_lead[s.column] + m.right_extent, m.header_w});
        float& h = row_height[s.row];
        h = std::max(h, m.top_lead + m.bottom_extent);
    }
    std::vector<float> col_x(columns, kCanvasMargin), row_y(rows, kCanvasMargin);
    for (int c = 1; c < columns; ++c) col_x[c] = col_x[c - 1] + col_width[c - 1] + gap;
    for (int r = 1; r < rows; ++r) row_y[r] = row_y[r - 1] + row_height[r - 1] + gap;
    Placement p;
    p.headers.resize(blocks.size());
    p.cells.resize(blocks.size());
    for (const Slot& s : slots) {
        p.headers[s.block] = {col_x[s.column], row_y[s.row]};
        p.cells[s.block] = {col_x[s.column] + col_lead[s.column],
                            row_y[s.row] + metrics[s.block].top_lead};
    }
    p.width = columns > 0 ? col_x[columns - 1] + col_width[columns - 1] : kCanvasMargin;
    p.bottom = rows > 0 ? row_y[rows - 1] + row_height[rows - 1] : kCanvasMargin;
    return p;
}

// A lesson's grids in their order, the first `split` in the top row and the rest in a
// second: each row keeps its own columns, and its titles line up along it.
Placement place_rows(const std::vector<BlockMetrics>& metrics, size_t split, float gap) {
    const size_t n = metrics.size();
    Placement p;
    p.headers.resize(n);
    p.cells.resize(n);
    float y = kCanvasMargin;
    for (const auto& [first, last] : {std::pair{size_t{0}, split}, std::pair{split, n}}) {
        if (first >= last) continue;
        float x = kCanvasMargin, height = 0;
        for (size_t k = first; k < last; ++k) {
            const BlockMetrics& m = metrics[k];
            p.headers[k] = {x, y};
            p.cells[k] = {x + m.left_lead, y + m.top_lead};
            x += std::max(m.left_lead + m.right_extent, m.header_w) + gap;
            height = std::max(height, m.top_lead + m.bottom_extent);
        }
        p.width = std::max(p.width, x - gap);
        p.bottom = y + height;
        y += height + gap;
    }
    return p;
}

// Room for the text under the grids: lines and the widest of them, over every step.
struct TextRoom {
    int lines = 0;
    float width = 0;
};

TextRoom text_room(const std::vector<Step>& steps, const LayoutOptions& o) {
    TextRoom room;
    const float size = equation_size(o);
    for (const Step& s : steps) {
        int lines = 0;
        if (!s.readouts.empty()) {
            ++lines;
            float w = 0;
            for (const Readout& r : s.readouts)
                w += estimate_math_width(parse_math(r.label_tex + " = " + format_number(r.value)),
                                         size) +
                     size * 2;
            room.width = std::max(room.width, w);
        }
        if (o.show_equation) {
            if (!s.caption.empty()) {
                ++lines;
                room.width = std::max(room.width, estimate_math_width(parse_math(s.caption), o.value_size));
            }
            for (size_t k = 0; k < s.equation.size(); ++k) {
                ++lines;
                float w = k == 0 ? 0 : size * 2;
                for (const EquationPiece& p : s.equation[k].pieces)
                    w += estimate_math_width(parse_math(p.tex), size);
                room.width = std::max(room.width, w);
            }
        }
        room.lines = std::max(room.lines, lines);
    }
    if (o.show_equation) room.lines = std::max(room.lines, o.equation_lines);
    return room;
}

}  // namespace

const DisplayList& CanvasGrids::frame() const {
    static const DisplayList nothing;
    if (!impl_) return nothing;
    std::call_once(impl_->frame_made, [this] {
        impl_->frame = render(*impl_, scenery_of(Step{}, *impl_), impl_->theme);
    });
    return impl_->frame;
}

std::vector<GridId> layer_grids(const Scene& scene) {
    std::vector<GridId> ids = {GridId::Input};
    if (scene.activation != Activation::Identity) ids.push_back(GridId::Activated);
    for (GridId id : {GridId::Kernel, GridId::Output, GridId::Upstream, GridId::GradInput,
                      GridId::GradKernel})
        ids.push_back(id);
    return ids;
}

std::shared_ptr<CanvasGrids::Impl> make_grids(const Scene& scene, const LayerResults& results,
                                              const std::vector<GridId>& grids,
                                              const std::vector<ExtraGrid>& extras,
                                              const Theme& theme, const LayoutOptions& given,
                                              const std::vector<Step>& steps) {
    const LayoutOptions options = scaled_options(given);
    auto impl = std::make_shared<CanvasGrids::Impl>();
    impl->theme = theme;
    impl->options = options;
    impl->base_index = scene.index_base;
    impl->activated = scene.activation != Activation::Identity;
    impl->spec = scene.spec;
    impl->loss = results.loss_source;
    impl->stepped = !steps.empty();
    const int base = scene.index_base;

    // The grids' numbers, and for a lesson on big grids the crop of each it shows
    // (canvas/grid_crop.h): only the crop's numbers are copied.
    struct Source {
        GridId id;
        const Matrix* layer;
        const ExtraGrid* extra;
        const Matrix& values() const { return layer ? *layer : extra->values; }
    };
    std::vector<Source> sources;
    for (GridId id : grids) {
        if (std::any_of(sources.begin(), sources.end(), [&](const Source& s) { return s.id == id; }))
            continue;  // listed twice
        const Matrix* layer = grid_values(scene, results, id);
        const auto extra = std::find_if(extras.begin(), extras.end(),
                                        [&](const ExtraGrid& e) { return e.id == id; });
        if (!layer && extra == extras.end())
            throw InputError("the canvas was asked for the extra grid " + grid_symbol_tex(id) +
                             " without its numbers");
        sources.push_back({id, layer, layer ? nullptr : &*extra});
    }
    std::vector<GridShape> shapes;
    for (const Source& s : sources)
        shapes.push_back({s.id, static_cast<int>(s.values().rows()), static_cast<int>(s.values().cols())});
    const std::vector<std::optional<GridCrop>> crops =
        steps.empty() ? std::vector<std::optional<GridCrop>>(sources.size())
                      : lesson_crops(shapes, steps, options.max_value_cells);

    for (size_t k = 0; k < sources.size(); ++k) {
        const Source& source = sources[k];
        const Matrix& whole = source.values();
        const GridCrop crop = crops[k].value_or(whole_grid(shapes[k].rows, shapes[k].cols));
        if (crop.whole())
            impl->values.push_back(std::make_shared<Matrix>(whole));
        else
            impl->values.push_back(std::make_shared<Matrix>(
                whole.block(crop.first.row, crop.first.col, crop.rows, crop.cols)));
        const Cell first = source.layer ? Cell{base, base} : source.extra->first_index;
        GridBlock b = make_block(source.id, *impl->values.back(),
                                 {first.row + crop.first.row, first.col + crop.first.col}, options);
        b.crop = crop;
        if (!crop.whole()) {
            b.scale = grid_scale(whole);  // coloured as the whole grid is
            b.overview_values =
                heatmap_values(whole, source.extra ? source.extra->inserted_zero : std::vector<unsigned char>{});
        }
        if (source.layer) {
            b.caption = caption(source.id, whole, results.loss_source, crop, first);
        } else {
            const ExtraGrid& extra = *source.extra;
            b.caption = extra.caption + (crop.whole() ? "" : ", " + crop_words(crop, first));
            if (!extra.title_tex.empty()) b.title_tex = extra.title_tex;
            if (extra.inserted_zero.size() == static_cast<size_t>(whole.size()))
                b.inserted = cropped(extra.inserted_zero, crop);
        }
        impl->blocks.push_back(std::move(b));
    }

    // The padded a-hat is what the kernel reads: the ring of zero padding goes on a^l, or
    // on z^l when f is the identity (or a^l is not shown), in every step.
    const GridId read = impl->activated && has(grids, GridId::Activated) ? GridId::Activated
                                                                         : GridId::Input;
    const int pad_rows = std::clamp(scene.spec.padding.rows, 0, kMaxPadding);
    const int pad_cols = std::clamp(scene.spec.padding.cols, 0, kMaxPadding);
    // The steps in the crops' own cells, which the rings are measured in.
    std::vector<Step> shown_steps;
    if (impl->cropped()) {
        shown_steps.reserve(steps.size());
        for (const Step& s : steps) shown_steps.push_back(impl->shown(s));
    }
    const std::vector<Step>& measured = impl->cropped() ? shown_steps : steps;
    for (GridBlock& b : impl->blocks) {
        // A crop has the padding only along the grid's edges it reaches.
        const GridCrop& c = b.crop;
        if (b.id == read && (pad_rows > 0 || pad_cols > 0)) {
            b.ring = {c.at_top() ? pad_rows : 0, c.at_bottom() ? pad_rows : 0,
                      c.at_left() ? pad_cols : 0, c.at_right() ? pad_cols : 0};
            b.ring_zeros = true;
        }
        if (b.id == GridId::Upstream) b.ring_zeros = true;
        // Without the steps, the hover view's rule: the ring of the output is where any
        // input element's taps can land.
        if (steps.empty() && (b.id == GridId::Output || b.id == GridId::Upstream))
            b.ring = max_ring(b.ring, output_ring(scene));
        b.ring = max_ring(b.ring, ring_for_steps(b, measured));
    }

    const TextRoom room = text_room(steps, options);
    const float line_h = equation_size(options) * kEquationLine;
    const bool layer_set = std::all_of(grids.begin(), grids.end(), [](GridId id) {
        return id != GridId::RotatedKernel && id != GridId::PaddedUpstream;
    }) && has(grids, GridId::Input) && has(grids, GridId::Kernel) && has(grids, GridId::Output) &&
                           has(grids, GridId::Upstream) && has(grids, GridId::GradInput) &&
                           has(grids, GridId::GradKernel);
    auto total = [&](const Placement& p) {
        const float height = room.lines > 0 ? p.bottom + (layer_set ? options.gap : options.lesson_gap) * 0.5f +
                                                  static_cast<float>(room.lines) * line_h
                                            : p.bottom;
        return std::pair{std::max(p.width, kCanvasMargin + room.width) + kCanvasMargin,
                         height + kCanvasMargin};
    };
    Placement placement;
    if (layer_set) {
        for (GridBlock& b : impl->blocks) impl->metrics.push_back(measure(b, options));
        placement = place(impl->blocks, impl->metrics, layer_arrangement(impl->blocks, impl->activated),
                          options.gap);
    } else {
        // One row or two, captions on one line or wrapped to their grid: whichever draws
        // the grids largest in the window's canvas region.
        float best = -1;
        bool best_wrap = false;
        const size_t n = impl->blocks.size();
        for (bool wrap : {false, true}) {
            std::vector<BlockMetrics> metrics;
            for (GridBlock& b : impl->blocks) {
                wrap_caption(b, options, wrap);
                metrics.push_back(measure(b, options));
            }
            for (size_t split = n; split >= 1; --split) {
                const Placement p = place_rows(metrics, split, options.lesson_gap);
                const auto [w, h] = total(p);
                const float fit = std::min(kRegionWidth / w, kRegionHeight / h);
                if (fit > best + 1e-4f) {
                    best = fit, best_wrap = wrap, placement = p;
                    impl->metrics = metrics;
                }
            }
        }
        for (GridBlock& b : impl->blocks) wrap_caption(b, options, best_wrap);
    }
    DisplayList& out = impl->base;
    out.background = theme.background;
    std::tie(out.width, out.height) = total(placement);
    impl->equation_y = placement.bottom + (layer_set ? options.gap : options.lesson_gap) * 0.5f;
    impl->headers = placement.headers;
    for (size_t k = 0; k < impl->blocks.size(); ++k) {
        cache_fills(impl->blocks[k], theme);
        out.grids.push_back(place_block(impl->blocks[k], placement.cells[k]));
        const size_t first = out.items.size();
        draw_grid(impl->blocks[k], impl->metrics[k], out.grids.back(), placement.headers[k], theme,
                  options, out);
        impl->block_items.emplace_back(first, out.items.size());
    }
    return impl;
}

CanvasGrids layout_grids(const Scene& scene, const LayerResults& results,
                         const std::vector<GridId>& grids, const std::vector<ExtraGrid>& extras,
                         const Theme& theme, const LayoutOptions& options,
                         const std::vector<Step>& steps) {
    return CanvasGrids(make_grids(scene, results, grids, extras, theme, options, steps));
}

namespace {

using Cells = DrawHeatmap::Cells;

double max_abs(const Matrix& m, const Cells& c) {
    return m.block(c.row, c.col, c.rows, c.cols).cwiseAbs().maxCoeff();
}

bool covers(const Cells& outer, const Cells& inner) {
    return inner.empty() || (inner.row >= outer.row && inner.col >= outer.col &&
                             inner.row + inner.rows <= outer.row + outer.rows &&
                             inner.col + inner.cols <= outer.col + outer.cols);
}

// grid_scale(now) when only the numbers in `box` changed from `before`'s, from the box alone
// when it decides: a new number at least the old largest is the largest; else, when the old
// largest lay outside the box, it is still there. (Max is exact in any order, so this is the
// very double a full pass gives; the numbers are finite, as check_finite keeps every shown
// result.) A box of the whole grid (a kernel edit) is one pass over the new numbers.
double updated_scale(double old_scale, const Matrix& before, const Matrix& now, const Cells& box) {
    if (covers(box, {0, 0, static_cast<int>(now.rows()), static_cast<int>(now.cols())}))
        return grid_scale(now);
    const double new_box_max = max_abs(now, box);
    if (old_scale > 0 && std::isfinite(new_box_max)) {
        if (new_box_max >= old_scale) return new_box_max;
        const double old_box_max = max_abs(before, box);
        if (std::isfinite(old_box_max) && old_box_max < old_scale) return old_scale;
    }
    return grid_scale(now);  // the largest was in the box and shrank: look everywhere
}

// The heatmap values (canvas/grid_drawing.h's heatmap_values) of the cells in `box`.
void write_floats(const Matrix& m, const std::vector<unsigned char>& inserted, const Cells& box,
                  std::vector<float>& out) {
    if (box.empty()) return;
    const size_t cols = static_cast<size_t>(m.cols());
    const bool marked = inserted.size() == out.size();
    for (int r = box.row; r < box.row + box.rows; ++r) {
        const size_t at = static_cast<size_t>(r) * cols + static_cast<size_t>(box.col);
        const double* from = m.data() + at;
        float* to = out.data() + at;
        for (int c = 0; c < box.cols; ++c) to[c] = static_cast<float>(from[c]);
        if (marked)
            for (int c = 0; c < box.cols; ++c)
                if (inserted[at + static_cast<size_t>(c)]) to[c] = std::numeric_limits<float>::quiet_NaN();
    }
}

}  // namespace

CanvasGrids with_new_values(CanvasGrids grids, const Scene& scene, const LayerResults& results) {
    if (grids.empty()) return {};
    const CanvasGrids::Impl& old = grids.impl();
    // Steps decide rings and the room for text (readouts print values), and crops follow
    // them: such grids are laid out anew.
    if (old.stepped || old.cropped() || old.base_index != scene.index_base ||
        old.activated != (scene.activation != Activation::Identity) || !(old.spec == scene.spec) ||
        old.loss != results.loss_source || old.values.size() != old.blocks.size())
        return {};
    const std::vector<GridId> layer = layer_grids(scene);
    if (layer.size() != old.blocks.size()) return {};
    for (size_t k = 0; k < layer.size(); ++k)
        if (old.blocks[k].id != layer[k]) return {};
    std::vector<const Matrix*> now;
    for (const GridBlock& b : old.blocks) {
        const Matrix* m = grid_values(scene, results, b.id);
        if (!m || m->rows() != b.rows() || m->cols() != b.cols()) return {};
        now.push_back(m);
    }
    // Shapes, spec and loss as before: every place, ring, title and caption is as before.
    auto impl = std::make_shared<CanvasGrids::Impl>();
    impl->theme = old.theme;
    impl->options = old.options;
    impl->base_index = old.base_index;
    impl->activated = old.activated;
    impl->spec = old.spec;
    impl->loss = old.loss;
    impl->metrics = old.metrics;
    impl->headers = old.headers;
    impl->equation_y = old.equation_y;
    CanvasGrids::Impl::SwapWork& work = impl->swap;
    // Nobody else holds the old grids: their copy of a changed grid can take the new numbers,
    // and a heatmap's array from before last time can become this time's.
    const bool reuse = grids.sole_owner();
    std::vector<bool> changed(old.blocks.size(), false);
    for (size_t k = 0; k < old.blocks.size(); ++k) {
        const GridBlock& was = old.blocks[k];
        const Matrix& before = *old.values[k];
        work.rows_compared += before.rows();
        const Cells box = changed_box(before.data(), now[k]->data(), static_cast<int>(before.rows()),
                                      static_cast<int>(before.cols()));
        if (box.empty()) {
            impl->values.push_back(old.values[k]);  // its copy, fills and heatmap values stay
            impl->blocks.push_back(was);
            continue;
        }
        changed[k] = true;
        ++work.grids_changed;
        // From the old numbers and the new, before the old copy takes the new ones.
        const double scale = was.heatmap ? updated_scale(was.scale, before, *now[k], box) : 0;
        // The array the heatmap showed before its current one, when only the old block holds
        // it (no list, no texture): its storage takes the new values, and only the cells
        // changed since it was current are written. A new shared_ptr owns it, so that a hint
        // naming the old array (a weak_ptr) never names the new one.
        std::vector<float> storage;
        if (reuse && was.heatmap && was.heatmap_values && was.heatmap_before &&
            was.heatmap_before.use_count() == 1 && was.heatmap_before->size() == was.heatmap_values->size())
            storage = std::move(const_cast<std::vector<float>&>(*was.heatmap_before));
        GridBlock b = was;
        if (reuse && old.values[k].use_count() == 1) {
            // make_grids made it a (non-const) Matrix; only the old grids, about to go, see
            // it. Same size: only the box is written.
            const_cast<Matrix&>(before).block(box.row, box.col, box.rows, box.cols) =
                now[k]->block(box.row, box.col, box.rows, box.cols);
            impl->values.push_back(old.values[k]);
            work.values_copied += box.area();
        } else {
            impl->values.push_back(std::make_shared<Matrix>(*now[k]));
            work.values_copied += static_cast<long>(now[k]->size());
        }
        const Matrix& mine = *impl->values.back();
        b.values = &mine;
        if (b.heatmap && was.heatmap_values) {
            // As make_block and cache_fills would make them, from what changed.
            b.scale = scale;
            std::shared_ptr<std::vector<float>> floats;
            if (!storage.empty()) {
                floats = std::make_shared<std::vector<float>>(std::move(storage));
                if (!covers(box, was.heatmap_changed)) {  // else written just below
                    write_floats(mine, b.inserted, was.heatmap_changed, *floats);
                    work.floats_written += was.heatmap_changed.area();
                }
                ++work.arrays_reused;
            } else {
                floats = std::make_shared<std::vector<float>>(*was.heatmap_values);
                work.floats_written += static_cast<long>(floats->size());
            }
            write_floats(mine, b.inserted, box, *floats);
            work.floats_written += box.area();
            b.heatmap_before = was.heatmap_values;
            b.heatmap_changed = box;
            b.heatmap_values = std::move(floats);
        } else {
            const GridBlock fresh = make_block(b.id, mine, b.first_index, impl->options);
            b.scale = fresh.scale;
            b.value_texts = fresh.value_texts;
            b.value_size = fresh.value_size;
            cache_fills(b, impl->theme);  // from the new numbers, which b now points to
            if (b.heatmap) work.floats_written += static_cast<long>(mine.size());
        }
        impl->blocks.push_back(std::move(b));
    }
    // The frame's items: those of grids whose numbers stayed copied, the others drawn anew.
    DisplayList& out = impl->base;
    out.background = old.base.background;
    out.width = old.base.width;
    out.height = old.base.height;
    out.grids = old.base.grids;
    out.items.reserve(old.base.items.size());
    const bool ranges = old.block_items.size() == old.blocks.size();
    for (size_t k = 0; k < impl->blocks.size(); ++k) {
        const size_t first = out.items.size();
        if (ranges && !changed[k]) {
            const auto [from, to] = old.block_items[k];
            out.items.insert(out.items.end(), old.base.items.begin() + static_cast<std::ptrdiff_t>(from),
                             old.base.items.begin() + static_cast<std::ptrdiff_t>(to));
        } else {
            draw_grid(impl->blocks[k], impl->metrics[k], out.grids[k], impl->headers[k], impl->theme,
                      impl->options, out);
        }
        impl->block_items.emplace_back(first, out.items.size());
    }
    return CanvasGrids(std::move(impl));
}

DisplayList draw_step_once(const Scene& scene, const LayerResults& results,
                           const std::vector<GridId>& grids, const Theme& theme,
                           const LayoutOptions& options, const Step& step) {
    const std::shared_ptr<CanvasGrids::Impl> impl =
        make_grids(scene, results, grids, {}, theme, options, {});
    return render(*impl, scenery_of(step, *impl), theme, &impl->base);
}

DisplayList draw_step(const CanvasGrids& grids, const Step& step, const Theme& theme) {
    if (grids.empty()) return {};
    const CanvasGrids::Impl& impl = grids.impl();
    if (!impl.cropped()) return render(impl, scenery_of(step, impl), theme);
    const Step shown = impl.shown(step);
    return render(impl, scenery_of(shown, impl), theme);
}

}  // namespace convlens
