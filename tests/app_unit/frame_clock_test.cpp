// The window's frame clock without a window: an edit is timed to the end of the first frame
// that shows its generation (or a newer one), the frames meanwhile are counted, hover frames
// are told from recomputing ones, and a clock that is off records nothing.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "frame_clock.h"

namespace convlens {
namespace {

nlohmann::json read(const FrameClock& c) { return nlohmann::json::parse(c.json()); }

TEST(FrameClock, AnEditIsTimedToTheFirstFrameShowingItsGeneration) {
    FrameClock c;
    c.turn_on();
    c.frame_started(10.0);
    c.edit_accepted(10.002);
    c.edit_submitted(4);
    c.frame_shown(10.020, 3, false, true);  // the old numbers: not yet
    c.frame_started(10.100);
    c.frame_shown(10.150, 3, false, false);
    c.frame_started(10.300);
    c.frame_shown(10.340, 4, false, true);  // generation 4 on screen
    const auto j = read(c);
    ASSERT_EQ(j["edits"].size(), 1u);
    EXPECT_NEAR(j["edits"][0]["ms"].get<double>(), 338.0, 1e-6);  // 10.340 - 10.002
    EXPECT_EQ(j["edits"][0]["frames"], 3);
    EXPECT_NEAR(j["edits"][0]["longest_frame_ms"].get<double>(), 50.0, 1e-6);
    EXPECT_EQ(j["edits"][0]["generation"], 4);
    EXPECT_EQ(j["pending_edits"], 0);
    EXPECT_EQ(j["frames"], 3);
}

TEST(FrameClock, ASkippedEditIsShownWithTheNewerNumbersAndAPendingOneWaits) {
    FrameClock c;
    c.turn_on();
    c.edit_accepted(1.0);
    c.edit_accepted(1.001);  // the same frame: one submit, timed from the first
    c.edit_submitted(5);
    c.edit_accepted(1.5);
    c.edit_submitted(6);
    c.edit_accepted(1.9);  // accepted, never submitted: still pending
    c.frame_started(2.0);
    c.frame_shown(2.010, 6, false, true);
    const auto j = read(c);
    ASSERT_EQ(j["edits"].size(), 2u);
    EXPECT_NEAR(j["edits"][0]["ms"].get<double>(), 1010.0, 1e-6);
    EXPECT_NEAR(j["edits"][1]["ms"].get<double>(), 510.0, 1e-6);
    EXPECT_EQ(j["pending_edits"], 1);
}

TEST(FrameClock, HoverFramesAreThoseThatMovedThePointerAndRecomputedNothing) {
    FrameClock c;
    c.turn_on();
    const struct {
        double start, end;
        bool moved, recomputed;
    } frames[] = {{0, 0.010, true, false}, {1, 1.020, true, true}, {2, 2.030, false, false}, {3, 3.004, true, false}};
    for (const auto& f : frames) {
        c.frame_started(f.start);
        c.frame_shown(f.end, 0, f.moved, f.recomputed);
    }
    const auto j = read(c);
    ASSERT_EQ(j["hover_frames_ms"].size(), 2u);
    EXPECT_NEAR(j["hover_frames_ms"][0].get<double>(), 10.0, 1e-6);
    EXPECT_NEAR(j["hover_frames_ms"][1].get<double>(), 4.0, 1e-6);
    EXPECT_NEAR(j["longest_frame_ms"].get<double>(), 30.0, 1e-6);
}

// A frame not drawn because it equals the screen costs next to nothing: it is counted
// apart, never as a hover frame, and an edit whose numbers are already on screen is shown.
TEST(FrameClock, SkippedFramesAreCountedApartFromHoverFrames) {
    FrameClock c;
    c.turn_on();
    c.frame_started(0);
    c.frame_shown(0.015, 0, true, false, true);  // drawn: 15 ms
    c.frame_started(1);
    c.frame_shown(1.001, 0, true, false, false);  // skipped
    c.frame_started(2);
    c.frame_shown(2.001, 0, true, false, false);  // skipped
    const auto j = read(c);
    ASSERT_EQ(j["hover_frames_ms"].size(), 1u);
    EXPECT_NEAR(j["hover_frames_ms"][0].get<double>(), 15.0, 1e-6);
    EXPECT_EQ(j["hover_frames_skipped"], 2);
}

TEST(FrameClock, AnImageLoadCountsTheFramesDrawnWhileItDecodes) {
    FrameClock c;
    c.turn_on();
    c.image_requested(5.0, "photo.png");
    for (int k = 0; k < 4; ++k) {
        c.frame_started(5.1 + k * 0.1);
        c.frame_shown(5.1 + k * 0.1 + 0.02 * (k + 1), 0, true, false);
    }
    EXPECT_TRUE(read(c)["image_loading"].get<bool>());
    c.image_landed(5.6);
    const auto j = read(c);
    EXPECT_FALSE(j["image_loading"].get<bool>());
    ASSERT_EQ(j["images"].size(), 1u);
    EXPECT_EQ(j["images"][0]["name"], "photo.png");
    EXPECT_NEAR(j["images"][0]["ms"].get<double>(), 600.0, 1e-6);
    EXPECT_EQ(j["images"][0]["frames"], 4);
    EXPECT_NEAR(j["images"][0]["longest_frame_ms"].get<double>(), 80.0, 1e-6);
}

TEST(FrameClock, OffItRecordsNothing) {
    FrameClock c;
    c.edit_accepted(1);
    c.edit_submitted(1);
    c.image_requested(1, "x.png");
    c.frame_started(1);
    c.frame_shown(2, 1, true, false);
    const auto j = read(c);
    EXPECT_EQ(j["frames"], 0);
    EXPECT_TRUE(j["edits"].empty());
    EXPECT_TRUE(j["hover_frames_ms"].empty());
    EXPECT_TRUE(j["images"].empty());
}

}  // namespace
}  // namespace convlens
