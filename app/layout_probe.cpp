#include "layout_probe.h"

#include <cstdio>
#include <vector>

#include <imgui_internal.h>
#include <nlohmann/json.hpp>

#include "app_state.h"
#include "panels.h"
#include "util/atomic_write.h"

namespace convlens {
namespace {

// Test instrumentation, not UI state: the one pending request and what the frame recorded.
struct Probe {
    std::string requested;       // path asked for by the hook
    std::string recording;       // path of the frame being recorded
    nlohmann::json panels = nlohmann::json::array();
    nlohmann::json widgets = nlohmann::json::array();
};
Probe probe;

nlohmann::json rect_json(ImVec2 a, ImVec2 b) { return {a.x, a.y, b.x, b.y}; }

// The panel an item belongs to is its root window: child windows (the lesson's equation,
// tables that scroll) belong to the panel around them.
const char* panel_name(const ImGuiWindow* w) { return w->RootWindow ? w->RootWindow->Name : w->Name; }

void add_widget(const char* name, ImVec2 a, ImVec2 b, float text_width) {
    const ImGuiWindow* w = ImGui::GetCurrentWindow();
    nlohmann::json j;
    j["panel"] = panel_name(w);
    j["name"] = name;
    j["rect"] = rect_json(a, b);
    // Items show only inside the window's inner clip rectangle (inside scrollbars too).
    j["clip"] = rect_json(w->InnerClipRect.Min, w->InnerClipRect.Max);
    // Only a scroll bar the user can see and drag reaches what is cut off.
    j["scrolls_y"] = w->ScrollbarY;
    j["scrolls_x"] = w->ScrollbarX;
    if (text_width >= 0) j["text_width"] = text_width;
    probe.widgets.push_back(j);
}

}  // namespace

void request_layout_probe(const std::string& path) { probe.requested = path; }

void begin_layout_probe() {
    probe.recording = probe.requested;
    probe.requested.clear();
    probe.panels = nlohmann::json::array();
    probe.widgets = nlohmann::json::array();
}

void end_layout_probe(const AppState& s) {
    if (probe.recording.empty()) return;
    const ImGuiIO& io = ImGui::GetIO();
    nlohmann::json j;
    j["display"] = {io.DisplaySize.x, io.DisplaySize.y};
    j["ui_scale"] = ui_scale(s);
    j["font_px"] = ImGui::GetFontSize();
    j["canvas_smallest_value_px"] = smallest_value_pixels(s.display, s.canvas.scale);
    j["panels"] = probe.panels;
    j["widgets"] = probe.widgets;
    const std::string path = probe.recording;
    probe.recording.clear();
    write_file_atomically(path, j.dump(1) + "\n");
}

void probe_item(const char* name, float text_width) {
    if (probe.recording.empty()) return;
    add_widget(name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), text_width);
}

void probe_rect(const char* name, ImVec2 min, ImVec2 max) {
    if (probe.recording.empty()) return;
    add_widget(name, min, max, -1);
}

void probe_panel(const char* name) {
    if (probe.recording.empty()) return;
    const ImGuiWindow* w = ImGui::GetCurrentWindow();
    nlohmann::json j;
    j["name"] = name;
    j["window"] = panel_name(w);
    j["rect"] = rect_json(w->Pos, ImVec2(w->Pos.x + w->Size.x, w->Pos.y + w->Size.y));
    j["clip"] = rect_json(w->InnerClipRect.Min, w->InnerClipRect.Max);
    j["scrolls_y"] = w->ScrollbarY;
    j["scrolls_x"] = w->ScrollbarX;
    probe.panels.push_back(j);
}

void probe_panel_rect(const char* name, ImVec2 min, ImVec2 max) {
    if (probe.recording.empty()) return;
    nlohmann::json j;
    j["name"] = name;
    j["window"] = name;
    j["rect"] = rect_json(min, max);
    j["clip"] = rect_json(min, max);
    j["scrolls_y"] = false;
    j["scrolls_x"] = false;
    probe.panels.push_back(j);
}

}  // namespace convlens
