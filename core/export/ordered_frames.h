// Encodes a folder export's frames on a few threads and hands the bytes back in frame
// order, so the caller writes files in order and a cancel or failure stops cleanly.
// Each thread keeps a FrameWorker (its fonts and one image surface) for all its frames:
// making an 8 MB surface a frame cost page faults and clearing that showed in the profile.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace convlens {

// What one encoding thread keeps between its frames (export/frame_worker.h).
struct FrameWorker;

using EncodeFrame = std::function<std::string(int index, FrameWorker& worker)>;

class OrderedFrames {
public:
    // Starts `threads` threads encoding frames 0..total-1, at most a few frames ahead of
    // the one the caller is waiting for (the memory stays a few frames).
    OrderedFrames(int total, int threads, EncodeFrame encode);
    ~OrderedFrames();  // stops and joins the threads; frames not taken are dropped
    OrderedFrames(const OrderedFrames&) = delete;
    OrderedFrames& operator=(const OrderedFrames&) = delete;

    // The next frame's bytes, in order; rethrows the error its encoding threw.
    std::string next();

private:
    void work();

    struct Slot {
        std::optional<std::string> bytes;
        std::exception_ptr error;
    };
    const int total_;
    const int ahead_;
    EncodeFrame encode_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<Slot> slots_;
    int next_to_encode_ = 0;
    int next_to_take_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace convlens
