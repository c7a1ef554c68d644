// DejaVu Sans through cairo and fontconfig, with hinting off so that a
// text's width scales exactly with its size: measured once, it fits at every scale.
// Internal to core/export (it names cairo types, which only core links).
#pragma once

#include <cairo.h>

#include <string_view>

#include "canvas/display_list.h"
#include "canvas/draw_rules.h"

namespace convlens {

class CairoFonts {
public:
    CairoFonts();
    ~CairoFonts();
    CairoFonts(const CairoFonts&) = delete;
    CairoFonts& operator=(const CairoFonts&) = delete;

    // Sets the face, size and font options on `cr` for drawing.
    void use(cairo_t* cr, float size) const;
    // Advance width of `text` at em `size`, from the real font.
    float advance(std::string_view text, float size) const;
    // The runs of `text` placed by the shared rules, at `size_scale` times its own size.
    MathGeometry place(const DrawText& text, float size_scale) const;

private:
    cairo_font_face_t* regular_ = nullptr;
    cairo_font_options_t* options_ = nullptr;
    cairo_surface_t* scratch_surface_ = nullptr;
    cairo_t* scratch_ = nullptr;     // measuring context
};

}  // namespace convlens
