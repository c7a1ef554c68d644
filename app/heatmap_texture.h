// The GPU side of DrawHeatmap: each large grid's values live in a GL_R32F texture and the
// fragment shader of shaders/heatmap.frag colours them, so hovering, zooming or playing a
// lesson over a 1024 x 1024 grid re-colours and re-uploads nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include <imgui.h>

#include "canvas/display_list.h"
#include "frame_signature.h"

namespace convlens {

// Owns the textures, the colour tables and the shader program. Every GL call happens while
// the window's context is current: in draw() (uploads), in the ImDrawList callback that
// ImGui's OpenGL3 backend runs while rendering, and in release().
class HeatmapTextures {
public:
    HeatmapTextures() = default;
    HeatmapTextures(const HeatmapTextures&) = delete;
    HeatmapTextures& operator=(const HeatmapTextures&) = delete;

    // Once per frame before the first draw(): last frame's queued quads were rendered.
    void begin_frame();
    // Uploads what changed of `heatmap`'s values (nothing when they are the values drawn
    // last time, only the rectangle of cells that differ otherwise) and queues its quad
    // between the screen points `min` and `max` into `draw`.
    void draw(ImDrawList* draw, const DrawHeatmap& heatmap, ImVec2 min, ImVec2 max);
    // Frees every GL object; the destructor does not touch GL.
    void release();

    // What went to the GPU so far, for the benchmark and the window's tests.
    struct Counters {
        std::size_t uploads = 0;          // glTexImage2D / glTexSubImage2D calls
        std::size_t values_uploaded = 0;  // floats sent with them
        std::size_t compared = 0;         // value lists compared with the uploaded ones
        std::size_t hinted = 0;           // uploads told their cells by the value swap's hint
    };
    const Counters& counters() const { return counters_; }
    // The shader failed to compile or link (its log went to stderr once): heatmaps are
    // then not drawn, the rest of the canvas is.
    bool broken() const { return broken_; }

    // Drawn by the ImGui callback; public only for it.
    struct Quad {
        HeatmapTextures* owner = nullptr;
        unsigned values = 0, lut = 0;    // texture names
        ImVec2 min, max;                 // screen pixels
        float inv_scale = 0;
        Color missing;
        bool opaque = false;             // every colour opaque: drawn without blending
        // The values texture's version (changes with every upload), the one before its
        // last upload and the cells that upload changed (rows, columns, last ones included);
        // the colour table's version.
        std::uint64_t contents = 0, contents_was = 0, lut_version = 0;
        int rows = 0, cols = 0, row0 = 0, row1 = -1, col0 = 0, col1 = -1;
    };
    void render(const Quad& quad, const ImDrawCmd& command) const;
    // The quads queued this frame: what the window's frame signature adds of them.
    const std::deque<Quad>& queued() const { return quads_; }
    // For the frame's pieces (frame_signature.h): when `command` is one of our quads, the
    // hash of everything it draws from and its screen rectangle.
    static bool describe(const ImDrawCmd& command, CallbackPiece* piece);

private:
    struct GridTexture {
        GridId grid = GridId::Input;
        int ordinal = 0;                 // the nth heatmap of this grid in a frame
        unsigned name = 0;
        int rows = 0, cols = 0;
        std::shared_ptr<const std::vector<float>> values;  // what the texture holds
        std::uint64_t version = 0;       // contents_ at its last upload
        std::uint64_t version_was = 0;   // and before it
        int row0 = 0, row1 = -1, col0 = 0, col1 = -1;  // the cells it changed
    };
    struct Lut {
        DivergingMap map;
        unsigned name = 0;
        std::uint64_t version = 0;
    };
    bool ensure_program();
    const Lut& lut_for(const DivergingMap& map);
    GridTexture& texture_for(GridId grid, int ordinal);
    void upload(GridTexture& texture, const DrawHeatmap& heatmap);

    std::vector<GridTexture> textures_;
    std::vector<Lut> luts_;
    std::deque<Quad> quads_;             // a deque: the callbacks hold pointers into it
    std::vector<std::pair<GridId, int>> seen_;  // heatmaps drawn this frame, per grid
    unsigned program_ = 0, vao_ = 0;
    int u_rect_ = -1, u_values_ = -1, u_lut_ = -1, u_lut_size_ = -1, u_inv_scale_ = -1,
        u_missing_ = -1, u_opacity_ = -1;
    bool broken_ = false;
    Counters counters_;
    std::uint64_t contents_ = 0;         // counts every change of any texture's pixels
};

}  // namespace convlens
