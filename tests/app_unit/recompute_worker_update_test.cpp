// The window's engine thread updating recycled results: handed back with their scene, the
// next edit's numbers come from update_layer_into (counted by updates()) and still equal
// compute_layer's, edit after edit, although the results recycled are two edits old.
#include <cstring>
#include <optional>
#include <random>

#include <gtest/gtest.h>

#include "engine/layer_results.h"
#include "recompute_worker.h"

namespace convlens {
namespace {

bool same_bits_as(const Matrix& a, const Matrix& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(double) * std::size_t(a.size())) == 0;
}

// A 96x96 photograph-sized scene (the fast path: 94^2 * 9 products) with a target.
Scene worker_photograph() {
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> value(-1, 1);
    Scene s;
    s.input = Matrix::NullaryExpr(96, 96, [&] { return value(rng); });
    s.kernel = Matrix::NullaryExpr(3, 3, [&] { return value(rng); });
    s.target = Matrix::NullaryExpr(94, 94, [&] { return value(rng); });
    s.activation = Activation::Tanh;
    return s;
}

// The worker's answer to `scene`: submitted, waited for (a minute at most), taken.
std::optional<Recomputed> computed(RecomputeWorker& worker, const Scene& scene) {
    worker.submit(scene);
    if (!worker.wait(60)) return std::nullopt;
    return worker.take();
}

// What the window does with each result: show it, hand the one shown before back with its
// scene. Every result equals compute_layer of its scene; every computation but the first is
// an update (the first edit's from the copy the worker keeps of numbers computed from nothing).
TEST(RecomputeWorkerUpdate, EditsAfterARecycleAreUpdatesWithTheFullNumbers) {
    RecomputeWorker worker;
    Scene scene = worker_photograph();
    std::optional<Recomputed> shown = computed(worker, scene);
    ASSERT_TRUE(shown && shown->results);
    EXPECT_EQ(worker.updates(), 0u);
    constexpr int kEdits = 8;
    for (int k = 1; k <= kEdits; ++k) {
        SCOPED_TRACE("edit " + std::to_string(k));
        if (k % 3 == 0) scene.kernel(1, k % 3) += 0.25;
        else scene.input(10 * k, 90 - 7 * k) = 0.1 * k;
        std::optional<Recomputed> next = computed(worker, scene);
        ASSERT_TRUE(next && next->results);
        worker.recycle(std::move(*shown->results), std::move(shown->scene));
        shown = std::move(next);
        const LayerResults want = compute_layer(scene);
        const LayerResults& got = *shown->results;
        EXPECT_TRUE(same_bits_as(got.output, want.output));
        EXPECT_TRUE(same_bits_as(got.upstream, want.upstream));
        EXPECT_TRUE(same_bits_as(got.grad_input, want.grad_input));
        EXPECT_TRUE(same_bits_as(got.grad_kernel, want.grad_kernel));
        EXPECT_TRUE(same_bits_as(got.activated, want.activated));
        EXPECT_EQ(got.loss, want.loss);
        EXPECT_EQ(worker.updates(), std::uint64_t(k));
    }
}

// submit_copy writes the scene into the storage of the scene the last update started from,
// as the window submits each edit: no fresh megabytes on the UI thread, the same scene.
TEST(RecomputeWorkerUpdate, SubmitCopyWritesIntoTheSceneTheLastUpdateStartedFrom) {
    RecomputeWorker worker;
    Scene scene = worker_photograph();
    worker.submit_copy(scene);
    ASSERT_TRUE(worker.wait(60));
    std::optional<Recomputed> first = worker.take();
    ASSERT_TRUE(first && first->results);
    const double* storage = first->scene.input.data();
    worker.recycle(std::move(*first->results), std::move(first->scene));  // the update's start
    scene.input(3, 3) = 0.5;
    worker.submit_copy(scene);
    ASSERT_TRUE(worker.wait(60));
    std::optional<Recomputed> second = worker.take();
    ASSERT_TRUE(second && second->results);
    EXPECT_EQ(worker.updates(), 1u);
    EXPECT_NE(second->scene.input.data(), storage);  // the first scene was still in use
    scene.input(5, 5) = -0.5;
    // Had the first scene been freed, malloc would hand its block to this matrix of the same
    // size, not to the copy: an equal address below is the worker's reuse, not the allocator's.
    const Matrix blocker = Matrix::Zero(96, 96);
    worker.submit_copy(scene);
    ASSERT_TRUE(worker.wait(60));
    std::optional<Recomputed> third = worker.take();
    ASSERT_TRUE(third && third->results);
    EXPECT_EQ(third->scene.input.data(), storage);  // done with after the update: reused
    EXPECT_TRUE(third->scene == scene);
    EXPECT_TRUE(same_bits_as(third->results->grad_input, compute_layer(scene).grad_input));
    EXPECT_NE(blocker.data(), storage);
}

// Numbers computed from nothing leave a copy of themselves as the spare: the very first edit
// is an update, while the window still shows the first numbers (nothing recycled yet).
TEST(RecomputeWorkerUpdate, TheFirstEditIsAnUpdateToo) {
    RecomputeWorker worker;
    Scene scene = worker_photograph();
    std::optional<Recomputed> first = computed(worker, scene);
    ASSERT_TRUE(first && first->results);
    scene.input(50, 60) = 0.25;
    std::optional<Recomputed> second = computed(worker, scene);
    ASSERT_TRUE(second && second->results);
    EXPECT_EQ(worker.updates(), 1u);
    EXPECT_TRUE(same_bits_as(second->results->grad_input, compute_layer(scene).grad_input));
    EXPECT_TRUE(same_bits_as(second->results->output, compute_layer(scene).output));
    // The first numbers the window shows are its own, not the spare's storage.
    EXPECT_NE(first->results->output.data(), second->results->output.data());
    EXPECT_TRUE(same_bits_as(first->results->output, compute_layer(worker_photograph()).output));
}

// A result replaced before the window took it serves the next computation with its scene:
// the scene two submits back, updated to the newest.
TEST(RecomputeWorkerUpdate, AResultNeverTakenIsUpdatedToTheNextScene) {
    RecomputeWorker worker;
    Scene scene = worker_photograph();
    worker.submit(scene);
    ASSERT_TRUE(worker.wait(60));  // finished, not taken
    scene.input(30, 40) = 0.75;
    // Updated from the copy kept of the first numbers; replaces the untaken result, whose
    // numbers become the spare.
    worker.submit(scene);
    ASSERT_TRUE(worker.wait(60));
    EXPECT_EQ(worker.updates(), 1u);
    scene.input(33, 44) = -0.5;
    scene.kernel(2, 0) = 0.5;
    EXPECT_EQ(worker.submit(scene), 3u);
    ASSERT_TRUE(worker.wait(60));
    EXPECT_EQ(worker.updates(), 2u);
    std::optional<Recomputed> r = worker.take();
    ASSERT_TRUE(r && r->results);
    EXPECT_EQ(r->generation, 3u);
    const LayerResults want = compute_layer(scene);
    EXPECT_TRUE(same_bits_as(r->results->output, want.output));
    EXPECT_TRUE(same_bits_as(r->results->grad_input, want.grad_input));
    EXPECT_TRUE(same_bits_as(r->results->grad_kernel, want.grad_kernel));
    EXPECT_EQ(r->results->loss, want.loss);
}

// Results recycled without their scene (or of a scene the update cannot take over) are
// only storage: a full computation, not an update.
TEST(RecomputeWorkerUpdate, WithoutTheSceneTheResultsAreOnlyStorage) {
    RecomputeWorker worker;
    Scene scene = worker_photograph();
    std::optional<Recomputed> first = computed(worker, scene);
    ASSERT_TRUE(first && first->results);
    worker.recycle(std::move(*first->results));
    scene.input(4, 4) = 0.5;
    std::optional<Recomputed> second = computed(worker, scene);
    ASSERT_TRUE(second && second->results);
    EXPECT_EQ(worker.updates(), 0u);
    EXPECT_TRUE(same_bits_as(second->results->grad_input, compute_layer(scene).grad_input));
    // A new activation: the update refuses, the full pass computes.
    worker.recycle(std::move(*second->results), second->scene);
    scene.activation = Activation::Sigmoid;
    std::optional<Recomputed> third = computed(worker, scene);
    ASSERT_TRUE(third && third->results);
    EXPECT_EQ(worker.updates(), 0u);
    EXPECT_TRUE(same_bits_as(third->results->activated, compute_layer(scene).activated));
    // A bad edit arrives as compute_layer's error, not as numbers.
    worker.recycle(std::move(*third->results), third->scene);
    Scene bad = scene;
    bad.input(7, 7) = NAN;
    std::string want;
    try {
        compute_layer(bad);
    } catch (const InputError& e) {
        want = e.what();
    }
    std::optional<Recomputed> fourth = computed(worker, bad);
    ASSERT_TRUE(fourth);
    EXPECT_FALSE(fourth->results);
    EXPECT_EQ(fourth->error, want);
}

}  // namespace
}  // namespace convlens
