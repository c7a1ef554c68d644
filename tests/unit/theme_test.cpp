// The diverging colour map read from a table per theme (core/canvas/theme.cpp) against the
// CIELAB path computed here directly, written from the CIE and sRGB definitions (D65): the
// table must give the same colours within rounding, at the ends, the middle and between.
#include <algorithm>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "canvas/theme.h"

namespace convlens {
namespace {

struct Lab {
    double l, a, b;
};

double decode(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }
double encode(double c) {
    c = std::clamp(c, 0.0, 1.0);
    return c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1 / 2.4) - 0.055;
}

// CIE 1976 L*a*b* of an sRGB colour, white point D65 (Xn, Yn, Zn = 0.95047, 1, 1.08883).
Lab lab_of(Color c) {
    const double r = decode(c.r), g = decode(c.g), b = decode(c.b);
    const double xyz[3] = {(0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047,
                           0.2126729 * r + 0.7151522 * g + 0.0721750 * b,
                           (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883};
    double f[3];
    for (int k = 0; k < 3; ++k) {
        const double e = 216.0 / 24389;  // (6/29)^3
        f[k] = xyz[k] > e ? std::cbrt(xyz[k]) : (24389.0 / 27 * xyz[k] + 16) / 116;
    }
    return {116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])};
}

Color color_of(Lab lab) {
    const double fy = (lab.l + 16) / 116, fx = fy + lab.a / 500, fz = fy - lab.b / 200;
    const auto inverse = [](double f) {
        return f > 6.0 / 29 ? f * f * f : (116 * f - 16) * 27 / 24389;
    };
    const double x = 0.95047 * inverse(fx), y = inverse(fy), z = 1.08883 * inverse(fz);
    return {static_cast<float>(encode(3.2404542 * x - 1.5371385 * y - 0.4985314 * z)),
            static_cast<float>(encode(-0.9692660 * x + 1.8760108 * y + 0.0415560 * z)),
            static_cast<float>(encode(0.0556434 * x - 0.2040259 * y + 1.0572252 * z)), 1};
}

// The map's definition: |value| / scale of the way from the neutral middle to the end of
// value's sign, in CIELAB, saturating at the end.
Color expected(const Theme& theme, double value, double scale) {
    if (value == 0) return theme.neutral;
    const double t = std::min(std::fabs(value) / scale, 1.0);
    const Lab a = lab_of(theme.neutral), b = lab_of(value < 0 ? theme.negative : theme.positive);
    return color_of({a.l + t * (b.l - a.l), a.a + t * (b.a - a.a), a.b + t * (b.b - a.b)});
}

double largest_difference(Color a, Color b) {
    return std::max({std::fabs(a.r - b.r), std::fabs(a.g - b.g), std::fabs(a.b - b.b)});
}

TEST(ThemeColourMap, TheTableGivesTheCielabPathWithinRounding) {
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> value(-1.3, 1.3);
    for (const Theme& theme : {light_theme(), dark_theme()}) {
        double worst = 0;
        for (int k = 0; k < 20000; ++k) {
            const double v = k < 2001 ? -1 + k / 1000.0 : value(rng);  // a sweep, then anywhere
            worst = std::max(worst, largest_difference(diverging_color(theme, v * 3, 3), expected(theme, v * 3, 3)));
        }
        EXPECT_LT(worst, 0.5 / 255) << (theme.dark ? "dark" : "light") << ": " << worst * 255 << " levels";
    }
}

TEST(ThemeColourMap, EndsAndMiddleAreTheThemesStopsExactly) {
    for (const Theme& theme : {light_theme(), dark_theme()}) {
        EXPECT_EQ(diverging_color(theme, 0, 2), theme.neutral);
        EXPECT_EQ(diverging_color(theme, 2, 2), theme.positive);
        EXPECT_EQ(diverging_color(theme, -5, 2), theme.negative);
        EXPECT_EQ(diverging_color(theme, 1, 0), theme.neutral) << "no scale: all neutral";
        EXPECT_EQ(diverging_color(theme, std::nan(""), 1), theme.neutral);
        // Just off the middle, the colour is nearly the middle's.
        EXPECT_LT(largest_difference(diverging_color(theme, 1e-6, 1), theme.neutral), 1e-3);
    }
}

TEST(ThemeColourMap, ThemesUsedInTurnKeepTheirOwnColours) {
    // One table per set of stops: switching themes, or a third theme built by hand, must
    // not read another theme's table.
    Theme mine = light_theme();
    mine.positive = Color{0.1f, 0.8f, 0.2f, 1};
    const Theme themes[] = {light_theme(), dark_theme(), mine, light_theme(), mine, dark_theme()};
    for (const Theme& theme : themes)
        for (double v : {-0.7, -0.2, 0.3, 0.9})
            EXPECT_LT(largest_difference(diverging_color(theme, v, 1), expected(theme, v, 1)), 0.5 / 255)
                << "value " << v;
}

}  // namespace
}  // namespace convlens
