// The saver thread of autosave_writer.h.
#include "autosave_writer.h"

#include <exception>
#include <filesystem>
#include <system_error>
#include <utility>

#include "scene/scene_json.h"

namespace convlens {

AutosaveWriter::AutosaveWriter(std::function<void()> finished)
    : on_finished_(std::move(finished)), thread_([this] { run(); }) {}

AutosaveWriter::~AutosaveWriter() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;  // the waiting scene is still written: the last edit is kept
    }
    wake_.notify_all();
    thread_.join();
}

void AutosaveWriter::set_finished(std::function<void()> finished) {
    std::lock_guard<std::mutex> lock(mutex_);
    on_finished_ = std::move(finished);
}

std::uint64_t AutosaveWriter::submit(Scene scene, std::string path) {
    std::uint64_t generation = 0;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        waiting_ = std::move(scene);  // replaces a scene the saver has not started on
        waiting_path_ = std::move(path);
        generation = waiting_generation_ = ++submitted_;
    }
    wake_.notify_one();
    return generation;
}

std::optional<std::uint64_t> AutosaveWriter::submit_if_idle(const Scene& scene, const std::string& path) {
    // Only this thread submits, so idle stays true until the submit below.
    if (busy()) return std::nullopt;
    return submit(scene, path);
}

void AutosaveWriter::flush() {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return written_ == submitted_; });
}

std::optional<AutosaveOutcome> AutosaveWriter::take() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::optional<AutosaveOutcome> out = std::move(outcome_);
    outcome_.reset();
    return out;
}

bool AutosaveWriter::busy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return written_ != submitted_;
}

void AutosaveWriter::run() {
    for (;;) {
        Scene scene;
        std::string path;
        std::uint64_t generation = 0;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || waiting_.has_value(); });
            if (!waiting_) return;  // stopping with nothing left to write
            scene = std::move(*waiting_);
            waiting_.reset();
            path = std::move(waiting_path_);
            generation = waiting_generation_;
        }
        AutosaveOutcome outcome{generation, true, {}};
        try {
            if (write) {
                write(scene, path);
            } else {
                std::error_code ec;
                const auto folder = std::filesystem::path(path).parent_path();
                if (!folder.empty()) std::filesystem::create_directories(folder, ec);
                save_scene(scene, path);
            }
        } catch (const std::exception& e) {
            outcome.ok = false;
            outcome.error = e.what();
        }
        std::function<void()> finished;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            written_ = generation;
            outcome_ = std::move(outcome);
            finished = on_finished_;
        }
        done_.notify_all();
        if (finished) finished();
    }
}

}  // namespace convlens
