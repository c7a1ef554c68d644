// with_new_values (canvas/step_canvas.h): new results that change only numbers keep the
// layout and swap the values in, drawing exactly what a fresh layout draws; unchanged grids
// keep their very heatmap arrays; anything that moves a grid is refused.
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "canvas/layer_layout.h"
#include "canvas/step_canvas.h"
#include "canvas/theme.h"
#include "engine/layer_results.h"
#include "lesson/influence_focus.h"
#include "lesson/influence_step.h"
#include "unit/display_list_equal.h"

namespace convlens {
namespace {

using list_equal::expect_same_list;

// An n x n input of random values (40 x 40 is over the 24 x 24 cells with numbers: z^l,
// z^{l+1}, delta^{l+1} and delta^l are heatmaps, w and dJ/dw keep their numbers).
Scene swap_scene(int n, int k, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(-1, 1);
    Scene s;
    s.input = Matrix(n, n);
    for (Eigen::Index r = 0; r < n; ++r)
        for (Eigen::Index c = 0; c < n; ++c) s.input(r, c) = u(rng);
    s.kernel = Matrix(k, k);
    for (Eigen::Index r = 0; r < k; ++r)
        for (Eigen::Index c = 0; c < k; ++c) s.kernel(r, c) = u(rng);
    return s;
}

CanvasGrids swap_layout(const Scene& s, const LayerResults& r, const Theme& theme) {
    return layout_grids(s, r, layer_grids(s), {}, theme, window_layout_options());
}

const DrawHeatmap* swapped_heatmap_of(const DisplayList& list, GridId id) {
    for (const DrawItem& item : list.items)
        if (const auto* h = std::get_if<DrawHeatmap>(&item); h && h->grid == id) return h;
    return nullptr;
}

// The swapped layout draws what a fresh one draws: the bare frame and a focus over it.
void expect_swap_as_fresh(const Scene& before, const Scene& after, const Theme& theme, const Focus& focus) {
    const LayerResults r0 = compute_layer(before), r1 = compute_layer(after);
    const CanvasGrids swapped = with_new_values(swap_layout(before, r0, theme), after, r1);
    ASSERT_FALSE(swapped.empty());
    const CanvasGrids fresh = swap_layout(after, r1, theme);
    expect_same_list(swapped.frame(), fresh.frame());
    const Step step = influence_step(after, influence_view(after, r1, focus));
    expect_same_list(draw_step(swapped, step, theme), draw_step(fresh, step, theme));
}

TEST(CanvasValueSwap, AnInputEditDrawsWhatAFreshLayoutDraws) {
    const Scene before = swap_scene(40, 3, 1);
    Scene after = before;
    after.input(7, 9) = 5;  // a new largest value: z^l's colour range changes too
    expect_swap_as_fresh(before, after, light_theme(), Focus{GridId::Input, {7, 9}});
}

TEST(CanvasValueSwap, AKernelEditOnASmallSceneDrawsWhatAFreshLayoutDraws) {
    // Every grid with numbers: their texts, sizes and fills are the new ones.
    const Scene before = swap_scene(5, 3, 2);
    Scene after = before;
    after.kernel(1, 2) = -12.5;
    expect_swap_as_fresh(before, after, dark_theme(), Focus{GridId::Kernel, {1, 2}});
    Scene activated = before;
    activated.activation = Activation::Relu;
    Scene edited = activated;
    edited.input(0, 0) = 3;
    expect_swap_as_fresh(activated, edited, light_theme(), Focus{GridId::Output, {1, 1}});
}

TEST(CanvasValueSwap, GridsWhoseNumbersStayKeepTheirValueArrays) {
    // J = sum z^{l+1}: delta^{l+1} is all ones, and delta^l = full correlation of it with w
    // depends on w alone, so an input edit leaves both as they were; z^l and z^{l+1} change.
    const Scene before = swap_scene(40, 3, 3);
    Scene after = before;
    after.input(20, 20) += 0.25;
    const Theme theme = light_theme();
    const LayerResults r0 = compute_layer(before), r1 = compute_layer(after);
    const CanvasGrids old = swap_layout(before, r0, theme);
    const CanvasGrids swapped = with_new_values(old, after, r1);
    ASSERT_FALSE(swapped.empty());
    for (GridId id : {GridId::Upstream, GridId::GradInput}) {
        ASSERT_TRUE(swapped_heatmap_of(old.frame(), id) && swapped_heatmap_of(swapped.frame(), id));
        EXPECT_EQ(swapped_heatmap_of(old.frame(), id)->values, swapped_heatmap_of(swapped.frame(), id)->values)
            << grid_symbol_tex(id);
    }
    for (GridId id : {GridId::Input, GridId::Output}) {
        const DrawHeatmap* was = swapped_heatmap_of(old.frame(), id);
        const DrawHeatmap* now = swapped_heatmap_of(swapped.frame(), id);
        ASSERT_TRUE(was && now);
        EXPECT_NE(was->values, now->values) << grid_symbol_tex(id);
        // The new numbers, from the engine's own results.
        const Matrix& m = id == GridId::Input ? after.input : r1.output;
        EXPECT_EQ((*now->values)[static_cast<size_t>(20 * now->cols + 20)], static_cast<float>(m(20, 20)));
    }
}

TEST(CanvasValueSwap, AnythingThatMovesAGridIsLaidOutAnew) {
    const Scene before = swap_scene(30, 3, 4);
    const Theme theme = light_theme();
    const LayerResults r0 = compute_layer(before);
    const CanvasGrids old = swap_layout(before, r0, theme);
    auto refused = [&](const Scene& after) {
        return with_new_values(old, after, compute_layer(after)).empty();
    };
    Scene wider = before;
    wider.input.conservativeResize(30, 31);
    wider.input.col(30).setZero();
    EXPECT_TRUE(refused(wider));
    Scene padded = before;
    padded.spec.padding = {1, 1};
    EXPECT_TRUE(refused(padded));
    Scene larger_kernel = swap_scene(30, 5, 4);
    EXPECT_TRUE(refused(larger_kernel));
    Scene activated = before;
    activated.activation = Activation::Tanh;  // a^l appears
    EXPECT_TRUE(refused(activated));
    Scene zero_based = before;
    zero_based.index_base = 0;
    EXPECT_TRUE(refused(zero_based));
    Scene with_target = before;
    with_target.target = Matrix::Zero(28, 28);  // delta^{l+1}'s caption says z - target
    EXPECT_TRUE(refused(with_target));
    // Grids laid out for a lesson's steps (room for their marks and readouts): anew too.
    const Step step = influence_step(before, influence_view(before, r0, Focus{GridId::Input, {0, 0}}));
    const CanvasGrids stepped =
        layout_grids(before, r0, layer_grids(before), {}, theme, window_layout_options(), {step});
    Scene edited = before;
    edited.input(3, 3) = 0.5;
    EXPECT_TRUE(with_new_values(stepped, edited, compute_layer(edited)).empty());
    EXPECT_TRUE(with_new_values(CanvasGrids{}, edited, compute_layer(edited)).empty());
    EXPECT_FALSE(refused(edited));
}

}  // namespace
}  // namespace convlens
