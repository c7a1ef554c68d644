// The colours of a heatmap's values: one lookup table computed from the theme's diverging
// map, used alike by the screen's shader (as a texture) and by cairo, SVG and TikZ.
#pragma once

#include <cstdint>
#include <vector>

#include "canvas/display_list.h"
#include "canvas/theme.h"

namespace convlens {

// Entries of the table: odd, so that value 0 has an entry of its own (the neutral middle),
// and fine enough that the nearest entry is within about half a level of 255 of the exact
// colour (tests check it against diverging_color).
inline constexpr int kHeatmapLutSize = 1025;

DivergingMap diverging_map(const Theme& theme);

// Entry k is diverging_color at value -1 + 2k/(entries-1) on the scale 1: negative end
// first, neutral in the middle, positive end last.
std::vector<Color> heatmap_lut(const DivergingMap& map, int entries = kHeatmapLutSize);

// The entry nearest to `value` on `scale` (|value| >= scale saturates; scale <= 0, and any
// value that is not finite, map to the neutral middle), as the shader reads the table.
int heatmap_lut_index(float value, double scale, int entries = kHeatmapLutSize);

// Every cell's colour, row-major, `missing` for NaN: for backends that write cells one by
// one (SVG, TikZ). Empty when the heatmap is incomplete.
std::vector<Color> heatmap_cell_colors(const DrawHeatmap& heatmap);

// A colour as cairo's premultiplied ARGB32 pixel.
std::uint32_t premultiplied_argb(Color c);

}  // namespace convlens
