// `convlens explain` run as a user would: every lesson on every example scene prints its
// steps and ends with the finished sum, whose value is the engine's (forward: z^{l+1};
// influence, backward, equivalence, derivation: delta^l; kernel-gradient: dJ/dw); --latex
// prints the TeX source; usage errors exit 2 and bad scenes exit 1, with one line each.
//
// [SECTION] Reading explain's output
// [SECTION] Every lesson on every example scene
// [SECTION] One step, LaTeX, standard input
// [SECTION] Usage errors and bad scenes

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "cli/explain_output.h"
#include "cli/run_binary.h"
#include "engine/conv_spec.h"
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

// [SECTION] Reading explain's output

// How far a number may be from its printed form: util/number_format.h rounds to three
// decimals below 10, two below 100, one above, two significant digits below 0.0005.
double print_tolerance(double v) {
    const double a = std::abs(v);
    if (a < 0.0005) return 0.051 * a + 1e-12;
    if (a < 10) return 5.01e-4;
    if (a < 100) return 5.01e-3;
    return 5.01e-2 + 1e-6 * a;
}

// The cell the closing line is about, from its TeX left side: "\delta^{l}_{3,2} = 4".
std::optional<Cell> cell_of_closing_line(const std::string& latex_line, int base) {
    static const std::regex subscript(R"(_\{(-?\d+),(-?\d+)\})");
    const std::string lhs = latex_line.substr(0, latex_line.find('='));
    std::smatch m;
    std::optional<Cell> last;
    for (auto it = std::sregex_iterator(lhs.begin(), lhs.end(), subscript);
         it != std::sregex_iterator(); ++it)
        last = Cell{std::stoi((*it)[1]) - base, std::stoi((*it)[2]) - base};
    return last;
}

// The engine's number for a lesson's cell.
double engine_value(const std::string& lesson, const LayerResults& r, Cell c) {
    if (lesson == "forward") return r.output(c.row, c.col);
    if (lesson == "kernel-gradient") return r.grad_kernel(c.row, c.col);
    return r.grad_input(c.row, c.col);
}

const std::vector<std::string> kLessons = {"forward",         "influence",   "backward",
                                           "kernel-gradient", "equivalence", "derivation"};

std::vector<fs::path> example_scenes() {
    std::vector<fs::path> scenes;
    for (const auto& e : fs::directory_iterator(fs::path(CONVLENS_ASSET_DIR) / "scenes"))
        if (e.path().extension() == ".json") scenes.push_back(e.path());
    std::sort(scenes.begin(), scenes.end());
    return scenes;
}

std::string cell_arg(Cell c, int base) {
    return std::to_string(c.row + base) + "," + std::to_string(c.col + base);
}

// [SECTION] Every lesson on every example scene

struct Shapes {
    int H, W, kh, kw, Ho, Wo;
};

Shapes shapes_of(const Scene& s, const LayerResults& r) {
    return {int(s.input.rows()),  int(s.input.cols()),  int(s.kernel.rows()),
            int(s.kernel.cols()), int(r.output.rows()), int(r.output.cols())};
}

// Steps explain prints for a lesson: with a cell, that cell's story; without, the whole
// lesson (equivalence and derivation are always about one element).
int expected_headers(const std::string& lesson, const Shapes& s, bool with_cell) {
    if (lesson == "forward") return with_cell ? 1 : s.Ho * s.Wo;
    if (lesson == "kernel-gradient") return with_cell ? 1 : s.kh * s.kw;
    if (lesson == "influence") return with_cell ? s.kh * s.kw + 1 : s.H * s.W;
    if (lesson == "backward") return 4 + (with_cell ? 1 : s.H * s.W);
    if (lesson == "equivalence") return s.kh * s.kw + 1;
    return 6;  // derivation: DERIVATION.md's six lines
}

TEST(CliExplain, EveryLessonEndsWithTheEnginesNumber) {
    const std::vector<fs::path> scenes = example_scenes();
    ASSERT_GE(scenes.size(), 5u);
    int runs = 0;
    for (const fs::path& path : scenes) {
        const Scene scene = load_scene(path.string());
        const LayerResults results = compute_layer(scene);
        const Shapes s = shapes_of(scene, results);
        const int base = scene.index_base;
        for (const std::string& lesson : kLessons) {
            // The lesson's own grid: its first and last cell, and no cell at all.
            const Cell last = lesson == "forward"           ? Cell{s.Ho - 1, s.Wo - 1}
                              : lesson == "kernel-gradient" ? Cell{s.kh - 1, s.kw - 1}
                                                            : Cell{s.H - 1, s.W - 1};
            // Without a cell in both forms (the TeX names the cell the lesson ends on), the
            // first cell as text and the last as TeX: every form, few runs of the binary.
            struct Run {
                std::optional<Cell> cell;
                bool plain, latex;
            };
            for (const Run& run : {Run{std::nullopt, true, true}, Run{Cell{0, 0}, true, false},
                                   Run{last, false, true}}) {
                const std::optional<Cell> cell = run.cell;
                std::vector<std::string> args = {"explain", path.string(), "--lesson", lesson};
                if (cell) {
                    args.push_back("--cell");
                    args.push_back(cell_arg(*cell, base));
                }
                std::string trace = path.filename().string() + " " + lesson;
                if (cell) trace += " --cell " + cell_arg(*cell, base);
                SCOPED_TRACE(trace);

                std::vector<std::vector<std::string>> outputs;  // plain first, then TeX
                std::optional<Cell> about = cell;
                for (bool latex : {false, true}) {
                    if (latex ? !run.latex : !run.plain) continue;
                    std::vector<std::string> a = args;
                    if (latex) a.push_back("--latex");
                    const RunResult r = run_binary(a);
                    ++runs;
                    ASSERT_EQ(r.status, 0) << describe(r);
                    EXPECT_EQ(r.err, "");
                    const auto lines = lines_of(r.out);
                    ASSERT_FALSE(lines.empty());
                    EXPECT_EQ(count_step_headers(lines), expected_headers(lesson, s, bool(cell))) << r.out;
                    EXPECT_EQ(lines.back().rfind("step ", 0), std::string::npos)
                        << "the last line is the finished sum, not a header";
                    if (latex) {
                        // The closing line names its cell, in the scene's base.
                        const auto named = cell_of_closing_line(lines.back(), base);
                        ASSERT_TRUE(named.has_value()) << lines.back();
                        if (cell) {
                            EXPECT_EQ(*named, *cell) << lines.back();
                        }
                        about = named;
                    }
                    outputs.push_back(lines);
                }
                if (outputs.size() == 2) {
                    EXPECT_EQ(outputs[0].size(), outputs[1].size()) << "the same lines, in TeX";
                }
                ASSERT_TRUE(about.has_value());
                const Cell grid = lesson == "forward"           ? Cell{s.Ho, s.Wo}
                                  : lesson == "kernel-gradient" ? Cell{s.kh, s.kw}
                                                                : Cell{s.H, s.W};
                ASSERT_TRUE(about->row >= 0 && about->col >= 0 && about->row < grid.row &&
                            about->col < grid.col);
                // ... and the engine's value for that cell.
                const double expected = engine_value(lesson, results, *about);
                for (const auto& lines : outputs) {
                    const auto value = value_after_last_equals(lines.back());
                    ASSERT_TRUE(value.has_value()) << "no number at the end of: " << lines.back();
                    EXPECT_NEAR(*value, expected, print_tolerance(expected)) << lines.back();
                }
            }
        }
    }
    EXPECT_GT(runs, 150);
}

// Hand-worked on the textbook scene (one-based): delta^l_{3,2} collects
//   delta^{l+1}_{3,2} w_{1,1} + delta^{l+1}_{3,1} w_{1,2} + delta^{l+1}_{2,2} w_{2,1}
// + delta^{l+1}_{2,1} w_{2,2} + delta^{l+1}_{1,2} w_{3,1} + delta^{l+1}_{1,1} w_{3,2}
//   = 1*1 + (-2)*0 + 2*2 + 0*1 + (-1)*0 + 1*(-1) = 4 (the taps with q = 0 add nothing),
// and z^{l+1}_{1,1} = 1*1 + 2*0 + 0*(-1) + 0*2 + (-2)*1 + 1*0 + 3*0 + 1*(-1) + (-1)*3 = -5.
TEST(CliExplain, TextbookNumbersByHand) {
    const std::string scene = (fs::path(CONVLENS_ASSET_DIR) / "scenes" / "default.json").string();
    const Scene loaded = load_scene(scene);
    ASSERT_EQ(loaded.index_base, 1);
    ASSERT_EQ(loaded.input(0, 0), 1);  // the scene these comments were worked on
    for (const char* lesson : {"influence", "backward", "equivalence", "derivation"}) {
        const RunResult r = run_binary({"explain", scene, "--lesson", lesson, "--cell", "3,2"});
        ASSERT_EQ(r.status, 0) << describe(r);
        const auto lines = lines_of(r.out);
        EXPECT_EQ(lines.back().rfind("δˡ₃,₂ = ", 0), 0u) << lesson << ": " << lines.back();
        EXPECT_EQ(value_after_last_equals(lines.back()), 4.0) << lesson << ": " << lines.back();
    }
    const RunResult f = run_binary({"explain", scene, "--lesson", "forward", "--cell", "1,1", "--latex"});
    ASSERT_EQ(f.status, 0) << describe(f);
    const auto lines = lines_of(f.out);
    EXPECT_EQ(lines.back().rfind("z^{l+1}_{1,1} = ", 0), 0u) << lines.back();
    EXPECT_EQ(value_after_last_equals(lines.back()), -5.0) << lines.back();
}

// [SECTION] One step, LaTeX, standard input

TEST(CliExplain, OneStepOnlyAndItsHeader) {
    const std::string scene = (fs::path(CONVLENS_ASSET_DIR) / "scenes" / "stride2.json").string();
    const Scene loaded = load_scene(scene);
    const LayerResults results = compute_layer(loaded);
    const Shapes s = shapes_of(loaded, results);
    const int steps = 4 + s.H * s.W;  // backward: turn, turned, spread, zeros, then each cell
    for (int k : {1, 5, steps}) {
        const RunResult r = run_binary({"explain", scene, "--lesson", "backward", "--step", std::to_string(k)});
        ASSERT_EQ(r.status, 0) << describe(r);
        const auto lines = lines_of(r.out);
        ASSERT_GE(lines.size(), 2u);
        EXPECT_EQ(count_step_headers(lines), 1);
        EXPECT_EQ(lines.front().rfind("step " + std::to_string(k) + "/" + std::to_string(steps) + ": ", 0), 0u)
            << lines.front();
        EXPECT_TRUE(value_after_last_equals(lines.back()).has_value()) << lines.back();
    }
    // The last step is the last input element's delta^l.
    const RunResult r = run_binary({"explain", scene, "--lesson", "backward", "--step", std::to_string(steps)});
    const double expected = results.grad_input(s.H - 1, s.W - 1);
    EXPECT_NEAR(value_after_last_equals(lines_of(r.out).back()).value_or(1e300), expected,
                print_tolerance(expected));
}

TEST(CliExplain, LatexPrintsTheSourceAndPlainPrintsUnicode) {
    const std::string scene = (fs::path(CONVLENS_ASSET_DIR) / "scenes" / "default.json").string();
    const RunResult latex = run_binary({"explain", scene, "--lesson", "influence", "--cell", "3,2", "--latex"});
    const RunResult plain = run_binary({"explain", scene, "--lesson", "influence", "--cell", "3,2"});
    ASSERT_EQ(latex.status, 0) << describe(latex);
    ASSERT_EQ(plain.status, 0) << describe(plain);
    EXPECT_EQ(lines_of(latex.out).back().rfind("\\delta^{l}_{3,2} = ", 0), 0u) << latex.out;
    EXPECT_NE(latex.out.find("\\cdot"), std::string::npos);
    EXPECT_EQ(latex.out.find("₃"), std::string::npos) << "TeX, not Unicode scripts";
    EXPECT_EQ(plain.out.find('\\'), std::string::npos) << "no TeX left in the plain text";
    EXPECT_EQ(plain.out.find("_{"), std::string::npos) << plain.out;
    EXPECT_NE(plain.out.find("·"), std::string::npos);
}

TEST(CliExplain, SceneFromStandardInput) {
    const std::string scene = (fs::path(CONVLENS_ASSET_DIR) / "scenes" / "zero_based.json").string();
    const RunResult from_file = run_binary({"explain", scene, "--lesson", "kernel-gradient", "--cell", "0,0"});
    const RunResult from_stdin = run_binary({"explain", "-", "--lesson", "kernel-gradient", "--cell", "0,0"}, scene);
    ASSERT_EQ(from_file.status, 0) << describe(from_file);
    EXPECT_EQ(from_stdin.status, 0) << describe(from_stdin);
    EXPECT_EQ(from_stdin.out, from_file.out);
}

// Each line of the derivation is judged once (the step's own verdict line, no second one
// added by explain), with DERIVATION.md's verdicts: lines 1-2 correct, 3-5 wrong (the
// slip and what follows from it), 6 correct; in plain text and in TeX source alike.
TEST(CliExplain, DerivationJudgesEachLineOnce) {
    const std::string scene = (fs::path(CONVLENS_ASSET_DIR) / "scenes" / "default.json").string();
    const std::vector<std::string> expected = {"correct", "correct", "wrong", "wrong", "wrong", "correct"};
    const std::regex verdict(R"(^\s+(\\text\{)?(Correct|Wrong|correct|wrong)\b\s*:)");
    for (const bool latex : {false, true}) {
        std::vector<std::string> args = {"explain", scene, "--lesson", "derivation"};
        if (latex) args.push_back("--latex");
        const RunResult out = run_binary(args);
        ASSERT_EQ(out.status, 0) << describe(out);
        std::vector<std::vector<std::string>> verdicts;  // per step, in order
        for (const std::string& line : lines_of(out.out)) {
            if (line.rfind("step ", 0) == 0) verdicts.emplace_back();
            std::smatch m;
            if (!verdicts.empty() && std::regex_search(line, m, verdict)) {
                std::string word = m[2];
                word[0] = char(std::tolower(static_cast<unsigned char>(word[0])));
                verdicts.back().push_back(word);
            }
        }
        ASSERT_EQ(verdicts.size(), expected.size()) << out.out;
        for (size_t k = 0; k < expected.size(); ++k) {
            SCOPED_TRACE("latex " + std::to_string(latex) + ", line " + std::to_string(k + 1));
            ASSERT_EQ(verdicts[k].size(), 1u) << out.out;
            EXPECT_EQ(verdicts[k][0], expected[k]);
        }
    }
}

// [SECTION] Usage errors and bad scenes

void expect_one_line_error(const RunResult& r, int status) {
    EXPECT_EQ(r.status, status) << describe(r);
    EXPECT_EQ(r.out, "") << describe(r);
    ASSERT_FALSE(r.err.empty()) << describe(r);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "exactly one line: " << r.err;
    EXPECT_EQ(r.err.back(), '\n');
}

TEST(CliExplain, UsageErrorsExitTwoWithOneLine) {
    const std::string scene = (fs::path(CONVLENS_ASSET_DIR) / "scenes" / "default.json").string();
    const std::vector<std::vector<std::string>> cases = {
        {"explain", scene, "--lesson", "sideways"},
        {"explain", scene},                                                 // no --lesson
        {"explain", "--lesson", "forward"},                                 // no SCENE
        {"explain", scene, "--lesson", "forward", "--cell", "3"},           // one index
        {"explain", scene, "--lesson", "forward", "--cell", "3,x"},
        {"explain", scene, "--lesson", "forward", "--cell", "1,2,3"},
        {"explain", scene, "--lesson", "forward", "--cell", "1.5,2"},
        {"explain", scene, "--lesson", "forward", "--cell", "4,1"},         // output is 3x3
        {"explain", scene, "--lesson", "influence", "--cell", "0,1"},       // base 1
        {"explain", scene, "--lesson", "kernel-gradient", "--cell", "1,4"}, // kernel is 3x3
        {"explain", scene, "--lesson", "backward", "--step", "30"},         // 4 + 25 steps
        {"explain", scene, "--lesson", "backward", "--step", "0"},
        {"explain", scene, "--lesson", "backward", "--step", "two"},
        {"explain", scene, "--lesson", "forward", "--bogus"},
    };
    for (const auto& args : cases) {
        std::string line;
        for (const auto& a : args) line += a + " ";
        SCOPED_TRACE(line);
        expect_one_line_error(run_binary(args), 2);
    }
}

TEST(CliExplain, OutsideMessagesNameTheGridAndItsShape) {
    const std::string scene = (fs::path(CONVLENS_ASSET_DIR) / "scenes" / "default.json").string();
    const RunResult out = run_binary({"explain", scene, "--lesson", "forward", "--cell", "4,1"});
    EXPECT_NE(out.err.find("3x3"), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("4,1"), std::string::npos) << out.err;
    const RunResult in = run_binary({"explain", scene, "--lesson", "derivation", "--cell", "6,1"});
    EXPECT_NE(in.err.find("5x5"), std::string::npos) << in.err;
    const RunResult step = run_binary({"explain", scene, "--lesson", "forward", "--step", "10"});
    EXPECT_NE(step.err.find("9"), std::string::npos) << "names how many steps there are: " << step.err;
}

TEST(CliExplain, BadScenesExitOneWithOneLine) {
    const auto missing = cli::scratch_dir() / "no-such-scene.json";
    expect_one_line_error(run_binary({"explain", missing.string(), "--lesson", "forward"}), 1);
    const auto broken = cli::scratch_dir() / "broken.json";
    std::ofstream(broken) << R"({"convlens": 1, "input": [[1, 2], [3]], "kernel": [[1]]})";
    expect_one_line_error(run_binary({"explain", broken.string(), "--lesson", "backward"}), 1);
    expect_one_line_error(run_binary({"explain", "-", "--lesson", "forward"}, broken.string()), 1);
}

}  // namespace
}  // namespace convlens
