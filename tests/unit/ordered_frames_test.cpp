// OrderedFrames: frames encoded on several threads come back in frame order, an encoding
// error comes back at its frame, and leaving early stops the threads.
#include "export/ordered_frames.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

namespace convlens {
namespace {

// Later frames finish first: frame k sleeps longer the smaller k is.
std::string slow_early(int k, int total) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2 * (total - k)));
    return "frame " + std::to_string(k);
}

TEST(OrderedFrames, HandsFramesBackInOrderWhateverOrderTheyFinish) {
    for (const int threads : {1, 2, 4}) {
        const int total = 17;
        OrderedFrames frames(total, threads, [&](int k, FrameWorker&) { return slow_early(k, total); });
        for (int k = 0; k < total; ++k) EXPECT_EQ(frames.next(), "frame " + std::to_string(k)) << threads;
    }
}

TEST(OrderedFrames, EachThreadKeepsItsWorkerAcrossFrames) {
    std::mutex mutex;
    std::set<const FrameWorker*> workers;
    OrderedFrames frames(12, 2, [&](int k, FrameWorker& worker) {
        std::lock_guard lock(mutex);
        workers.insert(&worker);
        return std::to_string(k);
    });
    for (int k = 0; k < 12; ++k) frames.next();
    // Twelve frames on two threads: two workers (fonts and a surface each), not twelve.
    EXPECT_GE(workers.size(), 1u);
    EXPECT_LE(workers.size(), 2u);
}

TEST(OrderedFrames, AnErrorComesBackAtItsFrame) {
    OrderedFrames frames(6, 2, [](int k, FrameWorker&) -> std::string {
        if (k == 3) throw std::runtime_error("no room for frame 3");
        return std::to_string(k);
    });
    for (int k = 0; k < 3; ++k) EXPECT_EQ(frames.next(), std::to_string(k));
    try {
        frames.next();
        FAIL() << "frame 3's error was lost";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "no room for frame 3");
    }
}

TEST(OrderedFrames, LeavingEarlyStopsWithoutEncodingEveryFrame) {
    std::atomic<int> encoded{0};
    {
        OrderedFrames frames(1000, 2, [&](int k, FrameWorker&) {
            ++encoded;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            return std::to_string(k);
        });
        EXPECT_EQ(frames.next(), "0");
    }  // as a cancelled export leaves
    // The threads run at most a few frames ahead of the one taken.
    EXPECT_LT(encoded.load(), 20);
}

}  // namespace
}  // namespace convlens
