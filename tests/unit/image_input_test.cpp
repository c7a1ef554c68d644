// Images as z^l: grey levels of hand-written PNGs against the luminance formula worked by
// hand, resizing against block means, the scene file's image input, the reference kept
// on save, and one clear error naming the file for every kind of bad image.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <unistd.h>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include "engine/layer_results.h"
#include "scene/image_input.h"
#include "scene/scene.h"
#include "scene/scene_json.h"
#include "scratch_dir.h"
#include "test_images.h"

namespace convlens {
namespace {

namespace fs = std::filesystem;
using test_images::grey_png;
using test_images::png;

using TempDir = test_support::ScratchDir;  // a scratch folder for each test

std::string error_of(const auto& action) {
    try {
        action();
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

void expect_contains(const std::string& text, const std::vector<std::string>& parts) {
    for (const std::string& part : parts)
        EXPECT_NE(text.find(part), std::string::npos) << "'" << part << "' not in: " << text;
    EXPECT_EQ(text.find('\n'), std::string::npos) << "one line: " << text;
}

// --- grey levels -------------------------------------------------------------------

TEST(ImageDecode, GreyLevelsAreTheStoredLevelsOver255) {
    const Matrix m = decode_image(grey_png(2, 3, {0, 51, 255, 128, 1, 254}), "g.png");
    ASSERT_EQ(m.rows(), 2);
    ASSERT_EQ(m.cols(), 3);
    const double expected[2][3] = {{0, 0.2, 1}, {128 / 255.0, 1 / 255.0, 254 / 255.0}};
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 3; ++c) EXPECT_DOUBLE_EQ(m(r, c), expected[r][c]) << r << "," << c;
}

// Y = 0.299 R + 0.587 G + 0.114 B, worked by hand: (255, 0, 0) -> 0.299,
// (10, 20, 30) -> (2.99 + 11.74 + 3.42) / 255 = 18.15 / 255.
TEST(ImageDecode, ColourBecomesLuminance) {
    const Matrix m = decode_image(
        png(1, 5, 2, 8, {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 255, 255, 255}), "c.png");
    EXPECT_NEAR(m(0, 0), 0.299, 1e-12);
    EXPECT_NEAR(m(0, 1), 0.587, 1e-12);
    EXPECT_NEAR(m(0, 2), 0.114, 1e-12);
    EXPECT_NEAR(m(0, 3), 18.15 / 255, 1e-12);
    EXPECT_EQ(m(0, 4), 1.0) << "white is exactly the top of the range";
}

TEST(ImageDecode, AlphaIsIgnored) {
    const Matrix grey_alpha = decode_image(png(1, 2, 4, 8, {100, 0, 100, 255}), "ga.png");
    EXPECT_DOUBLE_EQ(grey_alpha(0, 0), 100 / 255.0);
    EXPECT_DOUBLE_EQ(grey_alpha(0, 1), 100 / 255.0);
    const Matrix rgba = decode_image(png(1, 1, 6, 8, {255, 0, 0, 7}), "rgba.png");
    EXPECT_NEAR(rgba(0, 0), 0.299, 1e-12);
}

TEST(ImageDecode, SixteenBitLevelsKeepTheirPrecision) {
    const Matrix m = decode_image(png(1, 3, 0, 16, {0, 32768, 65535}), "16.png");
    EXPECT_EQ(m(0, 0), 0.0);
    EXPECT_DOUBLE_EQ(m(0, 1), 32768 / 65535.0);
    EXPECT_EQ(m(0, 2), 1.0);
}

TEST(ImageDecode, RangeMapsBlackAndWhiteToItsEnds) {
    const std::string bytes = grey_png(1, 3, {0, 51, 255});
    const Matrix m = decode_image(bytes, "r.png", std::nullopt, -1, 1);
    EXPECT_EQ(m(0, 0), -1.0);
    EXPECT_DOUBLE_EQ(m(0, 1), -1 + 2 * 0.2);
    EXPECT_EQ(m(0, 2), 1.0);
    const Matrix k = decode_image(bytes, "r.png", std::nullopt, 10, 20);
    EXPECT_DOUBLE_EQ(k(0, 1), 12.0);
}

TEST(ImageDecode, JpegOfOneGreyDecodesNearThatGrey) {
    std::vector<unsigned char> pixels(16 * 16, 100);
    std::string jpeg;
    const auto sink = [](void* context, void* data, int size) {
        static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                                   static_cast<std::size_t>(size));
    };
    ASSERT_TRUE(stbi_write_jpg_to_func(sink, &jpeg, 16, 16, 1, pixels.data(), 100));
    const Matrix m = decode_image(jpeg, "grey.jpg");
    ASSERT_EQ(m.rows(), 16);
    ASSERT_EQ(m.cols(), 16);
    EXPECT_LE((m.array() - 100 / 255.0).abs().maxCoeff(), 2 / 255.0);
}

// --- resizing ------------------------------------------------------------------------

// Halving averages each 2x2 block: (0 + 40 + 80 + 120) / 4 = 60, and so on.
TEST(ImageResize, HalvingAveragesBlocks) {
    const std::vector<int> levels = {0,  40,  200, 200,   //
                                     80, 120, 200, 200,   //
                                     10, 10,  255, 0,     //
                                     10, 10,  0,   255};
    const Matrix m = decode_image(grey_png(4, 4, levels), "b.png", Shape{2, 2});
    ASSERT_EQ(m.rows(), 2);
    ASSERT_EQ(m.cols(), 2);
    EXPECT_NEAR(m(0, 0), 60 / 255.0, 1e-6);
    EXPECT_NEAR(m(0, 1), 200 / 255.0, 1e-6);
    EXPECT_NEAR(m(1, 0), 10 / 255.0, 1e-6);
    EXPECT_NEAR(m(1, 1), 127.5 / 255.0, 1e-6);
}

TEST(ImageResize, GrowingAFlatImageKeepsItFlatAndInRange) {
    const Matrix m = decode_image(grey_png(3, 3, std::vector<int>(9, 77)), "f.png", Shape{7, 5}, -1, 1);
    ASSERT_EQ(m.rows(), 7);
    ASSERT_EQ(m.cols(), 5);
    EXPECT_LE((m.array() - (-1 + 2 * 77 / 255.0)).abs().maxCoeff(), 1e-6);
    const Matrix edge = decode_image(grey_png(2, 2, {0, 255, 255, 0}), "e.png", Shape{9, 9});
    EXPECT_GE(edge.minCoeff(), 0.0);
    EXPECT_LE(edge.maxCoeff(), 1.0);
}

TEST(ImageResize, FitWithinKeepsTheAspectRatio) {
    EXPECT_EQ(fit_within({3000, 4000}, 1024), (Shape{768, 1024}));
    EXPECT_EQ(fit_within({100, 50}, 1024), (Shape{100, 50}));
    EXPECT_EQ(fit_within({5000, 1}, 1024), (Shape{1024, 1}));
}

// --- bad images -----------------------------------------------------------------------

TEST(ImageErrors, EveryBadImageGetsOneLineNamingTheFile) {
    const std::string good = grey_png(4, 4, std::vector<int>(16, 9));
    std::string zero_wide = png(1, 1, 0, 8, {0});
    // IHDR's width is bytes 16..19; zero it and fix the chunk's CRC.
    zero_wide.replace(16, 4, std::string(4, '\0'));
    zero_wide.replace(29, 4, [&] {
        std::string crc;
        test_images::put32(crc, test_images::crc32(zero_wide.substr(12, 17)));
        return crc;
    }());
    struct Case {
        std::string bytes;
        std::vector<std::string> words;
    } cases[] = {
        {"", {"pic.png", "empty"}},
        {"{\"convlens\": 1}", {"pic.png", "not a PNG or JPEG"}},
        {good.substr(0, good.size() / 2), {"pic.png", "PNG", "damaged or truncated"}},
        {good.substr(0, 20), {"pic.png", "PNG", "damaged or truncated"}},
        {std::string("\xff\xd8\xff\xe0", 4) + std::string(30, 'x'), {"pic.png", "JPEG", "damaged"}},
        {zero_wide, {"pic.png", "PNG"}},
        {grey_png(1, 1025, std::vector<int>(1025, 0)), {"pic.png", "1 rows by 1025 columns", "1024x1024", "size"}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.words.back());
        expect_contains(error_of([&] { decode_image(c.bytes, "pic.png"); }), c.words);
    }
}

// A Huffman table claiming 16 x 255 codes (256 at most fit): the stb_image of Debian 12
// would write past its tables (found by fuzz_image); refused before it sees the file.
TEST(ImageErrors, AJpegHuffmanTableWithTooManyCodesIsRefused) {
    const std::string dht = std::string("\xff\xd8\xff\xc4\x00\x13\x00", 7) + std::string(16, '\xff') +
                            std::string("\xff\xd9", 2);
    expect_contains(error_of([&] { decode_image(dht, "h.jpg"); }), {"h.jpg", "JPEG", "Huffman"});
    expect_contains(error_of([&] { image_extent(dht, "h.jpg"); }), {"h.jpg", "Huffman"});
}

TEST(ImageErrors, AHeaderClaimingTooManyPixelsIsRefusedBeforeDecoding) {
    // The header says 10000 x 10000, the data holds one row: refused from the header alone
    // (a decoder that believed it would first allocate 100 MB).
    std::string huge = png(1, 1, 0, 8, {0});
    std::string ihdr;
    test_images::put32(ihdr, 10000);
    test_images::put32(ihdr, 10000);
    ihdr += std::string("\x08\x00\x00\x00\x00", 5);
    huge = "\x89PNG\r\n\x1a\n" + test_images::chunk("IHDR", ihdr) + huge.substr(33);
    expect_contains(error_of([&] { decode_image(huge, "big.png", Shape{10, 10}); }),
                    {"big.png", "10000 rows by 10000 columns", "megapixels"});
}

TEST(ImageErrors, SizeAndRangeOutsideTheirLimits) {
    const std::string good = grey_png(2, 2, {1, 2, 3, 4});
    expect_contains(error_of([&] { decode_image(good, "p.png", Shape{0, 4}); }), {"p.png", "size 0x4"});
    expect_contains(error_of([&] { decode_image(good, "p.png", Shape{2048, 4}); }), {"p.png", "1024x1024"});
    expect_contains(error_of([&] { decode_image(good, "p.png", std::nullopt, 1, 1); }), {"p.png", "low below high"});
    expect_contains(error_of([&] { decode_image(good, "p.png", std::nullopt, 0, NAN); }), {"p.png", "finite"});
}

TEST(ImageErrors, FilesThatCannotBeRead) {
    TempDir dir;
    const std::string empty = dir.write("empty.png", "");
    expect_contains(error_of([&] { load_image((dir.path() / "missing.png").string()); }),
                    {"missing.png", "no such file"});
    expect_contains(error_of([&] { load_image(dir.path().string()); }), {dir.path().string(), "folder"});
    expect_contains(error_of([&] { load_image(empty); }), {"empty.png", "empty"});
    if (::geteuid() != 0) {  // root reads everything
        const std::string locked = dir.write("locked.png", grey_png(1, 1, {0}));
        fs::permissions(locked, fs::perms::none);
        expect_contains(error_of([&] { load_image(locked); }), {"locked.png", "cannot read"});
    }
}

// --- the reference a scene keeps --------------------------------------------------------

TEST(ImageReference, LoadImageFillsAnAbsolutePathAndTheFingerprint) {
    TempDir dir;
    const std::string file = dir.write("a.png", grey_png(2, 2, {0, 85, 170, 255}));
    const LoadedImage loaded = load_image(file, Shape{2, 2}, -1, 1);
    EXPECT_TRUE(fs::path(loaded.source.path).is_absolute());
    EXPECT_EQ(fs::path(loaded.source.path), fs::path(file).lexically_normal());
    EXPECT_EQ(loaded.source.fingerprint, image_fingerprint(loaded.pixels));
    EXPECT_EQ(loaded.source.low, -1);
    EXPECT_EQ(loaded.source.high, 1);
}

TEST(ImageReference, FingerprintSeesEveryEdit) {
    Matrix m = Matrix::Constant(3, 3, 0.5);
    const std::uint64_t original = image_fingerprint(m);
    m(1, 1) = std::nextafter(0.5, 1.0);
    EXPECT_NE(image_fingerprint(m), original) << "one bit of one value";
    m(1, 1) = 0.5;
    EXPECT_EQ(image_fingerprint(m), original);
    m(0, 0) = -0.5;
    m(2, 2) = -0.5;
    EXPECT_NE(image_fingerprint(m), original) << "two sign changes do not cancel";
    EXPECT_NE(image_fingerprint(Matrix::Constant(1, 9, 0.5)), original) << "the shape counts";
}

std::string image_scene(const std::string& input) {
    return R"({"convlens": 1, "input": )" + input + R"(, "kernel": [[1, 0], [0, -1]]})";
}

TEST(ImageScene, TheImageIsReadRelativeToTheSceneFile) {
    TempDir dir;
    dir.write("pics/p.png", grey_png(2, 3, {0, 51, 102, 153, 204, 255}));
    const std::string scene_file =
        dir.write("scenes/s.json", image_scene(R"({"image": "../pics/p.png", "range": [-1, 1]})"));
    const Scene scene = load_scene(scene_file);
    ASSERT_EQ(scene.input.rows(), 2);
    ASSERT_EQ(scene.input.cols(), 3);
    for (int k = 0; k < 6; ++k) EXPECT_DOUBLE_EQ(scene.input(k / 3, k % 3), -1 + 2 * (51.0 * k / 255)) << k;
    ASSERT_TRUE(scene.input_image);
    EXPECT_EQ(fs::path(scene.input_image->path), (dir.path() / "pics/p.png").lexically_normal());
    EXPECT_NE(current_image(scene), nullptr);
    // The engine computes on the loaded grey levels: z^{l+1}_{1,1} = z_{1,1} - z_{2,2}.
    const LayerResults results = compute_layer(scene);
    EXPECT_DOUBLE_EQ(results.output(0, 0), scene.input(0, 0) - scene.input(1, 1));
}

TEST(ImageScene, SizeResizesAndDefaultRangeIsZeroToOne) {
    TempDir dir;
    dir.write("p.png", grey_png(4, 4, std::vector<int>(16, 255)));
    const std::string file = dir.write("s.json", image_scene(R"({"image": "p.png", "size": [2, 3]})"));
    const Scene scene = load_scene(file);
    EXPECT_EQ(scene.input.rows(), 2);
    EXPECT_EQ(scene.input.cols(), 3);
    EXPECT_LE((scene.input.array() - 1.0).abs().maxCoeff(), 1e-6);
    ASSERT_TRUE(scene.input_image && scene.input_image->size);
    EXPECT_EQ(*scene.input_image->size, (Shape{2, 3}));
}

TEST(ImageScene, SavingKeepsTheReferenceNotTheNumbers) {
    TempDir dir;
    dir.write("p.png", grey_png(3, 3, {0, 1, 2, 3, 4, 5, 6, 7, 8}));
    const Scene scene = load_scene(
        dir.write("s.json", image_scene(R"({"image": "p.png", "size": [3, 3], "range": [-1, 1]})")));
    const std::string copy = (dir.path() / "copy.json").string();
    save_scene(scene, copy);
    std::ifstream in(copy);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    EXPECT_NE(text.find(R"("input": {"image": "p.png", "size": [3, 3], "range": [-1, 1]})"),
              std::string::npos) << text;
    EXPECT_EQ(text.find("0.0"), std::string::npos) << "no numbers of the image: " << text;
    const Scene back = load_scene(copy);
    EXPECT_TRUE(back == scene);
    EXPECT_EQ(scene_to_json(back, copy), text) << "writing is stable";
}

TEST(ImageScene, AnEditedPixelSavesAsAMatrixAndUndoingItBringsTheReferenceBack) {
    TempDir dir;
    dir.write("p.png", grey_png(2, 2, {0, 255, 255, 0}));
    const std::string file = dir.write("s.json", image_scene(R"({"image": "p.png"})"));
    Scene scene = load_scene(file);
    scene.input(0, 0) = 0.25;
    EXPECT_EQ(current_image(scene), nullptr);
    const std::string edited = scene_to_json(scene, file);
    EXPECT_EQ(edited.find("image"), std::string::npos) << edited;
    const Scene back = parse_scene(edited, "edited.json");
    EXPECT_EQ(back.input(0, 0), 0.25);
    EXPECT_EQ(back.input(0, 1), 1.0);
    EXPECT_FALSE(back.input_image);
    EXPECT_TRUE(back == scene) << "a stale reference does not make scenes differ";
    scene.input(0, 0) = 0;
    EXPECT_NE(current_image(scene), nullptr);
    EXPECT_NE(scene_to_json(scene, file).find(R"("image": "p.png")"), std::string::npos);
}

TEST(ImageScene, AFarAwaySceneNamesTheImageByItsAbsolutePath) {
    TempDir dir;
    dir.write("p.png", grey_png(2, 2, {0, 255, 255, 0}));
    const Scene scene = load_scene(dir.write("s.json", image_scene(R"({"image": "p.png"})")));
    const std::string near = scene_to_json(scene, (dir.path() / "a/near.json").string());
    EXPECT_NE(near.find(R"("image": "../p.png")"), std::string::npos) << near;
    const std::string far = scene_to_json(scene, (dir.path() / "a/b/far.json").string());
    EXPECT_NE(far.find("\"image\": \"" + (dir.path() / "p.png").string() + "\""), std::string::npos)
        << far;
}

TEST(ImageScene, ErrorsNameTheSceneTheKeyAndTheImage) {
    TempDir dir;
    dir.write("bad.png", "not an image at all");
    dir.write("p.png", grey_png(2, 2, {0, 1, 2, 3}));
    struct Case {
        std::string input;
        std::vector<std::string> words;
    } cases[] = {
        {R"({"image": "missing.png"})", {"s.json", "key \"input\"", "missing.png", "no such file"}},
        {R"({"image": "bad.png"})", {"s.json", "key \"input\"", "bad.png", "not a PNG or JPEG"}},
        {R"({"image": "p.png", "zoom": 2})", {"s.json", "key \"input\"", "\"zoom\"", "unknown key"}},
        {R"({"size": [2, 2]})", {"s.json", "key \"input\"", "\"image\"", "missing"}},
        {R"({"image": 3})", {"s.json", "key \"image\"", "expected a string"}},
        {R"({"image": "p.png", "size": [2]})", {"s.json", "key \"size\"", "[rows, columns]"}},
        {R"({"image": "p.png", "size": [0, 2]})", {"s.json", "p.png", "size 0x2"}},
        {R"({"image": "p.png", "range": [1, 0]})", {"s.json", "key \"range\"", "low below high"}},
        {R"({"image": "p.png", "range": [0, "x"]})", {"s.json", "key \"range\"", "high", "finite number"}},
        {R"({"image": "p.png", "range": 1})", {"s.json", "key \"range\"", "[low, high]"}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.input);
        const std::string file = dir.write("s.json", image_scene(c.input));
        expect_contains(error_of([&] { load_scene(file); }), c.words);
    }
}

TEST(ImageScene, TheExampleImageScenesLoad) {
    for (const char* name : {"shapes_sobel_x.json", "shapes_laplacian_small.json"}) {
        SCOPED_TRACE(name);
        const Scene scene = load_scene(std::string(CONVLENS_ASSET_DIR) + "/images/" + name);
        ASSERT_TRUE(scene.input_image);
        EXPECT_GE(scene.input.minCoeff(), -1.0);
        EXPECT_LE(scene.input.maxCoeff(), 1.0);
        EXPECT_GT(scene.input.maxCoeff() - scene.input.minCoeff(), 0.5) << "shapes, not a flat grey";
    }
}

}  // namespace
}  // namespace convlens
