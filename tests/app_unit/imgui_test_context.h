// An ImGui context of a test's own, with a built font atlas under a made-up texture name,
// so frames can be made and their draw data read without a window or GL.
#pragma once

#include <cstdint>

#include <imgui.h>

namespace convlens::test_support {

class ImGuiTestContext {
public:
    ImGuiTestContext(float width, float height) : context_(ImGui::CreateContext()) {
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(width, height);
        io.DeltaTime = 1.0f / 60;
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(7)));
    }
    ~ImGuiTestContext() { ImGui::DestroyContext(context_); }
    ImGuiTestContext(const ImGuiTestContext&) = delete;
    ImGuiTestContext& operator=(const ImGuiTestContext&) = delete;

private:
    ImGuiContext* context_;
};

}  // namespace convlens::test_support
