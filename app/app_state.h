// The one state of the window, owned by run_window and lent by reference to every panel:
// the scene being edited, the numbers and display list derived from it, the interaction.
#pragma once

#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "autosave_writer.h"
#include "canvas/display_list.h"
#include "canvas/theme.h"
#include "draw_list_backend.h"
#include "engine/layer_results.h"
#include "export_panel.h"
#include "fonts.h"
#include "frame_clock.h"
#include "hover_canvas.h"
#include "image_loader.h"
#include "lesson/grid_values.h"
#include "lesson/influence_focus.h"
#include "lesson_player.h"
#include "recompute_worker.h"
#include "scene/scene.h"
#include "scene/undo_history.h"
#include "scene_edit.h"
#include "settings.h"

namespace convlens {

// The value editor over a selected cell, opened by typing or Enter; Enter commits.
struct CellEditor {
    bool active = false;
    bool just_opened = false;    // focus it once, then place the cursor
    bool select_all = false;     // opened on a value (Enter): typing replaces it
    int opened_frame = 0;        // drawn from the next frame on, after the typed keys
    GridId grid = GridId::Input;
    Cell cell;
    std::string text;
};

// Right-drag (or Alt+left-drag) on an editable cell scrubs its value.
struct Scrub {
    bool active = false;
    GridId grid = GridId::Input;
    Cell cell;
    int button = 1;              // ImGuiMouseButton that drags
    double start_value = 0;
    float start_x = 0;           // screen pixels
    int serial = 0;              // names the undo group of one drag
};

enum class FileDialogKind { None, Open, SaveAs };

struct FileDialog {
    FileDialogKind kind = FileDialogKind::None;
    bool open_requested = false; // menus cannot open a modal themselves: next frame does
    std::string path;
    std::string error;
};

// A screen rectangle in pixels (panels, canvas region).
struct ScreenRect {
    float x = 0, y = 0, w = 0, h = 0;
    bool contains(ImVec2 p) const { return p.x >= x && p.y >= y && p.x < x + w && p.y < y + h; }
};

struct AppState {
    // [SECTION] The document
    Scene scene;                     // always valid: edits that fail validation are refused
    std::string scene_path;          // its file; "" when untitled
    bool modified = false;           // differs from the file at scene_path
    UndoHistory history;
    LossStash loss_stash;            // upstream/target set aside by a loss-source switch

    // [SECTION] Derived, rebuilt by refresh() only when marked dirty
    bool scene_dirty = true;         // the scene changed: engine, view and layout
    bool view_dirty = true;          // focus or theme changed: view and layout
    std::optional<LayerResults> results;  // numbers of computed_scene
    Scene computed_scene;
    RecomputeWorker recompute;       // computes them off the UI thread (recompute_worker.h)
    std::uint64_t results_serial = 0;  // bumps whenever results change
    std::uint64_t results_generation = 0;  // the submit (RecomputeWorker) they answer
    HoverCanvas hover_canvas;        // the hover view's grids, laid out once per results
    bool recompute_waits = false;    // screenshots, test scripts: each edit's numbers at once
    InfluenceView view;
    DisplayList display;             // layout units
    int display_generation = 0;      // bumps with every new display list
    // What the canvas fits: the layout's height and the ink's width, only ever growing
    // while the user just points around. Were it to follow every focus, an equation
    // appearing would rescale the canvas, move the cell from under the mouse, drop the
    // focus and rescale back, every frame.
    Rect fit_bounds;
    bool fit_reset = true;           // the scene, theme or fonts changed: measure afresh
    int bounds_generation = -1;      // display_generation fit_bounds includes
    LessonPlayer lesson;             // the lesson played instead of the hover view, if any

    // [SECTION] Interaction
    std::optional<Focus> hover;      // the cell under the mouse, if any
    std::optional<Focus> selection;  // the clicked cell; the focus when nothing is hovered
    bool hover_paused = false;       // arrow keys moved the selection: the resting mouse
                                     // must not hide it until it moves again
    CellEditor editor;
    Scrub scrub;
    CanvasTransform canvas;          // of the last canvas drawn, for hit-testing
    float canvas_zoom = 1;           // the user's zoom on top of fitting the layer (wheel)
    ImVec2 canvas_pan{0, 0};         // and pan (middle-drag), in screen pixels
    ScreenRect canvas_rect;
    FileDialog file_dialog;
    std::shared_ptr<ExportPanel> export_panel;  // File > Export (export_panel.h); null until used
    std::vector<std::string> dropped_paths;  // from the GLFW drop callback
    ImageLoader image_loader;        // dropped and opened images, decoded off the UI thread
    std::string error;               // shown until the next successful action, dismissed or faded
    std::string notice;              // one line of feedback ("Saved …"); fades sooner
    std::string shown_message;       // the status line's message as last drawn (panel_status.cpp)
    double shown_since = 0;          // now_seconds() when it appeared: it fades from then on
    double redraw_due = -1;          // now_seconds() when a frame is wanted (a fading message)
    bool canvas_only = false;        // presenting (F11): the canvas alone; never remembered
    std::mt19937 rng{20240501u};     // "Randomize": a fixed seed, so a session replays

    // [SECTION] Settings, fonts, environment
    Settings settings;
    std::string config_dir;          // "" in screenshot mode: nothing is read or written
    Theme theme;
    FontSet fonts;
    HeatmapTextures heatmaps;
    float content_scale = 1;         // of the monitor the window is on
    bool fonts_dirty = true;         // rebuild the atlas before the next frame
    bool screenshot_mode = false;
    bool quit_requested = false;
    bool wants_frames = false;       // something changed this frame: draw a few more
    bool events_seen = false;        // set by GLFW callbacks
    double autosave_due = -1;        // now_seconds() of the pending autosave; < 0: none
    std::string autosave_file;       // this window's autosave (document.h); "": none
    bool autosave_failing = false;   // the last autosave failed: retried until one succeeds
    AutosaveWriter autosave_writer;  // writes it off the UI thread (autosave_writer.h)
    std::string test_script;         // CONVLENS_TEST_SCRIPT, see test_hook.h
    double test_sleep_until = 0;     // its "sleep": no command runs before this time
    std::string test_shot;           // its "shot": write this frame to that PNG
    int test_key_down = -1;          // its "key": the key index held down for one frame
    FrameClock frame_clock;          // its "live" and "timings" (frame_clock.h)
    // New pixels under a texture name the draw data already held (the export preview):
    // a frame whose draw data equals the screen's must still be drawn (window.cpp).
    std::uint64_t texture_uploads = 0;
};

// [SECTION] Edits: every change of the scene goes through here.

// Validates and applies; refused (false, error shown) when the scene is invalid. Edits of
// the same non-empty group (one drag, one field) merge into one undo step.
bool apply_edit(AppState& state, Scene candidate, const std::string& group = {});
// Replaces the whole document (open, new): undoable like any edit.
void replace_document(AppState& state, Scene scene, const std::string& path);
void undo(AppState& state);
void redo(AppState& state);
void end_edit_group(AppState& state);  // the next edit starts a new undo step

// [SECTION] Focus and the derived pipeline

std::optional<Focus> current_focus(const AppState& state);  // hover, else selection
// The shape of a grid on screen ({0, 0} before the first results and for a lesson's own grids).
Shape shown_shape(const AppState& state, GridId grid);
void set_hover(AppState& state, std::optional<Focus> focus);
void set_selection(AppState& state, std::optional<Focus> focus);
// Engine, influence view and layout, each only when dirty; at most once per frame.
void refresh(AppState& state);
void apply_theme(AppState& state);  // canvas theme and ImGui style from settings.dark

}  // namespace convlens
