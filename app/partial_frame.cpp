#include <glad/gl.h>
#include <GLFW/glfw3.h>

#include "partial_frame.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include <imgui_impl_opengl3.h>

namespace convlens {
namespace {

constexpr int kGlxScreen = 0x800C;  // GLX_SCREEN, for glXQueryContext

// GLX through GLFW's loader (glXGetProcAddress), so the binary links no libGL of its own.
template <class F>
F glx(const char* name) {
    return reinterpret_cast<F>(glfwGetProcAddress(name));
}

bool software_renderer() {
    const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    if (!renderer) return false;
    const std::string r = renderer;
    return r.find("llvmpipe") != std::string::npos || r.find("softpipe") != std::string::npos ||
           r.find("swrast") != std::string::npos;
}

}  // namespace

void PartialFrames::init() {
    copy_ = nullptr;
    if (const char* full = std::getenv("CONVLENS_FULL_FRAMES"); full && std::strcmp(full, "0") != 0) return;
    if (!software_renderer()) return;
    using CurrentContext = void* (*)();
    using QueryContext = int (*)(void*, void*, int, int*);
    using QueryExtensions = const char* (*)(void*, int);
    const auto display = glx<CurrentDisplay>("glXGetCurrentDisplay");
    const auto drawable = glx<CurrentDrawable>("glXGetCurrentDrawable");
    const auto context = glx<CurrentContext>("glXGetCurrentContext");
    const auto query_context = glx<QueryContext>("glXQueryContext");
    const auto query_extensions = glx<QueryExtensions>("glXQueryExtensionsString");
    if (!display || !drawable || !context || !query_context || !query_extensions || !display() || !context())
        return;
    int screen = 0;
    if (query_context(display(), context(), kGlxScreen, &screen) != 0) return;
    const char* extensions = query_extensions(display(), screen);
    // The name followed by a space or the end, not a longer name that starts with it.
    const std::string list = extensions ? std::string(" ") + extensions + " " : "";
    if (list.find(" GLX_MESA_copy_sub_buffer ") == std::string::npos) return;
    display_ = display;
    drawable_ = drawable;
    copy_ = glx<CopySubBuffer>("glXCopySubBufferMESA");
}

void PartialFrames::draw(ImDrawData& data, const FramePieces& pieces, const std::vector<PixelRect>& rects) {
    const int height = pieces.height;
    glEnable(GL_SCISSOR_TEST);
    for (const PixelRect& r : rects) {
        glScissor(r.x0, height - r.y1, r.x1 - r.x0, r.y1 - r.y0);
        glClear(GL_COLOR_BUFFER_BIT);
    }
    glDisable(GL_SCISSOR_TEST);
    const std::size_t lists = static_cast<std::size_t>(data.CmdListsCount);
    indices_.resize(lists);
    commands_.resize(lists);
    for (std::size_t l = 0; l < lists; ++l) {
        ImDrawList& list = *data.CmdLists[l];
        const std::vector<FramePieces::Piece>& cut = pieces.lists[l].pieces;
        ImVector<ImDrawIdx>& idx = indices_[l];
        ImVector<ImDrawCmd>& cmds = commands_[l];
        idx.resize(0);
        cmds.resize(0);
        std::size_t p = 0;  // pieces are in command order
        for (int c = 0; c < list.CmdBuffer.Size; ++c) {
            const ImDrawCmd& cmd = list.CmdBuffer[c];
            const std::size_t first = p;
            while (p < cut.size() && cut[p].command == c) ++p;
            if (cmd.UserCallback == ImDrawCallback_ResetRenderState) {
                cmds.push_back(cmd);
                continue;
            }
            const PixelRect scissor = scissor_of(cmd.ClipRect, height);
            for (const PixelRect& r : rects) {
                const PixelRect clip = intersect(scissor, r);
                if (clip.empty()) continue;
                ImDrawCmd part = cmd;
                part.ClipRect = clip_of(clip);
                part.IdxOffset = static_cast<unsigned>(idx.Size);
                bool reaches = false;
                for (std::size_t q = first; q < p; ++q) {
                    if (intersect(cut[q].rect, r).empty()) continue;
                    reaches = true;
                    for (unsigned k = 0; k < cut[q].count; ++k) idx.push_back(list.IdxBuffer[static_cast<int>(cut[q].first + k)]);
                }
                part.ElemCount = static_cast<unsigned>(idx.Size) - part.IdxOffset;
                if (cmd.UserCallback ? reaches : part.ElemCount > 0) cmds.push_back(part);
            }
        }
        list.IdxBuffer.swap(idx);
        list.CmdBuffer.swap(cmds);
    }
    ImGui_ImplOpenGL3_RenderDrawData(&data);
    for (std::size_t l = 0; l < lists; ++l) {  // the lists as ImGui made them
        data.CmdLists[l]->IdxBuffer.swap(indices_[l]);
        data.CmdLists[l]->CmdBuffer.swap(commands_[l]);
    }
}

void PartialFrames::show(const std::vector<PixelRect>& rects, int height) const {
    if (!copy_) return;
    void* display = display_();
    const unsigned long drawable = drawable_();
    // GLX counts rows from the bottom, as GL does.
    for (const PixelRect& r : rects) copy_(display, drawable, r.x0, height - r.y1, r.x1 - r.x0, r.y1 - r.y0);
}

}  // namespace convlens
