// How long the window waits for a scene it just submitted (recompute_worker.h): a frame's
// budget for fast scenes, a little more than the last computation for slow ones, capped.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "recompute_worker.h"

namespace convlens {
namespace {

TEST(RecomputeWait, FastScenesWaitAFrameSlowOnesAboutTheirLastComputation) {
    EXPECT_EQ(recompute_wait(0), kRecomputeFrameBudget);      // nothing computed yet
    EXPECT_EQ(recompute_wait(0.002), kRecomputeFrameBudget);  // 512 x 512, 7 x 7
    EXPECT_DOUBLE_EQ(recompute_wait(0.020), 0.025);           // 1024 x 1024, 11 x 11
    EXPECT_GT(recompute_wait(0.020), 0.020);
    EXPECT_EQ(recompute_wait(0.5), kRecomputeLongestWait);    // never a long freeze
    EXPECT_EQ(recompute_wait(1e9), kRecomputeLongestWait);
}

TEST(RecomputeWait, TheWorkerTellsHowLongItsLastComputationTook) {
    RecomputeWorker worker;
    EXPECT_EQ(worker.last_compute_seconds(), 0);
    worker.compute = [](const Scene& s) {
        std::this_thread::sleep_for(std::chrono::milliseconds(30));  // at least this long
        return compute_layer(s);
    };
    Scene scene;
    scene.input = Matrix::Constant(4, 4, 1.0);
    scene.kernel = Matrix::Constant(2, 2, 1.0);
    worker.submit(scene);
    ASSERT_TRUE(worker.wait(kRecomputeUntilDone));
    ASSERT_TRUE(worker.take());
    EXPECT_GE(worker.last_compute_seconds(), 0.030);
}

}  // namespace
}  // namespace convlens
