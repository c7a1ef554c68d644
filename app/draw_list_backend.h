// The on-screen backend of the display list: rectangles, lines, arrows and math text go
// into an ImDrawList, heatmaps are float textures coloured by a shader (heatmap_texture.h).
#pragma once

#include <imgui.h>

#include "canvas/display_list.h"
#include "fonts.h"
#include "heatmap_texture.h"

namespace convlens {

// Layout units -> screen pixels: screen = origin + scale * layout.
struct CanvasTransform {
    float origin_x = 0, origin_y = 0;
    float scale = 1;
    ImVec2 to_screen(Point p) const { return {origin_x + scale * p.x, origin_y + scale * p.y}; }
    Point to_layout(ImVec2 p) const { return {(p.x - origin_x) / scale, (p.y - origin_y) / scale}; }
};

ImU32 to_imgui(Color c);

// Draws the whole list, once a frame: heatmaps through `heatmaps` (which uploads only
// values it has not drawn before), with their numbers once the zoom makes cells large
// enough to read them.
void draw_display_list(ImDrawList* draw, const DisplayList& list, const CanvasTransform& t,
                       const FontSet& fonts, HeatmapTextures& heatmaps);

// What the list really covers, in layout units, with text measured in the fonts it will
// be drawn with (the layout can only estimate text widths); the canvas fits this.
Rect ink_bounds(const DisplayList& list, const FontSet& fonts);

// Screen-space helpers shared with the canvas overlays.
void add_dashed_line(ImDrawList* draw, ImVec2 a, ImVec2 b, ImU32 color, float width, float dash);
void add_dashed_rect(ImDrawList* draw, ImVec2 min, ImVec2 max, ImU32 color, float width, float dash);

}  // namespace convlens
