#include "frame_signature.h"

namespace convlens {

void FrameSignature::add_bytes(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    bytes_.insert(bytes_.end(), p, p + size);
}

void FrameSignature::add_draw_data(const ImDrawData& data) {
    add(data.Valid);
    add(data.CmdListsCount);
    add(data.DisplayPos.x);
    add(data.DisplayPos.y);
    add(data.DisplaySize.x);
    add(data.DisplaySize.y);
    add(data.FramebufferScale.x);
    add(data.FramebufferScale.y);
    for (int i = 0; i < data.CmdListsCount; ++i) {
        const ImDrawList& list = *data.CmdLists[i];
        add(list.VtxBuffer.Size);
        add(list.IdxBuffer.Size);
        add(list.CmdBuffer.Size);
        // ImDrawVert is three packed fields (pos, uv, col) with no padding between them.
        static_assert(sizeof(ImDrawVert) == sizeof(ImVec2) * 2 + sizeof(ImU32));
        add_bytes(list.VtxBuffer.Data, sizeof(ImDrawVert) * static_cast<std::size_t>(list.VtxBuffer.Size));
        add_bytes(list.IdxBuffer.Data, sizeof(ImDrawIdx) * static_cast<std::size_t>(list.IdxBuffer.Size));
        for (const ImDrawCmd& c : list.CmdBuffer) {
            add(c.ClipRect.x);
            add(c.ClipRect.y);
            add(c.ClipRect.z);
            add(c.ClipRect.w);
            add(c.TextureId);
            add(c.VtxOffset);
            add(c.IdxOffset);
            add(c.ElemCount);
            add(c.UserCallback);
            add(c.UserCallbackData);
        }
    }
}

}  // namespace convlens
