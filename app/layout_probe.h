// Where one frame put the panels and their widgets, for the test hook's "layout" command:
// the GUI layout test checks from it that nothing overlaps, nothing is clipped, fields show.
#pragma once

#include <string>

#include <imgui.h>

namespace convlens {

struct AppState;

// Asks for the next frame's layout to be written to `path` as JSON (see layout_json).
void request_layout_probe(const std::string& path);
// Around draw_frame: the recording starts when a probe was requested and ends, written,
// after the frame. Recording costs nothing in frames nobody asked for.
void begin_layout_probe();
void end_layout_probe(const AppState& state);

// While recording: the last ImGui item, named, in the current window's panel; `text_width`
// for a field is the part that shows its text (without +/- buttons or arrow).
void probe_item(const char* name, float text_width = -1);
// A rectangle drawn without an item, e.g. text clipped by hand, in the current window.
void probe_rect(const char* name, ImVec2 min, ImVec2 max);
// The current window as a panel: its rectangle, where its items are visible, whether it
// scrolls. Call inside Begin/End.
void probe_panel(const char* name);
// A panel that is no ImGui window (the canvas draws on the background).
void probe_panel_rect(const char* name, ImVec2 min, ImVec2 max);

}  // namespace convlens
