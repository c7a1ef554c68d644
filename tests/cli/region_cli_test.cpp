// --region M1,N1,M2,N2 on the command line (explain, export, the window's --lesson): a lesson
// on the 128x128 example photograph walks a region, whose last line is the engine's number
// for its last cell; bad regions are usage errors (status 2, as a bad --cell is) with one
// line that says what was wrong, and export then writes nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli/explain_output.h"
#include "cli/run_binary.h"
#include "engine/layer_results.h"
#include "scene/scene_json.h"

namespace convlens {
namespace {

namespace fs = std::filesystem;
using cli::count_step_headers;
using cli::describe;
using cli::lines_of;
using cli::run_binary;
using cli::RunResult;
using cli::value_after_last_equals;

const std::string kPhoto = (fs::path(CONVLENS_ASSET_DIR) / "images" / "shapes_sobel_x.json").string();

const LayerResults& photo_results() {
    static const LayerResults results = compute_layer(load_scene(kPhoto));
    return results;
}

// Without --region the backward lesson walks the 5x5 middle: 4 intro steps and 25 cells;
// it says so first and ends on delta^l_{67,67} (one-based), the engine's number.
TEST(CliRegion, ExplainWalksTheDefaultRegionOfThePhotograph) {
    const RunResult r = run_binary({"explain", kPhoto, "--lesson", "backward"});
    ASSERT_EQ(r.status, 0) << describe(r);
    const auto lines = lines_of(r.out);
    EXPECT_EQ(count_step_headers(lines), 4 + 25);
    EXPECT_NE(lines.front().find("walks rows 63..67, columns 63..67 of the 128×128 input"), std::string::npos)
        << lines.front();
    EXPECT_NEAR(value_after_last_equals(lines.back()).value_or(1e300), photo_results().grad_input(66, 66), 5.01e-4) << lines.back();
}

// --region 10,20,11,22 of the output: six forward steps, the last z^{l+1}_{11,22}.
TEST(CliRegion, ExplainWalksTheRegionGiven) {
    const RunResult r = run_binary({"explain", kPhoto, "--lesson", "forward", "--region", "10,20,11,22"});
    ASSERT_EQ(r.status, 0) << describe(r);
    const auto lines = lines_of(r.out);
    EXPECT_EQ(count_step_headers(lines), 6);
    const RunResult latex =
        run_binary({"explain", kPhoto, "--lesson", "forward", "--region", "10,20,11,22", "--latex"});
    ASSERT_EQ(latex.status, 0) << describe(latex);
    EXPECT_NE(lines_of(latex.out).back().find("z^{l+1}_{11,22} = "), std::string::npos) << latex.out;
    EXPECT_NEAR(value_after_last_equals(lines.back()).value_or(1e300), photo_results().output(10, 21), 5.01e-4) << lines.back();
    // kernel-gradient: a region of output positions, each step ending on the whole dJ/dw.
    const RunResult k = run_binary(
        {"explain", kPhoto, "--lesson", "kernel-gradient", "--region", "1,1,3,3", "--step", "9"});
    ASSERT_EQ(k.status, 0) << describe(k);
    const auto klines = lines_of(k.out);
    EXPECT_NE(klines.back().find("positions (engine)"), std::string::npos) << k.out;
    const double whole = photo_results().grad_kernel(2, 2);
    EXPECT_NEAR(value_after_last_equals(klines.back()).value_or(1e300), whole, 5.01e-2 + 1e-6 * std::abs(whole)) << k.out;
}

void expect_bad_region(std::vector<std::string> args, const std::string& words) {
    const RunResult r = run_binary(args);
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << describe(r);
    EXPECT_NE(r.err.find(words), std::string::npos) << describe(r);
}

TEST(CliRegion, BadRegionsAreOneLineUsageErrors) {
    for (const std::string command : {"explain", "export"}) {
        SCOPED_TRACE(command);
        const fs::path out = cli::scratch_dir() / "region.tex";
        auto with = [&](const std::string& lesson, const std::string& region) {
            std::vector<std::string> a = {command, kPhoto, "--lesson", lesson, "--region", region};
            if (command == "export") a.insert(a.end(), {"--format", "tikz", "--out", out.string()});
            return a;
        };
        expect_bad_region(with("backward", "1,1,200,5"), "reaches outside the input");
        expect_bad_region(with("backward", "0,1,2,3"), "which is 128x128");
        expect_bad_region(with("forward", "5,5,1,1"), "reversed");
        expect_bad_region(with("backward", "1,2,3"), "four integers");
        expect_bad_region(with("backward", "a,b,c,d"), "four integers");
        expect_bad_region(with("equivalence", "1,1,2,2"), "walks no region");
        EXPECT_FALSE(fs::exists(out));
    }
    // The window checks the form with the other options, the fit once the scene is loaded,
    // both before any window opens.
    const fs::path png = cli::scratch_dir() / "region.png";
    expect_bad_region({kPhoto, "--screenshot", png.string(), "--region", "1,1,2,2"}, "needs --lesson");
    expect_bad_region({kPhoto, "--screenshot", png.string(), "--lesson", "backward", "--region", "1,1"},
                      "four integers");
    expect_bad_region({kPhoto, "--screenshot", png.string(), "--lesson", "backward", "--region", "1,1,2,129"},
                      "reaches outside");
    EXPECT_FALSE(fs::exists(png));
}

TEST(CliRegion, ExportWritesTheRegionsSteps) {
    const fs::path out = cli::scratch_dir() / "region_frames";
    const RunResult r = run_binary({"export", kPhoto, "--lesson", "backward", "--region", "2,2,3,3",
                                    "--format", "svg", "--size", "640x360", "--out", out.string()});
    ASSERT_EQ(r.status, 0) << describe(r);
    // Four intro frames and four cells, one SVG each.
    size_t frames = 0;
    for (const auto& e : fs::directory_iterator(out)) frames += e.path().extension() == ".svg";
    EXPECT_EQ(frames, 8u);
}

}  // namespace
}  // namespace convlens
