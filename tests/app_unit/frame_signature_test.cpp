// The frame signature the window compares to skip drawing a frame equal to the one on
// screen (app/frame_signature.h), on ImGui's real draw data without a window: a still
// interface gives the same bytes frame after frame, and anything that would change a pixel
// (a colour, a position, a clip rectangle, a texture, a callback, an extra value) does not.
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>

#include "frame_signature.h"
#include "imgui_test_context.h"

namespace convlens {
namespace {

// Frames of an ImGui context of its own; no GL is touched.
class Frames : public ::testing::Test {
protected:
    test_support::ImGuiTestContext imgui_{400, 300};

    // One frame: `draw` submits what it likes; the signature of what ImGui would render.
    FrameSignature frame(const std::function<void()>& draw) {
        ImGui::NewFrame();
        draw();
        ImGui::Render();
        FrameSignature s;
        s.add_draw_data(*ImGui::GetDrawData());
        return s;
    }
};

void rect(ImU32 color, float x = 10) {
    ImGui::GetBackgroundDrawList()->AddRectFilled(ImVec2(x, 10), ImVec2(x + 50, 40), color);
}

void noop_callback(const ImDrawList*, const ImDrawCmd*) {}

TEST_F(Frames, AStillInterfaceGivesTheSameSignatureFrameAfterFrame) {
    const auto panel = [] {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(200, 150));
        ImGui::Begin("panel");
        ImGui::Text("z = %d", 3);
        ImGui::Button("Randomize");
        ImGui::End();
        rect(IM_COL32(200, 40, 40, 255), 250);
    };
    frame(panel);  // windows settle in their first frames
    frame(panel);
    const FrameSignature a = frame(panel);
    const FrameSignature b = frame(panel);
    EXPECT_GT(a.size(), 1000u);  // vertices and indices, not just counts
    EXPECT_EQ(a, b);
    // The same panel with other text is another picture.
    const FrameSignature c = frame([] {
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(200, 150));
        ImGui::Begin("panel");
        ImGui::Text("z = %d", 4);
        ImGui::Button("Randomize");
        ImGui::End();
        rect(IM_COL32(200, 40, 40, 255), 250);
    });
    EXPECT_NE(a, c);
}

TEST_F(Frames, AColourOrAPositionChangesTheSignature) {
    const FrameSignature red = frame([] { rect(IM_COL32(255, 0, 0, 255)); });
    EXPECT_EQ(red, frame([] { rect(IM_COL32(255, 0, 0, 255)); }));
    EXPECT_NE(red, frame([] { rect(IM_COL32(254, 0, 0, 255)); }));
    EXPECT_NE(red, frame([] { rect(IM_COL32(255, 0, 0, 255), 11); }));
    EXPECT_NE(red, frame([] {}));
}

TEST_F(Frames, AClipRectangleOrATextureChangesTheSignature) {
    const auto clipped = [](float right) {
        return [right] {
            ImDrawList* d = ImGui::GetBackgroundDrawList();
            d->PushClipRect(ImVec2(0, 0), ImVec2(right, 300), false);
            rect(IM_COL32(0, 0, 255, 255));
            d->PopClipRect();
        };
    };
    // The same vertices cut elsewhere draw other pixels.
    EXPECT_EQ(frame(clipped(30)), frame(clipped(30)));
    EXPECT_NE(frame(clipped(30)), frame(clipped(31)));
    const auto image = [](std::intptr_t texture) {
        return [texture] {
            ImGui::GetBackgroundDrawList()->AddImage(reinterpret_cast<ImTextureID>(texture), ImVec2(0, 0),
                                                     ImVec2(64, 64));
        };
    };
    EXPECT_EQ(frame(image(3)), frame(image(3)));
    EXPECT_NE(frame(image(3)), frame(image(4)));
}

TEST_F(Frames, ACallbackIsPartOfTheSignatureByItsData) {
    int first = 0, second = 0;
    const auto with = [](int* data) {
        return [data] {
            rect(IM_COL32(0, 128, 0, 255));
            ImGui::GetBackgroundDrawList()->AddCallback(noop_callback, data);
        };
    };
    EXPECT_EQ(frame(with(&first)), frame(with(&first)));
    EXPECT_NE(frame(with(&first)), frame(with(&second)));
    EXPECT_NE(frame(with(&first)), frame([] { rect(IM_COL32(0, 128, 0, 255)); }));
}

TEST_F(Frames, ExtraValuesCountToo) {
    // What the draw data does not hold (new values uploaded to a texture of the same name).
    FrameSignature a = frame([] { rect(IM_COL32(9, 9, 9, 255)); });
    FrameSignature b = frame([] { rect(IM_COL32(9, 9, 9, 255)); });
    a.add(std::size_t{4});
    b.add(std::size_t{4});
    EXPECT_EQ(a, b);
    b.add(1.0f);
    EXPECT_NE(a, b);
    FrameSignature c = frame([] { rect(IM_COL32(9, 9, 9, 255)); });
    c.add(std::size_t{5});
    EXPECT_NE(a, c);
}

}  // namespace
}  // namespace convlens
