// One frame as SVG written straight from the display list, not through cairo's SVG
// surface (which turns text into glyph outlines): text stays <text>, so a slide's
// numbers stay searchable and editable in Inkscape or a slide program.
// Internal to core/export.
#pragma once

#include <string>

#include "canvas/display_list.h"
#include "export/cairo_fonts.h"
#include "export/frame_fit.h"

namespace convlens {

// A whole SVG document of fit.width x fit.height; text placed with widths measured by
// `fonts` (DejaVu Sans, which the document names as its font).
std::string svg_frame(const DisplayList& list, const FrameFit& fit, bool transparent,
                      const CairoFonts& fonts, const std::string& title);

// Text escaped for XML character data and attribute values.
std::string xml_escape(const std::string& text);

}  // namespace convlens
