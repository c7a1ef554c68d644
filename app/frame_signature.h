// What a frame puts on the screen, as bytes: ImGui's draw data (vertices, indices, commands,
// clip rectangles, textures) and whatever else the caller says the pixels depend on.
// Two frames with equal signatures draw the same pixels, so the window draws and swaps only
// the first of them (window.cpp): on llvmpipe a frame's drawing is most of its cost.
// And piece by piece (FramePieces, frame_damage): where two frames can differ at all, so
// a frame that changes a corner is drawn and shown only there (app/partial_frame.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <type_traits>
#include <vector>

#include <imgui.h>

namespace convlens {

class FrameSignature {
public:
    void clear() { bytes_.clear(); }
    // Every list's vertices and indices, and each command's clip rectangle, texture,
    // offsets, count and callback (a callback's data by address: what it draws from is
    // the caller's to add).
    void add_draw_data(const ImDrawData& data);
    // One value, by its bytes: pass fields, not structs with padding between them.
    template <class T>
    void add(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        add_bytes(&value, sizeof value);
    }
    void add_bytes(const void* data, std::size_t size);

    std::size_t size() const { return bytes_.size(); }
    bool operator==(const FrameSignature& other) const { return bytes_ == other.bytes_; }
    bool operator!=(const FrameSignature& other) const { return !(*this == other); }
    void swap(FrameSignature& other) noexcept { bytes_.swap(other.bytes_); }

private:
    std::vector<unsigned char> bytes_;
};

// Pixels of the framebuffer, top-left origin (ImGui's), x1 and y1 excluded.
struct PixelRect {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool empty() const { return x1 <= x0 || y1 <= y0; }
    long long area() const { return empty() ? 0 : static_cast<long long>(x1 - x0) * (y1 - y0); }
    bool operator==(const PixelRect&) const = default;
};
PixelRect intersect(const PixelRect& a, const PixelRect& b);

// The pixels ImGui's OpenGL3 backend lets a command touch: its glScissor box, computed with
// the backend's very float-to-int casts, in top-left pixels of a framebuffer `height` high.
PixelRect scissor_of(const ImVec4& clip, int height);
// The clip rectangle whose scissor is exactly `r` (whole numbers convert exactly).
ImVec4 clip_of(const PixelRect& r);

// A frame cut into the pieces ImGui drew one after another: each primitive (a glyph, a
// rectangle, a polyline: triangles over vertices no other primitive uses) of each command,
// and each callback that draws (the heatmap quads). A piece's hash covers everything its
// pixels depend on (vertices, indices, texture, scissor; for a callback what the caller
// says); its rect holds every pixel it can touch.
struct FramePieces {
    struct Piece {
        std::uint64_t hash = 0;
        PixelRect rect;
        int command = 0;          // index in its list's CmdBuffer
        unsigned first = 0;       // its indices: IdxBuffer[first, first + count)
        unsigned count = 0;
        // A callback's texture contents (CallbackPiece): equal pieces whose contents
        // differ are damaged only where `changed` says, if that change is the only one.
        std::uint64_t contents = 0, contents_was = 0;
        PixelRect changed;
    };
    struct List {
        std::uint64_t name = 0;   // the owning window's name, hashed
        std::vector<Piece> pieces;
    };
    std::vector<List> lists;      // in draw order, as in ImDrawData::CmdLists
    int width = 0, height = 0;    // the framebuffer
    bool complete = false;        // false: a callback nobody described (draw it all)
};

// What the caller knows of a callback that draws (false: not known): the hash of what it
// draws from but its texture's contents, the screen rectangle it covers (before the
// command's clip), and its contents: a version that changes with every upload, the version
// before the last upload and the screen rectangle that upload changed (ImVec4: x0 y0 x1 y1).
struct CallbackPiece {
    std::uint64_t hash = 0;
    ImVec4 rect;
    std::uint64_t contents = 0, contents_was = 0;
    ImVec4 changed;
};
using DescribeCallback = std::function<bool(const ImDrawCmd&, CallbackPiece*)>;

// Cuts `data` (DisplayPos 0,0, FramebufferScale 1, as the window has) into pieces; pieces
// that touch no pixel are left out. ImDrawCallback_ResetRenderState draws nothing.
FramePieces frame_pieces(const ImDrawData& data, int width, int height, const DescribeCallback& describe);

// Where `after` can differ from `before` once drawn over the same background: the pixels
// of every piece not matched, in order, by an equal piece of the same window's list in the
// other frame (a pixel only matched pieces touch gets the same colours in the same order),
// and of a matched callback piece whose contents changed: where its last upload changed
// them when `before` shows the contents just before it, else all of it;
// lists are paired by name in order, those left between two pairs in order, and a list
// without a partner (a tooltip that came or went) is all damage. As at most `max_rects` disjoint rectangles aligned to `tile` pixels,
// or nullopt when the whole frame must be drawn (another size, a callback not described,
// or damage over `max_share` of the frame).
std::optional<std::vector<PixelRect>> frame_damage(const FramePieces& before, const FramePieces& after,
                                                    int tile = 16, int max_rects = 8, double max_share = 0.6);

}  // namespace convlens
