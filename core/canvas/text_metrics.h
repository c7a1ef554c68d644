// Text widths estimated from DejaVu Sans' advance widths (the font both backends draw
// with), so that the layout can keep neighbours apart without loading a font.
#pragma once

#include <string_view>

#include "canvas/math_text.h"

namespace convlens {

// Sub- and superscripts are drawn at this fraction of the base size (TeX's \scriptstyle
// is 0.7 too); the backends use the same factor, so the estimate matches what they draw.
inline constexpr float kScriptScale = 0.7f;

// Advance width of one line of UTF-8 text in a single size, layout units.
float estimate_text_width(std::string_view utf8, float size);

// Width of rendered math: scripts at kScriptScale, a stacked script sharing the x of the
// script it sits under, as the backends place them. `size` is the base-level size.
float estimate_math_width(const MathText& text, float size);

}  // namespace convlens
