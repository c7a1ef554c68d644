// What the window remembers between runs (size, position, last scene, recent files,
// theme), stored in the user's config folder, never in the repository.
#pragma once

#include <string>
#include <vector>

namespace convlens {

struct WindowGeometry {
    int x = 0, y = 0;            // screen coordinates of the content area
    int width = 0, height = 0;   // 0: not stored yet (the default size scaled to the monitor)
    bool has_position = false;   // false: let the window manager place it
    bool maximized = false;
};

struct Settings {
    WindowGeometry window;
    std::string last_scene;             // file of the scene open at exit; "" when untitled
    std::vector<std::string> recent;    // most recent first, at most kMaxRecent
    bool dark = false;                  // light by default: slides are white
    float ui_scale = 1;                 // on top of the monitor's content scale, 0.75..2
    float influence_share = 0.37f;      // of the height under the menu: the influence panel
    // The lesson being played (app/lesson_player.h), as it was at exit.
    std::string lesson;                 // lesson_name(): "backward"; "" for the hover view
    bool has_lesson_cell = false;       // else the lesson walks every cell
    int lesson_cell_row = 0, lesson_cell_col = 0;  // zero-based
    int lesson_step = 0;                // zero-based
    float lesson_speed = 1;             // steps per second, 0.25..4
    bool reduce_motion = false;         // jump between steps instead of gliding
    float lesson_share = 0.3f;          // of the height under the menu: timeline + equation
};

inline constexpr int kMaxRecent = 10;

// $XDG_CONFIG_HOME/convlens, else ~/.config/convlens; "" when neither can be found.
std::string config_dir();
std::string settings_path(const std::string& dir);  // dir/settings.json
std::string autosave_path(const std::string& dir);  // dir/autosave.json: the scene being edited
// The autosave of the k-th window open at once (k from 1): autosave.json, autosave-2.json...
std::string autosave_path(const std::string& dir, int window);

// Missing or unreadable files give the defaults: settings never stop the program. When
// the file exists but cannot be read or is not JSON, `damage` (if given) gets one line
// saying why, so the caller can keep the file aside instead of overwriting it.
Settings load_settings(const std::string& path, std::string* damage = nullptr);
// Creates the folder and writes atomically; throws InputError naming the path.
void save_settings(const Settings& settings, const std::string& path);

// Puts path first in the recent list, without duplicates, trimmed to kMaxRecent.
void remember_recent(Settings& settings, const std::string& path);

}  // namespace convlens
