#include "engine/row_threads.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace convlens {

namespace {

// Workers sleep on a condition variable; a call publishes one job (a generation number,
// the body, how many workers take part), everyone pulls chunk numbers from one atomic
// counter, and the caller waits until the last participant has left the job.
class ChunkPool {
public:
    ~ChunkPool() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        for (std::thread& t : workers_) t.join();
    }

    // False when the pool is busy with another caller's job.
    bool try_run(int chunks, int helpers, const std::function<void(int)>& body) {
        std::unique_lock<std::mutex> busy(dispatch_, std::try_to_lock);
        if (!busy.owns_lock()) return false;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            while (int(workers_.size()) < helpers)
                workers_.emplace_back([this, index = int(workers_.size())] { work(index); });
            body_ = &body;
            chunks_ = chunks;
            next_.store(0);
            helpers_ = helpers;
            running_ = helpers;
            ++generation_;
        }
        wake_.notify_all();
        pull(body, chunks);
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [this] { return running_ == 0; });
        body_ = nullptr;
        return true;
    }

private:
    void pull(const std::function<void(int)>& body, int chunks) {
        for (int c = next_.fetch_add(1); c < chunks; c = next_.fetch_add(1)) body(c);
    }

    void work(int index) {
        long seen = 0;
        std::unique_lock<std::mutex> lock(mutex_);
        for (;;) {
            wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
            if (stopping_) return;
            seen = generation_;
            if (index >= helpers_) continue;  // this job wants fewer helpers
            const std::function<void(int)>* body = body_;
            const int chunks = chunks_;
            lock.unlock();
            pull(*body, chunks);
            lock.lock();
            if (--running_ == 0) done_.notify_one();
        }
    }

    std::mutex dispatch_;  // one job at a time
    std::mutex mutex_;     // guards everything below
    std::condition_variable wake_, done_;
    std::vector<std::thread> workers_;
    const std::function<void(int)>* body_ = nullptr;
    int chunks_ = 0;
    int helpers_ = 0;
    int running_ = 0;
    long generation_ = 0;
    bool stopping_ = false;
    std::atomic<int> next_{0};
};

ChunkPool& pool() {
    static ChunkPool instance;
    return instance;
}

}  // namespace

int hardware_threads() { return std::max(1, int(std::thread::hardware_concurrency())); }

void run_chunks(int chunks, int threads, const std::function<void(int chunk)>& body) {
    if (threads <= 0) threads = hardware_threads();
    const int helpers = std::min(threads, chunks) - 1;
    if (helpers > 0 && pool().try_run(chunks, helpers, body)) return;
    for (int c = 0; c < chunks; ++c) body(c);
}

}  // namespace convlens
