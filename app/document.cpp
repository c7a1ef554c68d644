#include "document.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <system_error>
#include <vector>

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

// Windows open at once that each get an autosave of their own; a further one has none.
constexpr int kMaxWindows = 16;
// A failed autosave (a full disk, a file-size limit) is tried again this often, edits or
// not, so the first write that succeeds catches up with all of them.
constexpr double kAutosaveRetry = 2.0;

// A file that cannot be read is renamed to NAME.corrupt-YYYYMMDD-HHMMSS beside it, never
// overwritten; returns the new name ("" when even the rename failed).
std::string keep_aside(const std::string& path) {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
    std::error_code ec;
    for (int k = 1; k < 100; ++k) {
        const std::string aside = path + ".corrupt-" + stamp + (k > 1 ? "-" + std::to_string(k) : "");
        if (std::filesystem::exists(aside, ec)) continue;
        std::filesystem::rename(path, aside, ec);
        return ec ? std::string() : aside;
    }
    return {};
}

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

// "kept as X.corrupt-..." or, when the rename failed, that it could not be.
std::string kept_aside_text(const std::string& aside) {
    return aside.empty() ? "could not be renamed either"
                         : "kept as " + file_name(aside);
}

void add_error(AppState& s, const std::string& line) {
    s.error = s.error.empty() ? line : s.error + "; " + line;
}

// The lock on NAME.lock is held for the life of the process (the descriptor stays open
// and closes with it, even on a kill), so a second window never writes the first one's
// autosave; it takes the next free one.
bool try_lock(const std::string& file, bool keep) {
    const int fd = ::open((file + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return false;
    }
    if (!keep) ::close(fd);  // only asking whether a window holds it
    return true;
}

// Picks this window's autosave; returns its number (1 for autosave.json), 0 for none.
int claim_autosave(AppState& s) {
    std::error_code ec;
    std::filesystem::create_directories(s.config_dir, ec);
    for (int k = 1; k <= kMaxWindows; ++k) {
        const std::string file = autosave_path(s.config_dir, k);
        if (!try_lock(file, true)) continue;
        s.autosave_file = file;
        // Temporaries of this autosave are written only by the lock's holder: any there
        // now were left by a window killed in the middle of a write.
        const std::string prefix = "." + file_name(file) + ".tmp-";
        for (const auto& entry : std::filesystem::directory_iterator(s.config_dir, ec))
            if (entry.path().filename().string().rfind(prefix, 0) == 0)
                std::filesystem::remove(entry.path(), ec);
        return k;
    }
    // No lock to be had (a read-only folder, or all taken): without a lock, only the first
    // autosave, as before locks; with all taken, none.
    if (::access(s.config_dir.c_str(), W_OK) != 0) s.autosave_file = autosave_path(s.config_dir);
    return s.autosave_file.empty() ? 0 : 1;
}

// The autosaves of other windows that no window holds now: their edits were not saved to
// a file. They are offered in File > Open Recent.
std::vector<std::string> orphaned_autosaves(const AppState& s, int own) {
    std::vector<std::string> found;
    std::error_code ec;
    for (int k = 1; k <= kMaxWindows; ++k) {
        if (k == own) continue;
        const std::string file = autosave_path(s.config_dir, k);
        if (std::filesystem::exists(file, ec) && try_lock(file, false)) found.push_back(file);
    }
    return found;
}

}  // namespace

double now_seconds() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

void schedule_autosave(AppState& s) {
    if (persists(s) && s.autosave_due < 0) s.autosave_due = now_seconds() + kAutosaveDelay;
}

namespace {

// What the saver thread reports: a failure keeps the old autosave (the write is atomic), is
// shown and tried again every few seconds; the first success after it says so.
void take_autosave_outcome(AppState& s) {
    const std::optional<AutosaveOutcome> outcome = s.autosave_writer.take();
    if (!outcome) return;
    if (!outcome->ok) {
        s.error = std::string(kAutosaveFailed) + outcome->error;
        s.autosave_failing = true;
        if (s.autosave_due < 0) s.autosave_due = now_seconds() + kAutosaveRetry;
        s.wants_frames = true;
        return;
    }
    // A newer scene still on its way may fail yet: only the newest write clears the error.
    if (s.autosave_failing && !s.autosave_writer.busy() && s.autosave_due < 0) {
        s.autosave_failing = false;
        if (s.error.rfind(kAutosaveFailed, 0) == 0) s.error.clear();
        s.notice = "Autosaved again: every edit is on disk";
        s.wants_frames = true;
    }
}

}  // namespace

void autosave_if_due(AppState& s, bool force) {
    take_autosave_outcome(s);
    if (s.autosave_due >= 0 && (force || now_seconds() >= s.autosave_due)) {
        // A copy of the scene (a few milliseconds at 1024x1024, once per kAutosaveDelay at
        // most); the JSON and the write happen on the saver thread. One copy at a time: while
        // a write is under way the edit waits (kAutosaveBusyRetry) and the newest scene is
        // copied once it ends, instead of a second 8 MB copy waiting in the saver.
        if (force) s.autosave_writer.flush();
        if (!persists(s) || s.autosave_file.empty()) s.autosave_due = -1;
        else if (s.autosave_writer.submit_if_idle(s.scene, s.autosave_file)) s.autosave_due = -1;
        else s.autosave_due = now_seconds() + kAutosaveBusyRetry;
    }
    if (!force) return;
    // Exit: the last edit is on disk before the window goes.
    s.autosave_writer.flush();
    take_autosave_outcome(s);
}

void load_settings_at_start(AppState& s) {
    if (!persists(s)) return;
    const std::string path = settings_path(s.config_dir);
    std::string damage;
    s.settings = load_settings(path, &damage);
    if (damage.empty()) return;
    // Saving the defaults over it at exit would lose it for good: keep it beside.
    add_error(s, "settings were reset (" + damage + "); the old file " + kept_aside_text(keep_aside(path)));
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
        try {
            check_results_fit(scene);
        } catch (const InputError& e) {
            throw InputError(path + ": " + e.what());
        }
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
        check_results_fit(s.scene);
        s.scene_path = absolute_path(*path);
    } else {
        s.scene = default_scene();
    }
    s.scene_dirty = true;
    if (!persists(s)) return;

    const int window = claim_autosave(s);
    if (window == 0) add_error(s, "more than " + std::to_string(kMaxWindows) + " windows: this one is not autosaved");
    const std::string autosave = s.autosave_file;
    std::error_code ec;
    if (window == 1) {
        const auto orphans = orphaned_autosaves(s, window);
        for (auto it = orphans.rbegin(); it != orphans.rend(); ++it) remember_recent(s.settings, *it);
        if (!orphans.empty())
            s.notice = "Unsaved edits of another window are in File > Open Recent: " + file_name(orphans.front()) +
                       (orphans.size() > 1 ? " and " + std::to_string(orphans.size() - 1) + " more" : "");
    }
    if (autosave.empty()) {
        // Nothing of this window's own to restore.
    } else if (path) {
        // An explicit file replaces the session; keep its unsaved edits one step back.
        if (std::filesystem::exists(autosave, ec))
            std::filesystem::rename(autosave, autosave + ".previous", ec);
        remember_recent(s.settings, s.scene_path);
        s.settings.last_scene = s.scene_path;
        save_settings_now(s);
    } else if (std::filesystem::exists(autosave, ec)) {
        try {
            s.scene = load_scene(autosave);
            check_results_fit(s.scene);
            // settings.json's last scene is the first window's; another window's autosave
            // is an untitled scene with edits.
            s.scene_path = window == 1 ? s.settings.last_scene : std::string();
            s.modified = window != 1;
            if (!s.scene_path.empty()) {
                try {
                    s.modified = !(load_scene(s.scene_path) == s.scene);
                } catch (const std::exception&) {
                    s.modified = true;  // the file went away: the autosave is all there is
                }
            }
        } catch (const std::exception& e) {
            // Autosaving the default scene over it would lose it for good: keep it beside.
            s.scene = default_scene();
            s.scene_path.clear();
            s.modified = false;
            add_error(s, "the autosaved scene could not be restored (" + std::string(e.what()) + "); " +
                             kept_aside_text(keep_aside(autosave)) + "; starting on the default scene");
        }
    } else if (window == 1 && !s.settings.last_scene.empty()) {
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
