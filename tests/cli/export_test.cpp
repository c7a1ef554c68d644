// `convlens export` run as a teacher would: the PDF has a page per lesson step with the
// engine's numbers as text, PNG frames follow --size and --scale and repeat byte for byte,
// SVG frames are XML with the values as text, GIF and MP4 hold a frame per step, TikZ
// compiles; usage errors exit 2, failures exit 1 with one line and leave nothing behind.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/layer_results.h"
#include "lesson/lesson.h"
#include "scene/scene_json.h"
#include "util/number_format.h"
#include "scratch_dir.h"

namespace convlens {
namespace {

namespace fs = std::filesystem;

const std::string kScene = std::string(CONVLENS_ASSET_DIR) + "/scenes/default.json";

struct ExportRun {
    int status = -1;
    std::string err;
};

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

using Scratch = test_support::ScratchDir;  // a scratch folder for each test

// Runs `convlens export ARGS` with stderr captured (stdin and stdout not a terminal).
ExportRun export_with(const Scratch& dir, const std::string& args) {
    const std::string err = dir / ".stderr";
    const std::string command = std::string("'") + CONVLENS_BINARY + "' export " + args + " 2> '" + err +
                                "' > /dev/null < /dev/null";
    const int raw = std::system(command.c_str());
    ExportRun run;
    run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128;
    run.err = slurp(err);
    fs::remove(err);
    return run;
}

std::string shell(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return out;
    std::array<char, 4096> buffer{};
    std::size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
    ::pclose(pipe);
    return out;
}


int lesson_steps(LessonName name) {
    const Scene scene = load_scene(kScene);
    return static_cast<int>(build_lesson(name, scene, compute_layer(scene), std::nullopt).steps.size());
}

std::pair<int, int> png_size(const std::string& bytes) {
    const auto be32 = [&](std::size_t at) {
        return (static_cast<unsigned char>(bytes[at]) << 24) | (static_cast<unsigned char>(bytes[at + 1]) << 16) |
               (static_cast<unsigned char>(bytes[at + 2]) << 8) | static_cast<unsigned char>(bytes[at + 3]);
    };
    if (bytes.size() < 24 || bytes.compare(1, 3, "PNG") != 0) return {0, 0};
    return {be32(16), be32(20)};
}

std::string without_spaces(std::string s) {
    s.erase(std::remove_if(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); }), s.end());
    return s;
}

// What pdftotext prints for a number: the minus sign, not '-'.
std::string as_printed(double value) {
    std::string s = format_number(value);
    if (!s.empty() && s[0] == '-') s = "\u2212" + s.substr(1);
    return s;
}

TEST(ExportCli, BackwardPdfHasAPagePerStepEndingInTheEnginesGradient) {
    Scratch dir;
    const ExportRun run = export_with(dir, "'" + kScene + "' --lesson backward --format pdf --out '" + (dir / "b.pdf") + "'");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.err, "");  // no progress bar when stderr is not a terminal
    const int steps = lesson_steps(LessonName::Backward);
    const std::string info = shell("pdfinfo '" + (dir / "b.pdf") + "'");
    EXPECT_NE(info.find("Pages:"), std::string::npos) << info;
    const std::string pages = info.substr(info.find("Pages:") + 6, info.find('\n', info.find("Pages:")) - info.find("Pages:") - 6);
    EXPECT_EQ(std::stoi(pages), steps);
    // The last step finishes delta^l at the last input cell: its equation ends in the
    // engine's value (default scene: delta^l_{5,5} = 3), extractable as text.
    const Scene scene = load_scene(kScene);
    const LayerResults results = compute_layer(scene);
    const double last = results.grad_input(results.grad_input.rows() - 1, results.grad_input.cols() - 1);
    const std::string text = without_spaces(shell("pdftotext -f " + std::to_string(steps) + " -l " +
                                                  std::to_string(steps) + " '" + (dir / "b.pdf") + "' -"));
    EXPECT_NE(text.find("=" + as_printed(last)), std::string::npos) << text;
    EXPECT_EQ(dir.names(), std::vector<std::string>{"b.pdf"});  // no temporary left
}

TEST(ExportCli, PngFramesFollowSizeAndScaleAndRepeatExactly) {
    Scratch dir;
    const std::string base = "'" + kScene + "' --lesson forward --steps 2-3 --format png --size 640x360 --scale 2 ";
    ASSERT_EQ(export_with(dir, base + "--out '" + (dir / "a") + "'").status, 0);
    ASSERT_EQ(export_with(dir, base + "--out '" + (dir / "b") + "'").status, 0);
    const std::vector<std::string> names{"step-001.png", "step-002.png"};
    std::vector<std::string> got;
    for (const auto& e : fs::directory_iterator(dir / "a")) got.push_back(e.path().filename().string());
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, names);
    for (const std::string& name : names) {
        const std::string a = slurp(dir / ("a/" + name));
        EXPECT_EQ(png_size(a), std::make_pair(1280, 720)) << name;
        EXPECT_EQ(a, slurp(dir / ("b/" + name))) << name;
    }
    EXPECT_NE(slurp(dir / "a/step-001.png"), slurp(dir / "a/step-002.png"));
}

TEST(ExportCli, SvgFramesAreXmlWithTheOutputValueAsText) {
    Scratch dir;
    // Forward step 1 finishes z^{l+1}_{1,1}; its value is in the frame as text.
    const ExportRun run = export_with(dir, "'" + kScene + "' --lesson forward --steps 1 --format svg --out '" + (dir / "s") + "'");
    ASSERT_EQ(run.status, 0) << run.err;
    const std::string file = dir / "s/step-001.svg";
    const std::string parsed = shell("python3 -c \"import sys, xml.etree.ElementTree as E; "
                                     "r = E.parse(sys.argv[1]).getroot(); "
                                     "print(' '.join(''.join(t.itertext()) for t in r.iter('{http://www.w3.org/2000/svg}text')))\" '" +
                                     file + "'");
    const Scene scene = load_scene(kScene);
    const LayerResults results = compute_layer(scene);
    EXPECT_NE(parsed.find(as_printed(results.output(0, 0))), std::string::npos) << parsed;
    EXPECT_NE(parsed.find("z"), std::string::npos);
}

TEST(ExportCli, Mp4HoldsAFramePerStepAndAMissingFfmpegIsOneClearError) {
    Scratch dir;
    const std::string args = "'" + kScene + "' --lesson forward --format mp4 --size 640x360 --fps 4 --out '";
    ExportRun r = export_with(dir, args + (dir / "f.mp4") + "'");
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string probe = shell("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
                                    "stream=nb_read_frames,codec_name,width,height -of csv=p=0 '" + (dir / "f.mp4") + "'");
    EXPECT_EQ(probe, "h264,640,360," + std::to_string(lesson_steps(LessonName::Forward)) + "\n");
    // Without ffmpeg on PATH: exit 1, one line that names it, no file.
    const std::string err = dir / ".err";
    const int raw = std::system(("PATH=/nonexistent '" + std::string(CONVLENS_BINARY) + "' export " + args +
                                 (dir / "g.mp4") + "' 2> '" + err + "'").c_str());
    EXPECT_EQ(WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, 1);
    const std::string message = slurp(err);
    EXPECT_NE(message.find("ffmpeg"), std::string::npos) << message;
    EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1);
    fs::remove(err);
    EXPECT_EQ(dir.names(), std::vector<std::string>{"f.mp4"});
}

TEST(ExportCli, TikzCompilesWithPdflatexToAPagePerStep) {
    Scratch dir;
    // Three steps keep pdflatex quick; the overlays are what is tested.
    const ExportRun r = export_with(dir, "'" + kScene + "' --lesson forward --steps 1-3 --format tikz --out '" +
                                             (dir / "forward.tex") + "'");
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string tex = slurp(dir / "forward.tex");
    EXPECT_NE(tex.find("\\only<1>"), std::string::npos);
    EXPECT_NE(tex.find("\\begin{tikzpicture}"), std::string::npos);
    const std::string log = shell("cd '" + dir.path().string() +
                                  "' && pdflatex -interaction=nonstopmode -halt-on-error forward.tex 2>&1");
    ASSERT_TRUE(fs::exists(dir.path() / "forward.pdf")) << log.substr(log.size() > 3000 ? log.size() - 3000 : 0);
    const std::string info = shell("pdfinfo '" + (dir / "forward.pdf") + "'");
    const std::size_t at = info.find("Pages:");
    ASSERT_NE(at, std::string::npos);
    EXPECT_EQ(std::stoi(info.substr(at + 6)), 3);
    // Step 1 finishes z^{l+1}_{1,1}: the engine's value is on page 1 as text.
    const Scene scene = load_scene(kScene);
    const std::string page = without_spaces(shell("pdftotext -f 1 -l 1 '" + (dir / "forward.pdf") + "' -"));
    EXPECT_NE(page.find("=" + as_printed(compute_layer(scene).output(0, 0))), std::string::npos) << page;
}

TEST(ExportCli, UsageErrorsExitTwoAndFailuresExitOneWithOneLineAndNothingLeft) {
    Scratch dir;
    const std::string scene = "'" + kScene + "' ";
    const auto one_line = [](const ExportRun& r) { return std::count(r.err.begin(), r.err.end(), '\n') == 1; };
    for (const std::string& bad :
         {std::string("--lesson forward --format jpeg --out x"), std::string("--lesson sideways --format pdf --out x"),
          std::string("--lesson forward --format png --size 640 --out x"),
          std::string("--lesson forward --format png --theme pink --out x"),
          std::string("--lesson forward --format pdf --steps 1-99 --out x.pdf"),
          std::string("--lesson forward --format pdf --cell 9,9 --out x.pdf"),
          // Numbers beyond int, below 1 or backwards: no overflow, one line.
          std::string("--lesson forward --format pdf --steps -2147483648 --out x.pdf"),
          std::string("--lesson forward --format pdf --steps 0 --out x.pdf"),
          std::string("--lesson forward --format pdf --steps 3-2 --out x.pdf"),
          std::string("--lesson forward --format png --size 99999999999x1080 --out x"),
          std::string("--lesson forward --format pdf --cell 1,2x --out x.pdf")}) {
        const ExportRun r = export_with(dir, scene + bad);
        EXPECT_EQ(r.status, 2) << bad << ": " << r.err;
        EXPECT_TRUE(one_line(r)) << bad << ": " << r.err;
    }
    // An unwritable place: exit 1, one line naming it, nothing created.
    ExportRun r = export_with(dir, scene + "--lesson forward --format pdf --out '" + (dir / "no/such/x.pdf") + "'");
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(one_line(r)) << r.err;
    EXPECT_NE(r.err.find("no/such"), std::string::npos) << r.err;
    r = export_with(dir, "'" + (dir / "missing.json") + "' --lesson forward --format pdf --out '" + (dir / "x.pdf") + "'");
    EXPECT_EQ(r.status, 1);
    EXPECT_TRUE(one_line(r)) << r.err;
    // A folder export over a file of that name fails before writing anything.
    std::ofstream(dir / "taken") << "mine";
    r = export_with(dir, scene + "--lesson forward --format png --out '" + (dir / "taken") + "'");
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(slurp(dir / "taken"), "mine");
    EXPECT_EQ(dir.names(), std::vector<std::string>{"taken"});
}

}  // namespace
}  // namespace convlens
