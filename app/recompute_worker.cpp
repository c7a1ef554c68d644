#include "recompute_worker.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <utility>

#include "engine/layer_update.h"

namespace convlens {

double recompute_wait(double last_compute_seconds) {
    // A quarter more than last time: the next edit of the same scene costs about as much.
    return std::clamp(last_compute_seconds * 1.25, kRecomputeFrameBudget, kRecomputeLongestWait);
}

RecomputeWorker::RecomputeWorker(std::function<void()> finished)
    : on_finished_(std::move(finished)), thread_([this] { run(); }) {}

RecomputeWorker::~RecomputeWorker() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        waiting_.reset();
    }
    wake_.notify_all();
    thread_.join();
}

void RecomputeWorker::set_finished(std::function<void()> finished) {
    std::lock_guard<std::mutex> lock(mutex_);
    on_finished_ = std::move(finished);
}

std::uint64_t RecomputeWorker::submit(Scene scene) {
    std::uint64_t generation = 0;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        waiting_ = std::move(scene);  // replaces a scene the worker has not started on
        generation = waiting_generation_ = ++submitted_;
    }
    wake_.notify_one();
    return generation;
}

std::uint64_t RecomputeWorker::submit_copy(const Scene& scene) {
    Scene copy;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (free_scene_) copy = std::move(*free_scene_);
        free_scene_.reset();
    }
    copy = scene;  // matrices of the same shape keep their storage
    return submit(std::move(copy));
}

bool RecomputeWorker::wait(double seconds) {
    std::unique_lock<std::mutex> lock(mutex_);
    return done_.wait_for(lock, std::chrono::duration<double>(seconds), [this] {
        return taken_ == submitted_ || (finished_ && finished_->generation == submitted_);
    });
}

std::optional<Recomputed> RecomputeWorker::take() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!finished_) return std::nullopt;
    std::optional<Recomputed> out = std::move(finished_);
    finished_.reset();
    taken_ = out->generation;
    return out;
}

bool RecomputeWorker::busy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return taken_ != submitted_;
}

bool RecomputeWorker::finished() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return finished_.has_value();
}

std::uint64_t RecomputeWorker::newest_submitted() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return submitted_;
}

double RecomputeWorker::last_compute_seconds() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return last_seconds_;
}

void RecomputeWorker::recycle(LayerResults old, std::optional<Scene> of) {
    std::lock_guard<std::mutex> lock(mutex_);
    spare_ = std::move(old);
    spare_scene_ = std::move(of);
}

std::uint64_t RecomputeWorker::updates() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return updates_;
}

void RecomputeWorker::run() {
    for (;;) {
        Scene scene;
        std::uint64_t generation = 0;
        LayerResults into;  // empty, or the storage of results the window has let go
        std::optional<Scene> into_scene;  // the scene `into` holds the numbers of, if known
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || waiting_.has_value(); });
            if (stopping_) return;
            scene = std::move(*waiting_);
            waiting_.reset();
            generation = waiting_generation_;
            if (spare_) {
                into = std::move(*spare_);
                into_scene = std::move(spare_scene_);
            }
            spare_.reset();
            spare_scene_.reset();
        }
        Recomputed r;
        r.generation = generation;
        const auto started = std::chrono::steady_clock::now();
        bool updated = false;
        try {
            if (compute) {
                r.results = compute(scene);
            } else {
                // An update throws what compute_layer would: no second try after an error.
                updated = into_scene && update_layer_into(*into_scene, scene, &into);
                if (!updated) compute_layer_into(scene, &into);
                r.results = std::move(into);
            }
        } catch (const std::exception& e) {
            r.error = e.what();
        }
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
        // Numbers computed from nothing (a scene just opened, a new shape) leave no spare for
        // the first edit, which would then recompute everything into fresh pages (20 ms at
        // 512 x 512 instead of the 7 ms of later edits): a copy of them, with their scene,
        // is that spare. Photographs only; a lesson-sized grid costs nothing to compute.
        std::optional<LayerResults> warm;
        std::optional<Scene> warm_scene;
        if (!compute && !updated && !into_scene && r.results && r.results->fast_path) {
            warm = *r.results;
            warm_scene = scene;
        }
        r.scene = std::move(scene);
        std::function<void()> finished;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            last_seconds_ = took.count();
            if (updated) ++updates_;
            // The scene the update started from is done with: the next submit_copy's storage.
            if (into_scene && !free_scene_) free_scene_ = std::move(into_scene);
            // Generations only grow: a result replaces an untaken older one, whose
            // storage (and scene, for an update) serves the next computation.
            if (finished_ && finished_->results && !spare_) {
                spare_ = std::move(finished_->results);
                spare_scene_ = std::move(finished_->scene);
            }
            finished_ = std::move(r);
            finished = on_finished_;
            if (warm && !spare_) {
                spare_ = std::move(warm);
                spare_scene_ = std::move(warm_scene);
            }
        }
        done_.notify_all();
        if (finished) finished();
    }
}

}  // namespace convlens
