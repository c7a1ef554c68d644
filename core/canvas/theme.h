// Colours of the canvas: light (the default: slides are white) and dark, and the
// diverging colour map that shows sign and size of every cell value.
#pragma once

#include "canvas/display_list.h"

namespace convlens {

struct Theme {
    bool dark = false;
    Color background;
    Color text;
    Color muted_text;            // index labels, captions
    Color grid_line;
    Color padding_cell;          // zero padding ring
    Color highlight;             // the focused element
    Color influence;             // cells it feeds / taps that carry it
    Color outside;               // taps reaching no output
    Color negative;              // colour map end for -max
    Color neutral;               // colour map middle (0)
    Color positive;              // colour map end for +max
};

Theme light_theme();
Theme dark_theme();

// Diverging map: value / scale in [-1, 1] -> negative .. neutral .. positive.
// scale <= 0 maps everything to neutral.
Color diverging_color(const Theme& theme, double value, double scale);
// The colour of term k of a lesson step's sum, on the canvas and in the equation: a
// qualitative palette that cycles, chosen to read on the theme's background and to stay
// apart from the diverging map's ends. Negative k gives theme.influence.
Color term_color(const Theme& theme, int term);
// Black or white, whichever reads better on `fill`.
Color text_color_on(const Theme& theme, Color fill);

}  // namespace convlens
