// The hover view laid out on the engine thread: the worker runs the submit's `prepare` after
// computing, the hover canvas takes those grids instead of laying out, and what it draws is
// what layout_layer draws; grids laid out for another theme, selection or result are not used.
#include <optional>
#include <stdexcept>

#include <gtest/gtest.h>

#include "canvas/layer_layout.h"
#include "engine/layer_results.h"
#include "hover_canvas.h"
#include "lesson/influence_focus.h"
#include "recompute_worker.h"

namespace convlens {
namespace {

Scene scene_with(double corner, int size) {
    Scene s;
    s.input = Matrix::Constant(size, size, 0.5);
    s.input(0, 0) = corner;
    s.kernel = Matrix::Constant(3, 3, 1.0);
    s.kernel(1, 2) = -2;
    return s;
}

void expect_same_drawing(const DisplayList& mine, const DisplayList& theirs) {
    EXPECT_EQ(mine.width, theirs.width);
    EXPECT_EQ(mine.height, theirs.height);
    ASSERT_EQ(mine.items.size(), theirs.items.size());
    for (std::size_t k = 0; k < mine.items.size(); ++k)
        EXPECT_EQ(mine.items[k].index(), theirs.items[k].index()) << "item " << k;
    ASSERT_EQ(mine.grids.size(), theirs.grids.size());
    for (std::size_t k = 0; k < mine.grids.size(); ++k) {
        EXPECT_EQ(mine.grids[k].cells.x, theirs.grids[k].cells.x);
        EXPECT_EQ(mine.grids[k].cells.y, theirs.grids[k].cells.y);
    }
}

// A result from the worker with its hover grids laid out on the worker thread.
Recomputed computed_with_grids(const Scene& scene, const Theme& theme, const LayoutOptions& options) {
    RecomputeWorker worker;
    worker.submit(scene, [&](Recomputed& r) { r.hover = lay_out_hover_grids(r.scene, *r.results, theme, options); });
    EXPECT_TRUE(worker.wait(60));
    std::optional<Recomputed> r = worker.take();
    EXPECT_TRUE(r && r->results && r->hover);
    return std::move(*r);
}

TEST(HoverGridsPrepared, TheWorkerLaysOutAndTheCanvasDrawsWhatLayoutLayerDraws) {
    // 40 x 40: numbers in cells for z^l, z^{l+1} and delta^l; the heatmap path is the same code.
    const Scene scene = scene_with(2, 40);
    const Theme theme = light_theme();
    const LayoutOptions options = window_layout_options();
    Recomputed r = computed_with_grids(scene, theme, options);
    // The numbers are the engine's own for this scene.
    const LayerResults reference = compute_layer(scene);
    EXPECT_TRUE(r.results->output.isApprox(reference.output));
    HoverCanvas hover;
    hover.offer(std::move(*r.hover), 7);
    for (const Focus& f : {Focus{GridId::Input, {3, 4}}, Focus{GridId::Output, {10, 2}}}) {
        const InfluenceView view = influence_view(scene, reference, f);
        expect_same_drawing(hover.draw(r.scene, *r.results, 7, view, theme, options),
                            layout_layer(scene, reference, view, theme, options));
    }
    EXPECT_EQ(hover.layouts(), 0);  // the UI thread laid nothing out
    EXPECT_EQ(hover.adopted(), 1);
}

TEST(HoverGridsPrepared, GridsForAnotherThemeSelectionOrResultAreNotUsed) {
    const Scene scene = scene_with(-1, 12);
    const LayerResults results = compute_layer(scene);
    const Theme theme = light_theme();
    const LayoutOptions options = window_layout_options();
    const InfluenceView view = influence_view(scene, results, Focus{GridId::Input, {1, 1}});
    HoverCanvas hover;
    // Laid out with the light theme, drawn with the dark one: laid out anew, in the dark one.
    hover.offer(lay_out_hover_grids(scene, results, theme, options), 1);
    expect_same_drawing(hover.draw(scene, results, 1, view, dark_theme(), options),
                        layout_layer(scene, results, view, dark_theme(), options));
    EXPECT_EQ(hover.layouts(), 1);
    EXPECT_EQ(hover.adopted(), 0);
    // Laid out without the selection the window now has.
    LayoutOptions selected = options;
    selected.selected_input = Cell{2, 3};
    hover.offer(lay_out_hover_grids(scene, results, theme, options), 2);
    hover.draw(scene, results, 2, view, theme, selected);
    EXPECT_EQ(hover.layouts(), 2);
    // Offered for results the window no longer shows (serial 3), drawn for serial 4.
    hover.offer(lay_out_hover_grids(scene, results, theme, selected), 3);
    hover.draw(scene, results, 4, view, theme, selected);
    EXPECT_EQ(hover.layouts(), 3);
    EXPECT_EQ(hover.adopted(), 0);
    // And matching ones are taken.
    hover.offer(lay_out_hover_grids(scene, results, theme, selected), 5);
    expect_same_drawing(hover.draw(scene, results, 5, view, theme, selected),
                        layout_layer(scene, results, view, theme, selected));
    EXPECT_EQ(hover.layouts(), 3);
    EXPECT_EQ(hover.adopted(), 1);
}

TEST(HoverGridsPrepared, AFailingPrepareLeavesTheNumbersAndNoGrids) {
    RecomputeWorker worker;
    const Scene scene = scene_with(3, 6);
    worker.submit(scene, [](Recomputed& r) {
        r.hover = HoverGrids{};
        throw std::runtime_error("no fonts");
    });
    ASSERT_TRUE(worker.wait(60));
    const std::optional<Recomputed> r = worker.take();
    ASSERT_TRUE(r && r->results);
    EXPECT_TRUE(r->error.empty());
    EXPECT_FALSE(r->hover);
    EXPECT_TRUE(r->results->output.isApprox(compute_layer(scene).output));
}

TEST(HoverGridsPrepared, NoPrepareAfterAFailedComputation) {
    RecomputeWorker worker;
    worker.compute = [](const Scene&) -> LayerResults { throw InputError("kernel: too large"); };
    bool prepared = false;
    worker.submit(scene_with(1, 5), [&](Recomputed&) { prepared = true; });
    ASSERT_TRUE(worker.wait(60));
    const std::optional<Recomputed> r = worker.take();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->error, "kernel: too large");
    EXPECT_FALSE(prepared);
}

}  // namespace
}  // namespace convlens
