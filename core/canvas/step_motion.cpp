// draw_motion: the frame between two steps, interpolated from the steps alone.
#include <cmath>
#include <numbers>
#include <tuple>

#include "canvas/canvas_grids.h"
#include "canvas/step_render.h"

namespace convlens {
namespace {

// Slow in, slow out: the kernel window settles on its cell instead of stopping dead.
float ease(float t) { return t * t * (3 - 2 * t); }

auto key(const Mark& m) { return std::tuple(m.grid, m.cell.row, m.cell.col, m.role, m.term); }
auto key(const MarkBlock& b) {
    return std::tuple(b.grid, b.first.row, b.first.col, b.spacing.row, b.spacing.col, b.rows, b.cols,
                      b.role, b.term);
}
auto key(const Link& l) {
    return std::tuple(l.from_grid, l.from.row, l.from.col, l.to_grid, l.to.row, l.to.col, l.term,
                      l.dashed);
}
auto key(const Tag& t) { return std::tuple(t.grid, t.cell.row, t.cell.col, t.tex); }

// Things in both steps stay; those only in `from` fade out, those only in `to` fade in.
template <class T>
std::vector<Faded<T>> crossfade(const std::vector<T>& from, const std::vector<T>& to, float e) {
    auto in = [](const std::vector<T>& v, const T& x) {
        for (const T& y : v)
            if (key(y) == key(x)) return true;
        return false;
    };
    std::vector<Faded<T>> out;
    for (const T& x : from) out.push_back({x, in(to, x) ? 1.0f : 1 - e});
    for (const T& x : to)
        if (!in(from, x)) out.push_back({x, e});
    return out;
}

const Token* find_token(const std::vector<Token>& tokens, const std::string& key) {
    for (const Token& t : tokens)
        if (t.key == key) return &t;
    return nullptr;
}

// A token on its way: straight, or turning about the middle of its two places (the
// grid's centre when it is rot180's turn), all turning the same way so the whole kernel
// visibly rotates.
Point travel(Point a, Point b, float e, bool turns) {
    if (!turns) return {a.x + (b.x - a.x) * e, a.y + (b.y - a.y) * e};
    const Point c{(a.x + b.x) / 2, (a.y + b.y) / 2};
    const float angle = std::numbers::pi_v<float> * e;
    const float vx = a.x - c.x, vy = a.y - c.y;
    return {c.x + vx * std::cos(angle) - vy * std::sin(angle),
            c.y + vx * std::sin(angle) + vy * std::cos(angle)};
}

}  // namespace

DisplayList draw_motion(const CanvasGrids& grids, const Step& real_from, const Step& real_to, float t,
                        const Theme& theme) {
    if (grids.empty()) return {};
    if (!(t > 0)) return draw_step(grids, real_from, theme);
    if (t >= 1) return draw_step(grids, real_to, theme);
    const CanvasGrids::Impl& impl = grids.impl();
    // In the cells drawn: a crop's own (canvas/grid_crop.h).
    const Step from = impl.shown(real_from), to = impl.shown(real_to);
    const float e = ease(t);

    Scenery s;
    s.marks = crossfade(from.marks, to.marks, e);
    s.mark_blocks = crossfade(from.mark_blocks, to.mark_blocks, e);
    s.links = crossfade(from.links, to.links, e);
    s.tags = crossfade(from.tags, to.tags, e);

    for (const Token& a : from.tokens) {
        const auto pa = place_token(impl, a);
        if (!pa) continue;
        const Token* b = find_token(to.tokens, a.key);
        const auto pb = b ? place_token(impl, *b) : std::nullopt;
        if (!pb) {
            s.tokens.push_back({&a, pa->centre, pa->side, 1 - e});
            continue;
        }
        s.tokens.push_back({t < 0.5f ? &a : b, travel(pa->centre, pb->centre, e, b->turns),
                            pa->side + (pb->side - pa->side) * e, 1});
    }
    for (const Token& b : to.tokens)
        if (!find_token(from.tokens, b.key))
            if (const auto pb = place_token(impl, b)) s.tokens.push_back({&b, pb->centre, pb->side, e});

    const auto& wa = from.window;
    const auto& wb = to.window;
    if (wa && wb && wa->grid == wb->grid && wa->rows == wb->rows && wa->cols == wb->cols &&
        wa->spacing == wb->spacing) {
        const float row = static_cast<float>(wa->origin.row) +
                          static_cast<float>(wb->origin.row - wa->origin.row) * e;
        const float col = static_cast<float>(wa->origin.col) +
                          static_cast<float>(wb->origin.col - wa->origin.col) * e;
        s.windows.push_back({*wb, row, col, 1});
    } else {
        if (wa)
            s.windows.push_back({*wa, static_cast<float>(wa->origin.row),
                                 static_cast<float>(wa->origin.col), 1 - e});
        if (wb)
            s.windows.push_back({*wb, static_cast<float>(wb->origin.row),
                                 static_cast<float>(wb->origin.col), e});
    }

    s.value_alpha = [&from, &to, e](GridId g, Cell c) {
        const float a = shows_value(from, g, c) ? 1.0f : 0.0f;
        const float b = shows_value(to, g, c) ? 1.0f : 0.0f;
        return a + (b - a) * e;
    };
    s.inserted_alpha = [&from, &to, e](GridId g) {
        const float a = shows_inserted_zeros(from, g) ? 1.0f : 0.0f;
        const float b = shows_inserted_zeros(to, g) ? 1.0f : 0.0f;
        return a + (b - a) * e;
    };
    // One text gives way to the other: never both at once, which would be unreadable.
    s.texts.push_back({&from, std::max(0.0f, 1 - 2 * e)});
    s.texts.push_back({&to, std::max(0.0f, 2 * e - 1)});
    return render(impl, s, theme);
}

}  // namespace convlens
