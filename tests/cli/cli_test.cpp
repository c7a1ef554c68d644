// Command-line tests: run the built `convlens` binary (CONVLENS_BINARY) as a user would,
// capturing stdout, stderr and the exit status separately, and hold its output to the
// contract of DESIGN.md and issue 2: exit 0 ok, 1 bad input with exactly one stderr line
// naming the key (and row/column), 2 usage error; numbers that read back to the same
// double. The no-command case (which may open a window) is deliberately not run here.
//
// [SECTION] Running the binary
// [SECTION] Help and version
// [SECTION] compute
// [SECTION] influence
// [SECTION] check
// [SECTION] Bad input: exit 1, one line naming the key
// [SECTION] Usage errors: exit 2

#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/run_binary.h"
#include "scratch_dir.h"
#include "engine/influence.h"
#include "engine/layer_results.h"
#include "scene/scene.h"
#include "scene/scene_json.h"

extern char** environ;

namespace convlens {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// [SECTION] Running the binary

struct Outcome {
    int status = -1;  // exit status; 128 + signal when the program died
    std::string out;
    std::string err;
};

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

const fs::path& temp_dir() {
    static test_support::ScratchDir dir("convlens-cli");  // one per test program, removed at exit
    return dir.path();
}

fs::path write_scene(const std::string& name, const std::string& text) {
    const fs::path p = temp_dir() / name;
    write_text(p, text);
    return p;
}

// Runs CONVLENS_BINARY with `args` as run_binary does (no DISPLAY, a 60 s guard).
Outcome run_convlens(const std::vector<std::string>& args, const std::string& stdin_path = "/dev/null") {
    const cli::RunResult r = cli::run_binary(args, stdin_path);
    if (r.status < 0) ADD_FAILURE() << r.err;
    return {r.status, r.out, r.err};
}

std::string describe(const Outcome& r) {
    return "status " + std::to_string(r.status) + "\n--- stdout:\n" + r.out + "\n--- stderr:\n" + r.err;
}

fs::path asset(const std::string& name) {
    return fs::path(CONVLENS_ASSET_DIR) / "scenes" / name;
}

std::vector<fs::path> example_scenes() {
    std::vector<fs::path> scenes;
    const fs::path dir = fs::path(CONVLENS_ASSET_DIR) / "scenes";
    if (fs::is_directory(dir))
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".json") scenes.push_back(e.path());
    std::sort(scenes.begin(), scenes.end());
    return scenes;
}

// Exact comparison of a JSON matrix with an engine matrix: == on every double.
::testing::AssertionResult same_doubles(const json& j, const Matrix& m) {
    if (!j.is_array() || j.size() != std::size_t(m.rows()))
        return ::testing::AssertionFailure() << "expected " << m.rows() << " rows, got " << j.dump();
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        const json& row = j[std::size_t(r)];
        if (!row.is_array() || row.size() != std::size_t(m.cols()))
            return ::testing::AssertionFailure() << "row " << r << ": " << row.dump();
        for (Eigen::Index c = 0; c < m.cols(); ++c) {
            if (!row[std::size_t(c)].is_number())
                return ::testing::AssertionFailure() << "(" << r << "," << c << ") is not a number";
            const double v = row[std::size_t(c)].get<double>();
            if (v != m(r, c)) {
                char buf[96];
                std::snprintf(buf, sizeof buf, "%.17g printed, %.17g computed", v, m(r, c));
                return ::testing::AssertionFailure() << "(" << r << "," << c << "): " << buf;
            }
        }
    }
    return ::testing::AssertionSuccess();
}

// [SECTION] Help and version

TEST(CliHelp, HelpListsEveryCommand) {
    const Outcome r = run_convlens({"--help"});
    EXPECT_EQ(r.status, 0) << describe(r);
    for (const char* word : {"compute", "influence", "check"})
        EXPECT_NE(r.out.find(word), std::string::npos) << word << "\n" << describe(r);
}

TEST(CliHelp, SubcommandHelpExitsZero) {
    for (const char* sub : {"compute", "influence", "check"}) {
        const Outcome r = run_convlens({sub, "--help"});
        EXPECT_EQ(r.status, 0) << sub << "\n" << describe(r);
        EXPECT_NE(r.out.find("SCENE"), std::string::npos) << describe(r);
    }
}

TEST(CliHelp, Version) {
    const Outcome r = run_convlens({"--version"});
    EXPECT_EQ(r.status, 0) << describe(r);
    EXPECT_NE(r.out.find("convlens"), std::string::npos) << describe(r);
    EXPECT_NE(r.out.find(CONVLENS_VERSION), std::string::npos) << describe(r);
    EXPECT_EQ(r.err, "");
}

// [SECTION] compute

// The five keys, each number == the double compute_layer gives in-process.
void expect_compute_matches(const Outcome& r, const Scene& scene) {
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_EQ(r.err, "");
    const json j = json::parse(r.out);
    ASSERT_TRUE(j.is_object());
    std::set<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.insert(k);
    EXPECT_EQ(keys, (std::set<std::string>{"output", "upstream", "grad_input", "grad_kernel", "loss"}));
    const LayerResults res = compute_layer(scene);
    EXPECT_TRUE(same_doubles(j["output"], res.output));
    EXPECT_TRUE(same_doubles(j["upstream"], res.upstream));
    EXPECT_TRUE(same_doubles(j["grad_input"], res.grad_input));
    EXPECT_TRUE(same_doubles(j["grad_kernel"], res.grad_kernel));
    if (scene.upstream) {
        EXPECT_TRUE(j["loss"].is_null()) << j["loss"].dump();
    } else {
        ASSERT_TRUE(j["loss"].is_number()) << j["loss"].dump();
        ASSERT_TRUE(res.loss.has_value());
        EXPECT_EQ(j["loss"].get<double>(), *res.loss);
    }
}

TEST(CliCompute, EveryExampleScene) {
    const auto scenes = example_scenes();
    ASSERT_GE(scenes.size(), 5u) << "assets/scenes should hold the issue's example scenes";
    int with_loss = 0, without_loss = 0;
    for (const fs::path& p : scenes) {
        SCOPED_TRACE(p.string());
        const Scene scene = load_scene(p.string());
        (scene.upstream ? without_loss : with_loss)++;
        expect_compute_matches(run_convlens({"compute", p.string()}), scene);
    }
    EXPECT_GT(without_loss, 0);  // loss null with a given upstream
    EXPECT_GT(with_loss, 0);
}

TEST(CliCompute, StandardInput) {
    const fs::path p = asset("default.json");
    const Outcome r = run_convlens({"compute", "-"}, p.string());
    expect_compute_matches(r, load_scene(p.string()));
    // The same bytes as when reading the file.
    EXPECT_EQ(r.out, run_convlens({"compute", p.string()}).out);
}

// Numbers that are not short decimals (1/3, 0.1, 1e-300, sigmoid outputs) still read
// back to exactly the engine's doubles.
TEST(CliCompute, NumbersReadBackToTheSameDouble) {
    const std::string text = R"({
      "convlens": 1,
      "input": [[0.1, 0.33333333333333331, -2.5e-7], [123456789.123, 1e-300, -0.7],
                [0.30000000000000004, 2.2250738585072014e-308, 1.7976931348623157e308]],
      "kernel": [[0.2, -0.1], [1e-3, 3.0000000000000004]],
      "target": [[0.1, 0.2], [0.3, 0.4]],
      "activation": "sigmoid"
    })";
    const fs::path p = write_scene("awkward.json", text);
    const Scene scene = load_scene(p.string());
    EXPECT_EQ(scene.input(0, 1), 1.0 / 3);
    EXPECT_EQ(scene.input(2, 2), 1.7976931348623157e308);
    expect_compute_matches(run_convlens({"compute", p.string()}), scene);

    Scene identity = scene;
    identity.activation = Activation::Identity;
    identity.input(2, 2) = 0.5;  // keep the sum finite
    std::string text2 = text;
    text2.replace(text2.find("1.7976931348623157e308"), 22, "0.5");
    text2.replace(text2.find("\"sigmoid\""), 9, "\"identity\"");
    const fs::path p2 = write_scene("awkward_identity.json", text2);
    EXPECT_TRUE(load_scene(p2.string()) == identity);
    expect_compute_matches(run_convlens({"compute", p2.string()}), identity);
}

TEST(CliCompute, DefaultsForOmittedKeys) {
    // Only the required keys: stride 1, padding 0, dilation 1, cross-correlation,
    // identity, index base 1, J = sum z^{l+1}. Worked by hand (DESIGN.md):
    //   z^{l+1} = | 1*1+2*2+4*3+5*4  2*1+3*2+5*3+6*4 | = | 37 47 |
    //             | 4*1+5*2+7*3+8*4  5*1+6*2+8*3+9*4 |   | 67 77 |, loss 228.
    const fs::path p = write_scene("minimal.json",
                                   R"({"convlens": 1, "input": [[1,2,3],[4,5,6],[7,8,9]],
                                       "kernel": [[1,2],[3,4]]})");
    const Outcome r = run_convlens({"compute", p.string()});
    ASSERT_EQ(r.status, 0) << describe(r);
    const json j = json::parse(r.out);
    EXPECT_TRUE(same_doubles(j["output"], Matrix{{37, 47}, {67, 77}}));
    EXPECT_TRUE(same_doubles(j["upstream"], Matrix{{1, 1}, {1, 1}}));
    EXPECT_TRUE(same_doubles(j["grad_input"], Matrix{{1, 3, 2}, {4, 10, 6}, {3, 7, 4}}));
    EXPECT_TRUE(same_doubles(j["grad_kernel"], Matrix{{12, 16}, {24, 28}}));
    EXPECT_EQ(j["loss"], 228);
}

// [SECTION] influence

// The JSON shape of issue 2, every tap once in the scene's base, and the numbers of the
// engine's own influence_taps.
void expect_influence(const Scene& scene, const std::string& path, int M, int N) {
    SCOPED_TRACE(path + " element " + std::to_string(M) + "," + std::to_string(N));
    const Outcome r = run_convlens({"influence", path, std::to_string(M), std::to_string(N)});
    ASSERT_EQ(r.status, 0) << describe(r);
    EXPECT_EQ(r.err, "");
    const json j = json::parse(r.out);
    EXPECT_EQ(j["element"], json::array({M, N}));
    const json& taps = j["taps"];
    const int kh = int(scene.kernel.rows()), kw = int(scene.kernel.cols());
    const int base = scene.index_base;
    ASSERT_TRUE(taps.is_array());
    ASSERT_EQ(taps.size(), std::size_t(kh * kw));

    const LayerResults res = compute_layer(scene);
    const auto expected = influence_taps(scene.kernel, res.upstream,
                                         {int(scene.input.rows()), int(scene.input.cols())},
                                         scene.spec, {M - base, N - base}, base);
    std::set<std::pair<int, int>> seen;
    for (std::size_t k = 0; k < taps.size(); ++k) {
        const json& t = taps[k];
        for (const char* key : {"tap", "output", "inside", "weight", "upstream", "index", "reason"})
            ASSERT_TRUE(t.contains(key)) << key << " missing in " << t.dump();
        const int i = t["tap"][0].get<int>(), jj = t["tap"][1].get<int>();
        EXPECT_TRUE(i >= base && i < kh + base && jj >= base && jj < kw + base) << t.dump();
        EXPECT_TRUE(seen.insert({i, jj}).second) << "tap listed twice: " << t.dump();
        EXPECT_EQ(t["weight"].get<double>(), scene.kernel(i - base, jj - base));
        EXPECT_TRUE(t["index"].is_string());
        EXPECT_TRUE(t["reason"].is_string());
        const InfluenceTap& e = expected[k];
        EXPECT_EQ(t["index"].get<std::string>(), e.index);
        if (t["inside"].get<bool>()) {
            ASSERT_TRUE(t["output"].is_array()) << t.dump();
            const int p = t["output"][0].get<int>(), q = t["output"][1].get<int>();
            EXPECT_TRUE(p >= base && p < res.output.rows() + base && q >= base &&
                        q < res.output.cols() + base)
                << t.dump();
            EXPECT_EQ(t["upstream"].get<double>(), res.upstream(p - base, q - base));
            ASSERT_TRUE(e.output.has_value());
            EXPECT_EQ(p, e.output->row + base);
            EXPECT_EQ(q, e.output->col + base);
            EXPECT_EQ(t["reason"], "");
        } else {
            EXPECT_TRUE(t["output"].is_null()) << t.dump();
            EXPECT_TRUE(t["upstream"].is_null()) << t.dump();
            EXPECT_FALSE(e.output.has_value());
            EXPECT_NE(t["reason"], "");
        }
    }
    EXPECT_EQ(seen.size(), std::size_t(kh * kw));
}

TEST(CliInfluence, CornersAndCentreOfEveryExampleScene) {
    for (const fs::path& p : example_scenes()) {
        const Scene scene = load_scene(p.string());
        const int b = scene.index_base;
        const int H = int(scene.input.rows()), W = int(scene.input.cols());
        for (auto [m, n] : {std::pair{b, b}, {b, W - 1 + b}, {H - 1 + b, b},
                            {H - 1 + b, W - 1 + b}, {H / 2 + b, W / 2 + b}})
            expect_influence(scene, p.string(), m, n);
    }
}

// The textbook case in both bases: 3x3 input, 2x2 kernel | 1 2 ; 3 4 |, upstream
// | 1 -1 ; 2 3 |. Centre element (2,2) one-based = (1,1) zero-based: every tap inside,
// tap (i,j) -> (3-i, 3-j) one-based; products 3, 4, -3, 4.
TEST(CliInfluence, TextbookCentreInBothBases) {
    const std::string body = R"("input": [[1,2,3],[4,5,6],[7,8,9]], "kernel": [[1,2],[3,4]],
                                "upstream": [[1,-1],[2,3]])";
    const fs::path one = write_scene("textbook1.json", "{\"convlens\": 1, " + body + "}");
    const fs::path zero = write_scene("textbook0.json",
                                      "{\"convlens\": 1, \"index_base\": 0, " + body + "}");
    const Outcome r1 = run_convlens({"influence", one.string(), "2", "2"});
    const Outcome r0 = run_convlens({"influence", zero.string(), "1", "1"});
    ASSERT_EQ(r1.status, 0) << describe(r1);
    ASSERT_EQ(r0.status, 0) << describe(r0);
    const json j1 = json::parse(r1.out), j0 = json::parse(r0.out);
    const int outputs[4][2] = {{2, 2}, {2, 1}, {1, 2}, {1, 1}};
    const double upstream[4] = {3, 2, -1, 1};
    for (int k = 0; k < 4; ++k) {
        const json& t1 = j1["taps"][std::size_t(k)];
        const json& t0 = j0["taps"][std::size_t(k)];
        EXPECT_EQ(t1["tap"], json::array({k / 2 + 1, k % 2 + 1}));
        EXPECT_EQ(t0["tap"], json::array({k / 2, k % 2}));
        EXPECT_EQ(t1["output"], json::array({outputs[k][0], outputs[k][1]}));
        EXPECT_EQ(t0["output"], json::array({outputs[k][0] - 1, outputs[k][1] - 1}));
        EXPECT_EQ(t1["inside"], true);
        EXPECT_EQ(t1["upstream"], upstream[k]);
        EXPECT_EQ(t1["weight"], k + 1);
        EXPECT_EQ(t1["index"], "m-i+1, n-j+1");
        EXPECT_EQ(t0["index"], "m-i, n-j");
        EXPECT_EQ(t1["reason"], "");
    }
    // Corner (1,1): only tap (1,1) reaches an output; the others land in the zero padding.
    const Outcome c = run_convlens({"influence", one.string(), "1", "1"});
    ASSERT_EQ(c.status, 0) << describe(c);
    const json jc = json::parse(c.out);
    EXPECT_EQ(jc["taps"][0]["output"], json::array({1, 1}));
    for (int k = 1; k < 4; ++k) {
        EXPECT_EQ(jc["taps"][std::size_t(k)]["inside"], false);
        EXPECT_TRUE(jc["taps"][std::size_t(k)]["output"].is_null());
        EXPECT_TRUE(jc["taps"][std::size_t(k)]["upstream"].is_null());
    }
}

TEST(CliInfluence, ZeroBasedExampleScene) {
    const fs::path p = asset("zero_based.json");
    const Scene scene = load_scene(p.string());
    ASSERT_EQ(scene.index_base, 0);
    expect_influence(scene, p.string(), 0, 0);
    expect_influence(scene, p.string(), int(scene.input.rows()) - 1, int(scene.input.cols()) - 1);
    // One past the end in base 0 is out of range.
    const Outcome r = run_convlens({"influence", p.string(), std::to_string(scene.input.rows()), "0"});
    EXPECT_EQ(r.status, 1) << describe(r);
}

TEST(CliInfluence, StandardInput) {
    const fs::path p = asset("default.json");
    const Outcome a = run_convlens({"influence", "-", "3", "3"}, p.string());
    const Outcome b = run_convlens({"influence", p.string(), "3", "3"});
    ASSERT_EQ(a.status, 0) << describe(a);
    EXPECT_EQ(a.out, b.out);
}

// One line on stderr, nothing on stdout, status 1.
::testing::AssertionResult one_line_error(const Outcome& r) {
    if (r.status != 1) return ::testing::AssertionFailure() << "expected status 1\n" << describe(r);
    if (!r.out.empty()) return ::testing::AssertionFailure() << "stdout not empty\n" << describe(r);
    if (r.err.empty() || r.err.back() != '\n' ||
        r.err.find('\n') != r.err.size() - 1)
        return ::testing::AssertionFailure() << "expected exactly one stderr line\n" << describe(r);
    if (r.err.rfind("convlens: ", 0) != 0)
        return ::testing::AssertionFailure() << "expected \"convlens: ...\"\n" << describe(r);
    return ::testing::AssertionSuccess();
}

TEST(CliInfluence, OutOfRangeElementIsBadInput) {
    const fs::path p = asset("default.json");  // 5x5, one-based
    for (auto [m, n] : {std::pair{0, 1}, {1, 0}, {6, 1}, {1, 6}, {6, 6}, {100000, 1}}) {
        SCOPED_TRACE(std::to_string(m) + "," + std::to_string(n));
        EXPECT_TRUE(one_line_error(run_convlens({"influence", p.string(), std::to_string(m),
                                                 std::to_string(n)})));
    }
}

// [SECTION] check

TEST(CliCheck, EveryExampleScenePasses) {
    for (const fs::path& p : example_scenes()) {
        SCOPED_TRACE(p.string());
        const Outcome r = run_convlens({"check", p.string()});
        EXPECT_EQ(r.status, 0) << describe(r);
        const json j = json::parse(r.out);
        EXPECT_EQ(j["passed"], true);
        EXPECT_LE(j["grad_input"]["max_relative_difference"].get<double>(), 1e-6);
        EXPECT_LE(j["grad_kernel"]["max_relative_difference"].get<double>(), 1e-6);
    }
}

TEST(CliCheck, StandardInputWithEveryOption) {
    const fs::path p = write_scene("busy.json", R"({
      "convlens": 1, "title": "stride, padding, dilation, convolution, tanh, target",
      "input": [[0.5, -1, 2, 0.25, 1], [1.5, 0, -0.5, 2, -1], [0.1, 0.2, 0.3, -0.4, 0.6],
                [-1.2, 0.7, 1.1, 0, -0.3], [0.9, -0.8, 0.4, 1.3, -1.4]],
      "kernel": [[1, -0.5], [0.25, 2]],
      "target": [[0.5, -0.5, 1], [0, 1, -1], [0.2, 0.3, 0.4]],
      "stride": [2, 2], "padding": [1, 1], "dilation": [2, 2],
      "mode": "convolution", "activation": "tanh", "index_base": 0
    })");
    const Outcome r = run_convlens({"check", "-"}, p.string());
    EXPECT_EQ(r.status, 0) << describe(r);
    EXPECT_EQ(json::parse(r.out)["passed"], true);
    expect_compute_matches(run_convlens({"compute", "-"}, p.string()), load_scene(p.string()));
}

// [SECTION] Bad input: exit 1, one line naming the key

struct BadScene {
    const char* what;
    std::string text;
    std::vector<std::string> must_mention;  // e.g. "\"input\"", "row 2", "column 3"
};

std::string wide_row(int n) {
    std::string row = "[";
    for (int c = 0; c < n; ++c) row += c ? ",1" : "1";
    return row + "]";
}

std::string tall_matrix(int rows, int cols) {
    std::string m = "[";
    for (int r = 0; r < rows; ++r) m += (r ? "," : "") + wide_row(cols);
    return m + "]";
}

std::vector<BadScene> bad_scenes() {
    const std::string ok_kernel = R"("kernel": [[1, 0], [0, 1]])";
    const std::string ok_input = R"("input": [[1, 2, 3], [4, 5, 6], [7, 8, 9]])";
    auto scene = [](const std::string& body) { return "{\"convlens\": 1, " + body + "}"; };
    return {
        // Wrong types.
        {"kernel is a string", scene(ok_input + R"(, "kernel": "identity")"), {"\"kernel\""}},
        {"input is a number", scene(R"("input": 5, )" + ok_kernel), {"\"input\""}},
        {"a row is a number", scene(R"("input": [[1, 2], 3], )" + ok_kernel), {"\"input\"", "row 2"}},
        {"entry is a string", scene(R"("input": [[1, 2], [3, "4"]], )" + ok_kernel),
         {"\"input\"", "row 2", "column 2"}},
        {"entry is null", scene(ok_input + R"(, "kernel": [[1, null]])"),
         {"\"kernel\"", "row 1", "column 2"}},
        {"entry is true", scene(ok_input + R"(, "kernel": [[1], [true]])"),
         {"\"kernel\"", "row 2", "column 1"}},
        {"stride is a string", scene(ok_input + ", " + ok_kernel + R"(, "stride": "two")"), {"\"stride\""}},
        {"stride is fractional", scene(ok_input + ", " + ok_kernel + R"(, "stride": 1.5)"), {"\"stride\""}},
        {"stride has three entries", scene(ok_input + ", " + ok_kernel + R"(, "stride": [1, 1, 1])"),
         {"\"stride\""}},
        {"padding is an object", scene(ok_input + ", " + ok_kernel + R"(, "padding": {"rows": 1})"),
         {"\"padding\""}},
        {"mode is unknown", scene(ok_input + ", " + ok_kernel + R"(, "mode": "deconvolution")"), {"\"mode\""}},
        {"activation is unknown", scene(ok_input + ", " + ok_kernel + R"(, "activation": "softmax")"),
         {"\"activation\""}},
        {"index_base is 2", scene(ok_input + ", " + ok_kernel + R"(, "index_base": 2)"), {"\"index_base\""}},
        {"title is a number", scene(ok_input + ", " + ok_kernel + R"(, "title": 3)"), {"\"title\""}},
        {"version 2", R"({"convlens": 2, )" + ok_input + ", " + ok_kernel + "}", {"\"convlens\""}},
        {"version missing", "{" + ok_input + ", " + ok_kernel + "}", {"\"convlens\""}},
        {"input missing", scene(ok_kernel), {"\"input\""}},
        {"kernel missing", scene(ok_input), {"\"kernel\""}},
        // Unknown keys.
        {"unknown key", scene(ok_input + ", " + ok_kernel + R"(, "kernal": [[1]])"), {"\"kernal\""}},
        {"unknown key bias", scene(ok_input + ", " + ok_kernel + R"(, "bias": 0)"), {"\"bias\""}},
        // Ragged and empty rows.
        {"ragged input", scene(R"("input": [[1, 2, 3], [4, 5]], )" + ok_kernel), {"\"input\"", "row 2"}},
        {"ragged kernel", scene(ok_input + R"(, "kernel": [[1, 2], [3], [4, 5]])"), {"\"kernel\"", "row 2"}},
        {"ragged upstream", scene(ok_input + ", " + ok_kernel + R"(, "upstream": [[1, 2], [3]])"),
         {"\"upstream\"", "row 2"}},
        {"ragged target", scene(ok_input + ", " + ok_kernel + R"(, "target": [[1], [2, 3]])"),
         {"\"target\"", "row 2"}},
        {"empty input", scene(R"("input": [], )" + ok_kernel), {"\"input\""}},
        {"empty first row", scene(R"("input": [[]], )" + ok_kernel), {"\"input\"", "row 1"}},
        {"empty second row", scene(R"("input": [[1, 2], []], )" + ok_kernel), {"\"input\"", "row 2"}},
        {"empty kernel", scene(ok_input + R"(, "kernel": [])"), {"\"kernel\""}},
        // Non-finite numbers that JSON can spell: 1e999 overflows to infinity.
        {"1e999 in the input", scene(R"("input": [[1, 2], [3, 1e999]], )" + ok_kernel),
         {"\"input\"", "row 2", "column 2"}},
        {"-1e999 in the kernel", scene(ok_input + R"(, "kernel": [[-1e999, 1]])"),
         {"\"kernel\"", "row 1", "column 1"}},
        // Shapes.
        {"kernel larger than the input", scene(ok_input + R"(, "kernel": [[1,1,1,1],[1,1,1,1]])"),
         {"\"kernel\""}},
        {"kernel larger than the padded input",
         scene(ok_input + R"(, "kernel": )" + tall_matrix(6, 6) + R"(, "padding": 1)"), {"\"kernel\""}},
        {"upstream shape mismatch",
         scene(ok_input + ", " + ok_kernel + R"(, "upstream": [[1, 2, 3], [4, 5, 6]])"), {"\"upstream\""}},
        {"target shape mismatch", scene(ok_input + ", " + ok_kernel + R"(, "target": [[1]])"),
         {"\"target\""}},
        // Geometry below its minimum.
        {"stride 0", scene(ok_input + ", " + ok_kernel + R"(, "stride": 0)"), {"\"stride\""}},
        {"stride [1, 0]", scene(ok_input + ", " + ok_kernel + R"(, "stride": [1, 0])"), {"\"stride\""}},
        {"stride -1", scene(ok_input + ", " + ok_kernel + R"(, "stride": -1)"), {"\"stride\""}},
        {"dilation 0", scene(ok_input + ", " + ok_kernel + R"(, "dilation": 0)"), {"\"dilation\""}},
        {"dilation [0, 1]", scene(ok_input + ", " + ok_kernel + R"(, "dilation": [0, 1])"), {"\"dilation\""}},
        {"padding -1", scene(ok_input + ", " + ok_kernel + R"(, "padding": -1)"), {"\"padding\""}},
        {"padding [0, -2]", scene(ok_input + ", " + ok_kernel + R"(, "padding": [0, -2])"), {"\"padding\""}},
        // Beyond the documented caps of scene.h.
        {"input wider than the cap",
         scene(R"("input": [)" + wide_row(kMaxInputExtent + 1) + "], " + ok_kernel), {"\"input\""}},
        {"input taller than the cap",
         scene(R"("input": )" + tall_matrix(kMaxInputExtent + 1, 1) + R"(, "kernel": [[1]])"), {"\"input\""}},
        {"kernel beyond the cap",
         scene(R"("input": )" + tall_matrix(40, 40) + R"(, "kernel": )" +
               tall_matrix(kMaxKernelExtent + 1, 1)),
         {"\"kernel\""}},
        {"stride beyond the cap",
         scene(ok_input + ", " + ok_kernel + R"(, "stride": )" + std::to_string(kMaxStride + 1)), {"\"stride\""}},
        {"padding beyond the cap",
         scene(ok_input + ", " + ok_kernel + R"(, "padding": )" + std::to_string(kMaxPadding + 1)),
         {"\"padding\""}},
        {"dilation beyond the cap",
         scene(ok_input + R"(, "kernel": [[1]], "dilation": )" + std::to_string(kMaxDilation + 1)),
         {"\"dilation\""}},
        {"a size far beyond int", scene(ok_input + ", " + ok_kernel + R"(, "stride": 1e30)"), {"\"stride\""}},
    };
}

TEST(CliBadInput, EveryErrorPathNamesTheKey) {
    int n = 0;
    for (const BadScene& bad : bad_scenes()) {
        SCOPED_TRACE(bad.what);
        const fs::path p = write_scene("bad" + std::to_string(n++) + ".json", bad.text);
        const Outcome r = run_convlens({"compute", p.string()});
        ASSERT_TRUE(one_line_error(r));
        for (const std::string& word : bad.must_mention)
            EXPECT_NE(r.err.find(word), std::string::npos) << "should mention " << word << ": " << r.err;
    }
}

// influence and check load the same way: the same one-line errors.
TEST(CliBadInput, InfluenceAndCheckReportTheSameErrors) {
    const std::set<std::string> chosen = {"kernel is a string", "ragged input",
                                          "1e999 in the input", "upstream shape mismatch",
                                          "stride 0"};
    std::size_t k = 0, used = 0;
    for (const BadScene& bad : bad_scenes()) {
        ++k;
        if (!chosen.count(bad.what)) continue;
        ++used;
        SCOPED_TRACE(bad.what);
        const fs::path p = write_scene("bad_other" + std::to_string(k) + ".json", bad.text);
        for (const Outcome& r : {run_convlens({"influence", p.string(), "1", "1"}),
                             run_convlens({"check", p.string()})}) {
            EXPECT_TRUE(one_line_error(r));
            EXPECT_NE(r.err.find(bad.must_mention[0]), std::string::npos) << r.err;
        }
    }
    EXPECT_EQ(used, chosen.size());
}

TEST(CliBadInput, MissingFileAndDirectory) {
    const std::string missing = (temp_dir() / "no_such_scene.json").string();
    for (const char* cmd : {"compute", "check"}) {
        const Outcome r = run_convlens({cmd, missing});
        EXPECT_TRUE(one_line_error(r));
        EXPECT_NE(r.err.find("no_such_scene.json"), std::string::npos) << r.err;
    }
    EXPECT_TRUE(one_line_error(run_convlens({"influence", missing, "1", "1"})));
    EXPECT_TRUE(one_line_error(run_convlens({"compute", temp_dir().string()})));
}

TEST(CliBadInput, InvalidJson) {
    const std::vector<std::string> texts = {
        R"({"convlens": 1, "input": [[1, 2]])",     // truncated
        R"({"convlens": 1, "input": [[1, 2],], })", // trailing commas
        "",                                          // empty file
        "not json at all",
        "[1, 2, 3]",                                 // not an object
        "\xff\xfe\x00\x01",                          // binary
        R"({"convlens": 1, "input": [[1]], "kernel": [[1]]} trailing)",
    };
    for (std::size_t k = 0; k < texts.size(); ++k) {
        SCOPED_TRACE(k);
        const fs::path p = write_scene("invalid" + std::to_string(k) + ".json", texts[k]);
        EXPECT_TRUE(one_line_error(run_convlens({"compute", p.string()})));
    }
    // And on standard input.
    const fs::path p = write_scene("invalid_stdin.json", "{\"convlens\": ");
    EXPECT_TRUE(one_line_error(run_convlens({"compute", "-"}, p.string())));
}

// NaN and Infinity are not JSON, so a strict parser stops at them: the program must still
// exit 1 with one line (and nothing on stdout).
const std::vector<std::string>& non_finite_texts() {
    static const std::vector<std::string> texts = {
        R"({"convlens": 1, "input": [[1, NaN], [3, 4]], "kernel": [[1]]})",
        R"({"convlens": 1, "input": [[1, 2], [3, 4]], "kernel": [[Infinity]]})",
        R"({"convlens": 1, "input": [[1, 2], [-Infinity, 4]], "kernel": [[1]]})",
        R"({"convlens": 1, "input": [[1, 2], [3, 4]], "kernel": [[1]], "target": [[nan, 1], [1, 1]]})",
    };
    return texts;
}

TEST(CliBadInput, NanAndInfinityTextExitOneOnOneLine) {
    for (std::size_t k = 0; k < non_finite_texts().size(); ++k) {
        SCOPED_TRACE(non_finite_texts()[k]);
        const fs::path p = write_scene("nonfinite" + std::to_string(k) + ".json", non_finite_texts()[k]);
        EXPECT_TRUE(one_line_error(run_convlens({"compute", p.string()})));
    }
}

// Issue 2: the line for NaN/Infinity text names the key and the row and column.
TEST(CliBadInput, NanAndInfinityTextNameTheKeyRowAndColumn) {
    const std::vector<std::vector<std::string>> mentions = {
        {"\"input\"", "row 1", "column 2"},
        {"\"kernel\"", "row 1", "column 1"},
        {"\"input\"", "row 2", "column 1"},
        {"\"target\"", "row 1", "column 1"},
    };
    for (std::size_t k = 0; k < non_finite_texts().size(); ++k) {
        SCOPED_TRACE(non_finite_texts()[k]);
        const fs::path p = write_scene("nonfinite_key" + std::to_string(k) + ".json", non_finite_texts()[k]);
        const Outcome r = run_convlens({"compute", p.string()});
        ASSERT_TRUE(one_line_error(r));
        for (const std::string& word : mentions[k])
            EXPECT_NE(r.err.find(word), std::string::npos) << "should mention " << word << ": " << r.err;
    }
}

// [SECTION] Usage errors: exit 2

TEST(CliUsage, UsageErrorsExitTwo) {
    const std::string scene = asset("default.json").string();
    const std::vector<std::vector<std::string>> cases = {
        {"compute", "--bogus", scene},
        {"compute"},                       // SCENE missing
        {"compute", scene, "extra"},
        {"check", "--frobnicate", scene},
        {"check"},
        {"influence", scene, "x", "1"},    // M not an integer
        {"influence", scene, "1", "1.5"},  // N not an integer
        {"influence", scene, "1"},         // N missing
        {"influence", scene},
        {"influence", scene, "1", "1", "1"},
        {"--no-such-option"},
    };
    for (const auto& args : cases) {
        std::string line;
        for (const auto& a : args) line += a + " ";
        SCOPED_TRACE(line);
        const Outcome r = run_convlens(args);
        EXPECT_EQ(r.status, 2) << describe(r);
        EXPECT_EQ(r.out, "") << describe(r);
        EXPECT_FALSE(r.err.empty());
    }
}

}  // namespace
}  // namespace convlens
