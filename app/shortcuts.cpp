// [SECTION] Keyboard shortcuts of the whole window. Text fields keep their own Ctrl+Z
// (ImGui's text undo), so nothing here fires while one is being typed into.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include "document.h"
#include "panels.h"

namespace convlens {

void handle_shortcuts(AppState& s) {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput || ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) return;
    if (ImGui::IsKeyPressed(GLFW_KEY_F11, false)) toggle_canvas_only(s);
    if (!io.KeyCtrl && !io.KeySuper) return;
    // GLFW names keys by their US-layout position, as ImGui's backend reports them.
    const auto pressed = [](int key) { return ImGui::IsKeyPressed(key, true); };
    if (pressed(GLFW_KEY_Z)) {
        if (io.KeyShift) redo(s);
        else undo(s);
    }
    if (pressed(GLFW_KEY_Y)) redo(s);
    if (ImGui::IsKeyPressed(GLFW_KEY_S, false)) {
        if (io.KeyShift) request_save_as_dialog(s);
        else save_or_ask(s);
    }
    if (ImGui::IsKeyPressed(GLFW_KEY_O, false)) request_open_dialog(s);
    if (ImGui::IsKeyPressed(GLFW_KEY_Q, false)) s.quit_requested = true;
    if (ImGui::IsKeyPressed(GLFW_KEY_0, false) || ImGui::IsKeyPressed(GLFW_KEY_KP_0, false))
        reset_canvas_view(s);
}

}  // namespace convlens
