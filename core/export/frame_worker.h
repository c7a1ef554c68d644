// What one thread of a folder export keeps between its frames: cairo's fonts (not to be
// shared between threads) and one image surface, painted over frame after frame.
#pragma once

#include <cairo.h>

#include "export/cairo_fonts.h"

namespace convlens {

struct FrameWorker {
    CairoFonts fonts;
    cairo_surface_t* surface = nullptr;  // made on first use, at the fit's size
    FrameWorker() = default;
    FrameWorker(const FrameWorker&) = delete;
    FrameWorker& operator=(const FrameWorker&) = delete;
    ~FrameWorker() {
        if (surface) cairo_surface_destroy(surface);
    }
};

}  // namespace convlens
