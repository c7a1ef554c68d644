// The cairo backend of the display list: the same rectangles, dashes, arrows, math text
// and heatmaps as the window's GL backend, following the same canvas/draw_rules.h, onto
// any cairo surface (image for PNG, GIF and MP4 frames; PDF pages).
// Internal to core/export (it names cairo types, which only core links).
#pragma once

#include <cairo.h>

#include <string>

#include "canvas/display_list.h"
#include "export/cairo_fonts.h"
#include "export/frame_fit.h"

namespace convlens {

// Paints the frame's background (unless transparent) and every item, layout units mapped
// by `fit` to the surface's device units.
void paint_frame(cairo_t* cr, const DisplayList& list, const FrameFit& fit, bool transparent,
                 const CairoFonts& fonts);

// An ARGB32 image surface of fit.width x fit.height holding the painted frame; the
// caller destroys it.
cairo_surface_t* render_surface(const DisplayList& list, const FrameFit& fit, bool transparent,
                                const CairoFonts& fonts);

// The surface as PNG bytes (cairo's encoder: the same pixels give the same bytes).
std::string encode_png(cairo_surface_t* surface);

}  // namespace convlens
