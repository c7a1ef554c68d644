// The canvas read by a careful student: no arrow or line runs through a number (hover view
// and every lesson step, every example scene), the numbers of one grid share one size and
// one count of decimals, the padding ring stays put whatever the focus and its cells are
// labelled, and the canvas text scales with the interface size.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "canvas/draw_rules.h"
#include "canvas/layer_layout.h"
#include "canvas/step_canvas.h"
#include "canvas/theme.h"
#include "engine/layer_results.h"
#include "lesson/influence_focus.h"
#include "lesson/influence_step.h"
#include "lesson/lesson.h"
#include "scene/scene_json.h"
#include "unit/canvas_test_support.h"
#include "util/number_format.h"

namespace convlens {
namespace {

namespace fs = std::filesystem;

using canvas_test::items_of;

std::vector<std::pair<std::string, Scene>> example_scenes() {
    std::vector<std::pair<std::string, Scene>> out;
    for (const auto& entry : fs::directory_iterator(fs::path(CONVLENS_ASSET_DIR) / "scenes"))
        if (entry.path().extension() == ".json")
            out.push_back({entry.path().filename().string(), load_scene(entry.path().string())});
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return out;
}

// Does the segment a-b pass through the inside of r? Sampled densely, independently of the
// router's own clipping. A segment whose bounding box misses r has no point inside it, so
// those (nearly every pair of line and text) are answered without sampling, which took most
// of this file's time under the sanitizers.
bool passes_through(Point a, Point b, const Rect& r) {
    if (std::max(a.x, b.x) <= r.x || std::min(a.x, b.x) >= r.x + r.w || std::max(a.y, b.y) <= r.y ||
        std::min(a.y, b.y) >= r.y + r.h)
        return false;
    const float length = std::hypot(b.x - a.x, b.y - a.y);
    const int n = std::max(2, static_cast<int>(length * 4));
    for (int k = 0; k <= n; ++k) {
        const float t = static_cast<float>(k) / static_cast<float>(n);
        const Point p{a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
        if (p.x > r.x && p.x < r.x + r.w && p.y > r.y && p.y < r.y + r.h) return true;
    }
    return false;
}

// Every line and arrow of `list` against every visible text: a crossing is allowed only for
// an arrow's head and the tag naming it in the cell it points at (a tag of `step` there),
// and for a readout's strike-through line over its own readout. Returns what was crossed.
std::vector<std::string> crossings(const DisplayList& list, const Step& step) {
    std::vector<std::string> found;
    std::vector<DrawText> texts;
    for (const DrawText& t : items_of<DrawText>(list))
        if (t.color.a > 0 && !t.text.runs.empty()) texts.push_back(t);
    // Each text's ink box once, not once per line checked against it (half of this
    // file's time under the sanitizers went into laying the same text out again).
    std::vector<Rect> inks;
    for (const DrawText& t : texts) inks.push_back(text_ink_box(t));
    auto own_tag = [&](const DrawText& t, Point tip) {
        for (const GridGeometry& g : list.grids) {
            const auto cell = g.hit(tip);
            const Rect r = g.cell_rect(cell ? *cell : Cell{0, 0});
            if (!cell) {
                // A ring cell: hit() knows only the grid's own cells.
                const Cell c{static_cast<int>(std::floor((tip.y - g.cells.y) / g.cell)) + g.first.row,
                             static_cast<int>(std::floor((tip.x - g.cells.x) / g.cell)) + g.first.col};
                const Rect rr = g.cell_rect(c);
                if (std::abs(c.row - g.first.row) > 20 || std::abs(c.col - g.first.col) > 20 || !rr.contains(tip) ||
                    !rr.contains(t.box.center()))
                    continue;
                for (const Tag& tag : step.tags)
                    if (tag.grid == g.id && tag.cell == c && tag.tex == t.source) return true;
                continue;
            }
            if (!r.contains(t.box.center())) continue;
            for (const Tag& tag : step.tags)
                if (tag.grid == g.id && tag.cell == *cell && tag.tex == t.source) return true;
        }
        return false;
    };
    auto check = [&](Point a, Point b, bool head) {
        for (size_t k = 0; k < texts.size(); ++k) {
            const DrawText& t = texts[k];
            if (!passes_through(a, b, inks[k])) continue;
            if (head && own_tag(t, b)) continue;
            const bool strike = a.y == b.y && std::abs(a.x - t.box.x) < 0.01f &&
                                std::abs(b.x - (t.box.x + t.box.w)) < 0.01f;
            if (strike) continue;
            found.push_back(t.source);
        }
    };
    for (const DrawLine& l : items_of<DrawLine>(list)) check(l.from, l.to, false);
    for (const DrawArrow& a : items_of<DrawArrow>(list)) check(a.from, a.to, true);
    return found;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const std::string& x : v) s += "[" + x + "] ";
    return s;
}

// The hover view of every example scene, z^l_{m,n} at the corners, the middle and next to
// them; the cases: default z^l_{5,5}, stride-2 z^l_{2,2}, padding_dilation z^l_{3,3}.
TEST(CanvasLegibility, NoArrowCrossesANumberInTheHoverView) {
    Scene wide_kernel;  // a 5x3 kernel: a dozen arrows, some dashed into the padding
    wide_kernel.input = Matrix(6, 6);
    for (int r = 0; r < 6; ++r)
        for (int c = 0; c < 6; ++c) wide_kernel.input(r, c) = (r * 7 + c * 3) % 9 - 4;
    wide_kernel.kernel = Matrix(5, 3);
    wide_kernel.kernel << 1, -2, 3, 0, 1, -1, 2, 2, -3, 1, 0, 1, -1, 4, 2;
    wide_kernel.spec.padding = {2, 1};
    auto scenes = example_scenes();
    ASSERT_GE(scenes.size(), 7u);
    scenes.push_back({"5x3 kernel", wide_kernel});
    const LayoutOptions options = window_layout_options();
    int arrows = 0;
    for (const auto& [name, scene] : scenes) {
        const LayerResults results = compute_layer(scene);
        const int rows = static_cast<int>(scene.input.rows()), cols = static_cast<int>(scene.input.cols());
        std::set<std::pair<int, int>> cells = {{0, 0}, {rows - 1, cols - 1}, {rows / 2, cols / 2},
                                               {1, 1}, {0, cols - 1}, {rows - 1, 0},
                                               {std::min(2, rows - 1), std::min(2, cols - 1)}};
        for (const auto& [r, c] : cells) {
            const InfluenceView view = influence_view(scene, results, Focus{GridId::Input, {r, c}});
            const Step step = influence_step(scene, view);
            const DisplayList list = layout_layer(scene, results, view, light_theme(), options);
            arrows += static_cast<int>(items_of<DrawArrow>(list).size());
            const std::vector<std::string> crossed = crossings(list, step);
            EXPECT_TRUE(crossed.empty())
                << name << " z^l(" << r << "," << c << ") crosses " << joined(crossed);
        }
    }
    EXPECT_GT(arrows, 100);  // the test looked at arrows, not at empty canvases
}

// Every step of every lesson on every example scene, in the window's lesson layout.
TEST(CanvasLegibility, NoArrowOrLineCrossesANumberInAnyLessonStep) {
    int links = 0;
    for (const auto& [name, scene] : example_scenes()) {
        const LayerResults results = compute_layer(scene);
        for (LessonName lesson_name_ : kAllLessons) {
            const Lesson lesson = build_lesson(lesson_name_, scene, results, std::nullopt);
            const CanvasGrids grids =
                layout_grids(scene, results, lesson.grids, lesson.extra_grids, light_theme(),
                             window_lesson_layout_options(), lesson.steps);
            for (size_t k = 0; k < lesson.steps.size(); ++k) {
                const Step& step = lesson.steps[k];
                links += static_cast<int>(step.links.size());
                const DisplayList list = draw_step(grids, step, light_theme());
                const std::vector<std::string> crossed = crossings(list, step);
                EXPECT_TRUE(crossed.empty()) << name << " " << lesson_name(lesson_name_) << " step "
                                             << k + 1 << " crosses " << joined(crossed);
            }
        }
    }
    EXPECT_GT(links, 20);
}

// A lesson on the photograph (128x128) is drawn as crops of its big grids (canvas/
// grid_crop.h), with numbers: no arrow or line crosses them either, whichever cell.
TEST(CanvasLegibility, NoArrowOrLineCrossesANumberInALessonsCrop) {
    const Scene scene = load_scene((fs::path(CONVLENS_ASSET_DIR) / "images" / "shapes_sobel_x.json").string());
    const LayerResults results = compute_layer(scene);
    int links = 0, texts = 0;
    for (const Cell cell : {Cell{39, 39}, Cell{0, 0}, Cell{127, 64}}) {
        for (LessonName name : {LessonName::Influence, LessonName::Equivalence, LessonName::Backward,
                                LessonName::Forward}) {
            // The forward lesson's cell is an output cell: the photograph's output is 128x128 too.
            const Lesson lesson = build_lesson(name, scene, results, cell);
            const CanvasGrids grids =
                layout_grids(scene, results, lesson.grids, lesson.extra_grids, light_theme(),
                             window_lesson_layout_options(), lesson.steps);
            for (size_t k = 0; k < lesson.steps.size(); ++k) {
                const Step& step = lesson.steps[k];
                links += static_cast<int>(step.links.size());
                const DisplayList list = draw_step(grids, step, light_theme());
                texts += static_cast<int>(items_of<DrawText>(list).size());
                const std::vector<std::string> crossed = crossings(list, step);
                EXPECT_TRUE(crossed.empty()) << lesson_name(name) << " at " << cell.row << "," << cell.col
                                             << " step " << k + 1 << " crosses " << joined(crossed);
            }
        }
    }
    EXPECT_GT(links, 10);
    EXPECT_GT(texts, 1000);  // the crops carry numbers: 8x8 cells and more per grid
}

// Box blur: every tap 1/9. All numbers of a grid share one size (the widest fits its cell),
// one count of decimals, and none is below a legible size in the window at 1400 x 900.
TEST(CanvasLegibility, NumbersOfAGridShareOneSizeAndOneCountOfDecimals) {
    Scene s;
    s.input = Matrix(5, 5);
    s.input << 1, 2, 0, -1, 3, 0, -2, 1, 2, 1, 3, 1, -1, 0, 2, -1, 0, 2, 1, -2, 2, 1, 0, -3, 1;
    s.kernel = Matrix::Constant(3, 3, 1.0 / 9.0);
    Matrix upstream(3, 3);
    upstream << 1, -1, 2, 0, 2, -1, -2, 1, 1;
    s.upstream = upstream;
    const LayerResults results = compute_layer(s);
    const DisplayList list = layout_layer(s, results, influence_view(s, results, std::nullopt),
                                          light_theme(), window_layout_options());
    // The window fits the layer into its canvas region (1090 x 540 at 1400 x 900).
    const float zoom = std::min(1090 / list.width, 540 / list.height);
    for (const GridGeometry& g : list.grids) {
        std::set<float> sizes;
        std::set<size_t> decimals;
        int numbers = 0;
        for (const DrawText& t : items_of<DrawText>(list)) {
            if (!t.monospace_digits || !g.cells.contains(t.box.center())) continue;
            ++numbers;
            sizes.insert(t.size);
            const size_t dot = t.source.find('.');
            decimals.insert(dot == std::string::npos ? 0 : t.source.size() - dot - 1);
            EXPECT_GE(t.size * zoom, kMinLegibleDigitPx) << t.source << " in grid " << static_cast<int>(g.id);
            // The widest fits inside its cell.
            EXPECT_LE(text_ink_box(t).w, g.cell * 0.9f) << t.source;
        }
        EXPECT_EQ(numbers, g.rows * g.cols);
        EXPECT_EQ(sizes.size(), 1u) << "grid " << static_cast<int>(g.id);
        EXPECT_EQ(decimals.size(), 1u) << "grid " << static_cast<int>(g.id);
    }
    // 1/9 is written 0.11 (two decimals); "0.11" fits a cell at the window's full size.
    const GridGeometry& w = *list.grid(GridId::Kernel);
    for (const DrawText& t : items_of<DrawText>(list)) {
        if (!t.monospace_digits || !w.cells.contains(t.box.center())) continue;
        EXPECT_EQ(t.source, "0.11");
        EXPECT_FLOAT_EQ(t.size, window_layout_options().value_size);
    }
}

// Select z^l_{3,3}, press Right: grids, the ring, its labels and the canvas's extent stay.
TEST(CanvasLegibility, GridsAndRingStayWhateverTheFocus) {
    for (const auto& [name, scene] : example_scenes()) {
        const LayerResults results = compute_layer(scene);
        const LayoutOptions options = window_layout_options();
        const Scene& shown = scene;  // a lambda may not name a structured binding (clang 14)
        auto frame_of = [&](std::optional<Focus> focus) {
            return layout_layer(shown, results, influence_view(shown, results, focus), light_theme(), options);
        };
        // What must not move: grid rects, dashed ring cells, index labels, the extent.
        auto fixed = [](const DisplayList& l) {
            std::vector<float> v = {l.width, l.height};
            for (const GridGeometry& g : l.grids) v.insert(v.end(), {g.cells.x, g.cells.y, g.cells.w, g.cells.h});
            std::vector<std::array<float, 4>> ring;
            for (const DrawRect& r : items_of<DrawRect>(l))
                if (r.dashed && r.fill.a > 0) ring.push_back({r.rect.x, r.rect.y, r.rect.w, r.rect.h});
            std::sort(ring.begin(), ring.end());
            for (const auto& r : ring) v.insert(v.end(), r.begin(), r.end());
            std::vector<std::tuple<float, float, std::string>> labels;
            for (const DrawText& t : items_of<DrawText>(l))
                if (t.text.runs.size() == 1 && !t.monospace_digits && t.source != "0" &&
                    t.source.find_first_not_of("-0123456789") == std::string::npos)
                    labels.push_back({t.box.x, t.box.y, t.source});
            std::sort(labels.begin(), labels.end());
            for (const auto& [x, y, s] : labels) v.insert(v.end(), {x, y, static_cast<float>(std::stoi(s))});
            return v;
        };
        const std::vector<float> none = fixed(frame_of(std::nullopt));
        for (int r = 0; r < scene.input.rows(); ++r)
            for (int c = 0; c < scene.input.cols(); ++c)
                EXPECT_EQ(fixed(frame_of(Focus{GridId::Input, {r, c}})), none)
                    << name << " z^l(" << r << "," << c << ")";
    }
}

// The default scene (one-based) has 2 output cells of ring on each side reserved for taps
// into the padding: z^{l+1}'s columns are labelled -1, 0 (ring), 1, 2, 3, 4, 5 (ring).
TEST(CanvasLegibility, RingCellsCarryTheirIndices) {
    const Scene scene = load_scene((fs::path(CONVLENS_ASSET_DIR) / "scenes" / "default.json").string());
    ASSERT_EQ(scene.index_base, 1);
    const LayerResults results = compute_layer(scene);
    const DisplayList list = layout_layer(scene, results, influence_view(scene, results, std::nullopt),
                                          light_theme(), window_layout_options());
    const GridGeometry& out = *list.grid(GridId::Output);
    std::map<int, float> column_label_x;  // label -> centre x, labels above the grid
    for (const DrawText& t : items_of<DrawText>(list)) {
        if (t.monospace_digits || t.source.empty() ||
            t.source.find_first_not_of("-0123456789") != std::string::npos)
            continue;
        const float cx = t.box.center().x, cy = t.box.center().y;
        if (cy < out.cells.y - 2 * out.cell - 1 && cy > out.cells.y - 4 * out.cell &&
            cx > out.cells.x - 3 * out.cell && cx < out.cells.x + out.cells.w + 3 * out.cell)
            column_label_x[std::stoi(t.source)] = cx;
    }
    for (int q = -1; q <= 5; ++q) {
        ASSERT_TRUE(column_label_x.count(q)) << "no label " << q;
        // Label q sits over column q - 1 (zero-based), ring columns included.
        EXPECT_NEAR(column_label_x[q], out.cell_rect({0, q - 1}).center().x, 0.01f) << q;
    }
}

// Twice the interface size: every size doubles; the least legible zoom halves.
TEST(CanvasLegibility, CanvasTextScalesWithTheInterfaceSize) {
    const Scene scene = load_scene((fs::path(CONVLENS_ASSET_DIR) / "scenes" / "default.json").string());
    const LayerResults results = compute_layer(scene);
    const InfluenceView view = influence_view(scene, results, Focus{GridId::Input, {1, 1}});
    LayoutOptions one = window_layout_options(), two = one;
    two.text_scale = 2;
    const DisplayList a = layout_layer(scene, results, view, light_theme(), one);
    const DisplayList b = layout_layer(scene, results, view, light_theme(), two);
    ASSERT_EQ(a.grids.size(), b.grids.size());
    for (size_t k = 0; k < a.grids.size(); ++k) EXPECT_FLOAT_EQ(b.grids[k].cell, 2 * a.grids[k].cell);
    std::multiset<float> sizes_a, sizes_b;
    for (const DrawText& t : items_of<DrawText>(a)) sizes_a.insert(2 * t.size);
    for (const DrawText& t : items_of<DrawText>(b)) sizes_b.insert(t.size);
    EXPECT_EQ(sizes_a, sizes_b);
    EXPECT_GT(a.width * 1.9f, 0);
    EXPECT_NEAR(b.width, 2 * a.width, 0.05f * a.width);
    ASSERT_GT(smallest_value_size(a), 0);
    EXPECT_FLOAT_EQ(smallest_value_size(b), 2 * smallest_value_size(a));
    EXPECT_FLOAT_EQ(legible_zoom(a, 9) * smallest_value_size(a), 9);
    EXPECT_FLOAT_EQ(legible_zoom(b, 9), legible_zoom(a, 9) / 2);
    // Scaling twice is scaling once.
    const LayoutOptions s1 = scaled_options(two), s2 = scaled_options(s1);
    EXPECT_FLOAT_EQ(s1.cell, s2.cell);
    EXPECT_FLOAT_EQ(s1.value_size, 2 * one.value_size);
}

// One count of decimals per grid, worked by hand: the most any value needs (format_number
// keeps three), capped at two, at one from 10 up, at none from 100 up.
TEST(CanvasLegibility, SharedDecimalsByHand) {
    const std::vector<double> whole = {1, -2, 3}, blur = {1.0 / 9, 1, 0.5},
                              tens = {12.5, 0.125}, hundreds = {150, 0.5}, halves = {0.5, -1};
    EXPECT_EQ(shared_decimals(whole.data(), 3), 0);
    EXPECT_EQ(shared_decimals(blur.data(), 3), 2);      // 0.111 needs three: capped at two
    EXPECT_EQ(shared_decimals(tens.data(), 2), 1);      // 12.5 is 10 or more
    EXPECT_EQ(shared_decimals(hundreds.data(), 2), 0);
    EXPECT_EQ(shared_decimals(halves.data(), 2), 1);
    EXPECT_EQ(format_with_decimals(1.0 / 9, 2), "0.11");
    EXPECT_EQ(format_with_decimals(-1.0 / 9, 2), "-0.11");
    EXPECT_EQ(format_with_decimals(3, 2), "3.00");
    EXPECT_EQ(format_with_decimals(-0.001, 2), "0.00");  // no "-0.00"
    EXPECT_EQ(format_with_decimals(2.5e20, 2), "2.5e+20");
    EXPECT_EQ(format_with_decimals(-std::numeric_limits<double>::infinity(), 1), "-\\infty");
}

}  // namespace
}  // namespace convlens
