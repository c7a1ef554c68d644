// A gate a fake engine, decode or write waits at until the test opens it, so that the
// order of events between a worker thread and the test is the test's.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace convlens::test_support {

struct Gate {
    std::mutex mutex;
    std::condition_variable cv;
    bool open = false;
    std::atomic<int> entered{0};
    void pass() {
        ++entered;
        std::unique_lock<std::mutex> lock(mutex);
        cv.wait(lock, [this] { return open; });
    }
    void release() {
        {
            std::lock_guard<std::mutex> lock(mutex);
            open = true;
        }
        cv.notify_all();
    }
    void wait_entered(int n) {
        while (entered.load() < n) std::this_thread::yield();
    }
};

}  // namespace convlens::test_support
