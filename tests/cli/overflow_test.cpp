// Results a double cannot hold are bad input (issue 10): compute, influence, check,
// explain and export each refuse a scene whose numbers overflow with exit 1 and one line
// that names the first such number, its cell in the scene's index base, and why; nothing
// is printed as null and no file is written. The cells are found by hand below: with
// finite inputs a result is infinite only where a product or a sum passes 1.8e308.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/run_binary.h"

namespace convlens {
namespace {

namespace fs = std::filesystem;
using cli::describe;
using cli::RunResult;
using cli::run_binary;
using cli::scratch_dir;

std::string scene_file(const std::string& name, const std::string& body) {
    const fs::path path = scratch_dir() / (name + ".json");
    std::ofstream(path) << "{\"convlens\": 1, " << body << "}\n";
    return path.string();
}

int line_count(const std::string& text) {
    int lines = 0;
    for (char c : text) lines += c == '\n';
    return lines;
}

::testing::AssertionResult refused_with(const RunResult& r, const std::vector<std::string>& words) {
    if (r.status != 1) return ::testing::AssertionFailure() << "expected exit 1\n" << describe(r);
    if (line_count(r.err) != 1) return ::testing::AssertionFailure() << "expected one line\n" << describe(r);
    if (r.out.find("null") != std::string::npos)
        return ::testing::AssertionFailure() << "printed null\n" << describe(r);
    for (const std::string& w : words)
        if (r.err.find(w) == std::string::npos)
            return ::testing::AssertionFailure() << "no \"" << w << "\" in\n" << describe(r);
    return ::testing::AssertionSuccess();
}

// Every command that computes the scene, with the arguments it needs.
std::vector<std::vector<std::string>> every_command(const std::string& scene) {
    const fs::path out = scratch_dir() / "never-written";
    return {{"compute", scene},
            {"influence", scene, "1", "1"},
            {"check", scene},
            {"explain", scene, "--lesson", "forward"},
            {"explain", scene, "--lesson", "backward", "--cell", "1,1"},
            {"export", scene, "--lesson", "forward", "--format", "svg", "--out", out.string()},
            {"export", scene, "--lesson", "backward", "--format", "tikz", "--out", out.string() + ".tex"}};
}

// The issue's case: input 1e200, kernel 1e200. Every product is 1e400 = inf; the first
// output, z^{l+1}_{1,1}, is the first number that overflows.
TEST(Overflow, EveryCommandRefusesTheIssuesScene) {
    const std::string scene = scene_file(
        "issue", "\"input\": [[1e200, 1e200], [1e200, 1e200]], \"kernel\": [[1e200]]");
    for (const auto& args : every_command(scene))
        EXPECT_TRUE(refused_with(run_binary(args), {"z^{l+1}_{1,1}", "overflows a double", "inf"}))
            << args[0];
    EXPECT_FALSE(fs::exists(scratch_dir() / "never-written"));
    EXPECT_FALSE(fs::exists(scratch_dir() / "never-written.tex"));
}

// Only one output overflows: input 3x3 of ones but z^l_{3,3} = 1e200, kernel 2x2 of ones
// but w_{2,2} = 1e200. z^{l+1}_{p,q} = sum_{i,j} z^l_{p+i-1,q+j-1} w_{i,j}; the product
// 1e200 * 1e200 appears only for p+1 = 3, q+1 = 3 with i = j = 2: z^{l+1}_{2,2}. The
// other outputs are at most 1e200 + 3 (finite). Zero-based, the same cell is (1,1).
TEST(Overflow, NamesTheFirstCellInTheScenesIndexBase) {
    const std::string body =
        "\"input\": [[1, 1, 1], [1, 1, 1], [1, 1, 1e200]], \"kernel\": [[1, 1], [1, 1e200]]";
    EXPECT_TRUE(refused_with(run_binary({"compute", scene_file("one-cell", body)}),
                             {"output z^{l+1}_{2,2}", "overflows a double (inf)"}));
    EXPECT_TRUE(refused_with(run_binary({"compute", scene_file("one-cell-0", body + ", \"index_base\": 0")}),
                             {"output z^{l+1}_{1,1}", "overflows a double (inf)"}));
}

// 1e200 * 1e200 + 1e200 * (-1e200) = inf + (-inf) = NaN: undefined, not infinite.
TEST(Overflow, OppositeOverflowsMeetInANaN) {
    const std::string scene = scene_file("nan", "\"input\": [[1e200, 1e200]], \"kernel\": [[1e200, -1e200]]");
    EXPECT_TRUE(refused_with(run_binary({"compute", scene}), {"output z^{l+1}_{1,1}", "NaN"}));
}

// Each later number alone: the outputs fit, then
//   J = sum z^{l+1} = 1e308 + 1e308 = inf;
//   J = 1/2 (z - t)^2 with z = 1e160, t = -1e160: (2e160)^2 / 2 = 2e320 = inf;
//   delta^l = delta^{l+1} * w = 1e200 * 1e200 with the upstream given (z = 1 * 1e200 fits);
//   dJ/dw = delta^{l+1} * z^l = 1e200 * 1e200 (delta^l = 1e200 * 1 fits).
TEST(Overflow, LossAndGradientsAreCheckedToo) {
    EXPECT_TRUE(refused_with(
        run_binary({"compute", scene_file("sum", "\"input\": [[1e308, 1e308]], \"kernel\": [[1]]")}),
        {"the loss J overflows a double", "sum z^{l+1}"}));
    EXPECT_TRUE(refused_with(
        run_binary({"compute", scene_file("target", "\"input\": [[1e160]], \"kernel\": [[1]], "
                                                    "\"target\": [[-1e160]]")}),
        {"the loss J overflows a double", "target"}));
    EXPECT_TRUE(refused_with(
        run_binary({"compute", scene_file("delta", "\"input\": [[1]], \"kernel\": [[1e200]], "
                                                   "\"upstream\": [[1e200]]")}),
        {"error delta^{l}_{1,1} overflows a double (inf)"}));
    EXPECT_TRUE(refused_with(
        run_binary({"compute", scene_file("dw", "\"input\": [[1e200]], \"kernel\": [[1]], "
                                                "\"upstream\": [[-1e200]]")}),
        {"kernel gradient dJ/dw_{1,1} overflows a double (-inf)"}));
}

// Large but representable: 1e150 * 1e150 * 4 taps = 4e300, the sum of 4 outputs 1.6e301.
TEST(Overflow, LargeNumbersThatFitAreComputed) {
    const std::string scene = scene_file(
        "fits", "\"input\": [[1e150, 1e150, 1e150], [1e150, 1e150, 1e150], [1e150, 1e150, 1e150]], "
                "\"kernel\": [[1e150, 1e150], [1e150, 1e150]]");
    const RunResult r = run_binary({"compute", scene});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_EQ(r.out.find("null"), std::string::npos) << r.out;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    for (const auto& row : j["output"])
        for (const auto& z : row) EXPECT_NEAR(z.get<double>() / 4e300, 1, 1e-12) << r.out;
    EXPECT_NEAR(j["loss"].get<double>() / 1.6e301, 1, 1e-12) << r.out;
}

// A number in the file beyond a double is named as too large, not as "not a number".
TEST(Overflow, NumbersBeyondADoubleInAFileAreTooLarge) {
    const RunResult r =
        run_binary({"compute", scene_file("1e400", "\"input\": [[1, 1e400]], \"kernel\": [[1]]")});
    EXPECT_TRUE(refused_with(r, {"too large for a double", "input"}));
}

// The command line's whole numbers: beyond int is "too large", not just "expects M,N".
TEST(Overflow, CommandLineNumbersBeyondIntAreTooLarge) {
    const std::string scene = scene_file("small", "\"input\": [[1, 2], [3, 4]], \"kernel\": [[1]]");
    const fs::path out = scratch_dir() / "frames";
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{
             {"export", scene, "--lesson", "forward", "--format", "svg", "--out", out.string(), "--cell",
              "1,99999999999"},
             {"export", scene, "--lesson", "forward", "--format", "svg", "--out", out.string(), "--steps",
              "1-99999999999"},
             {"export", scene, "--lesson", "forward", "--format", "svg", "--out", out.string(), "--size",
              "99999999999x10"},
         }) {
        const RunResult r = run_binary(args);
        EXPECT_EQ(r.status, 2) << describe(r);
        EXPECT_NE(r.err.find("which is too large (whole numbers here go up to 2147483647)"), std::string::npos)
            << describe(r);
    }
    EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace convlens
