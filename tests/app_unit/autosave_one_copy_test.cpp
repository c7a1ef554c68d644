// The window's autosave holds one copy of the scene at a time: submit_if_idle copies and
// queues only when the saver has nothing waiting or under way, so a megapixel scene is never
// held twice by the saver; the newest scene still reaches the file once the write ends.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "test_gate.h"

#include "autosave_writer.h"

namespace convlens {
namespace {

using test_support::Gate;  // the fake write waits at it until the test opens it

Scene scene_with(double corner) {
    Scene s;
    s.input = Matrix::Constant(4, 4, 0.25);
    s.input(0, 0) = corner;
    s.kernel = Matrix::Constant(3, 3, 1.0);
    return s;
}

TEST(AutosaveOneCopy, NothingIsCopiedWhileAWriteIsUnderWayAndTheNewestFollowsIt) {
    Gate gate;
    std::mutex mutex;
    std::vector<double> written;
    AutosaveWriter writer;
    writer.write = [&](const Scene& scene, const std::string&) {
        gate.pass();
        std::lock_guard<std::mutex> lock(mutex);
        written.push_back(scene.input(0, 0));
    };
    const std::optional<std::uint64_t> first = writer.submit_if_idle(scene_with(1), "a.json");
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(*first, 1u);
    gate.wait_entered(1);  // the first write is under way
    for (int k = 2; k <= 4; ++k)
        EXPECT_FALSE(writer.submit_if_idle(scene_with(k), "a.json").has_value())
            << "no second copy while the saver is busy";
    gate.release();
    writer.flush();
    const std::optional<std::uint64_t> newest = writer.submit_if_idle(scene_with(4), "a.json");
    ASSERT_TRUE(newest.has_value()) << "idle again once the write ended";
    EXPECT_EQ(*newest, 2u) << "the refused ones were never submitted";
    writer.flush();
    EXPECT_EQ(written, (std::vector<double>{1, 4}));
    const auto outcome = writer.take();
    ASSERT_TRUE(outcome.has_value());
    EXPECT_EQ(outcome->generation, 2u);
}

}  // namespace
}  // namespace convlens
