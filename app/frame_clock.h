// The window's own frame figures, for the responsiveness benchmark through the test hook:
// how long an accepted edit takes to reach the screen, how long a hover frame takes, and
// how the frames went while an image decoded. Off unless the hook's "live" turns it on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace convlens {

// Times are now_seconds() (document.h). Every call returns at once while the clock is off,
// so the window pays nothing for it outside the benchmark.
class FrameClock {
public:
    void turn_on() { on_ = true; }
    bool on() const { return on_; }

    // An edit (a typed value, a kernel cell, a preset, undo, an image) became the scene.
    void edit_accepted(double now);
    // refresh() handed the scene to the engine as `generation`: the edits accepted since
    // the last submit wait for the results of that generation (or a newer one).
    void edit_submitted(std::uint64_t generation);
    void image_requested(double now, const std::string& name);
    void image_landed(double now);  // the image became z^l, or its error line showed

    void frame_started(double now);
    // After SwapBuffers, or after a frame not drawn because it equals the screen (`drawn`
    // false: the screen already shows what it would). `shown` is the generation of the
    // results on screen; `pointer_moved` and `recomputed` (new results taken or a scene
    // submitted) tell the hover frames from the others. Hover figures count drawn frames;
    // the skipped ones are counted apart, so that they never make a frame look cheap.
    void frame_shown(double now, std::uint64_t shown, bool pointer_moved, bool recomputed,
                     bool drawn = true);
    // A frame was drawn, whole or only in its damaged rectangles (app/partial_frame.h),
    // over `pixels` pixels. Counted whether the clock is on or not: the tests read them.
    void frame_drawn(bool partial, long long pixels);
    std::uint64_t frames_drawn_full() const { return drawn_full_; }
    std::uint64_t frames_drawn_partial() const { return drawn_partial_; }

    // {"frames", "longest_frame_ms", "edits": [{"generation", "ms", "frames",
    //  "longest_frame_ms"}], "pending_edits", "hover_frames_ms": [...] (drawn frames),
    //  "hover_frames_skipped", "frames_drawn_full", "frames_drawn_partial", "pixels_drawn",
    //  "images": [{"name",
    //  "ms", "frames", "longest_frame_ms"}], "image_loading"}
    std::string json() const;

private:
    // Something the window waits for while frames go on: an edit's numbers, an image.
    struct Wait {
        double since = 0;
        std::uint64_t generation = 0;  // 0: accepted, not submitted yet (edits)
        int frames = 0;                // drawn meanwhile
        double longest_frame = 0;      // seconds
        double took = -1;              // seconds until shown; < 0 while waiting
        std::string name;              // images
    };
    bool on_ = false;
    double frame_start_ = -1;
    std::uint64_t frames_ = 0;
    double longest_frame_ = 0;
    std::vector<Wait> edits_;          // finished and pending, in order
    std::vector<Wait> images_;
    std::vector<double> hover_frames_; // seconds, the newest kHoverKept drawn
    std::uint64_t hover_skipped_ = 0;  // hover frames not drawn (equal to the screen)
    std::uint64_t drawn_full_ = 0, drawn_partial_ = 0;
    long long pixels_drawn_ = 0;
};

}  // namespace convlens
