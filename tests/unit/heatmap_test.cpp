// Large grids as heatmaps: the display list carries a grid's values and their range, not
// colours; the lookup table every backend colours them with follows the theme's diverging
// map; frames drawn over one layout share one copy of the values (the window uploads
// nothing when only the focus moves); inserted zeros are no values; cairo paints the table.
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "canvas/heatmap_colors.h"
#include "canvas/layer_layout.h"
#include "canvas/step_canvas.h"
#include "canvas/theme.h"
#include "engine/layer_results.h"
#include "export/export_frames.h"
#include "export/frame_fit.h"
#include "lesson/influence_focus.h"
#include "lesson/influence_step.h"
#include "lesson/lesson.h"

namespace convlens {
namespace {

float channel_gap(Color a, Color b) {
    return std::max({std::fabs(a.r - b.r), std::fabs(a.g - b.g), std::fabs(a.b - b.b),
                     std::fabs(a.a - b.a)});
}

Matrix random_matrix(int rows, int cols, unsigned seed, double spread = 2.0) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(-spread, spread);
    Matrix m(rows, cols);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) m(r, c) = u(rng);
    return m;
}

Scene big_scene(int rows, int cols) {
    Scene s;
    s.input = random_matrix(rows, cols, 7);
    s.kernel = random_matrix(3, 3, 11);
    return s;
}

std::vector<const DrawHeatmap*> heatmaps_of(const DisplayList& list) {
    std::vector<const DrawHeatmap*> out;
    for (const DrawItem& item : list.items)
        if (const auto* h = std::get_if<DrawHeatmap>(&item)) out.push_back(h);
    return out;
}

const DrawHeatmap* heatmap_of(const DisplayList& list, GridId grid) {
    for (const DrawHeatmap* h : heatmaps_of(list))
        if (h->grid == grid) return h;
    return nullptr;
}

// One heatmap of the given values (row-major) on `scale`, in `theme`'s map.
DrawHeatmap heatmap(int rows, int cols, std::vector<float> values, double scale, const Theme& theme) {
    DrawHeatmap h;
    h.rect = {0, 0, static_cast<float>(cols) * 10, static_cast<float>(rows) * 10};
    h.rows = rows;
    h.cols = cols;
    h.scale = scale;
    h.map = diverging_map(theme);
    h.missing = theme.padding_cell;
    h.values = std::make_shared<const std::vector<float>>(std::move(values));
    return h;
}

TEST(HeatmapColors, TheTableFollowsTheDivergingMapWithinALevel) {
    for (const Theme& theme : {light_theme(), dark_theme()}) {
        const double scale = 3.7;
        std::vector<float> values;
        for (int k = -2500; k <= 2500; ++k) values.push_back(static_cast<float>(k * scale * 1.25 / 2500));
        const DrawHeatmap h = heatmap(1, static_cast<int>(values.size()), values, scale, theme);
        const std::vector<Color> colors = heatmap_cell_colors(h);
        ASSERT_EQ(colors.size(), values.size());
        float worst = 0;
        for (std::size_t k = 0; k < values.size(); ++k)
            worst = std::max(worst, channel_gap(colors[k], diverging_color(theme, values[k], scale)));
        // Within one level of 255 of the exact CIELAB blend everywhere (the table's nearest
        // entry; the shader interpolates between entries, closer still).
        EXPECT_LE(worst, 1.0f / 255) << (theme.dark ? "dark" : "light");
        // The middle and both ends exactly: 0 is neutral, |v| >= scale saturates.
        const std::vector<Color> ends =
            heatmap_cell_colors(heatmap(1, 4, {0.0f, 3.7f, -9.0f, 100.0f}, scale, theme));
        EXPECT_EQ(ends[0], theme.neutral);
        EXPECT_EQ(ends[1], theme.positive);
        EXPECT_EQ(ends[2], theme.negative);
        EXPECT_EQ(ends[3], theme.positive);
    }
}

TEST(HeatmapColors, NotANumberIsMissingAndNoRangeIsNeutral) {
    const Theme theme = light_theme();
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const std::vector<Color> c = heatmap_cell_colors(heatmap(1, 2, {nan, 1.0f}, 1, theme));
    EXPECT_EQ(c[0], theme.padding_cell);
    EXPECT_EQ(c[1], theme.positive);
    // A grid of zeros has range 0: all neutral, as diverging_color says.
    const std::vector<Color> zero = heatmap_cell_colors(heatmap(1, 2, {0.0f, 0.0f}, 0, theme));
    EXPECT_EQ(zero[0], theme.neutral);
    EXPECT_EQ(heatmap_lut_index(5.0f, 0.0, 1025), 512);
    EXPECT_EQ(heatmap_lut_index(nan, 2.0, 1025), 512);
    EXPECT_EQ(heatmap_lut_index(-2.0f, 2.0, 1025), 0);
    EXPECT_EQ(heatmap_lut_index(1.0f, 2.0, 1025), 768);
    // An incomplete heatmap (values missing or of the wrong count) has no colours at all.
    DrawHeatmap wrong = heatmap(2, 2, {1.0f, 2.0f, 3.0f}, 3, theme);
    EXPECT_TRUE(heatmap_cell_colors(wrong).empty());
}

TEST(HeatmapItem, CarriesTheGridsValuesAndTheirRangeNotColours) {
    const Scene scene = big_scene(40, 30);
    const LayerResults results = compute_layer(scene);
    const Theme theme = light_theme();
    const CanvasGrids grids = layout_grids(scene, results, layer_grids(scene), {}, theme,
                                           window_layout_options());
    const DisplayList& frame = grids.frame();
    struct Expected {
        GridId grid;
        const Matrix* values;
    };
    for (const Expected& e : {Expected{GridId::Input, &scene.input}, Expected{GridId::Output, &results.output},
                              Expected{GridId::GradInput, &results.grad_input}}) {
        const DrawHeatmap* h = heatmap_of(frame, e.grid);
        ASSERT_NE(h, nullptr) << grid_symbol_tex(e.grid);
        ASSERT_TRUE(h->complete());
        ASSERT_EQ(h->rows, e.values->rows());
        ASSERT_EQ(h->cols, e.values->cols());
        double largest = 0;
        for (int r = 0; r < h->rows; ++r)
            for (int c = 0; c < h->cols; ++c) {
                // Row-major: the value of row r, column c at r * cols + c.
                EXPECT_EQ((*h->values)[static_cast<std::size_t>(r * h->cols + c)],
                          static_cast<float>((*e.values)(r, c)));
                largest = std::max(largest, std::fabs((*e.values)(r, c)));
            }
        EXPECT_DOUBLE_EQ(h->scale, largest);
        EXPECT_TRUE(h->map == diverging_map(theme));
        const GridGeometry* g = frame.grid(e.grid);
        ASSERT_NE(g, nullptr);
        EXPECT_EQ(h->rect.x, g->cells.x);
        EXPECT_EQ(h->rect.w, g->cells.w);
    }
    // The 3x3 kernels stay cells with numbers.
    EXPECT_EQ(heatmap_of(frame, GridId::Kernel), nullptr);
}

TEST(HeatmapItem, FramesOverOneLayoutShareOneCopyOfTheValues) {
    const Scene scene = big_scene(64, 64);
    const LayerResults results = compute_layer(scene);
    const Theme theme = light_theme();
    const CanvasGrids grids = layout_grids(scene, results, layer_grids(scene), {}, theme,
                                           window_layout_options());
    const DisplayList a = draw_step(grids, influence_step(scene, influence_view(scene, results, Focus{GridId::Input, {3, 4}})), theme);
    const DisplayList b = draw_step(grids, influence_step(scene, influence_view(scene, results, Focus{GridId::Output, {40, 2}})), theme);
    ASSERT_EQ(heatmaps_of(a).size(), heatmaps_of(b).size());
    ASSERT_GE(heatmaps_of(a).size(), 4u);
    for (std::size_t k = 0; k < heatmaps_of(a).size(); ++k)
        EXPECT_EQ(heatmaps_of(a)[k]->values.get(), heatmaps_of(b)[k]->values.get())
            << "hovering copied the values of " << grid_symbol_tex(heatmaps_of(a)[k]->grid);
    // Another theme re-colours nothing either: same values, the other map.
    const DisplayList dark = draw_step(grids, Step{}, dark_theme());
    const DrawHeatmap* input = heatmap_of(dark, GridId::Input);
    ASSERT_NE(input, nullptr);
    EXPECT_EQ(input->values.get(), heatmap_of(a, GridId::Input)->values.get());
    EXPECT_TRUE(input->map == diverging_map(dark_theme()));
}

TEST(HeatmapItem, ZerosTheGatherInsertsAreNoValues) {
    // Stride 2 spreads delta^{l+1} (14x14) with zeros between its entries and pads it by 2:
    // a 31x31 grid, more cells than the window writes numbers into.
    Scene scene = big_scene(30, 30);
    scene.spec.stride = {2, 2};
    const LayerResults results = compute_layer(scene);
    const Lesson lesson = build_lesson(LessonName::Backward, scene, results, Cell{5, 5});
    const auto extra = std::find_if(lesson.extra_grids.begin(), lesson.extra_grids.end(),
                                    [](const ExtraGrid& e) { return e.id == GridId::PaddedUpstream; });
    ASSERT_NE(extra, lesson.extra_grids.end());
    const CanvasGrids grids = layout_grids(scene, results, lesson.grids, lesson.extra_grids, light_theme(),
                                           window_lesson_layout_options(), lesson.steps);
    const DrawHeatmap* h = heatmap_of(grids.frame(), GridId::PaddedUpstream);
    ASSERT_NE(h, nullptr);
    ASSERT_TRUE(h->complete());
    ASSERT_EQ(extra->inserted_zero.size(), h->values->size());
    int inserted = 0;
    for (int r = 0; r < h->rows; ++r)
        for (int c = 0; c < h->cols; ++c) {
            const std::size_t k = static_cast<std::size_t>(r * h->cols + c);
            if (extra->inserted_zero[k]) {
                ++inserted;
                EXPECT_TRUE(std::isnan((*h->values)[k])) << r << "," << c;
            } else {
                EXPECT_EQ((*h->values)[k], static_cast<float>(extra->values(r, c)));
            }
        }
    EXPECT_GT(inserted, 0);
}

TEST(HeatmapCairo, EachCellIsPaintedInItsTableColour) {
    const Theme theme = dark_theme();
    // 3x4 values over the whole range, one NaN.
    const std::vector<float> values = {-2.0f, -1.0f, -0.25f, 0.0f, 0.1f, 0.5f, 1.5f, 2.0f,
                                       std::numeric_limits<float>::quiet_NaN(), -0.6f, 0.75f, -1.9f};
    DisplayList list;
    list.width = 40;
    list.height = 30;
    list.background = theme.background;
    list.items.push_back(heatmap(3, 4, values, 2.0, theme));
    const FrameFit fit = fit_frame({0, 0, 40, 30}, 400, 300, 1);
    const RgbaImage image = render_rgba(list, fit, false);
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 4; ++c) {
            const Point p = fit.to_device({c * 10.0f + 5, r * 10.0f + 5});
            const std::size_t at =
                (static_cast<std::size_t>(p.y) * static_cast<std::size_t>(image.width) + static_cast<std::size_t>(p.x)) * 4;
            const float v = values[static_cast<std::size_t>(r * 4 + c)];
            const Color want = std::isnan(v) ? theme.padding_cell : diverging_color(theme, v, 2.0);
            const Color got{image.rgba[at] / 255.0f, image.rgba[at + 1] / 255.0f, image.rgba[at + 2] / 255.0f,
                            image.rgba[at + 3] / 255.0f};
            // A level for the table, half a level for each 8-bit rounding.
            EXPECT_LE(channel_gap(got, want), 2.0f / 255) << "cell " << r << "," << c;
        }
}

}  // namespace
}  // namespace convlens
