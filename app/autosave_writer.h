// The autosave written off the UI thread: the window hands over a copy of the scene and goes
// on drawing while one saver thread turns it into JSON and writes it (a million numbers at
// 1024x1024 took a visible stall on the UI thread); the newest scene handed over wins.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "scene/scene.h"

namespace convlens {

// How one write ended.
struct AutosaveOutcome {
    std::uint64_t generation = 0;  // of the submit it wrote
    bool ok = false;
    std::string error;             // when not ok: why (the message names the file)
};

// One saver thread. A scene submitted while a write is under way waits; a later submit
// replaces it (the scenes in between are never written, the file only ever holds a whole
// scene that was submitted, since the write itself is atomic). Nothing submitted is lost:
// flush() and the destructor write the waiting scene before they return.
class AutosaveWriter {
public:
    // `finished` runs on the saver thread after each write (the window wakes its event
    // loop with it); it must be thread-safe.
    explicit AutosaveWriter(std::function<void()> finished = {});
    ~AutosaveWriter();  // writes the waiting scene, then stops
    AutosaveWriter(const AutosaveWriter&) = delete;
    AutosaveWriter& operator=(const AutosaveWriter&) = delete;

    void set_finished(std::function<void()> finished);
    // Queues `scene` for `path`; returns its generation (1, 2, ...).
    std::uint64_t submit(Scene scene, std::string path);
    // Copies and queues `scene` only when no scene is waiting or being written (else
    // nullopt, nothing copied): the window's autosave holds at most one copy of a 1024x1024
    // scene (8 MB) besides its own, and asks again once the write has ended. Call from the
    // one thread that submits.
    std::optional<std::uint64_t> submit_if_idle(const Scene& scene, const std::string& path);
    // Blocks until every submit so far is written (or failed).
    void flush();
    // The outcome of the newest write finished since the last take, if any.
    std::optional<AutosaveOutcome> take();
    // A submitted scene is not written yet.
    bool busy() const;

    // How a scene is written, swapped by tests before any submit; when empty (the default)
    // save_scene after creating the folder (scene_json.h: JSON, written atomically).
    std::function<void(const Scene&, const std::string&)> write;

private:
    void run();

    mutable std::mutex mutex_;
    std::condition_variable wake_;   // the saver: a scene or the end
    std::condition_variable done_;   // flush(): a write finished
    std::optional<Scene> waiting_;
    std::string waiting_path_;
    std::uint64_t submitted_ = 0;    // generation of the newest submit
    std::uint64_t waiting_generation_ = 0;
    std::uint64_t written_ = 0;      // generation of the newest write finished
    std::optional<AutosaveOutcome> outcome_;
    std::function<void()> on_finished_;
    bool stopping_ = false;
    std::thread thread_;             // last: starts once everything above exists
};

}  // namespace convlens
