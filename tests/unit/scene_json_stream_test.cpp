// The scene writer streams its text in pieces (save_scene writes them into the file as
// they are made): the same bytes the writer made before it streamed, the same scene back.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstring>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "scene/scene.h"
#include "scene/scene_json.h"
#include "scratch_dir.h"
#include "test_images.h"
#include "util/atomic_write.h"

namespace convlens {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

// --- the writer as it was before it streamed: every number a Json value dumped into a
// string of its own, then aligned per column (kept here as the reference) ---------------

std::string old_number(double v) {
    if (std::trunc(v) == v && std::fabs(v) <= 9007199254740992.0 && !(v == 0 && std::signbit(v)))
        return Json(static_cast<std::int64_t>(v)).dump();
    return Json(v).dump();
}

std::string old_matrix(const char* key, const Matrix& m) {
    std::vector<std::string> cells;
    std::vector<std::size_t> width(static_cast<std::size_t>(m.cols()), 0);
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (Eigen::Index c = 0; c < m.cols(); ++c) {
            cells.push_back(old_number(m(r, c)));
            width[static_cast<std::size_t>(c)] = std::max(width[static_cast<std::size_t>(c)], cells.back().size());
        }
    std::string out = "  \"" + std::string(key) + "\": [\n";
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        out += "    [";
        for (Eigen::Index c = 0; c < m.cols(); ++c) {
            const std::string& cell = cells[static_cast<std::size_t>(r * m.cols() + c)];
            if (c > 0) out += ", ";
            out.append(width[static_cast<std::size_t>(c)] - cell.size(), ' ');
            out += cell;
        }
        out += r + 1 < m.rows() ? "],\n" : "]\n";
    }
    return out + "  ],\n";
}

std::string old_pair(AxisPair p) {
    if (p.rows == p.cols) return std::to_string(p.rows);
    return "[" + std::to_string(p.rows) + ", " + std::to_string(p.cols) + "]";
}

// Scenes whose input is numbers (an unedited image is written as its reference, which
// the image tests check).
std::string old_scene_to_json(const Scene& s) {
    std::string out = "{\n  \"convlens\": 1,\n";
    if (!s.title.empty()) out += "  \"title\": " + Json(s.title).dump() + ",\n";
    out += old_matrix("input", s.input);
    out += old_matrix("kernel", s.kernel);
    if (s.upstream) out += old_matrix("upstream", *s.upstream);
    if (s.target) out += old_matrix("target", *s.target);
    out += "  \"stride\": " + old_pair(s.spec.stride) + ",\n";
    out += "  \"padding\": " + old_pair(s.spec.padding) + ",\n";
    out += "  \"dilation\": " + old_pair(s.spec.dilation) + ",\n";
    out += "  \"mode\": " + Json(mode_name(s.spec.mode)).dump() + ",\n";
    out += "  \"activation\": " + Json(activation_name(s.activation)).dump() + ",\n";
    out += "  \"index_base\": " + std::to_string(s.index_base) + "\n}\n";
    return out;
}

Matrix random_matrix(int rows, int cols, std::mt19937& rng) {
    std::uniform_real_distribution<double> value(-1, 1);
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = value(rng);
    return m;
}

// Numbers whose text is easy to get wrong: integers at and past 2^53, -0, exponents both
// ways, the smallest subnormal, the largest double, sums that do not print short.
Matrix awkward_matrix() {
    const std::vector<double> v = {
        0.0, -0.0, 3.0, -7.0, 0.1 + 0.2, 1.0 / 3.0, 1e-7, -2.5e-5, 1e21, 123456789012345680.0,
        9007199254740992.0, 9007199254740994.0, -9007199254740992.0, 5e-324,
        std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(), 1e15, 1e16,
        0.5, -1234.5678, 2.2250738585072014e-308, 100.0, 1e-5, 0.001};
    Matrix m(4, 6);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = v[static_cast<std::size_t>(i)];
    return m;
}

// The default scene's settings and title around other numbers (its upstream would not fit).
Scene scene_of(Matrix input, Matrix kernel) {
    Scene s = default_scene();
    s.input = std::move(input);
    s.kernel = std::move(kernel);
    s.upstream.reset();
    s.target.reset();
    return s;
}

bool same_bits(const Matrix& a, const Matrix& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(double)) == 0;
}

using TempDir = test_support::ScratchDir;  // a scratch folder for each test

std::string file_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// --- the same bytes ---------------------------------------------------------------------

TEST(SceneJsonStream, TheDefaultSceneIsWrittenAsBefore) {
    EXPECT_EQ(scene_to_json(default_scene()), old_scene_to_json(default_scene()));
}

TEST(SceneJsonStream, AwkwardNumbersAreWrittenAsNlohmannDumpsThem) {
    Scene s = scene_of(awkward_matrix(), awkward_matrix().block(0, 0, 2, 3));
    s.title = "awkward \"numbers\" \xc3\xa9";
    s.spec.stride = {1, 2};
    validate_scene(s);
    const std::string text = scene_to_json(s);
    EXPECT_EQ(text, old_scene_to_json(s));
    EXPECT_NE(text.find("-0.0"), std::string::npos) << "-0 keeps its sign";
    EXPECT_NE(text.find("9007199254740992,"), std::string::npos) << "2^53 is an integer";
    EXPECT_NE(text.find("5e-324"), std::string::npos) << text;
    const Scene back = parse_scene(text, "awkward.json");
    EXPECT_TRUE(same_bits(back.input, s.input)) << "every double reads back bit for bit";
    EXPECT_TRUE(same_bits(back.kernel, s.kernel));
}

TEST(SceneJsonStream, UpstreamTargetAndSettingsAreWrittenAsBefore) {
    std::mt19937 rng(8);
    Scene s = scene_of(random_matrix(9, 7, rng), random_matrix(3, 2, rng));
    s.spec.padding = {1, 0};
    s.spec.dilation = {2, 1};
    s.spec.mode = ConvMode::Convolution;
    s.activation = Activation::Tanh;
    s.index_base = 0;
    Scene with_upstream = s;
    const Shape out = output_shape({9, 7}, {3, 2}, s.spec);
    with_upstream.upstream = random_matrix(out.rows, out.cols, rng);
    validate_scene(with_upstream);
    EXPECT_EQ(scene_to_json(with_upstream), old_scene_to_json(with_upstream));
    Scene with_target = s;
    with_target.target = random_matrix(out.rows, out.cols, rng);
    validate_scene(with_target);
    EXPECT_EQ(scene_to_json(with_target), old_scene_to_json(with_target));
    EXPECT_TRUE(parse_scene(scene_to_json(with_target), "t.json") == with_target);
}

TEST(SceneJsonStream, AnEditedImageIsWrittenAsItsNumbersAsBefore) {
    TempDir dir;
    std::vector<int> grey(5 * 4);
    for (std::size_t i = 0; i < grey.size(); ++i) grey[i] = static_cast<int>(i * 13);
    std::ofstream(dir.path() / "p.png", std::ios::binary) << test_images::grey_png(5, 4, grey);
    const std::string file = (dir.path() / "s.json").string();
    std::ofstream(file) << R"({"convlens": 1, "input": {"image": "p.png", "range": [-1, 1]},
                              "kernel": [[1, 2], [3, 4]]})";
    Scene scene = load_scene(file);
    ASSERT_NE(current_image(scene), nullptr);
    scene.input(0, 0) = 0.25;  // no longer the image: its grey levels are written as numbers
    ASSERT_EQ(current_image(scene), nullptr);
    EXPECT_EQ(scene_to_json(scene, file), old_scene_to_json(scene));
    EXPECT_TRUE(same_bits(parse_scene(scene_to_json(scene, file), "s.json").input, scene.input));
}

// --- in pieces --------------------------------------------------------------------------

TEST(SceneJsonStream, ALargeSceneComesInBoundedPiecesThatReadBackAsTheScene) {
    std::mt19937 rng(1024);
    const Scene s = scene_of(random_matrix(300, 280, rng), random_matrix(5, 5, rng));  // ~2 MB of text
    std::vector<std::size_t> sizes;
    std::string joined;
    write_scene_json(s, {}, [&](std::string_view piece) {
        sizes.push_back(piece.size());
        joined += piece;
    });
    EXPECT_EQ(joined, old_scene_to_json(s));
    ASSERT_GT(sizes.size(), 10u) << "the text is handed over as it is made, not at the end";
    for (std::size_t size : sizes) EXPECT_LE(size, std::size_t{64 << 10} + 256);
    EXPECT_TRUE(parse_scene(joined, "big.json") == s);
}

TEST(SceneJsonStream, SaveSceneWritesTheStreamedTextIntoTheFile) {
    TempDir dir;
    std::mt19937 rng(3);
    const Scene s = scene_of(random_matrix(200, 150, rng), random_matrix(3, 3, rng));
    const fs::path file = dir.path() / "s.json";
    save_scene(s, file.string());
    EXPECT_EQ(file_text(file), old_scene_to_json(s));
    EXPECT_TRUE(load_scene(file.string()) == s);
}

TEST(SceneJsonStream, AProducerThatFailsHalfwayLeavesTheOldFileAndNoTemporary) {
    TempDir dir;
    const fs::path file = dir.path() / "s.json";
    write_file_atomically(file.string(), "old");
    EXPECT_THROW(write_file_atomically(file.string(),
                                       [](const WritePiece& write) {
                                           write("new, first half");
                                           throw InputError("stopped");
                                       }),
                 InputError);
    EXPECT_EQ(file_text(file), "old");
    int entries = 0;
    for (const auto& entry : fs::directory_iterator(dir.path())) entries += entry.exists();
    EXPECT_EQ(entries, 1) << "the temporary is gone";
    write_file_atomically(file.string(), [](const WritePiece& write) {
        write("new, ");
        write("whole");
    });
    EXPECT_EQ(file_text(file), "new, whole");
}

}  // namespace
}  // namespace convlens
