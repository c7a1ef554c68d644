// [SECTION] The main menu (File, Edit, View, Help) and the Open / Save As dialog: a path
// field with the folder's scene files below it (no native dialogs on every desktop).
#include <algorithm>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "document.h"
#include "menu_image.h"
#include "panels.h"
#include "path_picker.h"

namespace convlens {
namespace {

namespace fs = std::filesystem;

std::string start_folder(const AppState& s) {
    std::error_code ec;
    if (!s.scene_path.empty()) return fs::path(s.scene_path).parent_path().string() + "/";
    return fs::current_path(ec).string() + "/";
}

void request_dialog(AppState& s, FileDialogKind kind) {
    FileDialog& d = s.file_dialog;
    d.kind = kind;
    d.open_requested = true;
    d.error.clear();
    if (kind == FileDialogKind::SaveAs)
        d.path = s.scene_path.empty() ? start_folder(s) + "scene.json" : s.scene_path;
    else
        d.path = start_folder(s);
}

void examples_menu(AppState& s) {
    const fs::path folder = fs::path(CONVLENS_ASSET_DIR) / "scenes";
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".json") files.push_back(it->path());
    std::sort(files.begin(), files.end());
    if (files.empty()) ImGui::TextDisabled("no example scenes in %s", folder.c_str());
    for (const fs::path& f : files)
        if (ImGui::MenuItem(f.filename().c_str())) open_scene_file(s, f.string());
}

}  // namespace

void request_open_dialog(AppState& s) { request_dialog(s, FileDialogKind::Open); }
void request_save_as_dialog(AppState& s) { request_dialog(s, FileDialogKind::SaveAs); }

void save_or_ask(AppState& s) {
    if (s.scene_path.empty()) request_dialog(s, FileDialogKind::SaveAs);
    else save_document(s);
}

// Never remembered: the next start shows the panels. A message says the way back, as
// the menu bar that holds the item is hidden too.
void toggle_canvas_only(AppState& s) {
    s.canvas_only = !s.canvas_only;
    s.error.clear();
    s.notice = s.canvas_only ? "Canvas only: F11 brings back the panels" : "";
    s.wants_frames = true;
}

void draw_menu_bar(AppState& s) {
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("New (default scene)")) new_document(s);
        if (ImGui::MenuItem("Open...", "Ctrl+O")) request_dialog(s, FileDialogKind::Open);
        image_file_menu_items(s);
        if (ImGui::BeginMenu("Open Recent", !s.settings.recent.empty())) {
            for (const std::string& path : std::vector<std::string>(s.settings.recent))
                if (ImGui::MenuItem(path.c_str())) open_scene_file(s, path);
            ImGui::Separator();
            if (ImGui::MenuItem("Clear list")) {
                s.settings.recent.clear();
                save_settings_now(s);
            }
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu("Examples")) {
            examples_menu(s);
            image_examples_menu_items(s);
            ImGui::EndMenu();
        }
        ImGui::Separator();
        if (ImGui::MenuItem("Save", "Ctrl+S")) save_or_ask(s);
        if (ImGui::MenuItem("Save As...", "Ctrl+Shift+S")) request_dialog(s, FileDialogKind::SaveAs);
        if (ImGui::MenuItem("Export...")) request_export_dialog(s);
        ImGui::Separator();
        if (ImGui::MenuItem("Quit", "Ctrl+Q")) s.quit_requested = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Edit")) {
        if (ImGui::MenuItem("Undo", "Ctrl+Z", false, !s.history.undo.empty())) undo(s);
        if (ImGui::MenuItem("Redo", "Ctrl+Shift+Z", false, !s.history.redo.empty())) redo(s);
        ImGui::EndMenu();
    }
    draw_kernel_menu(s);
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem("Light theme", nullptr, !s.settings.dark)) {
            s.settings.dark = false;
            apply_theme(s);
            save_settings_now(s);
        }
        if (ImGui::MenuItem("Dark theme", nullptr, s.settings.dark)) {
            s.settings.dark = true;
            apply_theme(s);
            save_settings_now(s);
        }
        ImGui::Separator();
        if (ImGui::MenuItem("Canvas only (presenting)", "F11", s.canvas_only))
            toggle_canvas_only(s);
        if (ImGui::MenuItem("Fit the layer (wheel zooms, middle-drag pans)", "Ctrl+0")) reset_canvas_view(s);
        if (ImGui::BeginMenu("Interface size")) {
            for (float scale : {0.75f, 0.9f, 1.0f, 1.25f, 1.5f, 2.0f}) {
                const std::string label = std::to_string(static_cast<int>(scale * 100 + 0.5f)) + " %";
                if (ImGui::MenuItem(label.c_str(), nullptr, s.settings.ui_scale == scale)) {
                    s.settings.ui_scale = scale;
                    s.fonts_dirty = true;
                    save_settings_now(s);
                }
            }
            ImGui::EndMenu();
        }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
        ImGui::TextUnformatted("Point at a cell: its influence, receptive field or pairs");
        ImGui::TextUnformatted("Click: select (the focus stays when the mouse leaves)");
        ImGui::TextUnformatted("Type a number, Enter: set the selected value (Esc cancels)");
        ImGui::TextUnformatted("Enter or double-click: edit the value; Delete: set it to 0");
        ImGui::TextUnformatted("Right-drag or Alt+drag: scrub (Shift: 0.1 steps, Ctrl: 10)");
        ImGui::TextUnformatted("Arrow keys: move the selection; Esc: clear it");
        ImGui::TextUnformatted("Wheel: zoom the canvas; middle-drag: pan; Ctrl+0 or double-click "
                               "on empty canvas: fit");
        ImGui::TextUnformatted("Ctrl+Z undo, Ctrl+Shift+Z or Ctrl+Y redo");
        ImGui::TextUnformatted("Drop a .json scene onto the window to open it, or a PNG or JPEG "
                               "image to make it z^l");
        ImGui::EndMenu();
    }
    ImGui::EndMainMenuBar();
}

void draw_file_dialog(AppState& s) {
    FileDialog& d = s.file_dialog;
    if (d.kind == FileDialogKind::None) return;
    const bool opening = d.kind == FileDialogKind::Open;
    const char* title = opening ? "Open scene" : "Save scene as";
    if (d.open_requested) {
        ImGui::OpenPopup(title);
        d.open_requested = false;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x / 2, vp->Pos.y + vp->Size.y / 3),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(vp->Size.x * 0.8f, 720 * ui_scale(s)), 0));
    if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoSavedSettings)) {
        d.kind = FileDialogKind::None;
        return;
    }
    ImGui::TextUnformatted(opening ? "Path of a scene file (.json):" : "Save the scene to:");
    const auto scene_file = [](const std::string& name) { return fs::path(name).extension() == ".json"; };
    bool confirm = path_picker("scene path", d.path, scene_file, 9);
    if (!d.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, to_imgui(s.theme.outside));
        ImGui::TextWrapped("%s", d.error.c_str());
        ImGui::PopStyleColor();
    }
    confirm |= ImGui::Button(opening ? "Open" : "Save", ImVec2(120 * ui_scale(s), 0));
    ImGui::SameLine();
    const bool cancel = ImGui::Button("Cancel", ImVec2(120 * ui_scale(s), 0)) ||
                        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
    if (confirm) {
        const std::string before = s.error;
        const bool ok = opening ? open_scene_file(s, d.path) : save_document(s, d.path);
        if (ok) {
            d.kind = FileDialogKind::None;
            ImGui::CloseCurrentPopup();
        } else {
            // The dialog shows the problem; the window's error line need not repeat it.
            d.error = s.error.empty() ? "cannot use this path" : s.error;
            s.error = before;
        }
    } else if (cancel) {
        d.kind = FileDialogKind::None;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace convlens
