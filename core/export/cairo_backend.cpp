#include "export/cairo_backend.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "canvas/heatmap_colors.h"
#include "engine/conv_spec.h"

namespace convlens {
namespace {

// A combining accent (U+0300..U+036F: 0xCC 0x80 .. 0xCD 0xAF in UTF-8) sits where the
// font puts it, just above a lowercase letter; over a tall one (the tilde of delta-tilde)
// it vanishes into the letter's top. Each accent is drawn on its own, raised by as much as
// its letter outgrows an 'x', as the window's backend does.
bool combining_at(const std::string& s, std::size_t k) {
    const auto b0 = static_cast<unsigned char>(s[k]);
    if (k + 1 >= s.size()) return false;
    const auto b1 = static_cast<unsigned char>(s[k + 1]);
    return (b0 == 0xCC && b1 >= 0x80 && b1 <= 0xBF) || (b0 == 0xCD && b1 >= 0x80 && b1 <= 0xAF);
}

std::size_t utf8_length(unsigned char lead) {
    return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

void show_text_with_accents(cairo_t* cr, double x, double baseline, const std::string& text) {
    bool any = false;
    for (std::size_t k = 0; k < text.size(); ++k) any = any || combining_at(text, k);
    if (!any) {
        cairo_move_to(cr, x, baseline);
        cairo_show_text(cr, text.c_str());
        return;
    }
    cairo_text_extents_t x_ink;
    cairo_text_extents(cr, "x", &x_ink);
    std::string letters, last;
    struct Accent {
        std::string mark;
        double pen, raise;
    };
    std::vector<Accent> accents;
    for (std::size_t k = 0; k < text.size();) {
        if (combining_at(text, k)) {
            cairo_text_extents_t pen, letter;
            cairo_text_extents(cr, letters.c_str(), &pen);
            cairo_text_extents(cr, last.empty() ? "x" : last.c_str(), &letter);
            accents.push_back({text.substr(k, 2), pen.x_advance,
                               std::max(0.0, x_ink.y_bearing - letter.y_bearing)});
            k += 2;
            continue;
        }
        const std::size_t n = std::min(utf8_length(static_cast<unsigned char>(text[k])), text.size() - k);
        last = text.substr(k, n);
        letters += last;
        k += n;
    }
    cairo_move_to(cr, x, baseline);
    cairo_show_text(cr, letters.c_str());
    for (const Accent& a : accents) {
        cairo_move_to(cr, x + a.pen, baseline - a.raise);
        cairo_show_text(cr, a.mark.c_str());
    }
}

void set_color(cairo_t* cr, Color c) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a); }

// Dashes are drawn as separate segments by the shared rule, as on screen, rather than by
// cairo's dash pattern, which would run on around a rectangle's corners.
void add_dashes(cairo_t* cr, Point a, Point b, float dash) {
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float length = std::sqrt(dx * dx + dy * dy);
    for (const Dash& d : dashes_along(length, dash)) {
        cairo_move_to(cr, a.x + dx * d.start / length, a.y + dy * d.start / length);
        cairo_line_to(cr, a.x + dx * d.end / length, a.y + dy * d.end / length);
    }
}

struct CairoPainter {
    cairo_t* cr;
    const FrameFit& fit;
    const CairoFonts& fonts;

    float line(float width) const { return device_line_width(width, fit.scale); }

    void operator()(const DrawRect& r) {
        const Point a = fit.to_device({r.rect.x, r.rect.y});
        const Point b = fit.to_device({r.rect.x + r.rect.w, r.rect.y + r.rect.h});
        if (r.fill.a > 0) {
            set_color(cr, r.fill);
            cairo_rectangle(cr, a.x, a.y, b.x - a.x, b.y - a.y);
            cairo_fill(cr);
        }
        if (r.stroke.a <= 0) return;
        set_color(cr, r.stroke);
        cairo_set_line_width(cr, line(r.stroke_width));
        if (r.dashed) {
            const float dash = kRectDash * fit.scale;
            add_dashes(cr, a, {b.x, a.y}, dash);
            add_dashes(cr, {b.x, a.y}, b, dash);
            add_dashes(cr, b, {a.x, b.y}, dash);
            add_dashes(cr, {a.x, b.y}, a, dash);
        } else {
            cairo_rectangle(cr, a.x, a.y, b.x - a.x, b.y - a.y);
        }
        cairo_stroke(cr);
    }

    void operator()(const DrawLine& l) {
        const Point a = fit.to_device(l.from), b = fit.to_device(l.to);
        set_color(cr, l.color);
        cairo_set_line_width(cr, line(l.width));
        cairo_move_to(cr, a.x, a.y);
        cairo_line_to(cr, b.x, b.y);
        cairo_stroke(cr);
    }

    void operator()(const DrawArrow& a) {
        const ArrowGeometry g =
            arrow_geometry(fit.to_device(a.from), fit.to_device(a.to), a.head * fit.scale);
        if (!g.visible) return;
        set_color(cr, a.color);
        cairo_set_line_width(cr, line(a.width));
        if (a.dashed) {
            add_dashes(cr, g.shaft_from, g.neck, kArrowDash * fit.scale);
        } else {
            cairo_move_to(cr, g.shaft_from.x, g.shaft_from.y);
            cairo_line_to(cr, g.neck.x, g.neck.y);
        }
        cairo_stroke(cr);
        cairo_move_to(cr, g.tip.x, g.tip.y);
        cairo_line_to(cr, g.left.x, g.left.y);
        cairo_line_to(cr, g.right.x, g.right.y);
        cairo_close_path(cr);
        cairo_fill(cr);
    }

    void operator()(const DrawText& t) {
        if (t.text.runs.empty()) return;
        const MathGeometry g = fonts.place(t, fit.scale);
        const Point a = fit.to_device({t.box.x, t.box.y});
        const Rect box{a.x, a.y, t.box.w * fit.scale, t.box.h * fit.scale};
        const Point origin = text_origin(box, t.align, g);
        set_color(cr, t.color);
        for (std::size_t k = 0; k < g.runs.size(); ++k) {
            const TextRun& run = t.text.runs[k];
            if (run.text.empty()) continue;
            fonts.use(cr, g.runs[k].size);
            show_text_with_accents(cr, origin.x + g.runs[k].x, origin.y + g.runs[k].baseline,
                                   run.text);
        }
    }

    void operator()(const DrawHeatmap& h) {
        if (!h.complete()) return;
        // One pixel per value through the lookup table the screen's shader reads, then
        // scaled up with the nearest filter.
        std::vector<std::uint32_t> lut;
        for (const Color& c : heatmap_lut(h.map)) lut.push_back(premultiplied_argb(c));
        const std::uint32_t missing = premultiplied_argb(h.missing);
        cairo_surface_t* image = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, h.cols, h.rows);
        if (cairo_surface_status(image) != CAIRO_STATUS_SUCCESS) {
            cairo_surface_destroy(image);
            return;
        }
        cairo_surface_flush(image);
        unsigned char* data = cairo_image_surface_get_data(image);
        const int stride = cairo_image_surface_get_stride(image);
        const float* values = h.values->data();
        for (int r = 0; r < h.rows; ++r) {
            auto* row = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(r) * stride);
            const float* in = values + static_cast<std::ptrdiff_t>(r) * h.cols;
            for (int c = 0; c < h.cols; ++c)  // row-major, top row first
                row[c] = std::isnan(in[c]) ? missing
                                           : lut[static_cast<std::size_t>(heatmap_lut_index(in[c], h.scale))];
        }
        cairo_surface_mark_dirty(image);
        const Point a = fit.to_device({h.rect.x, h.rect.y});
        cairo_save(cr);
        cairo_translate(cr, a.x, a.y);
        cairo_scale(cr, h.rect.w * fit.scale / h.cols, h.rect.h * fit.scale / h.rows);
        cairo_set_source_surface(cr, image, 0, 0);
        // Nearest: each matrix element stays a crisp square, as on screen.
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
        cairo_rectangle(cr, 0, 0, h.cols, h.rows);
        cairo_fill(cr);
        cairo_restore(cr);
        cairo_surface_destroy(image);
    }
};

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace

void paint_frame(cairo_t* cr, const DisplayList& list, const FrameFit& fit, bool transparent,
                 const CairoFonts& fonts) {
    cairo_save(cr);
    if (!transparent) {
        set_color(cr, list.background);
        cairo_paint(cr);
    }
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    CairoPainter painter{cr, fit, fonts};
    for (const DrawItem& item : list.items) std::visit(painter, item);
    cairo_restore(cr);
}

cairo_surface_t* render_surface(const DisplayList& list, const FrameFit& fit, bool transparent,
                                const CairoFonts& fonts) {
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, fit.width, fit.height);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        throw InputError("cannot make a " + std::to_string(fit.width) + "x" +
                         std::to_string(fit.height) + " image: out of memory");
    }
    cairo_t* cr = cairo_create(surface);
    paint_frame(cr, list, fit, transparent, fonts);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    return surface;
}

std::string encode_png(cairo_surface_t* surface) {
    std::string bytes;
    if (cairo_surface_write_to_png_stream(surface, append_to_string, &bytes) != CAIRO_STATUS_SUCCESS)
        throw InputError("cannot encode a PNG frame");
    return bytes;
}

}  // namespace convlens
