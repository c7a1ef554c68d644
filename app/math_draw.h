// Draws MathText (runs of base, superscript and subscript text) with ImGui fonts: scripts
// smaller and raised or lowered, stacked scripts sharing x. Canvas and panels both use it.
#pragma once

#include <string>
#include <vector>

#include <imgui.h>

#include "canvas/math_text.h"
#include "fonts.h"

namespace convlens {

// One run placed relative to the text's origin (left end of the base line).
struct PlacedRun {
    std::string text;
    ImFont* font;
    float size;                  // pixels
    float x;                     // left edge
    float baseline;              // offset below the base line (negative: raised)
};

struct MathLayout {
    std::vector<PlacedRun> runs;
    float width = 0;
    float top = 0;               // highest ink line above the base line (negative)
    float bottom = 0;            // lowest line below it (positive)
    float height() const { return bottom - top; }
};

// `px` is the size of base-level runs in the cairo sense (the em), as in DrawText::size.
MathLayout layout_math(const FontSet& fonts, const MathText& text, float px);

// Draws with the base line at `baseline_origin`.
void draw_math(ImDrawList* draw, const MathLayout& layout, ImVec2 baseline_origin, ImU32 color);

// An ImGui item showing TeX-like source in real notation at the cursor; `px` 0 means the
// widgets' font size. Returns the item's size.
ImVec2 math_label(const FontSet& fonts, const std::string& tex, float px = 0,
                  ImU32 color = 0);

// The width math_label would give tex; `px` 0 means the widgets' font size.
float math_width(const FontSet& fonts, const std::string& tex, float px = 0);

// Where a formula may break: before each " = ", " + " or " - " and each remark set off
// by two spaces, outside braces; a part wider than `width` by itself breaks between its
// words. Lines are filled greedily so that none passes `width` unless one unbreakable
// piece does; each but the first starts with `continuation` (an indent) instead of the
// space it was cut at.
std::vector<std::string> break_math(const FontSet& fonts, const std::string& tex, float px,
                                    float width, const std::string& continuation = "\\quad ");

// math_label over as many lines as the content region's width needs (break_math), each
// noted for the layout probe under `probe_name` when given.
void wrapped_math_label(const FontSet& fonts, const std::string& tex, float px = 0,
                        const char* probe_name = "math");

}  // namespace convlens
