// The autosave's saver thread without a window: the newest scene handed over wins, the file
// on disk is always one whole scene that was handed over, the last one is written on exit
// (flush and the destructor), a failed write is reported while the saver goes on, and
// submit_if_idle never has the saver hold a second copy.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "marked_scene.h"
#include "test_gate.h"

#include "autosave_writer.h"
#include "scene/scene_json.h"
#include "scratch_dir.h"

namespace convlens {
namespace {

using test_support::ScratchDir;

using test_support::marked_scene;  // a scene told apart by its corner (marked_scene.h)

using test_support::Gate;  // the fake write waits at it until the test opens it

// A saver whose writes wait at a gate and record each scene's corner instead of a file.
struct GatedWriter {
    Gate gate;
    std::mutex mutex;
    std::vector<double> written;
    AutosaveWriter writer;
    GatedWriter() {
        writer.write = [this](const Scene& scene, const std::string&) {
            gate.pass();
            std::lock_guard<std::mutex> lock(mutex);
            written.push_back(scene.input(0, 0));
        };
    }
};

TEST(AutosaveWriter, ScenesSubmittedDuringAWriteAreSkippedButTheNewest) {
    GatedWriter saver;
    Gate& gate = saver.gate;
    AutosaveWriter& writer = saver.writer;
    const std::vector<double>& written = saver.written;
    writer.submit(marked_scene(1), "a.json");
    gate.wait_entered(1);  // the first write is under way
    for (int k = 2; k <= 6; ++k) writer.submit(marked_scene(k), "a.json");
    EXPECT_TRUE(writer.busy());
    gate.release();
    writer.flush();
    EXPECT_FALSE(writer.busy());
    EXPECT_EQ(written, (std::vector<double>{1, 6}));  // 2..5 replaced while waiting
    const auto outcome = writer.take();
    ASSERT_TRUE(outcome.has_value());
    EXPECT_TRUE(outcome->ok);
    EXPECT_EQ(outcome->generation, 6u);
    EXPECT_FALSE(writer.take().has_value());  // handed out once
}

TEST(AutosaveWriter, TheFileIsAlwaysOneOfTheSubmittedScenes) {
    ScratchDir dir("convlens-autosave");
    const std::string path = dir / "autosave.json";
    constexpr int kScenes = 40;
    std::vector<Scene> submitted;
    for (int k = 0; k < kScenes; ++k) submitted.push_back(marked_scene(k + 0.5, 60));
    AutosaveWriter writer;
    std::atomic<bool> done{false};
    int reads = 0;
    std::thread reader([&] {
        do {
            if (!std::filesystem::exists(path)) continue;
            const Scene read = load_scene(path);  // throws (fails the test) on a partial file
            bool known = false;
            for (const Scene& s : submitted) known = known || s == read;
            EXPECT_TRUE(known) << "the autosave holds a scene never submitted";
            ++reads;
        } while (!done.load());
    });
    for (const Scene& s : submitted) {
        writer.submit(s, path);
        std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
    writer.flush();
    done = true;
    reader.join();
    EXPECT_GT(reads, 0);
    EXPECT_TRUE(load_scene(path) == submitted.back());  // the newest, once all is written
}

TEST(AutosaveWriter, TheDestructorWritesTheSceneStillWaiting) {
    ScratchDir dir("convlens-autosave");
    const std::string path = dir / "sub/autosave.json";  // the folder is made on the way
    Gate gate;
    {
        AutosaveWriter writer;
        writer.write = [&](const Scene& scene, const std::string& to) {
            if (scene.input(0, 0) == 1) gate.pass();  // the first write is slow
            std::filesystem::create_directories(std::filesystem::path(to).parent_path());
            save_scene(scene, to);
        };
        writer.submit(marked_scene(1), path);
        gate.wait_entered(1);
        writer.submit(marked_scene(2), path);  // waits behind the slow write
        gate.release();
    }  // the window closes: the last edit must still reach the disk
    EXPECT_TRUE(load_scene(path) == marked_scene(2));
}

TEST(AutosaveWriter, TheDefaultWriteMakesTheFolderAndWritesTheScene) {
    ScratchDir dir("convlens-autosave");
    const std::string path = dir / "config/convlens/autosave.json";
    AutosaveWriter writer;
    writer.submit(marked_scene(-3.25, 7), path);
    writer.flush();
    const auto outcome = writer.take();
    ASSERT_TRUE(outcome.has_value());
    EXPECT_TRUE(outcome->ok) << outcome->error;
    EXPECT_TRUE(load_scene(path) == marked_scene(-3.25, 7));
}

TEST(AutosaveWriter, AFailedWriteIsReportedAndTheNextOneStillRuns) {
    ScratchDir dir("convlens-autosave");
    // A folder where the file should be: the rename over it fails, even for root.
    const std::string blocked = dir / "autosave.json";
    std::filesystem::create_directories(blocked);
    const std::string path = dir / "autosave-2.json";
    std::atomic<int> finished{0};
    AutosaveWriter writer([&] { ++finished; });
    writer.submit(marked_scene(1), blocked);
    writer.flush();
    auto outcome = writer.take();
    ASSERT_TRUE(outcome.has_value());
    EXPECT_EQ(outcome->generation, 1u);
    EXPECT_FALSE(outcome->ok);
    EXPECT_NE(outcome->error.find("autosave.json"), std::string::npos) << outcome->error;
    EXPECT_TRUE(std::filesystem::is_directory(blocked));  // nothing replaced it
    // The window tries again: the saver thread is still there and writes.
    writer.submit(marked_scene(2), path);
    writer.flush();
    outcome = writer.take();
    ASSERT_TRUE(outcome.has_value());
    EXPECT_TRUE(outcome->ok) << outcome->error;
    EXPECT_TRUE(load_scene(path) == marked_scene(2));
    // The wake-up runs just after the write is counted as done: give it a moment.
    for (int k = 0; k < 2000 && finished.load() < 2; ++k) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_EQ(finished.load(), 2);
    // No temporaries left beside either file.
    EXPECT_EQ(dir.names(), (std::vector<std::string>{"autosave-2.json", "autosave.json"}));
}

// The window's autosave holds one copy of the scene at a time: submit_if_idle copies and
// queues only when the saver has nothing waiting or under way, so a megapixel scene is never
// held twice by the saver; the newest scene still reaches the file once the write ends.
TEST(AutosaveOneCopy, NothingIsCopiedWhileAWriteIsUnderWayAndTheNewestFollowsIt) {
    GatedWriter saver;
    Gate& gate = saver.gate;
    AutosaveWriter& writer = saver.writer;
    const std::optional<std::uint64_t> first = writer.submit_if_idle(marked_scene(1), "a.json");
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(*first, 1u);
    gate.wait_entered(1);  // the first write is under way
    for (int k = 2; k <= 4; ++k)
        EXPECT_FALSE(writer.submit_if_idle(marked_scene(k), "a.json").has_value())
            << "no second copy while the saver is busy";
    gate.release();
    writer.flush();
    const std::optional<std::uint64_t> newest = writer.submit_if_idle(marked_scene(4), "a.json");
    ASSERT_TRUE(newest.has_value()) << "idle again once the write ended";
    EXPECT_EQ(*newest, 2u) << "the refused ones were never submitted";
    writer.flush();
    EXPECT_EQ(saver.written, (std::vector<double>{1, 4}));
    const auto outcome = writer.take();
    ASSERT_TRUE(outcome.has_value());
    EXPECT_EQ(outcome->generation, 2u);
}

}  // namespace
}  // namespace convlens
