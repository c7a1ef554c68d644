// Frames drawn and shown only where they differ from the screen, on a software renderer.
// llvmpipe rasterises every pixel on the CPU; this keeps the whole picture in the back
// buffer and redraws only the damaged rectangles of the new frame (frame_damage in
// frame_signature.h), then copies just those to the window (GLX_MESA_copy_sub_buffer).
#pragma once

#include <vector>

#include <imgui.h>

#include "frame_signature.h"

namespace convlens {

class PartialFrames {
public:
    // With the window's context current. On only under a software renderer (llvmpipe,
    // softpipe, swrast) whose GLX offers GLX_MESA_copy_sub_buffer, and unless the
    // environment sets CONVLENS_FULL_FRAMES=1 (to compare). A GPU draws whole frames in
    // no time and swaps them in step with the display: it keeps glfwSwapBuffers.
    void init();
    bool on() const { return copy_ != nullptr; }

    // Into the back buffer: `rects` (disjoint) cleared to the colour set by glClearColor,
    // then `data` drawn inside them only, each command cut to each rectangle and given only
    // its pieces (of `pieces`, cut from this very `data`) that reach it. Pixels inside come
    // out as a whole frame would make them, since every piece that can touch them is drawn
    // in its order; pixels outside keep the last frame's. `data` is as it was afterwards.
    void draw(ImDrawData& data, const FramePieces& pieces, const std::vector<PixelRect>& rects);
    // Copies `rects` of the back buffer to the window (the back buffer stays as it is).
    void show(const std::vector<PixelRect>& rects, int height) const;

private:
    using CopySubBuffer = void (*)(void* display, unsigned long drawable, int x, int y, int width, int height);
    using CurrentDisplay = void* (*)();
    using CurrentDrawable = unsigned long (*)();
    CopySubBuffer copy_ = nullptr;
    CurrentDisplay display_ = nullptr;
    CurrentDrawable drawable_ = nullptr;
    // The cut index and command buffers, swapped into the draw lists while they render.
    std::vector<ImVector<ImDrawIdx>> indices_;
    std::vector<ImVector<ImDrawCmd>> commands_;
};

}  // namespace convlens
