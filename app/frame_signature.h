// What a frame puts on the screen, as bytes: ImGui's draw data (vertices, indices, commands,
// clip rectangles, textures) and whatever else the caller says the pixels depend on.
// Two frames with equal signatures draw the same pixels, so the window draws and swaps only
// the first of them (window.cpp): on llvmpipe a frame's drawing is most of its cost.
#pragma once

#include <cstddef>
#include <cstring>
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

}  // namespace convlens
