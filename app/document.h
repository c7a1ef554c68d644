// The document's files: open, save, the autosave that survives a kill, and the session
// restored at start. Errors land in state.error and leave the current scene untouched.
#pragma once

#include <optional>
#include <string>

#include "app_state.h"

namespace convlens {

// Seconds on a monotonic clock.
double now_seconds();

// The first unsaved edit sets the deadline; later ones do not push it back, so a steady
// drag still reaches the disk within kAutosaveDelay.
inline constexpr double kAutosaveDelay = 0.3;
// A due autosave while the previous write is still under way is asked for again this soon.
inline constexpr double kAutosaveBusyRetry = 0.05;
void schedule_autosave(AppState& state);
// Hands the scene to the saver thread (autosave_writer.h) when the autosave is due, and
// takes what it reported; with force, now, and waits until it is written (at exit). Quiet
// about success. A failure (a full disk) leaves the previous autosave intact, shows an
// error and tries again every few seconds until a write catches up.
void autosave_if_due(AppState& state, bool force = false);
inline constexpr const char* kAutosaveFailed = "autosave failed, the previous one is kept: ";

bool open_scene_file(AppState& state, const std::string& path);
// Saves to path, or to the current file when path is empty (false when untitled).
bool save_document(AppState& state, const std::string& path = {});
void new_document(AppState& state);

// At start, before restore_session: settings.json into state.settings. A damaged file
// gives the defaults and is kept beside as settings.json.corrupt-<date>, with one line
// on the error line; never overwritten.
void load_settings_at_start(AppState& state);
// At start: the command line's scene, else the autosave of the last session (edits
// included), else the last scene file, else default_scene(). Screenshot mode reads only
// the command line. Throws InputError for a command-line scene that cannot be loaded.
// Each window open at once locks an autosave of its own (autosave.json for the first,
// then autosave-2.json, ...) and restores that one; the first window offers the others'
// in Open Recent when no window holds them. An autosave that cannot be read is kept
// beside as autosave.json.corrupt-<date> and the window starts on the default scene.
void restore_session(AppState& state, const std::optional<std::string>& path);
// settings.json now; errors become a notice (settings never stop the program).
void save_settings_now(AppState& state);

// "scene.json" or "untitled", with a trailing '*' when modified.
std::string document_title(const AppState& state);

}  // namespace convlens
