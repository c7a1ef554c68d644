#include "app_state.h"

#include <algorithm>
#include <utility>

#include "canvas/layer_layout.h"
#include "document.h"

namespace convlens {
namespace {

void document_changed(AppState& s) {
    s.modified = true;
    s.scene_dirty = true;
    s.wants_frames = true;
    s.frame_clock.edit_accepted(now_seconds());
    schedule_autosave(s);
}

}  // namespace

Shape shown_shape(const AppState& s, GridId grid) {
    return s.results ? grid_shape(s.computed_scene, *s.results, grid) : Shape{};
}

bool apply_edit(AppState& s, Scene candidate, const std::string& group) {
    try {
        validate_scene(candidate);
        check_results_fit(candidate);  // numbers a double cannot hold are bad input too
    } catch (const InputError& e) {
        s.error = std::string("edit refused: ") + e.what();
        s.wants_frames = true;
        return false;
    }
    if (candidate == s.scene) return false;
    record_edit(s.history, s.scene, candidate, group);
    s.scene = std::move(candidate);
    // "edit refused ..." is no longer true; a failing autosave still is, until one succeeds.
    if (s.error.rfind(kAutosaveFailed, 0) != 0) s.error.clear();
    document_changed(s);
    return true;
}

void replace_document(AppState& s, Scene scene, const std::string& path) {
    if (!(scene == s.scene)) record_edit(s.history, s.scene, scene);
    s.history.group.clear();
    s.scene = std::move(scene);
    s.scene_path = path;
    s.loss_stash = {};
    s.selection.reset();
    s.hover.reset();
    s.editor.active = false;
    s.canvas_zoom = 1;  // a new document is seen whole first
    s.canvas_pan = ImVec2(0, 0);
    document_changed(s);
    s.modified = false;
}

void undo(AppState& s) {
    if (!undo_edit(s.history, s.scene)) return;
    s.editor.active = false;
    s.error.clear();  // a successful action: "edit refused ..." is no longer true
    document_changed(s);
}

void redo(AppState& s) {
    if (!redo_edit(s.history, s.scene)) return;
    s.editor.active = false;
    s.error.clear();  // a successful action: "edit refused ..." is no longer true
    document_changed(s);
}

void end_edit_group(AppState& s) { s.history.group.clear(); }

std::optional<Focus> current_focus(const AppState& s) { return s.hover ? s.hover : s.selection; }

void set_hover(AppState& s, std::optional<Focus> focus) {
    if (focus == s.hover) return;
    const auto before = current_focus(s);
    s.hover = focus;
    if (current_focus(s) != before) s.view_dirty = true;
}

void set_selection(AppState& s, std::optional<Focus> focus) {
    if (focus == s.selection) return;
    const auto before = current_focus(s);
    s.selection = focus;
    // The layout draws the selection even while something else is hovered.
    s.view_dirty = true;
    if (current_focus(s) != before) s.wants_frames = true;
}

namespace {

// A shape change may leave the selection outside its grid: pull it back to the edge.
void clamp_selection(AppState& s) {
    if (!s.selection) return;
    const Shape shape = shown_shape(s, s.selection->grid);
    if (shape.rows <= 0 || shape.cols <= 0) s.selection.reset();
    else {
        s.selection->cell.row = std::clamp(s.selection->cell.row, 0, shape.rows - 1);
        s.selection->cell.col = std::clamp(s.selection->cell.col, 0, shape.cols - 1);
    }
}

}  // namespace

void refresh(AppState& s) {
    if (s.scene_dirty) {
        s.scene_dirty = false;
        // The engine runs on its own thread; a small scene is done within this frame, and a
        // large one is waited for about as long as its last computation took (up to 60 ms).
        s.frame_clock.edit_submitted(s.recompute.submit_copy(s.scene));
        s.recompute.wait(s.recompute_waits ? kRecomputeUntilDone
                                           : recompute_wait(s.recompute.last_compute_seconds()));
    }
    if (std::optional<Recomputed> done = s.recompute.take()) {
        s.fit_reset = true;
        if (done->results) {
            // Its storage, and with its scene an update of only what the next edit changed.
            if (s.results) s.recompute.recycle(std::move(*s.results), std::move(s.computed_scene));
            s.results = std::move(done->results);
            s.computed_scene = std::move(done->scene);
            s.results_generation = done->generation;
            ++s.results_serial;
        } else {
            // Validation should have caught it; if not, keep showing the last good numbers
            // and put the scene back so the controls describe what is on screen.
            s.error = done->error;
            if (s.results && !s.recompute.busy()) s.scene = s.computed_scene;
        }
        s.view_dirty = true;
        s.lesson.dirty = true;  // every number of the lesson changes, its step stays
        if (s.results) clamp_selection(s);
    }
    if (s.lesson.name && s.results) {
        refresh_lesson(s);
        if (s.lesson.name) return;  // else the lesson failed: the hover view takes over
    }
    if (!s.view_dirty || !s.results) return;
    s.view_dirty = false;
    s.wants_frames = true;

    clamp_selection(s);
    std::optional<Focus> focus = current_focus(s);
    if (focus && !inside(shown_shape(s, focus->grid), focus->cell)) focus.reset();

    LayoutOptions options = window_layout_options();
    options.text_scale = s.settings.ui_scale;  // canvas text grows with the interface size
    if (s.selection && (s.selection->grid == GridId::Input || s.selection->grid == GridId::Activated ||
                        s.selection->grid == GridId::GradInput))
        options.selected_input = s.selection->cell;
    try {
        s.view = influence_view(s.computed_scene, *s.results, focus);
        s.display = s.hover_canvas.draw(s.computed_scene, *s.results, s.results_serial, s.view,
                                        s.theme, options);
        ++s.display_generation;
    } catch (const std::exception& e) {
        s.error = e.what();
    }
}

}  // namespace convlens
