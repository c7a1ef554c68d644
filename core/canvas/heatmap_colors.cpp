#include "canvas/heatmap_colors.h"

#include <algorithm>
#include <cmath>

namespace convlens {

DivergingMap diverging_map(const Theme& theme) {
    return {theme.negative, theme.neutral, theme.positive};
}

std::vector<Color> heatmap_lut(const DivergingMap& map, int entries) {
    // diverging_color reads only these three colours of a theme.
    Theme stops;
    stops.negative = map.negative;
    stops.neutral = map.neutral;
    stops.positive = map.positive;
    entries = std::max(entries, 3);
    const int middle = (entries - 1) / 2;
    std::vector<Color> lut(static_cast<std::size_t>(entries));
    for (int k = 0; k < entries; ++k)
        lut[static_cast<std::size_t>(k)] =
            diverging_color(stops, static_cast<double>(k - middle) / middle, 1.0);
    return lut;
}

int heatmap_lut_index(float value, double scale, int entries) {
    const int middle = (std::max(entries, 3) - 1) / 2;
    if (!(scale > 0) || !std::isfinite(scale) || !std::isfinite(value)) return middle;
    const double t = std::clamp(static_cast<double>(value) / scale, -1.0, 1.0);
    return middle + static_cast<int>(std::lround(t * middle));
}

std::vector<Color> heatmap_cell_colors(const DrawHeatmap& h) {
    if (!h.complete()) return {};
    const std::vector<Color> lut = heatmap_lut(h.map);
    std::vector<Color> colors;
    colors.reserve(h.values->size());
    for (float v : *h.values)
        colors.push_back(std::isnan(v) ? h.missing
                                       : lut[static_cast<std::size_t>(heatmap_lut_index(v, h.scale))]);
    return colors;
}

std::uint32_t premultiplied_argb(Color c) {
    const float alpha = std::clamp(c.a, 0.0f, 1.0f);
    const auto byte = [alpha](float v) {
        return static_cast<std::uint32_t>(std::lround(std::clamp(v * alpha, 0.0f, 1.0f) * 255));
    };
    return byte(1) << 24 | byte(c.r) << 16 | byte(c.g) << 8 | byte(c.b);
}

}  // namespace convlens
