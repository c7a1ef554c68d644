#include "util/input_queue.h"

#include <algorithm>

namespace convlens {

std::vector<InputEvent> InputQueue::next_frame() {
    std::vector<InputEvent> frame;
    std::vector<int> keys_moved;  // keys with a transition in this frame
    while (!events_.empty()) {
        const InputEvent& e = events_.front();
        if (e.kind == InputEvent::Kind::Character) {
            if (!keys_moved.empty()) break;  // after a key: the next frame
        } else {
            if (std::find(keys_moved.begin(), keys_moved.end(), e.key) != keys_moved.end()) break;
            keys_moved.push_back(e.key);
        }
        frame.push_back(e);
        events_.pop_front();
    }
    return frame;
}

}  // namespace convlens
