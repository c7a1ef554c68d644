#include "export/svg_frame.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <variant>
#include <vector>

#include "canvas/heatmap_colors.h"

namespace convlens {
namespace {

// Two decimals: a hundredth of a pixel, and the same text for the same drawing.
std::string num(float v) {
    if (std::abs(v) < 0.005f) return "0";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", static_cast<double>(v));
    std::string s = buffer;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

std::string hex(Color c) {
    const auto byte = [](float v) { return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255)); };
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b));
    return buffer;
}

// fill="#rrggbb" plus an opacity only when the colour is translucent.
std::string paint(const char* what, Color c) {
    std::string s = std::string(" ") + what + "=\"" + hex(c) + "\"";
    if (c.a < 1) s += std::string(" ") + what + "-opacity=\"" + num(c.a) + "\"";
    return s;
}

void dashes_path(std::string& d, Point a, Point b, float dash) {
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float length = std::sqrt(dx * dx + dy * dy);
    for (const Dash& s : dashes_along(length, dash))
        d += "M" + num(a.x + dx * s.start / length) + " " + num(a.y + dy * s.start / length) + "L" +
             num(a.x + dx * s.end / length) + " " + num(a.y + dy * s.end / length);
}

struct SvgWriter {
    std::string& out;
    const FrameFit& fit;
    const CairoFonts& fonts;

    float line(float width) const { return device_line_width(width, fit.scale); }

    void operator()(const DrawRect& r) {
        const Point a = fit.to_device({r.rect.x, r.rect.y});
        const float w = r.rect.w * fit.scale, h = r.rect.h * fit.scale;
        if (r.fill.a > 0)
            out += "<rect x=\"" + num(a.x) + "\" y=\"" + num(a.y) + "\" width=\"" + num(w) +
                   "\" height=\"" + num(h) + "\"" + paint("fill", r.fill) + "/>\n";
        if (r.stroke.a <= 0) return;
        const std::string stroke = paint("stroke", r.stroke) + " stroke-width=\"" + num(line(r.stroke_width)) + "\"";
        if (r.dashed) {
            const Point b{a.x + w, a.y + h};
            std::string d;
            const float dash = kRectDash * fit.scale;
            dashes_path(d, a, {b.x, a.y}, dash);
            dashes_path(d, {b.x, a.y}, b, dash);
            dashes_path(d, b, {a.x, b.y}, dash);
            dashes_path(d, {a.x, b.y}, a, dash);
            out += "<path d=\"" + d + "\" fill=\"none\"" + stroke + "/>\n";
        } else {
            out += "<rect x=\"" + num(a.x) + "\" y=\"" + num(a.y) + "\" width=\"" + num(w) +
                   "\" height=\"" + num(h) + "\" fill=\"none\"" + stroke + "/>\n";
        }
    }

    void operator()(const DrawLine& l) {
        const Point a = fit.to_device(l.from), b = fit.to_device(l.to);
        out += "<line x1=\"" + num(a.x) + "\" y1=\"" + num(a.y) + "\" x2=\"" + num(b.x) + "\" y2=\"" +
               num(b.y) + "\"" + paint("stroke", l.color) + " stroke-width=\"" + num(line(l.width)) + "\"/>\n";
    }

    void operator()(const DrawArrow& a) {
        const ArrowGeometry g =
            arrow_geometry(fit.to_device(a.from), fit.to_device(a.to), a.head * fit.scale);
        if (!g.visible) return;
        std::string d;
        if (a.dashed)
            dashes_path(d, g.shaft_from, g.neck, kArrowDash * fit.scale);
        else
            d = "M" + num(g.shaft_from.x) + " " + num(g.shaft_from.y) + "L" + num(g.neck.x) + " " + num(g.neck.y);
        out += "<g class=\"arrow\"><path d=\"" + d + "\" fill=\"none\"" + paint("stroke", a.color) +
               " stroke-width=\"" + num(line(a.width)) + "\"/><path d=\"M" + num(g.tip.x) + " " +
               num(g.tip.y) + "L" + num(g.left.x) + " " + num(g.left.y) + "L" + num(g.right.x) + " " +
               num(g.right.y) + "Z\"" + paint("fill", a.color) + "/></g>\n";
    }

    void operator()(const DrawText& t) {
        if (t.text.runs.empty()) return;
        const MathGeometry g = fonts.place(t, fit.scale);
        const Point a = fit.to_device({t.box.x, t.box.y});
        const Point origin = text_origin({a.x, a.y, t.box.w * fit.scale, t.box.h * fit.scale}, t.align, g);
        out += "<text" + paint("fill", t.color);
        out += ">";
        for (std::size_t k = 0; k < g.runs.size(); ++k) {
            if (t.text.runs[k].text.empty()) continue;
            out += "<tspan x=\"" + num(origin.x + g.runs[k].x) + "\" y=\"" +
                   num(origin.y + g.runs[k].baseline) + "\" font-size=\"" + num(g.runs[k].size) + "\">" +
                   xml_escape(t.text.runs[k].text) + "</tspan>";
        }
        out += "</text>\n";
    }

    void operator()(const DrawHeatmap& h) {
        const std::vector<Color> colors = heatmap_cell_colors(h);
        if (colors.empty()) return;
        const float cw = h.rect.w / h.cols, ch = h.rect.h / h.rows;
        out += "<g class=\"heatmap\" shape-rendering=\"crispEdges\">\n";
        for (int r = 0; r < h.rows; ++r)
            for (int c = 0; c < h.cols; ++c) {
                const Point a = fit.to_device({h.rect.x + c * cw, h.rect.y + r * ch});
                const Point b = fit.to_device({h.rect.x + (c + 1) * cw, h.rect.y + (r + 1) * ch});
                out += "<rect x=\"" + num(a.x) + "\" y=\"" + num(a.y) + "\" width=\"" + num(b.x - a.x) +
                       "\" height=\"" + num(b.y - a.y) + "\"" +
                       paint("fill", colors[static_cast<std::size_t>(r * h.cols + c)]) + "/>\n";
            }
        out += "</g>\n";
    }
};

}  // namespace

std::string xml_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string svg_frame(const DisplayList& list, const FrameFit& fit, bool transparent,
                      const CairoFonts& fonts, const std::string& title) {
    std::string out;
    out.reserve(64 * 1024);
    const std::string w = std::to_string(fit.width), h = std::to_string(fit.height);
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h +
           "\" viewBox=\"0 0 " + w + " " + h +
           "\" font-family=\"DejaVu Sans\" xml:space=\"preserve\" style=\"white-space:pre\">\n";
    if (!title.empty()) out += "<title>" + xml_escape(title) + "</title>\n";
    if (!transparent)
        out += "<rect width=\"100%\" height=\"100%\"" + paint("fill", list.background) + "/>\n";
    SvgWriter writer{out, fit, fonts};
    for (const DrawItem& item : list.items) std::visit(writer, item);
    out += "</svg>\n";
    return out;
}

}  // namespace convlens
