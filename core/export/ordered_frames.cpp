#include "export/ordered_frames.h"

#include "export/frame_worker.h"

#include <algorithm>
#include <utility>

namespace convlens {

OrderedFrames::OrderedFrames(int total, int threads, EncodeFrame encode)
    : total_(total), ahead_(2 * std::max(threads, 1)), encode_(std::move(encode)),
      slots_(static_cast<std::size_t>(std::max(total, 0))) {
    for (int t = 0; t < std::max(threads, 1); ++t) threads_.emplace_back([this] { work(); });
}

OrderedFrames::~OrderedFrames() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    for (std::thread& t : threads_) t.join();
}

void OrderedFrames::work() {
    FrameWorker worker;
    for (;;) {
        int index = 0;
        {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] {
                return stopping_ || next_to_encode_ >= total_ || next_to_encode_ < next_to_take_ + ahead_;
            });
            if (stopping_ || next_to_encode_ >= total_) return;
            index = next_to_encode_++;
        }
        Slot slot;
        try {
            slot.bytes = encode_(index, worker);
        } catch (...) {
            slot.error = std::current_exception();
        }
        {
            std::lock_guard lock(mutex_);
            slots_[static_cast<std::size_t>(index)] = std::move(slot);
        }
        changed_.notify_all();
    }
}

std::string OrderedFrames::next() {
    std::unique_lock lock(mutex_);
    Slot& slot = slots_.at(static_cast<std::size_t>(next_to_take_));
    changed_.wait(lock, [&] { return slot.bytes.has_value() || slot.error; });
    ++next_to_take_;
    Slot taken = std::move(slot);
    slot = Slot{};
    lock.unlock();
    changed_.notify_all();
    if (taken.error) std::rethrow_exception(taken.error);
    return std::move(*taken.bytes);
}

}  // namespace convlens
