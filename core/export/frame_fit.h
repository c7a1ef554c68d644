// Where the drawing lands in an exported frame: every frame of one export shares one fit,
// so grids stay put from step to step, as they do in the window.
#pragma once

#include <vector>

#include "canvas/display_list.h"
#include "export/export_options.h"

namespace convlens {

// Layout units -> device units (pixels, or points in a PDF): device = offset + scale * p.
struct FrameFit {
    int width = 0, height = 0;       // device size of the frame
    float scale = 1;                 // device units per layout unit
    float offset_x = 0, offset_y = 0;
    Point to_device(Point p) const { return {offset_x + scale * p.x, offset_y + scale * p.y}; }
};

// The margin around the drawing, as a fraction of the frame's shorter side.
inline constexpr float kFrameMargin = 0.04f;

// Fits `content` (layout units) into round(width * scale) x round(height * scale),
// centred, with the margin. Throws InputError for sizes below 16 or above 16384 device
// units a side, or a scale that is not positive.
FrameFit fit_frame(const Rect& content, int width, int height, float scale);

// What the frames cover together, text measured in the font it is drawn with.
Rect frames_bounds(const std::vector<DisplayList>& frames);

}  // namespace convlens
