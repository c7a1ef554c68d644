// The keyboard queue of the window (util/input_queue.h) against a model of how a frame's
// user interface reads keys: a key counts as pressed in a frame where it is down and was up
// in the frame before; a text field takes the frame's characters, then its keys.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "util/input_queue.h"

namespace convlens {
namespace {

constexpr int kRight = 262, kBackspace = 259, kEnter = 257, kMinus = 45, kFour = 52, kFive = 53,
              kSix = 54;

// Plays the queue frame by frame as Dear ImGui 1.86 sees io.KeysDown and its character queue.
struct FrameModel {
    std::map<int, bool> down;           // as the last frame saw each key
    std::map<int, int> presses;         // frames in which the key was newly down
    std::string text;                   // a text field: characters, then Backspace
    bool entered_after_text = false;    // Enter came when the text was complete
    int frames = 0;

    void run(InputQueue& queue, const std::string& complete_text = {}) {
        while (!queue.empty()) {
            const std::vector<InputEvent> frame = queue.next_frame();
            ASSERT_FALSE(frame.empty());
            std::map<int, bool> now = down;
            std::string typed;
            for (const InputEvent& e : frame) {
                if (e.kind == InputEvent::Kind::Character) typed += static_cast<char>(e.character);
                else now[e.key] = e.down;
            }
            text += typed;  // characters first, as InputText takes them
            for (const auto& [key, is_down] : now) {
                if (!is_down || down[key]) continue;
                ++presses[key];
                if (key == kBackspace && !text.empty()) text.pop_back();
                if (key == kEnter) entered_after_text = text == complete_text;
            }
            down = now;
            ++frames;
        }
    }
};

TEST(InputQueue, ThreeTapsOfOneKeyBetweenTwoFramesAreThreePresses) {
    // xdotool key --delay 0 Right Right Right: six events before the next frame.
    InputQueue queue;
    for (int k = 0; k < 3; ++k) {
        queue.push_key(kRight, true);
        queue.push_key(kRight, false);
    }
    FrameModel model;
    model.run(queue);
    EXPECT_EQ(model.presses[kRight], 3);
    EXPECT_FALSE(model.down[kRight]);  // released at the end
    EXPECT_EQ(model.frames, 6);        // down, up, down, up, down, up
}

TEST(InputQueue, BackspaceBetweenCharactersKeepsTheOrder) {
    // "4", Backspace, "6" typed within one frame: the field must read "6", not "4".
    InputQueue queue;
    queue.push_key(kFour, true);
    queue.push_character('4');
    queue.push_key(kFour, false);
    queue.push_key(kBackspace, true);
    queue.push_key(kBackspace, false);
    queue.push_key(kSix, true);
    queue.push_character('6');
    queue.push_key(kSix, false);
    FrameModel model;
    model.run(queue);
    EXPECT_EQ(model.text, "6");
    EXPECT_EQ(model.presses[kBackspace], 1);
}

TEST(InputQueue, TypedNumberThenEnterAsGlfwReportsIt) {
    // GLFW reports each typed key as key down, its character, key up.
    InputQueue queue;
    const std::pair<int, char> typed[] = {{kMinus, '-'}, {kFour, '4'}, {kFive, '5'}};
    for (const auto& [key, c] : typed) {
        queue.push_key(key, true);
        queue.push_character(static_cast<char32_t>(c));
        queue.push_key(key, false);
    }
    queue.push_key(kEnter, true);
    queue.push_key(kEnter, false);
    FrameModel model;
    model.run(queue, "-45");
    EXPECT_EQ(model.text, "-45");
    EXPECT_EQ(model.presses[kEnter], 1);
    EXPECT_TRUE(model.entered_after_text);
}

TEST(InputQueue, DifferentKeysAndCharactersShareAFrame) {
    // Nothing is held back without need: characters and distinct keys come together.
    InputQueue queue;
    queue.push_character('a');
    queue.push_character('b');
    queue.push_key(kRight, true);
    queue.push_key(kEnter, true);
    const std::vector<InputEvent> frame = queue.next_frame();
    EXPECT_EQ(frame.size(), 4u);
    EXPECT_TRUE(queue.empty());
    EXPECT_TRUE(queue.next_frame().empty());
}

TEST(InputQueue, HeldKeyWithRepeatsIsOnePress) {
    // A key held (no events between down and up) is one press however many frames pass.
    InputQueue queue;
    queue.push_key(kRight, true);
    FrameModel model;
    model.run(queue);
    queue.push_key(kRight, false);
    model.run(queue);
    EXPECT_EQ(model.presses[kRight], 1);
}

}  // namespace
}  // namespace convlens
