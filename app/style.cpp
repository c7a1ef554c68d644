// [SECTION] Themes: the canvas colours from core and a matching ImGui style, both scaled
// by the monitor's content scale and the user's interface size.
#include <imgui.h>

#include "app_state.h"
#include "panels.h"

namespace convlens {
namespace {

ImVec4 vec(Color c, float alpha = 1) { return ImVec4(c.r, c.g, c.b, c.a * alpha); }

}  // namespace

void apply_theme(AppState& s) {
    s.theme = s.settings.dark ? dark_theme() : light_theme();
    ImGuiStyle style;
    if (s.settings.dark) ImGui::StyleColorsDark(&style);
    else ImGui::StyleColorsLight(&style);
    style.WindowRounding = 0;
    style.FrameRounding = 3;
    style.GrabRounding = 3;
    style.PopupRounding = 3;
    style.WindowBorderSize = 1;
    style.FrameBorderSize = s.settings.dark ? 0 : 1;
    style.CellPadding = ImVec2(8, 2);
    // Panels take the canvas's background so the window reads as one page, not a toolbox:
    // the frame is cleared to it (window.cpp), so windows draw none of their own. On
    // llvmpipe every layer of fill over the whole window costs milliseconds a frame.
    // (Menus and dialogs are popups: PopupBg, below.)
    style.Colors[ImGuiCol_WindowBg] = vec(s.theme.background, 0);
    // Menus and dialogs open over the canvas: opaque, or its cells show through.
    ImVec4 popup = style.Colors[ImGuiCol_PopupBg];
    popup.w = 1;
    style.Colors[ImGuiCol_PopupBg] = popup;
    style.Colors[ImGuiCol_Text] = vec(s.theme.text);
    style.Colors[ImGuiCol_TextDisabled] = vec(s.theme.muted_text);
    style.Colors[ImGuiCol_Border] = vec(s.theme.grid_line, 0.6f);
    style.ScaleAllSizes(ui_scale(s));
    ImGui::GetStyle() = style;
    s.view_dirty = true;
    s.lesson.dirty = true;  // the grids' colours
    s.fit_reset = true;
    s.wants_frames = true;
}

}  // namespace convlens
