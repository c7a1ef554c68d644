#include "command_export.h"

#include <unistd.h>

#include <iostream>
#include <optional>

#include "engine/conv_spec.h"
#include "engine/layer_results.h"
#include "export/export_frames.h"
#include "export/lesson_frames.h"
#include "lesson/lesson.h"
#include "lesson/lesson_region.h"
#include "scene/scene_json.h"
#include "util/cli_numbers.h"

namespace convlens {
namespace {

int usage_error(const std::string& message) {
    std::cerr << "convlens export: " << message << "\n";
    return 2;
}

// Strict and overflow-safe (sscanf's %d is undefined beyond int); `trouble` says why not.
bool parse_pair(const std::string& text, char separator, int* a, int* b,
                NumberTrouble* trouble = nullptr) {
    const auto pair = parse_number_pair(text, separator, trouble);
    if (!pair) return false;
    *a = pair->first;
    *b = pair->second;
    return true;
}

// A bar on a terminal; nothing when stderr is piped or a file.
ExportProgress progress_bar() {
    if (!::isatty(STDERR_FILENO)) return {};
    return [](int done, int total) {
        constexpr int kWidth = 30;
        const int filled = done * kWidth / total;
        std::cerr << "\rexporting [" << std::string(static_cast<std::size_t>(filled), '#')
                  << std::string(static_cast<std::size_t>(kWidth - filled), ' ') << "] " << done << "/"
                  << total << (done == total ? "\n" : "") << std::flush;
        return true;
    };
}

}  // namespace

CLI::App* add_export_command(CLI::App& app, ExportCommand& args) {
    CLI::App* cmd = app.add_subcommand(
        "export", "write a lesson's steps as slides: png|svg (a folder of frames), pdf, gif, mp4, tikz");
    cmd->add_option("SCENE", args.scene_path, "scene file, or - for standard input")->required();
    cmd->add_option("--lesson", args.lesson,
                    "forward, influence, backward, kernel-gradient, equivalence, derivation")
        ->required();
    cmd->add_option("--cell", args.cell,
                    "M,N (scene's index base): output cell (forward), tap (kernel-gradient), else "
                    "input element");
    cmd->add_option("--region", args.region,
                    "M1,N1,M2,N2 (scene's index base, corners included): the cells the lesson walks "
                    "(output cells for forward and kernel-gradient, else input)");
    cmd->add_option("--steps", args.steps, "A-B or A: the steps to export, from 1 (default: all)");
    cmd->add_option("--format", args.format, "png, svg, pdf, gif, mp4 or tikz")->required();
    cmd->add_option("--out", args.out, "a folder for png and svg, a file for the others")->required();
    cmd->add_option("--size", args.size, "WxH of a frame before --scale (default 1920x1080)");
    cmd->add_option("--scale", args.scale, "multiplies the frame size (default 1)");
    cmd->add_option("--theme", args.theme, "light (default) or dark");
    cmd->add_flag("--transparent", args.transparent, "no background");
    cmd->add_flag("--caption,!--no-caption", args.caption,
                  "with (default) or without the equation and caption under the grids");
    cmd->add_option("--fps", args.fps, "steps per second in a gif or mp4 (default 1)");
    return cmd;
}

int run_export(const ExportCommand& args) {
    LessonFrameRequest request;
    if (!parse_lesson_name(args.lesson, &request.lesson))
        return usage_error("--lesson \"" + args.lesson +
                           "\" is not a lesson; use forward, influence, backward, kernel-gradient, "
                           "equivalence or derivation");
    ExportOptions options;
    if (!parse_export_format(args.format, &options.format))
        return usage_error("--format \"" + args.format + "\" is not one of png, svg, pdf, gif, mp4, tikz");
    NumberTrouble trouble = NumberTrouble::None;
    if (!parse_pair(args.size, 'x', &options.width, &options.height, &trouble) || options.width <= 0 ||
        options.height <= 0)
        return usage_error("--size expects WxH (two positive integers), got \"" + args.size + "\"" +
                           too_large_note(trouble));
    if (args.theme != "light" && args.theme != "dark")
        return usage_error("--theme expects light or dark, got \"" + args.theme + "\"");
    if (!(args.scale > 0)) return usage_error("--scale must be a positive number");
    if (!(args.fps > 0) || args.fps > 120) return usage_error("--fps must be in (0, 120]");
    std::optional<Cell> cell;
    if (!args.cell.empty()) {
        int m = 0, n = 0;
        if (!parse_pair(args.cell, ',', &m, &n, &trouble))
            return usage_error("--cell expects M,N (two integers), got \"" + args.cell + "\"" +
                               too_large_note(trouble));
        cell = Cell{m, n};
    }
    std::optional<int> last;
    if (!args.steps.empty()) {
        int a = 0, b = 0;
        NumberTrouble single_trouble = NumberTrouble::None;
        if (const auto single = parse_whole_number(args.steps, &single_trouble)) {
            a = b = *single;
        } else if (!parse_pair(args.steps, '-', &a, &b, &trouble)) {
            const bool large = single_trouble == NumberTrouble::TooLarge || trouble == NumberTrouble::TooLarge;
            return usage_error("--steps expects A-B or A (from 1), got \"" + args.steps + "\"" +
                               too_large_note(large ? NumberTrouble::TooLarge : NumberTrouble::None));
        }
        // From 1: checked here so that a - 1 cannot overflow for INT_MIN.
        if (a < 1 || b < a)
            return usage_error("--steps expects A-B with 1 <= A <= B, got \"" + args.steps + "\"");
        last = b - 1;
        request.first_step = a - 1;
    }
    request.last_step = last;
    request.dark = args.theme == "dark";
    request.caption = args.caption;
    options.out = args.out;
    options.scale = args.scale;
    options.transparent = args.transparent;
    options.fps = args.fps;

    Scene scene;
    try {
        scene = load_scene(args.scene_path);
        check_results_fit(scene);  // numbers a double cannot hold: bad input, not usage
    } catch (const InputError& e) {
        std::cerr << "convlens export: " << e.what() << "\n";
        return 1;
    }
    if (cell) request.cell = Cell{cell->row - scene.index_base, cell->col - scene.index_base};
    if (!args.region.empty()) {
        CellRegion region;
        if (!parse_region(args.region, scene.index_base, &region))
            return usage_error("--region expects M1,N1,M2,N2 (four integers: the top-left and "
                               "bottom-right cells, in the scene's index base), got \"" +
                               args.region + "\"");
        request.region = region;
    }
    LessonFrames frames;
    try {
        frames = lesson_frames(scene, request);
    } catch (const InputError& e) {
        // A cell or a step range the lesson does not have: the command line asked wrongly.
        return usage_error(e.what());
    }
    options.title = frames.title;
    try {
        export_frames(frames.frames, options, progress_bar());
    } catch (const std::bad_alloc&) {
        std::cerr << "convlens export: out of memory\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "convlens export: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

}  // namespace convlens
