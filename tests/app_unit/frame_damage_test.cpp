// Where a frame can differ from the one on screen (frame_damage in app/frame_signature.h),
// on ImGui's real draw data without a window: every pixel outside the damage must come out
// the same in both frames. The frames here are filled rectangles in a background list,
// painted pixel by pixel with blending by a little reference painter of this file (not by
// the code under test), so "the same outside the damage" is checked, not assumed.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "frame_signature.h"
#include "imgui_test_context.h"

namespace convlens {
namespace {

constexpr int kWidth = 320, kHeight = 240;

struct Box {
    int x0, y0, x1, y1;
    ImU32 color;
};
using Boxes = std::vector<Box>;

// One frame of `boxes` (whole-pixel corners: each covers exactly its pixels) in order.
void submit(const Boxes& boxes) {
    ImDrawList* d = ImGui::GetBackgroundDrawList();
    for (const Box& b : boxes)
        d->AddRectFilled(ImVec2(static_cast<float>(b.x0), static_cast<float>(b.y0)),
                         ImVec2(static_cast<float>(b.x1), static_cast<float>(b.y1)), b.color);
}

// The reference painter: "over" blending of each box on a white background, in order.
std::vector<float> paint(const Boxes& boxes) {
    std::vector<float> rgb(static_cast<std::size_t>(kWidth * kHeight * 3), 1.0f);
    for (const Box& b : boxes) {
        const float a = static_cast<float>((b.color >> IM_COL32_A_SHIFT) & 255) / 255;
        const float c[3] = {static_cast<float>((b.color >> IM_COL32_R_SHIFT) & 255) / 255,
                            static_cast<float>((b.color >> IM_COL32_G_SHIFT) & 255) / 255,
                            static_cast<float>((b.color >> IM_COL32_B_SHIFT) & 255) / 255};
        for (int y = std::max(0, b.y0); y < std::min(kHeight, b.y1); ++y)
            for (int x = std::max(0, b.x0); x < std::min(kWidth, b.x1); ++x)
                for (int k = 0; k < 3; ++k) {
                    float& p = rgb[static_cast<std::size_t>((y * kWidth + x) * 3 + k)];
                    p = c[k] * a + p * (1 - a);
                }
    }
    return rgb;
}

bool inside(const std::vector<PixelRect>& rects, int x, int y) {
    for (const PixelRect& r : rects)
        if (x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1) return true;
    return false;
}

// The first pixel outside `damage` that differs between the paintings, or "" if none.
std::string differs_outside(const Boxes& a, const Boxes& b, const std::vector<PixelRect>& damage) {
    const std::vector<float> pa = paint(a), pb = paint(b);
    for (int y = 0; y < kHeight; ++y)
        for (int x = 0; x < kWidth; ++x) {
            if (inside(damage, x, y)) continue;
            for (int k = 0; k < 3; ++k) {
                const std::size_t i = static_cast<std::size_t>((y * kWidth + x) * 3 + k);
                if (pa[i] != pb[i]) return "pixel " + std::to_string(x) + "," + std::to_string(y);
            }
        }
    return "";
}

long long area(const std::vector<PixelRect>& rects) {
    long long sum = 0;
    for (const PixelRect& r : rects) sum += r.area();
    return sum;
}

class Damage : public ::testing::Test {
protected:
    test_support::ImGuiTestContext imgui_{kWidth, kHeight};

    FramePieces frame(const std::function<void()>& draw, const DescribeCallback& describe = {}) {
        ImGui::NewFrame();
        draw();
        ImGui::Render();
        return frame_pieces(*ImGui::GetDrawData(), kWidth, kHeight, describe);
    }
    FramePieces frame(const Boxes& boxes) {
        return frame([&] { submit(boxes); });
    }
    // The damage between two frames of boxes; fails the test when outside it they differ.
    std::vector<PixelRect> checked(const Boxes& a, const Boxes& b, int max_rects = 8) {
        const FramePieces before = frame(a), after = frame(b);
        const std::optional<std::vector<PixelRect>> damage = frame_damage(before, after, 16, max_rects, 1.0);
        EXPECT_TRUE(damage.has_value());
        if (!damage) return {};
        EXPECT_EQ(differs_outside(a, b, *damage), "");
        for (std::size_t i = 0; i < damage->size(); ++i) {
            EXPECT_FALSE((*damage)[i].empty());
            for (std::size_t j = i + 1; j < damage->size(); ++j)  // drawn once each: disjoint
                EXPECT_TRUE(intersect((*damage)[i], (*damage)[j]).empty());
        }
        EXPECT_LE(damage->size(), static_cast<std::size_t>(max_rects));
        return *damage;
    }

};

const ImU32 kRed = IM_COL32(220, 30, 30, 255), kBlue = IM_COL32(30, 30, 220, 255),
            kGreenHalf = IM_COL32(30, 200, 30, 128);

TEST_F(Damage, TheBackendsScissorIsComputedAsItComputesIt) {
    // (int)x, (int)(h - max.y), (int)(max.x - min.x), (int)(max.y - min.y) with h = 240:
    // x 10.5 -> 10, width (int)89.8 = 89; GL y (int)(240 - 100.25) = 139, height (int)89.5 = 89,
    // so GL rows 139..227 from the bottom, rows 240-228 = 12 .. 240-139 = 101 from the top.
    EXPECT_EQ(scissor_of(ImVec4(10.5f, 10.75f, 100.3f, 100.25f), kHeight), (PixelRect{10, 12, 99, 101}));
    EXPECT_TRUE(scissor_of(ImVec4(10, 10, 10, 50), kHeight).empty());  // skipped by the backend
    // Whole numbers come back exactly.
    const PixelRect r{3, 7, 120, 99};
    EXPECT_EQ(scissor_of(clip_of(r), kHeight), r);
}

TEST_F(Damage, EqualFramesHaveNoDamage) {
    const Boxes boxes = {{10, 10, 60, 40, kRed}, {100, 100, 200, 150, kBlue}};
    frame(boxes);  // the background list settles
    EXPECT_TRUE(checked(boxes, boxes).empty());
}

TEST_F(Damage, AColourChangeIsDamagedThereOnly) {
    const Boxes a = {{10, 10, 60, 40, kRed}, {200, 150, 300, 230, kBlue}};
    Boxes b = a;
    b[0].color = kBlue;
    const std::vector<PixelRect> damage = checked(a, b);
    ASSERT_FALSE(damage.empty());
    // The box, rounded out to 16-pixel tiles with a pixel to spare: 0..64 x 0..48, not the far box.
    EXPECT_LE(area(damage), 64 * 48);
    EXPECT_FALSE(inside(damage, 250, 200));
}

TEST_F(Damage, APieceInsertedEarlyOnlyDamagesItsOwnPlace) {
    // Everything after it moves along the vertex and index buffers but draws the same.
    Boxes a;
    for (int i = 0; i < 12; ++i) a.push_back({10 + 25 * i, 200, 30 + 25 * i, 230, kBlue});
    Boxes b = a;
    b.insert(b.begin() + 1, Box{40, 20, 70, 50, kRed});
    const std::vector<PixelRect> damage = checked(a, b);
    EXPECT_LE(area(damage), 48 * 48);
    EXPECT_FALSE(inside(damage, 20, 215));
}

TEST_F(Damage, OverlappingPiecesDrawnInAnotherOrderAreDamaged) {
    // Same pieces, other order: the half-transparent green over or under the red.
    const Boxes a = {{50, 50, 150, 120, kRed}, {100, 80, 200, 160, kGreenHalf}};
    const Boxes b = {a[1], a[0]};
    const std::vector<PixelRect> damage = checked(a, b);
    EXPECT_TRUE(inside(damage, 120, 100));
}

TEST_F(Damage, RandomEditsNeverChangeAPixelOutsideTheDamage) {
    std::mt19937 rng(20261130);
    const auto random_box = [&] {
        std::uniform_int_distribution<int> x(-20, kWidth), y(-20, kHeight), size(1, 90), c(0, 255);
        const int x0 = x(rng), y0 = y(rng);
        return Box{x0, y0, x0 + size(rng), y0 + size(rng),
                   IM_COL32(c(rng), c(rng), c(rng), std::uniform_int_distribution<int>(0, 1)(rng) ? 255 : 120)};
    };
    for (int round = 0; round < 40; ++round) {
        Boxes a;
        for (int i = 0; i < 25; ++i) a.push_back(random_box());
        Boxes b = a;
        for (int edits = std::uniform_int_distribution<int>(1, 4)(rng); edits > 0; --edits) {
            const std::size_t at = std::uniform_int_distribution<std::size_t>(0, b.size() - 1)(rng);
            switch (std::uniform_int_distribution<int>(0, 4)(rng)) {
                case 0: b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), random_box()); break;
                case 1: b.erase(b.begin() + static_cast<std::ptrdiff_t>(at)); break;
                case 2: b[at].color ^= 0x00010000u; break;  // one step of blue
                case 3: b[at].x0 += 1, b[at].x1 += 1; break;
                default: std::swap(b[at], b[(at + 1) % b.size()]); break;
            }
        }
        SCOPED_TRACE("round " + std::to_string(round));
        checked(a, b, 1 + round % 8);
    }
}

TEST_F(Damage, ACallbackThatDrawsIsAPieceByWhatTheCallerSays) {
    std::uint64_t contents = 1;
    const auto callback = [](const ImDrawList*, const ImDrawCmd*) {};
    const DescribeCallback describe = [&](const ImDrawCmd&, CallbackPiece* piece) {
        piece->hash = 42;
        piece->rect = ImVec4(200, 100, 260, 160);
        piece->contents = contents;
        piece->contents_was = contents - 1;
        piece->changed = ImVec4(200, 100, 210, 110);  // the last upload: its left top corner
        return true;
    };
    const auto draw = [&] {
        submit({{10, 10, 60, 40, kRed}});
        ImGui::GetBackgroundDrawList()->AddCallback(callback, nullptr);
        ImGui::GetBackgroundDrawList()->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
    };
    frame(draw, describe);
    const FramePieces a = frame(draw, describe);
    EXPECT_EQ(frame_damage(a, frame(draw, describe))->size(), 0u);
    contents = 2;  // new values uploaded under the same texture, in its left top corner
    const std::vector<PixelRect> damage = *frame_damage(a, frame(draw, describe));
    EXPECT_TRUE(inside(damage, 205, 105));
    EXPECT_FALSE(inside(damage, 250, 150));  // not changed by that upload
    EXPECT_FALSE(inside(damage, 30, 25));
    contents = 3;  // two uploads since `a`: only the last one's cells are known
    const std::vector<PixelRect> all = *frame_damage(a, frame(draw, describe));
    EXPECT_TRUE(inside(all, 205, 105));
    EXPECT_TRUE(inside(all, 250, 150));
    // A callback nobody describes could draw anything: the whole frame.
    EXPECT_FALSE(frame_damage(a, frame(draw, {})).has_value());
}

TEST_F(Damage, AWindowThatComesOrGoesIsDamagedAllOver) {
    const Boxes boxes = {{10, 10, 60, 40, kRed}};
    const auto panel = [&] {
        submit(boxes);
        ImGui::SetNextWindowPos(ImVec2(100, 100));
        ImGui::SetNextWindowSize(ImVec2(50, 50));
        ImGui::Begin("panel");
        ImGui::End();
    };
    frame(panel);  // the window settles
    const FramePieces with = frame(panel), without = frame(boxes);
    for (const auto& [from, to] : {std::pair(&with, &without), std::pair(&without, &with)}) {
        const std::optional<std::vector<PixelRect>> damage = frame_damage(*from, *to);
        ASSERT_TRUE(damage.has_value());
        EXPECT_TRUE(inside(*damage, 100, 100));
        EXPECT_TRUE(inside(*damage, 149, 149));
        EXPECT_FALSE(inside(*damage, 30, 25));  // the box of the background list, paired
    }
}

TEST_F(Damage, AnotherSizeOrTooMuchDamageMeanAWholeFrame) {
    const Boxes boxes = {{10, 10, 60, 40, kRed}};
    const FramePieces a = frame(boxes);
    FramePieces resized = frame(boxes);
    resized.width = kWidth + 1;
    EXPECT_FALSE(frame_damage(a, resized).has_value());
    const FramePieces everything = frame({{0, 0, kWidth, kHeight, kBlue}});
    EXPECT_FALSE(frame_damage(a, everything, 16, 8, 0.6).has_value());
    EXPECT_TRUE(frame_damage(a, everything, 16, 8, 1.0).has_value());
}

}  // namespace
}  // namespace convlens
