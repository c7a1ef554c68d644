#include "draw_list_backend.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <variant>

#include "canvas/draw_rules.h"
#include "canvas/heatmap_colors.h"
#include "math_draw.h"

namespace convlens {
namespace {

// A heatmap's cells carry numbers from this many pixels on (at the 100 % interface size
// the cell view's cells are about 28 pixels across).
constexpr float kHeatmapNumbersPixels = 30;

std::uint8_t to_byte(float v) {
    return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
}

struct Painter {
    ImDrawList* draw;
    const CanvasTransform& t;
    const FontSet& fonts;
    HeatmapTextures& heatmaps;

    // Hairlines must stay visible however far the canvas is zoomed out.
    float line(float width) const { return device_line_width(width, t.scale); }

    void operator()(const DrawRect& r) {
        const ImVec2 a = t.to_screen({r.rect.x, r.rect.y});
        const ImVec2 b = t.to_screen({r.rect.x + r.rect.w, r.rect.y + r.rect.h});
        if (r.fill.a > 0) draw->AddRectFilled(a, b, to_imgui(r.fill));
        if (r.stroke.a > 0) {
            if (r.dashed)
                add_dashed_rect(draw, a, b, to_imgui(r.stroke), line(r.stroke_width),
                                kRectDash * t.scale);
            else
                draw->AddRect(a, b, to_imgui(r.stroke), 0, 0, line(r.stroke_width));
        }
    }

    void operator()(const DrawLine& l) {
        draw->AddLine(t.to_screen(l.from), t.to_screen(l.to), to_imgui(l.color), line(l.width));
    }

    void operator()(const DrawArrow& a) {
        const auto im = [](Point p) { return ImVec2(p.x, p.y); };
        const ImVec2 from = t.to_screen(a.from), to = t.to_screen(a.to);
        const ArrowGeometry g = arrow_geometry({from.x, from.y}, {to.x, to.y}, a.head * t.scale);
        if (!g.visible) return;
        const ImU32 color = to_imgui(a.color);
        if (a.dashed)
            add_dashed_line(draw, im(g.shaft_from), im(g.neck), color, line(a.width), kArrowDash * t.scale);
        else
            draw->AddLine(im(g.shaft_from), im(g.neck), color, line(a.width));
        draw->AddTriangleFilled(im(g.tip), im(g.left), im(g.right), color);
    }

    void operator()(const DrawText& text) {
        const MathLayout layout = layout_math(fonts, text.text, text.size * t.scale);
        const ImVec2 a = t.to_screen({text.box.x, text.box.y});
        const ImVec2 b = t.to_screen({text.box.x + text.box.w, text.box.y + text.box.h});
        MathGeometry geometry;
        geometry.width = layout.width;
        geometry.top = layout.top;
        geometry.bottom = layout.bottom;
        const Point origin = text_origin({a.x, a.y, b.x - a.x, b.y - a.y}, text.align, geometry);
        draw_math(draw, layout, ImVec2(origin.x, origin.y), to_imgui(text.color));
    }

    void operator()(const DrawHeatmap& h) {
        const ImVec2 a = t.to_screen({h.rect.x, h.rect.y});
        const ImVec2 b = t.to_screen({h.rect.x + h.rect.w, h.rect.y + h.rect.h});
        heatmaps.draw(draw, h, a, b);
        if (h.complete()) heatmap_numbers(h, a, b);
    }

    // Zoomed in far enough, a heatmap's cells are as large as the cell view's: the cells
    // in sight get their numbers (a few hundred at most, whatever the grid's size).
    void heatmap_numbers(const DrawHeatmap& h, ImVec2 a, ImVec2 b) {
        const float cw = (b.x - a.x) / static_cast<float>(h.cols);
        const float ch = (b.y - a.y) / static_cast<float>(h.rows);
        if (std::min(cw, ch) < kHeatmapNumbersPixels) return;
        const ImVec2 clip0 = draw->GetClipRectMin(), clip1 = draw->GetClipRectMax();
        const int c0 = std::max(0, static_cast<int>(std::floor((clip0.x - a.x) / cw)));
        const int c1 = std::min(h.cols - 1, static_cast<int>(std::floor((clip1.x - a.x) / cw)));
        const int r0 = std::max(0, static_cast<int>(std::floor((clip0.y - a.y) / ch)));
        const int r1 = std::min(h.rows - 1, static_cast<int>(std::floor((clip1.y - a.y) / ch)));
        if (c1 < c0 || r1 < r0) return;
        if (lut.empty() || !(lut_map == h.map)) {
            lut = heatmap_lut(h.map);
            lut_map = h.map;
        }
        const float px = std::min(0.32f * std::min(cw, ch), 40.0f);
        ImFont* font = fonts.pick(px);
        for (int r = r0; r <= r1; ++r)
            for (int c = c0; c <= c1; ++c) {
                const float v = (*h.values)[static_cast<std::size_t>(r) * static_cast<std::size_t>(h.cols) +
                                            static_cast<std::size_t>(c)];
                const Color fill = std::isnan(v) ? h.missing
                                                 : lut[static_cast<std::size_t>(heatmap_lut_index(v, h.scale))];
                char text[32];
                std::snprintf(text, sizeof text, "%.3g", std::isnan(v) ? 0.0 : static_cast<double>(v));
                const ImVec2 size = font->CalcTextSizeA(px, 1e9f, 0, text);
                const ImVec2 at(a.x + (static_cast<float>(c) + 0.5f) * cw - size.x / 2,
                                a.y + (static_cast<float>(r) + 0.5f) * ch - size.y / 2);
                draw->AddText(font, px, at, to_imgui(text_color_on(light_theme(), fill)), text);
            }
    }

    std::vector<Color> lut;  // the last heatmap's table, for its numbers' ink
    DivergingMap lut_map;
};

}  // namespace

ImU32 to_imgui(Color c) {
    return IM_COL32(to_byte(c.r), to_byte(c.g), to_byte(c.b), to_byte(c.a));
}

void add_dashed_line(ImDrawList* draw, ImVec2 a, ImVec2 b, ImU32 color, float width, float dash) {
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float length = std::sqrt(dx * dx + dy * dy);
    for (const Dash& d : dashes_along(length, dash))
        draw->AddLine(ImVec2(a.x + dx * d.start / length, a.y + dy * d.start / length),
                      ImVec2(a.x + dx * d.end / length, a.y + dy * d.end / length), color, width);
}

void add_dashed_rect(ImDrawList* draw, ImVec2 min, ImVec2 max, ImU32 color, float width, float dash) {
    add_dashed_line(draw, min, ImVec2(max.x, min.y), color, width, dash);
    add_dashed_line(draw, ImVec2(max.x, min.y), max, color, width, dash);
    add_dashed_line(draw, max, ImVec2(min.x, max.y), color, width, dash);
    add_dashed_line(draw, ImVec2(min.x, max.y), min, color, width, dash);
}

Rect ink_bounds(const DisplayList& list, const FontSet& fonts) {
    float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
    const auto add = [&](float x, float y) {
        x0 = std::min(x0, x);
        y0 = std::min(y0, y);
        x1 = std::max(x1, x);
        y1 = std::max(y1, y);
    };
    for (const DrawItem& item : list.items) {
        if (const auto* r = std::get_if<DrawRect>(&item)) {
            add(r->rect.x, r->rect.y);
            add(r->rect.x + r->rect.w, r->rect.y + r->rect.h);
        } else if (const auto* h = std::get_if<DrawHeatmap>(&item)) {
            add(h->rect.x, h->rect.y);
            add(h->rect.x + h->rect.w, h->rect.y + h->rect.h);
        } else if (const auto* l = std::get_if<DrawLine>(&item)) {
            add(l->from.x, l->from.y);
            add(l->to.x, l->to.y);
        } else if (const auto* a = std::get_if<DrawArrow>(&item)) {
            add(a->from.x, a->from.y);
            add(a->to.x, a->to.y);
        } else if (const auto* t = std::get_if<DrawText>(&item)) {
            if (t->text.runs.empty()) continue;
            // At scale 1 a pixel is a layout unit.
            const float w = layout_math(fonts, t->text, t->size).width;
            float left = t->box.x;
            if (t->align == HAlign::Center) left = t->box.x + (t->box.w - w) / 2;
            else if (t->align == HAlign::Right) left = t->box.x + t->box.w - w;
            add(left, t->box.y);
            add(left + w, t->box.y + t->box.h);
        }
    }
    if (x1 < x0) return {0, 0, list.width, list.height};
    return {x0, y0, x1 - x0, y1 - y0};
}

void draw_display_list(ImDrawList* draw, const DisplayList& list, const CanvasTransform& t,
                       const FontSet& fonts, HeatmapTextures& heatmaps) {
    heatmaps.begin_frame();
    Painter painter{draw, t, fonts, heatmaps, {}, {}};
    for (const DrawItem& item : list.items) std::visit(painter, item);
}

}  // namespace convlens
