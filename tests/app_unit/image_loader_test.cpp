// The window's image loader without a window: pixels decoded off the calling thread equal
// the grey levels written into the file, a drop larger than the input cap is scaled to fit,
// errors name the file, and only the newest request's result is ever handed out.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "test_gate.h"

#include "image_loader.h"
#include "scratch_dir.h"
#include "unit/test_images.h"

namespace convlens {
namespace {

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

std::optional<LoadedRequest> take_within(ImageLoader& loader, double seconds) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < until) {
        if (auto r = loader.take()) return r;
        loader.wait(0.05);
    }
    return std::nullopt;
}

TEST(ImageLoader, PixelsAreTheGreyLevelsOfTheFileInTheAskedRange) {
    test_support::ScratchDir dir("convlens-loader");
    const std::vector<int> levels = {0, 51, 102, 153, 204, 255};  // 2 rows, 3 columns
    const std::string path = dir / "levels.png";
    write_file(path, test_images::grey_png(2, 3, levels));
    std::atomic<int> finished{0};
    ImageLoader loader([&] { ++finished; });
    ImageRequest r;
    r.path = path;
    r.low = -1;
    r.high = 1;
    EXPECT_EQ(loader.request(r), 1u);
    EXPECT_TRUE(loader.busy());
    const auto done = take_within(loader, 10);
    ASSERT_TRUE(done);
    ASSERT_TRUE(done->image) << done->error;
    EXPECT_EQ(done->generation, 1u);
    EXPECT_FALSE(loader.busy());
    // The callback (the window's wake-up) runs once the result is there, maybe just after.
    for (int i = 0; i < 500 && finished.load() < 1; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_EQ(finished.load(), 1);
    const Matrix& m = done->image->pixels;
    ASSERT_EQ(m.rows(), 2);
    ASSERT_EQ(m.cols(), 3);
    for (int k = 0; k < 6; ++k)  // level / 255 mapped onto [-1, 1]
        EXPECT_NEAR(m(k / 3, k % 3), -1 + 2 * levels[static_cast<std::size_t>(k)] / 255.0, 1e-12) << k;
}

TEST(ImageLoader, ADropLargerThanTheCapIsScaledToFitAndASmallOneKeepsItsSize) {
    test_support::ScratchDir dir("convlens-loader");
    // 1100 x 550 of one grey: scaled by 1024/1100, so 1024 x 512 (550 * 0.9309 = 512.0).
    const std::string big = dir / "big.png";
    write_file(big, test_images::grey_png(1100, 550, std::vector<int>(1100 * 550, 51)));
    const std::string small = dir / "small.png";
    write_file(small, test_images::grey_png(3, 4, std::vector<int>(12, 255)));
    ImageLoader loader;
    ImageRequest r;
    r.path = big;
    r.fit = true;
    loader.request(r);
    auto done = take_within(loader, 30);
    ASSERT_TRUE(done && done->image) << (done ? done->error : "nothing");
    EXPECT_EQ(done->image->pixels.rows(), 1024);
    EXPECT_EQ(done->image->pixels.cols(), 512);
    // A flat grey stays flat (the resize works in single precision).
    EXPECT_NEAR(done->image->pixels(700, 300), 51 / 255.0, 1e-6);
    r.path = small;
    loader.request(r);
    done = take_within(loader, 10);
    ASSERT_TRUE(done && done->image);
    EXPECT_EQ(done->image->pixels.rows(), 3);
    EXPECT_EQ(done->image->pixels.cols(), 4);
}

TEST(ImageLoader, ABadFileIsOneErrorNamingIt) {
    test_support::ScratchDir dir("convlens-loader");
    const std::string fake = dir / "fake.png";
    write_file(fake, "this is not a PNG");
    const std::string missing = dir / "missing.png";
    ImageLoader loader;
    for (const std::string& path : {fake, missing}) {
        ImageRequest r;
        r.path = path;
        r.fit = true;
        loader.request(r);
        const auto done = take_within(loader, 10);
        ASSERT_TRUE(done);
        EXPECT_FALSE(done->image);
        EXPECT_NE(done->error.find(path), std::string::npos) << done->error;
    }
}

using test_support::Gate;  // the fake decode waits at it until the test opens it

TEST(ImageLoader, TheNewestRequestWinsAndAnOlderResultIsNeverHandedOut) {
    Gate gate;
    ImageLoader loader;
    loader.load = [&](const ImageRequest& r) {
        gate.pass();
        LoadedImage image;
        image.pixels = Matrix::Constant(1, 1, r.low);  // says which request it was
        return image;
    };
    ImageRequest r;
    r.path = "first.png";
    r.low = 1;
    loader.request(r);
    while (gate.entered.load() < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // The first decodes; two more arrive meanwhile: the second is skipped, never loaded.
    r.path = "second.png";
    r.low = 2;
    loader.request(r);
    r.path = "third.png";
    r.low = 3;
    EXPECT_EQ(loader.request(r), 3u);
    EXPECT_FALSE(loader.take());  // nothing is finished yet
    EXPECT_TRUE(loader.busy());
    gate.release();
    const auto done = take_within(loader, 10);
    ASSERT_TRUE(done && done->image);
    EXPECT_EQ(done->generation, 3u);
    EXPECT_EQ(done->request.path, "third.png");
    EXPECT_EQ(done->image->pixels(0, 0), 3);
    EXPECT_EQ(gate.entered.load(), 2);  // the first and the third; the second was skipped
    EXPECT_FALSE(loader.busy());
    EXPECT_FALSE(loader.take());  // handed out once
}

}  // namespace
}  // namespace convlens
