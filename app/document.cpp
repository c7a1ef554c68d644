#include "document.h"

#include <chrono>
#include <filesystem>
#include <system_error>

#include "scene/scene_json.h"
#include "util/atomic_write.h"

namespace convlens {
namespace {

std::string absolute_path(const std::string& path) {
    std::error_code ec;
    auto p = std::filesystem::absolute(path, ec);
    return ec ? path : p.lexically_normal().string();
}

bool persists(const AppState& s) { return !s.screenshot_mode && !s.config_dir.empty(); }

}  // namespace

double now_seconds() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

void schedule_autosave(AppState& s) {
    if (persists(s) && s.autosave_due < 0) s.autosave_due = now_seconds() + kAutosaveDelay;
}

void autosave_if_due(AppState& s, bool force) {
    if (s.autosave_due < 0 || (!force && now_seconds() < s.autosave_due)) return;
    s.autosave_due = -1;
    if (!persists(s)) return;
    try {
        std::error_code ec;
        std::filesystem::create_directories(s.config_dir, ec);
        save_scene(s.scene, autosave_path(s.config_dir));
    } catch (const std::exception& e) {
        s.error = std::string("autosave failed: ") + e.what();
    }
}

void save_settings_now(AppState& s) {
    if (!persists(s)) return;
    lesson_to_settings(s);
    try {
        save_settings(s.settings, settings_path(s.config_dir));
    } catch (const std::exception& e) {
        s.notice = std::string("settings not saved: ") + e.what();
    }
}

bool open_scene_file(AppState& s, const std::string& path) {
    Scene scene;
    try {
        scene = load_scene(path);
    } catch (const std::exception& e) {
        // The message already names the file; the scene on screen stays as it was.
        s.error = e.what();
        s.wants_frames = true;
        return false;
    }
    const std::string absolute = absolute_path(path);
    replace_document(s, std::move(scene), absolute);
    s.error.clear();
    s.notice = "Opened " + absolute;
    remember_recent(s.settings, absolute);
    s.settings.last_scene = absolute;
    save_settings_now(s);
    return true;
}

bool save_document(AppState& s, const std::string& path) {
    const std::string target = path.empty() ? s.scene_path : absolute_path(path);
    if (target.empty()) return false;
    try {
        save_scene(s.scene, target);
    } catch (const std::exception& e) {
        s.error = e.what();
        return false;
    }
    s.scene_path = target;
    s.modified = false;
    s.error.clear();
    s.notice = "Saved " + target;
    remember_recent(s.settings, target);
    s.settings.last_scene = target;
    save_settings_now(s);
    return true;
}

void new_document(AppState& s) {
    replace_document(s, default_scene(), "");
    s.notice = "New scene (the default)";
    s.settings.last_scene.clear();
    save_settings_now(s);
}

void restore_session(AppState& s, const std::optional<std::string>& path) {
    if (path) {
        s.scene = load_scene(*path);  // throws: the caller reports and exits 1
        s.scene_path = absolute_path(*path);
    } else {
        s.scene = default_scene();
    }
    s.scene_dirty = true;
    if (!persists(s)) return;

    const std::string autosave = autosave_path(s.config_dir);
    std::error_code ec;
    if (path) {
        // An explicit file replaces the session; keep its unsaved edits one step back.
        if (std::filesystem::exists(autosave, ec))
            std::filesystem::rename(autosave, autosave_path(s.config_dir) + ".previous", ec);
        remember_recent(s.settings, s.scene_path);
        s.settings.last_scene = s.scene_path;
        save_settings_now(s);
    } else if (std::filesystem::exists(autosave, ec)) {
        try {
            s.scene = load_scene(autosave);
            s.scene_path = s.settings.last_scene;
            s.modified = false;
            if (!s.scene_path.empty()) {
                try {
                    s.modified = !(load_scene(s.scene_path) == s.scene);
                } catch (const std::exception&) {
                    s.modified = true;  // the file went away: the autosave is all there is
                }
            }
        } catch (const std::exception& e) {
            s.error = std::string("the autosaved scene could not be restored: ") + e.what();
            s.scene = default_scene();
        }
    } else if (!s.settings.last_scene.empty()) {
        try {
            s.scene = load_scene(s.settings.last_scene);
            s.scene_path = s.settings.last_scene;
        } catch (const std::exception& e) {
            s.error = e.what();
        }
    }
    schedule_autosave(s);
}

std::string document_title(const AppState& s) {
    std::string name = s.scene_path.empty()
                           ? std::string("untitled")
                           : std::filesystem::path(s.scene_path).filename().string();
    if (s.modified) name += "*";
    return name;
}

}  // namespace convlens
