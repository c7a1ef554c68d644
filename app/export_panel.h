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
// True while an export runs on the worker (the test script waits for it to end).
bool export_running(const AppState& state);

}  // namespace convlens
