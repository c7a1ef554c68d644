// The window's --lesson, --cell and --step, checked before any window opens: usage errors
// are status 2 with one line and no picture; options that fit the scene get as far as
// opening the window, which these tests (no DISPLAY) see fail with status 1.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/run_binary.h"

namespace convlens {
namespace {

namespace fs = std::filesystem;
using cli::describe;
using cli::run_binary;
using cli::RunResult;

std::string scene(const char* name) { return (fs::path(CONVLENS_ASSET_DIR) / "scenes" / name).string(); }

RunResult shoot(std::vector<std::string> args) {
    const fs::path png = cli::scratch_dir() / "lesson.png";
    fs::remove(png);
    args.insert(args.begin(), {"--screenshot", png.string()});
    RunResult r = run_binary(args);
    EXPECT_FALSE(fs::exists(png)) << "no picture without a display or after a usage error";
    return r;
}

int lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

void expect_usage_error(const std::vector<std::string>& args, const std::string& mentions) {
    const RunResult r = shoot(args);
    EXPECT_EQ(r.status, 2) << describe(r);
    EXPECT_EQ(lines(r.err), 1) << describe(r);
    EXPECT_NE(r.err.find(mentions), std::string::npos) << describe(r);
}

// Passed every check of the options: the next thing is the window, which cannot open here.
void expect_accepted(const std::vector<std::string>& args) {
    const RunResult r = shoot(args);
    EXPECT_EQ(r.status, 1) << describe(r);
    EXPECT_NE(r.err.find("window"), std::string::npos) << describe(r);
}

TEST(WindowLesson, UnknownLessonAndMalformedOptions) {
    expect_usage_error({"--lesson", "sideways"}, "sideways");
    expect_usage_error({"--lesson", "backward", "--cell", "3"}, "--cell");
    expect_usage_error({"--lesson", "backward", "--cell", "3,x"}, "--cell");
    expect_usage_error({"--lesson", "forward", "--step", "two"}, "--step");
    expect_usage_error({"--cell", "1,1"}, "--lesson");
    expect_usage_error({"--step", "1"}, "--lesson");
}

// The textbook scene: z^l 5x5, w 3x3, stride 1, no padding, so z^{l+1} is 3x3 and the
// forward lesson has one step per output cell: 9. Indices from 1.
TEST(WindowLesson, CellsAreCheckedInTheirGridAndIndexBase) {
    const std::string textbook = scene("default.json");
    expect_accepted({textbook, "--lesson", "backward", "--cell", "5,5"});
    expect_usage_error({textbook, "--lesson", "backward", "--cell", "6,1"}, "outside");
    expect_usage_error({textbook, "--lesson", "backward", "--cell", "0,1"}, "outside");
    expect_accepted({textbook, "--lesson", "forward", "--cell", "3,3"});
    expect_usage_error({textbook, "--lesson", "forward", "--cell", "4,1"}, "outside");
    expect_accepted({textbook, "--lesson", "kernel-gradient", "--cell", "1,3"});
    expect_usage_error({textbook, "--lesson", "kernel-gradient", "--cell", "1,4"}, "outside");
    // zero_based.json counts from 0: its first cell is 0,0.
    expect_accepted({scene("zero_based.json"), "--lesson", "influence", "--cell", "0,0"});
}

TEST(WindowLesson, StepsFromOneToTheLessonsLength) {
    const std::string textbook = scene("default.json");
    expect_accepted({textbook, "--lesson", "forward", "--step", "1"});
    expect_accepted({textbook, "--lesson", "forward", "--step", "9"});
    expect_usage_error({textbook, "--lesson", "forward", "--step", "10"}, "9 steps");
    expect_usage_error({textbook, "--lesson", "forward", "--step", "0"}, "--step 0");
}

}  // namespace
}  // namespace convlens
