#include "frame_clock.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace convlens {
namespace {

// A long benchmark moves the pointer often; its newest frames are the ones asked about.
constexpr std::size_t kHoverKept = 4096;
constexpr std::size_t kEditsKept = 4096;

double ms(double seconds) { return seconds * 1000; }

}  // namespace

void FrameClock::edit_accepted(double now) {
    if (!on_) return;
    // Several edits of one frame wait for one submit: the first of them is the one timed.
    if (!edits_.empty() && edits_.back().generation == 0) return;
    if (edits_.size() >= kEditsKept) edits_.erase(edits_.begin());
    edits_.push_back({now, 0, 0, 0, -1, {}});
}

void FrameClock::edit_submitted(std::uint64_t generation) {
    if (!on_) return;
    for (Wait& e : edits_)
        if (e.generation == 0) e.generation = generation;
}

void FrameClock::image_requested(double now, const std::string& name) {
    if (!on_) return;
    images_.push_back({now, 0, 0, 0, -1, name});
}

void FrameClock::image_landed(double now) {
    if (!on_) return;
    for (Wait& w : images_)
        if (w.took < 0) w.took = now - w.since;
}

void FrameClock::frame_started(double now) {
    if (on_) frame_start_ = now;
}

void FrameClock::frame_shown(double now, std::uint64_t shown, bool pointer_moved, bool recomputed,
                             bool drawn) {
    if (!on_ || frame_start_ < 0) return;
    const double took = now - frame_start_;
    frame_start_ = -1;
    ++frames_;
    longest_frame_ = std::max(longest_frame_, took);
    for (Wait& e : edits_) {
        if (e.took >= 0) continue;
        ++e.frames;
        e.longest_frame = std::max(e.longest_frame, took);
        // A skipped edit (a newer one replaced it before the engine started) is on
        // screen with the newer one's numbers.
        if (e.generation != 0 && shown >= e.generation) e.took = now - e.since;
    }
    for (Wait& w : images_) {
        if (w.took >= 0) continue;
        ++w.frames;
        w.longest_frame = std::max(w.longest_frame, took);
    }
    if (pointer_moved && !recomputed && !drawn) ++hover_skipped_;
    else if (pointer_moved && !recomputed) {
        if (hover_frames_.size() >= kHoverKept) hover_frames_.erase(hover_frames_.begin());
        hover_frames_.push_back(took);
    }
}

void FrameClock::frame_drawn(bool partial, long long pixels) {
    ++(partial ? drawn_partial_ : drawn_full_);
    pixels_drawn_ += pixels;
}

std::string FrameClock::json() const {
    nlohmann::json j;
    j["frames"] = frames_;
    j["longest_frame_ms"] = ms(longest_frame_);
    nlohmann::json edits = nlohmann::json::array();
    int pending = 0;
    for (const Wait& e : edits_) {
        if (e.took < 0) {
            ++pending;
            continue;
        }
        edits.push_back({{"generation", e.generation}, {"ms", ms(e.took)}, {"frames", e.frames},
                         {"longest_frame_ms", ms(e.longest_frame)}});
    }
    j["edits"] = edits;
    j["pending_edits"] = pending;
    nlohmann::json hover = nlohmann::json::array();
    for (double h : hover_frames_) hover.push_back(ms(h));
    j["hover_frames_ms"] = hover;
    j["hover_frames_skipped"] = hover_skipped_;
    j["frames_drawn_full"] = drawn_full_;
    j["frames_drawn_partial"] = drawn_partial_;
    j["pixels_drawn"] = pixels_drawn_;
    nlohmann::json images = nlohmann::json::array();
    bool loading = false;
    for (const Wait& w : images_) {
        loading = loading || w.took < 0;
        images.push_back({{"name", w.name}, {"ms", w.took < 0 ? nlohmann::json() : nlohmann::json(ms(w.took))},
                          {"frames", w.frames}, {"longest_frame_ms", ms(w.longest_frame)}});
    }
    j["images"] = images;
    j["image_loading"] = loading;
    return j.dump(1) + "\n";
}

}  // namespace convlens
