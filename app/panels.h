// The window's panels, one file each. Every panel borrows the AppState for one frame,
// draws itself and reports edits through apply_edit; none keeps state of its own.
#pragma once

#include "app_state.h"

namespace convlens {

// Where each panel goes this frame, in screen pixels.
struct PanelLayout {
    ScreenRect controls;         // left column: shapes, geometry, loss, presets
    ScreenRect canvas;           // the grids
    ScreenRect influence;        // the influence table (or the lesson) under the canvas
    ScreenRect status;           // one line at the bottom
};

// influence_share: of the height under the menu; canvas_only: the canvas takes it all;
// least_controls_width: the narrowest the controls may be (controls_min_width()), which
// they keep even when the canvas must shrink for it.
PanelLayout compute_panel_layout(float width, float height, float menu_height, float scale,
                                 float influence_share, bool canvas_only,
                                 float least_controls_width = 0);
// The bar between canvas and the panel under it; dragging it sets settings.influence_share,
// or settings.lesson_share while a lesson plays.
void draw_splitter(AppState& state, const PanelLayout& layout, float body_height);
// Of the height under the menu, what the panel under the canvas takes in this mode.
inline float bottom_share(const AppState& state) {
    return state.lesson.name ? state.settings.lesson_share : state.settings.influence_share;
}

void draw_menu_bar(AppState& state);          // menu_file.cpp: File, Edit, View, Help
void draw_file_dialog(AppState& state);       // menu_file.cpp: Open / Save As modal
void handle_shortcuts(AppState& state);       // shortcuts.cpp: Ctrl+Z, Ctrl+S, ...
void draw_controls_panel(AppState& state, const ScreenRect& rect);
// The width of the controls' widest row at its natural size, with the panel's padding and
// scroll bar: shape fields that fit "-000" with their buttons, the longest choice.
float controls_min_width(const AppState& state);
// Handles the canvas's mouse and keys, refreshes the derived state, then draws.
void draw_canvas_panel(AppState& state, const ScreenRect& rect);
void draw_influence_panel(AppState& state, const ScreenRect& rect);
// panel_timeline.cpp: the lesson picker, the cell, play/step/scrub, speed, and the step's
// equation under them (panel_equation.cpp); takes the influence panel's place.
void draw_lesson_panel(AppState& state, const ScreenRect& rect);
void draw_lesson_picker(AppState& state);   // the combo alone, atop the influence panel
void handle_lesson_keys(AppState& state);   // Space, Left/Right, Home/End (no text field active)
// panel_equation.cpp: the step's caption, equation lines in term colours, verdict, readouts.
void draw_step_equation(const AppState& state, const Step& step);
void draw_status_bar(AppState& state, const ScreenRect& rect);
// panel_status.cpp: puts text on the clipboard and says so on the status line ("copied the
// equation to the clipboard"); the message fades like every notice.
void copy_to_clipboard(AppState& state, const std::string& text, const std::string& what);

// Window flags shared by the fixed panels: placed by the program, never saved to disk.
inline constexpr int kPanelFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus;

// The UI scale in effect: monitor content scale times the user's UI scale.
inline float ui_scale(const AppState& state) { return state.content_scale * state.settings.ui_scale; }

// menu_file.cpp, also used by the keyboard shortcuts.
void request_open_dialog(AppState& state);
void request_save_as_dialog(AppState& state);
void save_or_ask(AppState& state);  // Save, or Save As when the scene has no file yet
void toggle_canvas_only(AppState& state);
void reset_canvas_view(AppState& state);  // panel_canvas.cpp: fit the layer again (Ctrl+0)
// panel_canvas.cpp: what Enter in a cell's editor does: the text read as a number (else
// the error line says why: not a number, too large for a double) and set through
// apply_edit (refused with the reason, e.g. results that overflow). False when refused.
bool commit_cell_text(AppState& state, GridId grid, Cell cell, const std::string& text);
}  // namespace convlens
