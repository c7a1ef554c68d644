// DejaVu in the sizes the window draws: the widgets' font and a ladder of canvas sizes
// covering Greek, math operators, arrows and sub/superscripts.
#pragma once

#include <string>
#include <vector>

#include <imgui.h>

namespace convlens {

struct FontSet {
    struct Baked {
        float size;              // pixels
        ImFont* font;
    };
    ImFont* ui = nullptr;        // widgets and tables
    std::vector<Baked> ladder;   // canvas and math labels, from small to large
    std::string warning;         // set when DejaVu is missing (Greek would show as '?')

    // The baked font for drawing at px: the nearest size by ratio. Shrinking a glyph by a
    // quarter already loses its one-pixel strokes (the bottom bar of a 2), while growing
    // it by a seventh only softens it.
    ImFont* pick(float px) const;
};

// Clears io.Fonts and loads everything at `scale` (content scale x UI scale). The
// caller re-creates the renderer's font texture afterwards.
FontSet build_fonts(float scale);

// The widgets' font size before scaling, in pixels.
inline constexpr float kUiFontSize = 15;

}  // namespace convlens
