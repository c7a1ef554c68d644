// The engine off the UI thread: the window hands each edited scene to one worker thread and
// keeps drawing the last results until the new ones are in; the newest edit always wins.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "engine/layer_results.h"
#include "scene/scene.h"

namespace convlens {

// How long the UI thread waits for a scene it submitted before it draws the last results
// instead: a frame's budget, so that a small or fast scene shows its numbers in the very
// frame of the edit and a large one never freezes the window. Screenshots and scripted
// tests wait for the numbers, since they picture one given state.
inline constexpr double kRecomputeFrameBudget = 0.010;
inline constexpr double kRecomputeUntilDone = 120;
// A scene whose last computation took longer than the frame budget (1024 x 1024 with an
// 11 x 11 kernel: about 18 ms) is waited for a little longer than that took, up to this:
// a frame of stale numbers drawn meanwhile would cost llvmpipe about 40 ms of both cores,
// slowing the engine it waits for, and the new numbers would then wait for that frame to
// end. Past this the window draws the last results, as for a small budget.
inline constexpr double kRecomputeLongestWait = 0.060;

// How long refresh() waits for a scene just submitted, given how long the last
// computation took (seconds; 0 before the first).
double recompute_wait(double last_compute_seconds);

// The results of one submitted scene, or why there are none.
struct Recomputed {
    std::uint64_t generation = 0;     // of the submit they answer
    Scene scene;                      // the scene they are the numbers of
    std::optional<LayerResults> results;
    std::string error;                // when results is empty
};

// One worker thread. A scene submitted while the worker is busy waits; a later submit
// replaces it (the scenes in between are never computed). Every finished computation is
// handed out at most once, in generation order, and never one older than a result already
// taken, so the window never goes back to stale numbers. Each result is a consistent pair
// of scene and numbers; whether newer edits are still on their way, busy() says.
class RecomputeWorker {
public:
    // `finished` runs on the worker thread after each computation (the window wakes its
    // event loop with it); it must be thread-safe.
    explicit RecomputeWorker(std::function<void()> finished = {});
    ~RecomputeWorker();  // waits for the computation under way, drops the waiting one
    RecomputeWorker(const RecomputeWorker&) = delete;
    RecomputeWorker& operator=(const RecomputeWorker&) = delete;

    void set_finished(std::function<void()> finished);
    // Queues `scene`; returns its generation (1, 2, ...).
    std::uint64_t submit(Scene scene);
    // The same for a copy of `scene`, written into the storage of a scene the worker is done
    // with (the one its last update started from) when there is one: at 512 x 512 a fresh
    // copy faults in 2 MB of new pages on the UI thread, 1-3 ms of an edit's frame.
    std::uint64_t submit_copy(const Scene& scene);
    // Blocks until the newest submit is finished or `seconds` passed; true when finished.
    bool wait(double seconds);
    // The newest finished result not yet taken, if any.
    std::optional<Recomputed> take();
    // Some submit is not finished and taken yet: what the window shows is not the newest.
    bool busy() const;
    // A result is waiting to be taken.
    bool finished() const;
    std::uint64_t newest_submitted() const;
    // How long the last computation took (seconds of the worker's wall clock), 0 before any.
    double last_compute_seconds() const;
    // Results the window no longer shows, handed back so the next computation writes into
    // their matrices instead of faulting in fresh megabytes: at 1024x1024 that is 7 grids of
    // 8 MB per edit. With the scene they are the numbers of (`of`, moved in: no copy), the
    // next computation updates them (update_layer_into: an edit of a few cells recomputes
    // only what it changed), whatever edits lie between that scene and the next one; without
    // it, or when the update does not apply, compute_layer_into writes into them. The
    // caller must not read them afterwards. One set is kept; a second replaces it. Numbers
    // the worker computed from nothing (a photograph just opened, a new shape) leave a copy of
    // themselves and their scene as that set, so the very first edit is an update too.
    void recycle(LayerResults old, std::optional<Scene> of = std::nullopt);
    // How many computations were updates of recycled results rather than full passes.
    std::uint64_t updates() const;

    // How the engine is called when a test swaps it before any submit; when empty (the
    // default) compute_layer_into, into the recycled results if there are some.
    // (Then recycled results are never read.)
    std::function<LayerResults(const Scene&)> compute;

private:
    void run();

    mutable std::mutex mutex_;
    std::condition_variable wake_;     // the worker: a scene or the end
    std::condition_variable done_;     // wait(): a result
    std::optional<Scene> waiting_;
    std::uint64_t submitted_ = 0;      // generation of the newest submit
    std::uint64_t waiting_generation_ = 0;
    std::uint64_t taken_ = 0;          // generation of the newest result taken
    std::optional<Recomputed> finished_;
    std::optional<LayerResults> spare_;  // recycled storage for the next computation
    std::optional<Scene> spare_scene_;   // what spare_ holds the numbers of, if known
    std::optional<Scene> free_scene_;    // a finished-with scene, storage for submit_copy
    std::uint64_t updates_ = 0;
    double last_seconds_ = 0;
    std::function<void()> on_finished_;
    bool stopping_ = false;
    std::thread thread_;               // last: starts once everything above exists
};

}  // namespace convlens
