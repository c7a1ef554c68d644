// with_new_values (canvas/step_canvas.h) costs what an edit changed: it writes only the box
// of cells whose numbers differ into the grids' copies and heatmap arrays, reuses the array
// from two results back, redraws only changed grids, and hands the upload a hint (the
// array before and the changed cells). Whatever it skips, every frame must be item by item
// what a fresh layout draws, over chains of edits of one cell, a box and everything.
#include <algorithm>
#include <cstring>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "canvas/canvas_grids.h"
#include "canvas/layer_layout.h"
#include "canvas/step_canvas.h"
#include "canvas/theme.h"
#include "engine/layer_results.h"
#include "lesson/influence_focus.h"
#include "lesson/influence_step.h"
#include "unit/autodiff.h"
#include "unit/display_list_equal.h"

namespace convlens {
namespace {

using list_equal::expect_same_list;


// 40 x 40 is over the 24 x 24 cells with numbers: the input-shaped grids are heatmaps.
Scene patch_scene(std::mt19937& rng, int n, int k) {
    Scene s;
    s.input = ad::random_matrix(rng, n, n, -1, 1);
    s.kernel = ad::random_matrix(rng, k, k, -1, 1);
    return s;
}

CanvasGrids fresh_layout(const Scene& s, const LayerResults& r) {
    return layout_grids(s, r, layer_grids(s), {}, light_theme(), window_layout_options());
}

const DrawHeatmap* heatmap_of(const DisplayList& list, GridId id) {
    for (const DrawItem& item : list.items)
        if (const auto* h = std::get_if<DrawHeatmap>(&item); h && h->grid == id) return h;
    return nullptr;
}

// A heatmap's upload hint is true: outside its box the values are bit for bit those of the
// array it names, and every value that differs from `shown` (what the screen had) lies in
// it. Counts the hints that named `shown`.
int check_hints(const DisplayList& shown, const DisplayList& now) {
    int named = 0;
    for (const DrawItem& item : now.items) {
        const auto* h = std::get_if<DrawHeatmap>(&item);
        if (!h) continue;
        const auto since = h->changed_since.lock();
        if (!since) continue;
        EXPECT_EQ(since->size(), h->values->size()) << grid_symbol_tex(h->grid);
        if (since->size() != h->values->size()) continue;
        for (int r = 0; r < h->rows; ++r)
            for (int c = 0; c < h->cols; ++c) {
                const size_t k = static_cast<size_t>(r * h->cols + c);
                if (h->changed.contains(r, c)) continue;
                EXPECT_EQ(std::memcmp(&(*since)[k], &(*h->values)[k], sizeof(float)), 0)
                    << grid_symbol_tex(h->grid) << " " << r << "," << c << " outside the hint's box";
            }
        const DrawHeatmap* before = heatmap_of(shown, h->grid);
        if (!before || before->values != since) continue;
        ++named;
    }
    return named;
}

// Everything the grids draw, the bare frame and a focus, as a fresh layout draws it.
void expect_as_fresh(const CanvasGrids& grids, const Scene& s, const LayerResults& r, const Focus& focus) {
    const CanvasGrids fresh = fresh_layout(s, r);
    expect_same_list(grids.frame(), fresh.frame());
    const Step step = influence_step(s, influence_view(s, r, focus));
    expect_same_list(draw_step(grids, step, light_theme()), draw_step(fresh, step, light_theme()));
}

enum class Edit { Cell, Box, Everything, Kernel, Nothing, LargestToZero };

void apply(Edit e, Scene& s, std::mt19937& rng) {
    const int n = static_cast<int>(s.input.rows()), m = static_cast<int>(s.input.cols());
    std::uniform_int_distribution<int> row(0, n - 1), col(0, m - 1);
    std::uniform_real_distribution<double> u(-1.5, 1.5);
    switch (e) {
        case Edit::Cell: s.input(row(rng), col(rng)) = u(rng); break;
        case Edit::Box: {
            const int r0 = row(rng), c0 = col(rng);
            const int r1 = std::min(n - 1, r0 + row(rng) % 6), c1 = std::min(m - 1, c0 + col(rng) % 9);
            for (int r = r0; r <= r1; ++r)
                for (int c = c0; c <= c1; ++c) s.input(r, c) = u(rng);
            break;
        }
        case Edit::Everything: s.input = ad::random_matrix(rng, n, m, -1, 1); break;
        case Edit::Kernel: s.kernel(0, static_cast<Eigen::Index>(rng() % static_cast<unsigned>(s.kernel.cols()))) = u(rng); break;
        case Edit::Nothing: break;
        case Edit::LargestToZero: {
            // The cell that sets z^l's colour range shrinks: the range comes from elsewhere.
            Eigen::Index r = 0, c = 0;
            s.input.cwiseAbs().maxCoeff(&r, &c);
            s.input(r, c) = 0;
            break;
        }
    }
}

// The window's way: the grids moved in (their storage reused), the last frame kept until
// the next is drawn. `hold_every` > 0 also keeps every so many frames longer, as a slow
// screen might, so that the reuse has to step back.
void run_chain(Scene scene, unsigned seed, int edits, int hold_every) {
    std::mt19937 rng(seed);
    LayerResults results = compute_layer(scene);
    CanvasGrids grids = fresh_layout(scene, results);
    DisplayList shown = grids.frame();
    std::vector<DisplayList> held;
    int named = 0;
    long reused = 0;
    for (int k = 0; k < edits; ++k) {
        const Edit e = static_cast<Edit>((k * 5 + 1) % 6);  // every kind, three times or more
        apply(e, scene, rng);
        results = compute_layer(scene);
        grids = with_new_values(std::move(grids), scene, results);
        ASSERT_FALSE(grids.empty());
        reused += grids.impl().swap.arrays_reused;
        const Focus focus{GridId::Input, {static_cast<int>(rng() % 8), static_cast<int>(rng() % 8)}};
        SCOPED_TRACE("edit " + std::to_string(k) + " of kind " + std::to_string(static_cast<int>(e)));
        expect_as_fresh(grids, scene, results, focus);
        DisplayList next = draw_step(grids, influence_step(scene, influence_view(scene, results, std::nullopt)),
                                     light_theme());
        named += check_hints(shown, next);
        if (hold_every > 0 && k % hold_every == 0) held.push_back(shown);
        shown = std::move(next);
    }
    // Hints named the frame before (the upload then compares nothing), and arrays from two
    // results back took new values instead of a whole grid's conversion.
    EXPECT_GT(named, 0);
    EXPECT_GT(reused, 0);
}

TEST(CanvasValuePatch, ChainsOfEditsDrawWhatFreshLayoutsDraw) {
    std::mt19937 rng(11);
    run_chain(patch_scene(rng, 40, 3), 1, 20, 0);
}

TEST(CanvasValuePatch, ChainsWithEveryGridChangingDrawWhatFreshLayoutsDraw) {
    // A target and f = tanh: delta^{l+1}, delta^l and a^l change with z^l too; a strided,
    // padded, dilated layer on a non-square grid; frames held longer now and then.
    std::mt19937 rng(12);
    Scene s = patch_scene(rng, 40, 3);
    s.input = ad::random_matrix(rng, 37, 45, -1, 1);
    s.activation = Activation::Tanh;
    s.spec.stride = {2, 1};
    s.spec.padding = {1, 2};
    s.spec.dilation = {1, 2};
    const LayerResults r = compute_layer(s);
    s.target = ad::random_matrix(rng, static_cast<int>(r.output.rows()), static_cast<int>(r.output.cols()),
                                 -1, 1);
    run_chain(s, 2, 20, 3);
}

TEST(CanvasValuePatch, AOneCellEditWritesOnlyTheCellsItChanged) {
    // J = sum z^{l+1}, stride 1, no padding: z^l_{r,c} (zero-based) feeds the 3 x 3 outputs
    // (r-2..r, c-2..c); delta^{l+1} (ones) and delta^l (w alone) stay; dJ/dw (3 x 3) changes.
    std::mt19937 rng(13);
    Scene s = patch_scene(rng, 40, 3);
    LayerResults r = compute_layer(s);
    CanvasGrids grids = fresh_layout(s, r);
    const int row = 17, col = 23;
    DisplayList shown = grids.frame();
    for (int k = 0; k < 3; ++k) {
        s.input(row, col) += 0.5;
        r = compute_layer(s);
        grids = with_new_values(std::move(grids), s, r);
        ASSERT_FALSE(grids.empty());
        const auto& work = grids.impl().swap;
        EXPECT_EQ(work.grids_changed, 3);
        EXPECT_EQ(work.values_copied, 1 + 9 + 9);
        const DisplayList& frame = grids.frame();
        const DrawHeatmap* input = heatmap_of(frame, GridId::Input);
        const DrawHeatmap* output = heatmap_of(frame, GridId::Output);
        ASSERT_TRUE(input && output);
        EXPECT_EQ(input->changed.row, row);
        EXPECT_EQ(input->changed.col, col);
        EXPECT_EQ(input->changed.rows * input->changed.cols, 1);
        EXPECT_EQ(output->changed.row, row - 2);
        EXPECT_EQ(output->changed.col, col - 2);
        EXPECT_EQ(output->changed.rows, 3);
        EXPECT_EQ(output->changed.cols, 3);
        EXPECT_EQ(output->changed_since.lock(), heatmap_of(shown, GridId::Output)->values);
        // The first swap copies each changed heatmap whole (no array from before yet); later
        // ones write this edit's and the last edit's cells (the same ones: once) into the
        // array from two back.
        if (k == 0) {
            EXPECT_EQ(work.arrays_reused, 0);
        } else {
            EXPECT_EQ(work.arrays_reused, 2);
            EXPECT_EQ(work.floats_written, 1 + 9);
        }
        // The numbers themselves: the engine's.
        EXPECT_EQ((*input->values)[static_cast<size_t>(row * 40 + col)], static_cast<float>(s.input(row, col)));
        EXPECT_EQ((*output->values)[static_cast<size_t>((row - 1) * output->cols + col - 1)],
                  static_cast<float>(r.output(row - 1, col - 1)));
        shown = draw_step(grids, Step{}, light_theme());
    }
    expect_as_fresh(grids, s, r, Focus{GridId::Output, {row - 1, col - 1}});
}

TEST(CanvasValuePatch, TheColourRangeFollowsTheLargestNumber) {
    std::mt19937 rng(14);
    Scene s = patch_scene(rng, 40, 3);
    LayerResults r = compute_layer(s);
    CanvasGrids grids = fresh_layout(s, r);
    auto range_of_input = [&] { return heatmap_of(grids.frame(), GridId::Input)->scale; };
    for (double v : {3.0, -4.0, 0.0, 0.0, 0.25}) {
        // Set the largest |value| (found here, independently) to v.
        Eigen::Index mr = 0, mc = 0;
        s.input.cwiseAbs().maxCoeff(&mr, &mc);
        s.input(mr, mc) = v;
        r = compute_layer(s);
        grids = with_new_values(std::move(grids), s, r);
        ASSERT_FALSE(grids.empty());
        double largest = 0;
        for (int i = 0; i < 40; ++i)
            for (int j = 0; j < 40; ++j) largest = std::max(largest, std::abs(s.input(i, j)));
        EXPECT_EQ(range_of_input(), largest) << "after setting the largest to " << v;
    }
}

TEST(CanvasValuePatch, GridsSharedElsewhereAreNeverWrittenInto) {
    // Copies of the grids held elsewhere (an export, a test) keep their numbers: the swap
    // copies then, from old grids that are not its alone.
    std::mt19937 rng(15);
    Scene s = patch_scene(rng, 40, 3);
    const LayerResults r0 = compute_layer(s);
    CanvasGrids grids = fresh_layout(s, r0);
    Scene edited = s;
    for (int k = 0; k < 4; ++k) {
        const Scene before = edited;
        const LayerResults rb = compute_layer(before);
        apply(Edit::Box, edited, rng);
        const LayerResults re = compute_layer(edited);
        const CanvasGrids kept = grids;  // shared: not the swap's to write into
        grids = with_new_values(std::move(grids), edited, re);
        ASSERT_FALSE(grids.empty());
        EXPECT_EQ(grids.impl().swap.arrays_reused, 0);
        expect_same_list(kept.frame(), fresh_layout(before, rb).frame());
        expect_as_fresh(grids, edited, re, Focus{GridId::GradInput, {3, 4}});
    }
}

}  // namespace
}  // namespace convlens
