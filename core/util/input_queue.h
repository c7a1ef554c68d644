// Keyboard events queued between frames, handed out a frame at a time so that a key pressed
// and released before the next frame is still seen pressed in one frame and released in the next.
#pragma once

#include <cstddef>
#include <deque>
#include <vector>

namespace convlens {

// One keyboard event as the window system reports it: a key going down or up, or a
// character typed.
struct InputEvent {
    enum class Kind { Key, Character };
    Kind kind = Kind::Key;
    int key = 0;              // with Kind::Key: the window system's key code
    bool down = false;        // with Kind::Key: pressed (true) or released
    char32_t character = 0;   // with Kind::Character: the code point typed
};

// A frame's user interface sees each key as down or up, not the presses in between: a key
// pressed and released within one frame would never be seen pressed. The queue keeps the
// order in which keys and characters came, and next_frame() hands out what one frame may
// see without losing or reordering anything:
//  - at most one transition per key (down, then up in the next frame, then down again);
//  - characters before the frame's first key transition only, because a text field takes
//    a frame's characters before its keys: "4", Backspace, "6" typed within one frame must
//    not become "46" followed by a Backspace.
class InputQueue {
public:
    void push_key(int key, bool down) { events_.push_back({InputEvent::Kind::Key, key, down, 0}); }
    void push_character(char32_t c) { events_.push_back({InputEvent::Kind::Character, 0, false, c}); }
    bool empty() const { return events_.empty(); }
    std::size_t size() const { return events_.size(); }
    void clear() { events_.clear(); }

    // The events of the next frame, in the order they came; never empty unless the queue is.
    std::vector<InputEvent> next_frame();

private:
    std::deque<InputEvent> events_;
};

}  // namespace convlens
