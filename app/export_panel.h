// File > Export in the window: the same exports as `convlens export`, chosen in a dialog
// with a preview of the first frame, run on a worker thread with a progress bar and Cancel.
#pragma once

#include <memory>
#include <string>

#include "export/export_options.h"

namespace convlens {

struct AppState;

// The dialog's choices, its preview texture and the running export; lives in
// AppState::export_panel, created on first use. Its destructor cancels and joins a
// running export (which then removes what it wrote).
struct ExportPanel;

void request_export_dialog(AppState& state);  // File > Export...: opens the modal next frame
void draw_export_dialog(AppState& state);     // every frame; polls a running export

// The test hook's `export FORMAT PATH`: the lesson on the canvas (or the current view),
// the dialog's other defaults, started as the dialog's Export button starts it.
void start_export(AppState& state, ExportFormat format, const std::string& out);
// The test hook's `export_dialog FORMAT PATH WxH`: File > Export opened with those choices
// (the rest as the dialog starts), for real clicks on its Export and Cancel buttons.
void open_export_dialog(AppState& state, ExportFormat format, const std::string& out, int width,
                        int height);
// The test hook's `export_dialog_state PATH`: {"open", "running", "done", "total",
// "export_button" and "cancel_button" ({"x", "y"}: centres in window pixels as last drawn,
// {} when not shown), "error": the window's error line}.
std::string export_dialog_json(const AppState& state);
// True while an export runs on the worker (the test script waits for it to end).
bool export_running(const AppState& state);

// The test hook's `cells PATH`: JSON of where each grid's cells are, in the window (screen
// pixels of the canvas as last drawn) and in the 1920x1080 frame `convlens export` draws of
// the lesson's current step: {"window": [...], "export": [...]}, each item {"grid": GridId
// as a number, "rows", "cols", "x", "y" (top-left of cell 0,0), "cell" (side)}.
std::string cell_places_json(const AppState& state);

}  // namespace convlens
