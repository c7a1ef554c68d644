#include "export/frame_fit.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <variant>

#include "engine/conv_spec.h"
#include "export/cairo_fonts.h"

namespace convlens {
namespace {

constexpr int kMinSide = 16;
constexpr int kMaxSide = 16384;

struct Bounds {
    float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
    void add(float x, float y) {
        x0 = std::min(x0, x);
        y0 = std::min(y0, y);
        x1 = std::max(x1, x);
        y1 = std::max(y1, y);
    }
    void add(const Rect& r) {
        add(r.x, r.y);
        add(r.x + r.w, r.y + r.h);
    }
};

}  // namespace

FrameFit fit_frame(const Rect& content, int width, int height, float scale) {
    if (!(scale > 0) || !std::isfinite(scale)) throw InputError("--scale must be a positive number");
    const double w = std::round(width * static_cast<double>(scale));
    const double h = std::round(height * static_cast<double>(scale));
    if (w < kMinSide || h < kMinSide || w > kMaxSide || h > kMaxSide)
        throw InputError("frame size " + std::to_string(static_cast<long long>(w)) + "x" +
                         std::to_string(static_cast<long long>(h)) + " is outside " +
                         std::to_string(kMinSide) + ".." + std::to_string(kMaxSide) + " a side");
    FrameFit fit;
    fit.width = static_cast<int>(w);
    fit.height = static_cast<int>(h);
    const float margin = kFrameMargin * static_cast<float>(std::min(w, h));
    const float room_w = static_cast<float>(w) - 2 * margin, room_h = static_cast<float>(h) - 2 * margin;
    const float cw = std::max(content.w, 1e-3f), ch = std::max(content.h, 1e-3f);
    fit.scale = std::min(room_w / cw, room_h / ch);
    fit.offset_x = static_cast<float>(w) / 2 - fit.scale * (content.x + content.w / 2);
    fit.offset_y = static_cast<float>(h) / 2 - fit.scale * (content.y + content.h / 2);
    return fit;
}

Rect frames_bounds(const std::vector<DisplayList>& frames) {
    const CairoFonts fonts;
    Bounds b;
    for (const DisplayList& list : frames) {
        for (const DrawItem& item : list.items) {
            if (const auto* r = std::get_if<DrawRect>(&item)) {
                b.add(r->rect);
            } else if (const auto* h = std::get_if<DrawHeatmap>(&item)) {
                b.add(h->rect);
            } else if (const auto* l = std::get_if<DrawLine>(&item)) {
                b.add(l->from.x, l->from.y);
                b.add(l->to.x, l->to.y);
            } else if (const auto* a = std::get_if<DrawArrow>(&item)) {
                b.add(a->from.x, a->from.y);
                b.add(a->to.x, a->to.y);
            } else if (const auto* t = std::get_if<DrawText>(&item)) {
                if (t->text.runs.empty()) continue;
                // Measured at the layout's own scale: widths are proportional to size.
                const MathGeometry g = fonts.place(*t, 1);
                const Point origin = text_origin(t->box, t->align, g);
                b.add(origin.x, std::min(t->box.y, origin.y + g.top));
                b.add(origin.x + g.width, std::max(t->box.y + t->box.h, origin.y + g.bottom));
            }
        }
    }
    if (b.x1 < b.x0) {
        const float w = frames.empty() ? 1 : frames.front().width;
        const float h = frames.empty() ? 1 : frames.front().height;
        return {0, 0, std::max(w, 1.0f), std::max(h, 1.0f)};
    }
    return {b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0};
}

}  // namespace convlens
