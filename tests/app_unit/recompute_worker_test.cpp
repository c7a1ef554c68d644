// The window's engine thread and its hover canvas, without a window: the newest edit wins,
// a result older than one already shown never comes back, errors arrive as results; the
// hover view lays its grids out once per result and equals layout_layer.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "marked_scene.h"
#include "test_gate.h"

#include "canvas/layer_layout.h"
#include "engine/layer_results.h"
#include "hover_canvas.h"
#include "lesson/influence_focus.h"
#include "recompute_worker.h"

namespace convlens {
namespace {

using test_support::marked_scene;  // a scene told apart by its corner (marked_scene.h)

using test_support::Gate;  // the fake engine waits at it until the test opens it

TEST(RecomputeWorker, TheNewestEditWinsAndTheOnesBetweenAreSkipped) {
    Gate gate;
    std::mutex seen_mutex;
    std::vector<double> computed;  // the corner value of every scene the engine ran on
    std::atomic<int> finished{0};
    RecomputeWorker worker([&] { ++finished; });
    worker.compute = [&](const Scene& s) {
        {
            std::lock_guard<std::mutex> lock(seen_mutex);
            computed.push_back(s.input(0, 0));
        }
        gate.pass();
        return compute_layer(s);
    };
    EXPECT_EQ(worker.submit(marked_scene(1)), 1u);
    while (gate.entered < 1) std::this_thread::yield();  // the worker is on scene 1
    EXPECT_EQ(worker.submit(marked_scene(2)), 2u);
    EXPECT_EQ(worker.submit(marked_scene(3)), 3u);  // replaces 2 before it was started
    EXPECT_TRUE(worker.busy());
    EXPECT_FALSE(worker.wait(0.05));              // the gate holds scene 1
    gate.release();
    ASSERT_TRUE(worker.wait(10));
    std::optional<Recomputed> r = worker.take();
    ASSERT_TRUE(r);
    // Scene 1's result was replaced by scene 3's before it was taken: only the newest.
    EXPECT_EQ(r->generation, 3u);
    ASSERT_TRUE(r->results);
    EXPECT_EQ(r->scene.input(0, 0), 3);
    // The numbers are those of the scene they come with: z^{l+1}_{1,1} = 3 + 8 * 0.5.
    EXPECT_DOUBLE_EQ(r->results->output(0, 0), 7.0);
    EXPECT_FALSE(worker.busy());
    EXPECT_FALSE(worker.take());
    std::lock_guard<std::mutex> lock(seen_mutex);
    EXPECT_EQ(computed, (std::vector<double>{1, 3}));
    // The wake-up call runs after the result is handed over: give it a moment.
    for (int k = 0; k < 1000 && finished < 2; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(finished, 2);
}

TEST(RecomputeWorker, AResultTakenIsNeverFollowedByAnOlderOne) {
    RecomputeWorker worker;
    for (int k = 1; k <= 20; ++k) worker.submit(marked_scene(k));
    std::uint64_t last = 0;
    double corner = 0;
    // Take as results come, while more edits arrive.
    for (int k = 21; k <= 40 || worker.busy(); ++k) {
        if (k <= 40) worker.submit(marked_scene(k));
        worker.wait(0.01);
        if (std::optional<Recomputed> r = worker.take()) {
            EXPECT_GT(r->generation, last);
            last = r->generation;
            corner = r->scene.input(0, 0);
            ASSERT_TRUE(r->results);
            EXPECT_DOUBLE_EQ(r->results->output(0, 0), corner + 4.0);
        }
    }
    EXPECT_EQ(last, 40u);
    EXPECT_EQ(corner, 40);
}

// Results handed back are written into by the next computation (the same storage), and
// carry the new scene's numbers, not the old ones.
TEST(RecomputeWorker, RecycledResultsAreReusedAndHoldTheNewNumbers) {
    RecomputeWorker worker;
    worker.submit(marked_scene(1, 300));
    ASSERT_TRUE(worker.wait(30));
    std::optional<Recomputed> first = worker.take();
    ASSERT_TRUE(first && first->results);
    const double* output = first->results->output.data();
    const double* grad_input = first->results->grad_input.data();
    worker.recycle(std::move(*first->results));
    worker.submit(marked_scene(9, 300));
    ASSERT_TRUE(worker.wait(30));
    std::optional<Recomputed> second = worker.take();
    ASSERT_TRUE(second && second->results);
    EXPECT_EQ(second->results->output.data(), output);
    EXPECT_EQ(second->results->grad_input.data(), grad_input);
    // z^{l+1}_{1,1} = 9 + 8 * 0.5; every other output 9 * 0.5; J = sum z.
    EXPECT_DOUBLE_EQ(second->results->output(0, 0), 13.0);
    EXPECT_DOUBLE_EQ(second->results->output(5, 5), 4.5);
    EXPECT_DOUBLE_EQ(*second->results->loss, 13.0 + (298.0 * 298.0 - 1) * 4.5);
    // delta^l of J = sum z with an all-ones kernel: how many outputs read the element.
    EXPECT_DOUBLE_EQ(second->results->grad_input(0, 0), 1.0);
    EXPECT_DOUBLE_EQ(second->results->grad_input(150, 150), 9.0);
}

TEST(RecomputeWorker, AnEngineErrorArrivesAsAResult) {
    RecomputeWorker worker;
    worker.compute = [](const Scene&) -> LayerResults { throw InputError("kernel: too large"); };
    worker.submit(marked_scene(1));
    ASSERT_TRUE(worker.wait(10));
    const std::optional<Recomputed> r = worker.take();
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->results);
    EXPECT_EQ(r->error, "kernel: too large");
}

TEST(HoverCanvas, LaysOutOncePerResultAndDrawsWhatLayoutLayerDraws) {
    const Scene scene = marked_scene(2, 40);
    const LayerResults results = compute_layer(scene);
    const Theme theme = light_theme();
    const LayoutOptions options = window_layout_options();
    HoverCanvas hover;
    for (const Focus& f : {Focus{GridId::Input, {3, 4}}, Focus{GridId::Output, {10, 2}},
                           Focus{GridId::Kernel, {1, 1}}}) {
        const InfluenceView view = influence_view(scene, results, f);
        const DisplayList mine = hover.draw(scene, results, 1, view, theme, options);
        const DisplayList theirs = layout_layer(scene, results, view, theme, options);
        EXPECT_EQ(mine.items.size(), theirs.items.size());
        EXPECT_EQ(mine.width, theirs.width);
        EXPECT_EQ(mine.height, theirs.height);
        ASSERT_EQ(mine.grids.size(), theirs.grids.size());
        for (std::size_t k = 0; k < mine.grids.size(); ++k) EXPECT_EQ(mine.grids[k].cells.x, theirs.grids[k].cells.x);
        for (std::size_t k = 0; k < mine.items.size(); ++k)
            EXPECT_EQ(mine.items[k].index(), theirs.items[k].index()) << "item " << k;
    }
    EXPECT_EQ(hover.layouts(), 1);
    // New results of the same shapes keep the layout (hover_canvas_test.cpp); another theme,
    // another selection: laid out anew.
    hover.draw(scene, results, 2, influence_view(scene, results, std::nullopt), theme, options);
    EXPECT_EQ(hover.layouts(), 1);
    EXPECT_EQ(hover.value_swaps(), 1);
    hover.draw(scene, results, 2, influence_view(scene, results, std::nullopt), dark_theme(), options);
    EXPECT_EQ(hover.layouts(), 2);
    LayoutOptions selected = options;
    selected.selected_input = Cell{1, 1};
    hover.draw(scene, results, 2, influence_view(scene, results, std::nullopt), dark_theme(), selected);
    EXPECT_EQ(hover.layouts(), 3);
}

}  // namespace
}  // namespace convlens
