// The command line on scenes whose input is an image: numbers worked from the PNG's own
// grey levels, and for every kind of bad image exit status 1 with one line naming it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/run_binary.h"
#include "unit/test_images.h"

namespace {

namespace fs = std::filesystem;
using convlens::cli::describe;
using convlens::cli::run_binary;
using convlens::cli::RunResult;
using convlens::test_images::grey_png;
using json = nlohmann::json;

fs::path write(const std::string& name, const std::string& bytes) {
    const fs::path p = convlens::cli::scratch_dir() / "images" / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}

fs::path image_scene(const std::string& name, const std::string& input) {
    return write(name, R"({"convlens": 1, "input": )" + input + R"(, "kernel": [[1, 0], [0, -1]]})");
}

::testing::AssertionResult one_line_error_naming(const RunResult& r, const std::vector<std::string>& words) {
    if (r.status != 1) return ::testing::AssertionFailure() << "expected status 1\n" << describe(r);
    if (!r.out.empty()) return ::testing::AssertionFailure() << "stdout not empty\n" << describe(r);
    if (r.err.empty() || r.err.find('\n') != r.err.size() - 1 || r.err.rfind("convlens: ", 0) != 0)
        return ::testing::AssertionFailure() << "expected one line \"convlens: ...\"\n" << describe(r);
    for (const std::string& w : words)
        if (r.err.find(w) == std::string::npos)
            return ::testing::AssertionFailure() << "'" << w << "' not mentioned\n" << describe(r);
    return ::testing::AssertionSuccess();
}

// Levels | 0 51 102 ; 153 204 255 ; 10 20 30 | in the range [0, 1] with the kernel
// | 1 0 ; 0 -1 |: z^{l+1}_{m,n} = (L_{m,n} - L_{m+1,n+1}) / 255, worked by hand.
TEST(CliImage, ComputeWorksOnTheImagesGreyLevels) {
    write("levels.png", grey_png(3, 3, {0, 51, 102, 153, 204, 255, 10, 20, 30}));
    const fs::path scene = image_scene("levels.json", R"({"image": "levels.png", "range": [0, 1]})");
    const RunResult r = run_binary({"compute", scene.string()});
    ASSERT_EQ(r.status, 0) << describe(r);
    const json out = json::parse(r.out)["output"];
    const double expected[2][2] = {{(0 - 204) / 255.0, (51 - 255) / 255.0},
                                   {(153 - 20) / 255.0, (204 - 30) / 255.0}};
    ASSERT_EQ(out.size(), 2u);
    for (int m = 0; m < 2; ++m)
        for (int n = 0; n < 2; ++n) EXPECT_NEAR(out[m][n].get<double>(), expected[m][n], 1e-15) << m << n;
}

TEST(CliImage, TheExampleImageSceneComputesAndChecks) {
    const std::string scene = std::string(CONVLENS_ASSET_DIR) + "/images/shapes_laplacian_small.json";
    const RunResult compute = run_binary({"compute", scene});
    ASSERT_EQ(compute.status, 0) << describe(compute);
    EXPECT_EQ(json::parse(compute.out)["output"].size(), 32u);
    const RunResult check = run_binary({"check", scene});
    EXPECT_EQ(check.status, 0) << describe(check);
}

TEST(CliImage, EveryBadImageIsOneLineNamingTheFile) {
    const std::string good = grey_png(4, 4, std::vector<int>(16, 7));
    write("text.png", "hello, not an image");
    write("truncated.png", good.substr(0, good.size() - 20));
    write("empty.png", "");
    write("wide.png", grey_png(1, 1100, std::vector<int>(1100, 0)));
    fs::create_directories(convlens::cli::scratch_dir() / "images" / "folder.png");
    struct Case {
        const char* image;
        std::vector<std::string> words;
    } cases[] = {
        {"missing.png", {"missing.png", "no such file"}},
        {"text.png", {"text.png", "not a PNG or JPEG"}},
        {"truncated.png", {"truncated.png", "damaged or truncated"}},
        {"empty.png", {"empty.png", "empty"}},
        {"wide.png", {"wide.png", "1100 columns", "1024x1024"}},
        {"folder.png", {"folder.png", "folder"}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.image);
        const fs::path scene = image_scene(std::string("bad-") + c.image + ".json",
                                           std::string(R"({"image": ")") + c.image + "\"}");
        std::vector<std::string> words = c.words;
        words.push_back(scene.filename().string());
        words.push_back("\"input\"");
        EXPECT_TRUE(one_line_error_naming(run_binary({"compute", scene.string()}), words));
    }
    // Resizing is what lets a wide picture in: a flat black 2x64 under | 1 0 ; 0 -1 | is 0.
    const fs::path resized = image_scene("wide-resized.json", R"({"image": "wide.png", "size": [2, 64]})");
    const RunResult r = run_binary({"compute", resized.string()});
    ASSERT_EQ(r.status, 0) << describe(r);
    const json out = json::parse(r.out)["output"];
    ASSERT_EQ(out.size(), 1u);
    ASSERT_EQ(out[0].size(), 63u);
    for (const json& v : out[0]) EXPECT_EQ(v.get<double>(), 0.0);
}

}  // namespace
