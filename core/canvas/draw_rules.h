// The drawing rules every backend of the display list follows: where scripts sit and how
// big they are, dash lengths, arrow heads, where text goes in its box, hairline widths.
// The window (GL) and the exported files (cairo, SVG, TikZ) call these, so they cannot drift.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "canvas/display_list.h"
#include "canvas/math_text.h"
#include "canvas/text_metrics.h"

namespace convlens {

// [SECTION] Scripts
// A superscript's base line sits this many ems of the base size above the base line, a
// subscript's this many below; both are drawn at kScriptScale of the base size.
inline constexpr float kSuperRaise = 0.42f;
inline constexpr float kSubDrop = 0.24f;

// DejaVu Sans' vertical metrics (hhea, 2048 units per em): the line box every backend
// centres text on. ImGui's fonts and cairo's report the same numbers.
inline constexpr float kAscentPerEm = 1901.0f / 2048.0f;
inline constexpr float kDescentPerEm = 483.0f / 2048.0f;

float run_size(Script script, float base_size);      // the em of a run
float run_baseline(Script script, float base_size);  // below the base line; negative: raised

// One run placed relative to the text's origin (left end of the base line).
struct PlacedRunGeometry {
    float size = 0;              // em of the run
    float x = 0;                 // left edge
    float baseline = 0;          // offset below the base line (negative: raised)
    float width = 0;             // advance, as measured
};

struct MathGeometry {
    std::vector<PlacedRunGeometry> runs;  // one per MathText run, same order
    float width = 0;
    float top = 0;               // highest line-box edge above the base line (negative)
    float bottom = 0;            // lowest line-box edge below it (positive)
};

// Measures the advance of `text` at em `size` in the backend's real font.
using MeasureRun = std::function<float(std::string_view text, float size)>;

// Places every run: scripts smaller and shifted, a stacked script at the x of the script
// it sits under, the line box from ascent and descent per em (defaults: DejaVu Sans).
MathGeometry place_math(const MathText& text, float base_size, const MeasureRun& measure,
                        float ascent_per_em = kAscentPerEm, float descent_per_em = kDescentPerEm);

// [SECTION] Text in its box
// The base-line origin for text of this geometry in `box`: centred vertically on its
// line box, aligned horizontally as asked.
Point text_origin(const Rect& box, HAlign align, const MathGeometry& geometry);

// Where the glyphs of `text` are, about: its runs as place_math puts them (estimated
// advances), each from its base line up by kInkAscentPerEm and down by kInkDescentPerEm
// (DejaVu's tallest letters and digits, and its descenders). Arrows keep clear of it.
inline constexpr float kInkAscentPerEm = 0.76f;
inline constexpr float kInkDescentPerEm = 0.24f;
Rect text_ink_box(const DrawText& text);

// [SECTION] Dashes
// Dashes of padding cells' outlines and of arrows that reach no output, in the same units
// as the line they dash (layout units, times the backend's scale).
inline constexpr float kRectDash = 5;
inline constexpr float kArrowDash = 6;
inline constexpr float kGapPerDash = 0.7f;
inline constexpr float kMinDash = 2;

struct Dash {
    float start = 0, end = 0;    // distances along the line
};

// The dashes of a line of `length` with dashes `dash` long, gaps kGapPerDash of that;
// the last dash is cut at the line's end. Nothing for lines shorter than half a unit.
std::vector<Dash> dashes_along(float length, float dash);

// [SECTION] Arrows
inline constexpr float kHeadMaxOfLength = 0.6f;  // a head never takes more of a short arrow
inline constexpr float kHeadHalfWidth = 0.45f;   // half the head's base, per head length

// An arrow's pieces: the shaft stops at the neck, where the head's base is, so a thick
// line never pokes through the tip; the head is the triangle tip, left, right.
struct ArrowGeometry {
    bool visible = false;        // false for arrows shorter than `min_length`
    Point shaft_from, neck;
    Point tip, left, right;
};

ArrowGeometry arrow_geometry(Point from, Point to, float head, float min_length = 1);

// [SECTION] Lines
// Hairlines stay visible however small the drawing: at least one device pixel wide.
// `scale` is device pixels per layout unit.
float device_line_width(float width, float scale);

}  // namespace convlens
