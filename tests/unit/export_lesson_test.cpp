// Real lesson frames through the cairo backend: a frame per step, and every cell colour
// the display list asks for is the colour of the pixel where the fit puts it. The
// expectation is worked out from the list alone (the fills under a point composited back
// to front, points near any line, arrow, outline or text left out), not from the renderer.
#include <gtest/gtest.h>

#include <cmath>
#include <variant>

#include "canvas/text_metrics.h"
#include "engine/layer_results.h"
#include "export/export_frames.h"
#include "export/lesson_frames.h"
#include "scene/scene_json.h"

namespace convlens {
namespace {

const std::string kScene = std::string(CONVLENS_ASSET_DIR) + "/scenes/default.json";

float distance_to_segment(Point p, Point a, Point b) {
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float length2 = dx * dx + dy * dy;
    float t = length2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2 : 0;
    t = std::clamp(t, 0.0f, 1.0f);
    return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

bool inside(Point p, const Rect& r, float margin = 0) {
    return p.x >= r.x - margin && p.x <= r.x + r.w + margin && p.y >= r.y - margin && p.y <= r.y + r.h + margin;
}

bool near_outline(Point p, const Rect& r, float margin) {
    return inside(p, r, margin) && !(p.x > r.x + margin && p.x < r.x + r.w - margin && p.y > r.y + margin &&
                                     p.y < r.y + r.h - margin);
}

// The colour the list puts at p (layout units), or nullopt where something other than a
// flat opaque fill could touch the pixel. `clearance` is in layout units.
std::optional<Color> expected_at(const DisplayList& list, Point p, float clearance) {
    std::optional<Color> color = list.background;
    for (const DrawItem& item : list.items) {
        if (const auto* r = std::get_if<DrawRect>(&item)) {
            if (r->stroke.a > 0 && near_outline(p, r->rect, r->stroke_width + clearance)) return std::nullopt;
            if (r->fill.a > 0 && inside(p, r->rect, clearance)) {
                if (!inside(p, {r->rect.x + clearance, r->rect.y + clearance, r->rect.w - 2 * clearance,
                                r->rect.h - 2 * clearance}))
                    return std::nullopt;  // too close to a fill's edge: anti-aliased
                // Straight alpha over what lies below: a translucent mark tints its cell.
                const Color& f = r->fill;
                color = Color{f.r * f.a + color->r * (1 - f.a), f.g * f.a + color->g * (1 - f.a),
                              f.b * f.a + color->b * (1 - f.a), 1};
            }
        } else if (const auto* a = std::get_if<DrawArrow>(&item)) {
            if (distance_to_segment(p, a->from, a->to) < a->width + a->head + clearance) return std::nullopt;
        } else if (const auto* l = std::get_if<DrawLine>(&item)) {
            if (distance_to_segment(p, l->from, l->to) < l->width + clearance) return std::nullopt;
        } else if (const auto* t = std::get_if<DrawText>(&item)) {
            if (t->text.runs.empty()) continue;
            // The ink: the layout's width estimate, a little wider, and a line of
            // ascent plus descent (scripts reach past it) around the box's middle.
            const float w = 1.2f * estimate_math_width(t->text, t->size) + t->size;
            float left = t->box.x;
            if (t->align == HAlign::Center) left = t->box.x + (t->box.w - w) / 2;
            else if (t->align == HAlign::Right) left = t->box.x + t->box.w - w;
            const Rect ink{left, t->box.y + t->box.h / 2 - 0.9f * t->size, w, 1.8f * t->size};
            if (inside(p, ink, clearance)) return std::nullopt;
        } else if (const auto* h = std::get_if<DrawHeatmap>(&item)) {
            if (inside(p, h->rect, clearance)) return std::nullopt;
        }
    }
    return color;
}

TEST(ExportLesson, ForwardFramesHaveAStepEachAndCellsWhereTheListPutsThem) {
    const Scene scene = load_scene(kScene);
    LessonFrameRequest request;
    request.lesson = LessonName::Forward;
    const LessonFrames lesson = lesson_frames(scene, request);
    // The default scene: 5x5 input, 3x3 kernel, stride 1, no padding: 3x3 output cells,
    // one step each.
    const LayerResults results = compute_layer(scene);
    EXPECT_EQ(lesson.lesson_steps, static_cast<int>(results.output.size()));
    ASSERT_EQ(lesson.frames.size(), static_cast<std::size_t>(lesson.lesson_steps));

    const FrameFit fit = fit_frame(frames_bounds(lesson.frames), 960, 540, 1);
    const float clearance = 2.5f / fit.scale;  // two and a half pixels
    for (std::size_t k : {std::size_t{0}, lesson.frames.size() / 2, lesson.frames.size() - 1}) {
        const DisplayList& list = lesson.frames[k];
        const RgbaImage image = render_rgba(list, fit, false);
        int checked = 0;
        for (const DrawItem& item : list.items) {
            const auto* r = std::get_if<DrawRect>(&item);
            if (!r || r->fill.a <= 0 || r->rect.w * fit.scale < 12) continue;
            for (float fx : {0.15f, 0.85f})
                for (float fy : {0.15f, 0.85f}) {
                    const Point p{r->rect.x + fx * r->rect.w, r->rect.y + fy * r->rect.h};
                    const std::optional<Color> want = expected_at(list, p, clearance);
                    if (!want) continue;
                    const Point d = fit.to_device(p);
                    const std::size_t at =
                        (static_cast<std::size_t>(d.y) * static_cast<std::size_t>(image.width) + static_cast<std::size_t>(d.x)) * 4;
                    const auto byte = [](float v) { return static_cast<int>(std::lround(v * 255)); };
                    EXPECT_NEAR(image.rgba[at], byte(want->r), 1) << "step " << k + 1 << " at " << p.x << "," << p.y;
                    EXPECT_NEAR(image.rgba[at + 1], byte(want->g), 1) << "step " << k + 1;
                    EXPECT_NEAR(image.rgba[at + 2], byte(want->b), 1) << "step " << k + 1;
                    ++checked;
                }
        }
        // Every grid cell of the three grids has at least one clear corner.
        EXPECT_GE(checked, static_cast<int>(scene.input.size() + scene.kernel.size())) << "step " << k + 1;
    }
}

TEST(ExportLesson, StepRangesOutsideTheLessonAreRefused) {
    const Scene scene = load_scene(kScene);
    LessonFrameRequest request;
    request.lesson = LessonName::Forward;
    request.first_step = 2;
    request.last_step = 3;
    EXPECT_EQ(lesson_frames(scene, request).frames.size(), 2u);
    request.last_step = 99;
    EXPECT_THROW(lesson_frames(scene, request), InputError);
    request.first_step = 4;
    request.last_step = 3;
    EXPECT_THROW(lesson_frames(scene, request), InputError);
}

}  // namespace
}  // namespace convlens
