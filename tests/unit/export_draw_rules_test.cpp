// The drawing rules both backends share (canvas/draw_rules.h), checked against geometry
// worked by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "canvas/draw_rules.h"

namespace convlens {
namespace {

float distance(Point a, Point b) { return std::hypot(a.x - b.x, a.y - b.y); }

TEST(ExportDrawRules, DashesAlternateWithGapsAndStopAtTheEnd) {
    // dash 5, gap 3.5: dashes start at 0, 8.5, 17; the third is cut at 20.
    const std::vector<Dash> d = dashes_along(20, 5);
    ASSERT_EQ(d.size(), 3u);
    EXPECT_FLOAT_EQ(d[0].start, 0);
    EXPECT_FLOAT_EQ(d[0].end, 5);
    EXPECT_FLOAT_EQ(d[1].start, 8.5f);
    EXPECT_FLOAT_EQ(d[1].end, 13.5f);
    EXPECT_FLOAT_EQ(d[2].start, 17);
    EXPECT_FLOAT_EQ(d[2].end, 20);
    EXPECT_TRUE(dashes_along(0.2f, 5).empty());
    // A tiny dash is raised to kMinDash so a zoomed-out line does not become a million dots.
    EXPECT_FLOAT_EQ(dashes_along(10, 0.1f)[0].end, kMinDash);
}

TEST(ExportDrawRules, ArrowShaftStopsAtTheNeckAndTheHeadIsSymmetric) {
    // Horizontal arrow from (0,0) to (100,0), head 10: neck at x = 90, base 2 * 4.5 wide.
    const ArrowGeometry a = arrow_geometry({0, 0}, {100, 0}, 10);
    ASSERT_TRUE(a.visible);
    EXPECT_FLOAT_EQ(a.neck.x, 90);
    EXPECT_FLOAT_EQ(a.neck.y, 0);
    EXPECT_FLOAT_EQ(a.tip.x, 100);
    EXPECT_FLOAT_EQ(std::abs(a.left.y - a.right.y), 9);
    EXPECT_FLOAT_EQ(a.left.x, 90);
    EXPECT_FLOAT_EQ(a.right.x, 90);
    // A diagonal arrow: the neck lies on the line, `head` before the tip.
    const ArrowGeometry b = arrow_geometry({10, 10}, {40, 50}, 10);  // length 50
    EXPECT_NEAR(distance(b.neck, b.tip), 10, 1e-4);
    EXPECT_NEAR(distance(b.shaft_from, b.neck) + 10, 50, 1e-4);
    EXPECT_NEAR(distance(b.left, b.tip), distance(b.right, b.tip), 1e-4);
    // A short arrow's head takes at most 0.6 of it; a point-like one is not drawn.
    const ArrowGeometry c = arrow_geometry({0, 0}, {0, 10}, 20);
    EXPECT_NEAR(distance(c.neck, c.tip), 6, 1e-4);
    EXPECT_FALSE(arrow_geometry({0, 0}, {0.5f, 0}, 8).visible);
}

TEST(ExportDrawRules, ScriptsAreSmallerAndShiftedAndStackedScriptsShareTheirX) {
    // Every character 1 em wide makes the widths countable by hand.
    const MeasureRun measure = [](std::string_view text, float size) {
        return static_cast<float>(text.size()) * size;
    };
    // \delta^{l+1}_{m,n} parsed by hand: base "d", super "l+1", stacked sub "m,n", base "x".
    MathText text;
    text.runs = {{"d", Script::Base, false},
                 {"l+1", Script::Super, false},
                 {"m,n", Script::Sub, true},
                 {"x", Script::Base, false}};
    const MathGeometry g = place_math(text, 10, measure);
    ASSERT_EQ(g.runs.size(), 4u);
    EXPECT_FLOAT_EQ(g.runs[1].size, 7);                 // 10 * 0.7
    EXPECT_FLOAT_EQ(g.runs[1].x, 10);                   // after "d"
    EXPECT_FLOAT_EQ(g.runs[1].baseline, -4.2f);         // 0.42 em raised
    EXPECT_FLOAT_EQ(g.runs[2].x, 10);                   // under the superscript
    EXPECT_FLOAT_EQ(g.runs[2].baseline, 2.4f);          // 0.24 em lowered
    EXPECT_FLOAT_EQ(g.runs[3].x, 10 + 21);              // after the wider of the two scripts
    EXPECT_FLOAT_EQ(g.width, 41);
    // Line box: the superscript's top reaches 4.2 + 7 * 1901/2048 above the base line.
    EXPECT_NEAR(g.top, -(4.2f + 7 * 1901.0f / 2048.0f), 1e-4);
    EXPECT_NEAR(g.bottom, 2.4f + 7 * 483.0f / 2048.0f, 1e-4);
}

TEST(ExportDrawRules, TextIsCentredOnItsLineBoxAndAligned) {
    MathGeometry g;
    g.width = 30;
    g.top = -9;
    g.bottom = 3;
    const Rect box{100, 200, 50, 40};  // centre y = 220; line box centre 3 above the base
    const Point c = text_origin(box, HAlign::Center, g);
    EXPECT_FLOAT_EQ(c.x, 110);
    EXPECT_FLOAT_EQ(c.y, 223);
    EXPECT_FLOAT_EQ(text_origin(box, HAlign::Left, g).x, 100);
    EXPECT_FLOAT_EQ(text_origin(box, HAlign::Right, g).x, 120);
    EXPECT_FLOAT_EQ(device_line_width(0.5f, 1), 1);
    EXPECT_FLOAT_EQ(device_line_width(2, 3), 6);
}

}  // namespace
}  // namespace convlens
