#include "export/cairo_fonts.h"

#include <string>

namespace convlens {

CairoFonts::CairoFonts() {
    // The toy API asks fontconfig for the family; DejaVu holds the Greek and math
    // operators the labels use, as in the window.
    regular_ = cairo_toy_font_face_create("DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                                          CAIRO_FONT_WEIGHT_NORMAL);
    options_ = cairo_font_options_create();
    // Unhinted metrics and outlines: widths proportional to size, identical bytes on
    // every run, and the same shapes in a PNG as in the PDF.
    cairo_font_options_set_hint_metrics(options_, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options_, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(options_, CAIRO_ANTIALIAS_GRAY);
    scratch_surface_ = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    scratch_ = cairo_create(scratch_surface_);
}

CairoFonts::~CairoFonts() {
    cairo_destroy(scratch_);
    cairo_surface_destroy(scratch_surface_);
    cairo_font_options_destroy(options_);
    cairo_font_face_destroy(regular_);
}

void CairoFonts::use(cairo_t* cr, float size) const {
    cairo_set_font_face(cr, regular_);
    cairo_set_font_size(cr, size);
    cairo_set_font_options(cr, options_);
}

float CairoFonts::advance(std::string_view text, float size) const {
    if (text.empty() || size <= 0) return 0;
    use(scratch_, size);
    const std::string zero_terminated(text);
    cairo_text_extents_t extents;
    cairo_text_extents(scratch_, zero_terminated.c_str(), &extents);
    return static_cast<float>(extents.x_advance);
}

MathGeometry CairoFonts::place(const DrawText& text, float size_scale) const {
    const MeasureRun measure = [this](std::string_view run, float size) {
        return advance(run, size);
    };
    return place_math(text.text, text.size * size_scale, measure);
}

}  // namespace convlens
