#include "canvas/draw_rules.h"

#include <algorithm>
#include <cmath>

namespace convlens {

float run_size(Script script, float base_size) {
    return script == Script::Base ? base_size : base_size * kScriptScale;
}

float run_baseline(Script script, float base_size) {
    switch (script) {
        case Script::Super: return -kSuperRaise * base_size;
        case Script::Sub: return kSubDrop * base_size;
        case Script::Base: break;
    }
    return 0;
}

MathGeometry place_math(const MathText& text, float base_size, const MeasureRun& measure,
                        float ascent_per_em, float descent_per_em) {
    MathGeometry g;
    g.runs.reserve(text.runs.size());
    float x = 0, previous_start = 0;
    for (const TextRun& run : text.runs) {
        PlacedRunGeometry placed;
        placed.size = run_size(run.script, base_size);
        placed.baseline = run_baseline(run.script, base_size);
        placed.x = run.stacked ? previous_start : x;
        placed.width = measure(run.text, placed.size);
        previous_start = placed.x;
        x = std::max(x, placed.x + placed.width);
        g.top = std::min(g.top, placed.baseline - ascent_per_em * placed.size);
        g.bottom = std::max(g.bottom, placed.baseline + descent_per_em * placed.size);
        g.runs.push_back(placed);
    }
    g.width = x;
    return g;
}

Point text_origin(const Rect& box, HAlign align, const MathGeometry& geometry) {
    float x = box.x;
    if (align == HAlign::Center) x = box.x + (box.w - geometry.width) / 2;
    else if (align == HAlign::Right) x = box.x + box.w - geometry.width;
    const float baseline = box.y + box.h / 2 - (geometry.top + geometry.bottom) / 2;
    return {x, baseline};
}

Rect text_ink_box(const DrawText& text) {
    const MathGeometry g = place_math(text.text, text.size,
                                      [](std::string_view run, float size) {
                                          return estimate_text_width(run, size);
                                      });
    const Point origin = text_origin(text.box, text.align, g);
    float top = 0, bottom = 0;
    bool any = false;
    for (const PlacedRunGeometry& r : g.runs) {
        const float run_top = r.baseline - kInkAscentPerEm * r.size;
        const float run_bottom = r.baseline + kInkDescentPerEm * r.size;
        top = any ? std::min(top, run_top) : run_top;
        bottom = any ? std::max(bottom, run_bottom) : run_bottom;
        any = true;
    }
    if (!any) return {origin.x, origin.y, 0, 0};
    return {origin.x, origin.y + top, g.width, bottom - top};
}

std::vector<Dash> dashes_along(float length, float dash) {
    std::vector<Dash> out;
    if (!(length >= 0.5f)) return out;
    dash = std::max(dash, kMinDash);
    const float period = dash * (1 + kGapPerDash);
    for (float s = 0; s < length; s += period) out.push_back({s, std::min(length, s + dash)});
    return out;
}

ArrowGeometry arrow_geometry(Point from, Point to, float head, float min_length) {
    ArrowGeometry a;
    const float dx = to.x - from.x, dy = to.y - from.y;
    const float length = std::sqrt(dx * dx + dy * dy);
    if (!(length >= min_length)) return a;
    const float ux = dx / length, uy = dy / length;
    head = std::min(head, length * kHeadMaxOfLength);
    const float half = head * kHeadHalfWidth;
    a.visible = true;
    a.shaft_from = from;
    a.neck = {to.x - ux * head, to.y - uy * head};
    a.tip = to;
    a.left = {a.neck.x - uy * half, a.neck.y + ux * half};
    a.right = {a.neck.x + uy * half, a.neck.y - ux * half};
    return a;
}

float device_line_width(float width, float scale) { return std::max(1.0f, width * scale); }

}  // namespace convlens
