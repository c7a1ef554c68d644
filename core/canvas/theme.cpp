#include "canvas/theme.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace convlens {
namespace {

Color hex(unsigned rgb) {
    return {static_cast<float>((rgb >> 16) & 0xFF) / 255.0f,
            static_cast<float>((rgb >> 8) & 0xFF) / 255.0f, static_cast<float>(rgb & 0xFF) / 255.0f,
            1.0f};
}

double to_linear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }
double to_srgb(double c) {
    c = std::clamp(c, 0.0, 1.0);
    return c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1.0 / 2.4) - 0.055;
}

// CIELAB (D65): interpolating there keeps equal steps of value looking like equal steps
// of colour, which a plain sRGB blend does not (its midpoints turn muddy and dark).
struct Lab {
    double l, a, b;
};

constexpr double kXn = 0.95047, kYn = 1.0, kZn = 1.08883;
constexpr double kDelta = 6.0 / 29.0;

double lab_f(double t) {
    return t > kDelta * kDelta * kDelta ? std::cbrt(t) : t / (3 * kDelta * kDelta) + 4.0 / 29.0;
}
double lab_f_inverse(double t) {
    return t > kDelta ? t * t * t : 3 * kDelta * kDelta * (t - 4.0 / 29.0);
}

Lab to_lab(Color c) {
    const double r = to_linear(c.r), g = to_linear(c.g), b = to_linear(c.b);
    const double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
    const double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    const double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
    const double fx = lab_f(x / kXn), fy = lab_f(y / kYn), fz = lab_f(z / kZn);
    return {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
}

Color from_lab(Lab lab, float alpha) {
    const double fy = (lab.l + 16) / 116, fx = fy + lab.a / 500, fz = fy - lab.b / 200;
    const double x = kXn * lab_f_inverse(fx), y = kYn * lab_f_inverse(fy),
                 z = kZn * lab_f_inverse(fz);
    const double r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
    const double g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z;
    const double b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
    return {static_cast<float>(to_srgb(r)), static_cast<float>(to_srgb(g)),
            static_cast<float>(to_srgb(b)), alpha};
}

// The colour map is a path through CIELAB from the neutral middle to each end. Converting
// on every call costs two cube roots and two powers per channel for every cell of every
// frame; the path is sampled once per set of stops instead, fine enough that blending the
// two nearest samples in sRGB stays within a hundredth of a level of 255 of the path.
constexpr int kLutSteps = 1024;

Color lab_mix(Color from, Color to, double t) {
    const Lab a = to_lab(from), b = to_lab(to);
    return from_lab({a.l + t * (b.l - a.l), a.a + t * (b.a - a.a), a.b + t * (b.b - a.b)},
                    from.a + static_cast<float>(t) * (to.a - from.a));
}

struct DivergingLut {
    Color negative, neutral, positive;
    std::vector<Color> to_negative, to_positive;  // sample k at t = k / kLutSteps
};

// The tables of the last two themes this thread drew with (the window's and an export's):
// no lock, and a theme built by hand works as well as light_theme().
const DivergingLut& lut_for(const Theme& theme) {
    thread_local DivergingLut cache[2];
    thread_local int next = 0;
    for (const DivergingLut& lut : cache)
        if (!lut.to_negative.empty() && lut.neutral == theme.neutral &&
            lut.negative == theme.negative && lut.positive == theme.positive)
            return lut;
    DivergingLut& lut = cache[next];
    next = 1 - next;
    lut.negative = theme.negative;
    lut.neutral = theme.neutral;
    lut.positive = theme.positive;
    lut.to_negative.resize(kLutSteps + 1);
    lut.to_positive.resize(kLutSteps + 1);
    for (int k = 0; k <= kLutSteps; ++k) {
        const double t = static_cast<double>(k) / kLutSteps;
        lut.to_negative[static_cast<std::size_t>(k)] = lab_mix(theme.neutral, theme.negative, t);
        lut.to_positive[static_cast<std::size_t>(k)] = lab_mix(theme.neutral, theme.positive, t);
    }
    return lut;
}

double relative_luminance(Color c) {
    return 0.2126 * to_linear(c.r) + 0.7152 * to_linear(c.g) + 0.0722 * to_linear(c.b);
}

}  // namespace

Theme light_theme() {
    Theme t;
    t.dark = false;
    t.background = hex(0xFFFFFF);
    t.text = hex(0x1B1B1F);
    t.muted_text = hex(0x686C73);
    t.grid_line = hex(0xC9CCD1);
    t.padding_cell = hex(0xF1F2F4);
    // Okabe-Ito orange, green and purple: distinct from the blue-red map and from each
    // other for the common colour-vision deficiencies.
    t.highlight = hex(0xE69F00);
    t.influence = hex(0x009E73);
    t.outside = hex(0xCC79A7);
    // ColorBrewer RdBu ends around a near-white middle, blue for negative as in most
    // textbooks' weight plots.
    t.negative = hex(0x2166AC);
    t.neutral = hex(0xF7F7F7);
    t.positive = hex(0xB2182B);
    return t;
}

Theme dark_theme() {
    Theme t;
    t.dark = true;
    t.background = hex(0x1E1F24);
    t.text = hex(0xE8E9ED);
    t.muted_text = hex(0x9AA0AA);
    t.grid_line = hex(0x4A4E57);
    t.padding_cell = hex(0x2A2C33);
    t.highlight = hex(0xFFB000);
    t.influence = hex(0x2FD39A);
    t.outside = hex(0xE39BC6);
    t.negative = hex(0x4F9BE0);
    t.neutral = hex(0x33353D);
    t.positive = hex(0xE8604F);
    return t;
}

Color diverging_color(const Theme& theme, double value, double scale) {
    if (!(scale > 0) || !std::isfinite(value) || !std::isfinite(scale) || value == 0)
        return theme.neutral;
    const double t = std::min(std::fabs(value) / scale, 1.0);
    const Color end = value < 0 ? theme.negative : theme.positive;
    if (t >= 1.0) return end;
    const DivergingLut& lut = lut_for(theme);
    const std::vector<Color>& side = value < 0 ? lut.to_negative : lut.to_positive;
    const double x = t * kLutSteps;
    const int k = std::min(static_cast<int>(x), kLutSteps - 1);
    const float f = static_cast<float>(x - k);
    const Color& lo = side[static_cast<std::size_t>(k)];
    const Color& hi = side[static_cast<std::size_t>(k) + 1];
    return {lo.r + f * (hi.r - lo.r), lo.g + f * (hi.g - lo.g), lo.b + f * (hi.b - lo.b),
            lo.a + f * (hi.a - lo.a)};
}

Color term_color(const Theme& theme, int term) {
    if (term < 0) return theme.influence;
    // Okabe-Ito's colour-blind-safe hues without its red and blue, which the diverging
    // map already means; darker on white, lighter on the dark background.
    static const unsigned light[] = {0x009E73, 0xD55E00, 0x7B3FA0, 0xB8860B, 0x0072B2, 0xCC3D8A};
    static const unsigned dark[] = {0x2FD39A, 0xFF9A4D, 0xC39BE6, 0xF0C75E, 0x56B4E9, 0xF08CC0};
    const unsigned* palette = theme.dark ? dark : light;
    return hex(palette[static_cast<unsigned>(term) % 6]);
}

Color text_color_on(const Theme& theme, Color fill) {
    // A translucent fill is seen over the canvas background.
    const float alpha = std::clamp(fill.a, 0.0f, 1.0f);
    const Color seen{fill.r * alpha + theme.background.r * (1 - alpha),
                     fill.g * alpha + theme.background.g * (1 - alpha),
                     fill.b * alpha + theme.background.b * (1 - alpha), 1.0f};
    const double y = relative_luminance(seen);
    // WCAG contrast ratios against pure black and pure white.
    const double against_black = (y + 0.05) / 0.05;
    const double against_white = 1.05 / (y + 0.05);
    return against_black >= against_white ? Color{0, 0, 0, 1} : Color{1, 1, 1, 1};
}

}  // namespace convlens
