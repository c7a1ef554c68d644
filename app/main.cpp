// convlens: the command line (compute, influence, check, explain) and the window.
// Exit status: 0 success, 1 bad input (one line on stderr), 2 usage error,
// 3 `check` found a gradient off by more than the tolerance.

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "engine/gradient_check.h"
#include "engine/layer_results.h"
#include "lesson/lesson.h"
#include "lesson/lesson_region.h"
#include "report/lesson_text.h"
#include "report/report_json.h"
#include "util/cli_numbers.h"
#include "scene/scene_json.h"
#include "command_bench.h"
#include "command_export.h"
#include "window.h"

namespace {

constexpr double kCheckTolerance = 1e-6;

// Bad input must never crash: every failure becomes one line and status 1.
template <class F>
int report_errors(F&& body) {
    try {
        return body();
    } catch (const convlens::InputError& e) {
        std::cerr << "convlens: " << e.what() << "\n";
    } catch (const std::bad_alloc&) {
        std::cerr << "convlens: out of memory\n";
    } catch (const std::exception& e) {
        std::cerr << "convlens: " << e.what() << "\n";
    }
    return 1;
}

std::optional<convlens::Cell> parse_select(const std::string& text,
                                           convlens::NumberTrouble* trouble = nullptr) {
    // Strict and overflow-safe (sscanf's %d is undefined beyond int).
    const auto pair = convlens::parse_number_pair(text, ',', trouble);
    if (!pair) return std::nullopt;
    return convlens::Cell{pair->first, pair->second};
}

// `explain`: a scene that cannot be read is bad input (1); a lesson, cell or step that
// does not exist is a usage error (2). Either way exactly one line on stderr.
struct ExplainArgs {
    std::string scene_path;
    std::string lesson;
    std::vector<int> cell;  // M,N in the scene's index base, or empty
    int step = 0;           // 1-based, when step_given
    bool step_given = false;
    bool latex = false;
    std::string region;     // M1,N1,M2,N2 in the scene's index base, or empty
};

constexpr const char* kRegionUsage =
    "--region expects M1,N1,M2,N2 (four integers: the top-left and bottom-right cells, in the "
    "scene's index base)";

int run_explain(const ExplainArgs& args) {
    using namespace convlens;
    auto usage_error = [](const std::string& message) {
        std::cerr << "convlens explain: " << message << "\n";
        return 2;
    };
    LessonName name{};
    if (!parse_lesson_name(args.lesson, &name))
        return usage_error("--lesson \"" + args.lesson +
                           "\" is not a lesson; use forward, influence, backward, "
                           "kernel-gradient, equivalence or derivation");
    Scene scene;
    LayerResults results;
    if (const int status = report_errors([&] {
            scene = load_scene(args.scene_path);
            results = compute_layer(scene);
            return 0;
        }))
        return status;
    std::optional<Cell> cell;
    if (!args.cell.empty())
        cell = Cell{args.cell[0] - scene.index_base, args.cell[1] - scene.index_base};
    std::optional<CellRegion> region;
    if (!args.region.empty()) {
        CellRegion r;
        if (!parse_region(args.region, scene.index_base, &r))
            return usage_error(std::string(kRegionUsage) + ", got \"" + args.region + "\"");
        region = r;
    }
    try {
        ExplainRequest request;
        if (args.step_given) request.step = args.step - 1;  // out of range: explained_steps says so
        request.latex = args.latex;
        const Lesson lesson = build_lesson(name, scene, results, cell, region);
        for (const std::string& line : explain_lines(lesson, scene, request))
            std::cout << line << "\n";
    } catch (const InputError& e) {
        return usage_error(e.what());
    }
    return 0;
}

// The window's --lesson, --cell and --step; whether the cell and step fit the scene is
// checked by run_window once the scene is loaded. Usage errors: one line, status 2.
int parse_window_lesson(const std::string& lesson, const std::string& cell, const std::string& step,
                        const std::string& region, convlens::WindowOptions* options) {
    auto usage_error = [](const std::string& message) {
        std::cerr << "convlens: " << message << "\n";
        return 2;
    };
    if (lesson.empty()) {
        if (!cell.empty() || !step.empty()) return usage_error("--cell and --step need --lesson NAME");
        if (!region.empty()) return usage_error("--region needs --lesson NAME");
        return 0;
    }
    convlens::LessonName name{};
    if (!convlens::parse_lesson_name(lesson, &name))
        return usage_error("--lesson \"" + lesson +
                           "\" is not a lesson; use forward, influence, backward, "
                           "kernel-gradient, equivalence or derivation");
    options->lesson = name;
    if (!cell.empty()) {
        convlens::NumberTrouble trouble = convlens::NumberTrouble::None;
        options->lesson_cell = parse_select(cell, &trouble);
        if (!options->lesson_cell)
            return usage_error("--cell expects M,N (two integers), got \"" + cell + "\"" +
                               convlens::too_large_note(trouble));
    }
    if (!region.empty()) {
        // The scene's index base is known once it is loaded: here only the form is checked.
        convlens::CellRegion checked;
        if (!convlens::parse_region(region, 0, &checked))
            return usage_error(std::string(kRegionUsage) + ", got \"" + region + "\"");
        options->lesson_region = region;
    }
    if (!step.empty()) {
        convlens::NumberTrouble trouble = convlens::NumberTrouble::None;
        options->lesson_step = convlens::parse_whole_number(step, &trouble);
        if (!options->lesson_step)
            return usage_error("--step expects a whole number from 1, got \"" + step + "\"" +
                               convlens::too_large_note(trouble));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // Beyond a file-size limit (ulimit -f) write() then fails with EFBIG, which every save
    // reports and survives, instead of the signal killing the program mid-session.
    std::signal(SIGXFSZ, SIG_IGN);
    CLI::App app{"convlens: how the error flows backwards through a convolutional layer.\n"
                 "Without a command, opens the window on SCENE (default: the last scene, "
                 "else the built-in textbook scene)."};
    app.set_version_flag("--version", std::string("convlens ") + CONVLENS_VERSION);
    app.require_subcommand(0, 1);

    std::string window_scene, screenshot, select;
    app.add_option("scene", window_scene, "scene file to open in the window");
    app.add_option("--screenshot", screenshot,
                   "draw the window for a few frames, write it to this PNG and exit");
    app.add_option("--select", select, "M,N: select z^l_{M,N} (scene's index base) at start");
    std::string window_lesson, window_cell, window_step;
    app.add_option("--lesson", window_lesson,
                   "open on this lesson: forward, influence, backward, kernel-gradient, "
                   "equivalence, derivation");
    app.add_option("--cell", window_cell,
                   "M,N (scene's index base): the lesson's output cell (forward), tap "
                   "(kernel-gradient), else input element");
    app.add_option("--step", window_step, "K: the lesson's step K (from 1), drawn with its motion finished");
    std::string window_region;
    app.add_option("--region", window_region,
                   "M1,N1,M2,N2 (scene's index base, corners included): the cells the lesson "
                   "walks on a big grid (output cells for forward and kernel-gradient, else input)");

    std::string scene_path;
    auto* compute = app.add_subcommand(
        "compute", "print output, upstream, grad_input, grad_kernel and loss as JSON");
    compute->add_option("SCENE", scene_path, "scene file, or - for standard input")->required();

    int m = 0, n = 0;
    auto* influence = app.add_subcommand(
        "influence", "print the taps of z^l_{M,N} as JSON (M, N in the scene's index base)");
    influence->add_option("SCENE", scene_path, "scene file, or - for standard input")->required();
    influence->add_option("M", m, "row of the input element")->required();
    influence->add_option("N", n, "column of the input element")->required();

    auto* check = app.add_subcommand(
        "check", "compare both gradients with central finite differences; exit 3 above 1e-6");
    check->add_option("SCENE", scene_path, "scene file, or - for standard input")->required();

    ExplainArgs explain_args;
    auto* explain = app.add_subcommand(
        "explain", "print a lesson's equation lines; the last line is the finished sum");
    explain->add_option("SCENE", explain_args.scene_path, "scene file, or - for standard input")
        ->required();
    explain->add_option("--lesson", explain_args.lesson,
                        "forward, influence, backward, kernel-gradient, equivalence, derivation")
        ->required();
    explain->add_option("--cell", explain_args.cell,
                        "M,N in the scene's index base: the output cell (forward), the tap "
                        "(kernel-gradient), else the input element")
        ->delimiter(',')
        ->expected(2);
    CLI::Option* explain_step =
        explain->add_option("--step", explain_args.step, "K: only step K (from 1)");
    explain->add_flag("--latex", explain_args.latex, "print TeX source instead of Unicode");
    explain->add_option("--region", explain_args.region,
                        "M1,N1,M2,N2 in the scene's index base, corners included: the cells the "
                        "lesson walks (output cells for forward and kernel-gradient, else input)");

    convlens::ExportCommand export_args;
    CLI::App* export_command = convlens::add_export_command(app, export_args);
    convlens::BenchCommand bench_args;
    CLI::App* bench_command = convlens::add_bench_command(app, bench_args);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // explain promises exactly one line on stderr for every usage error.
        if (explain->parsed() && e.get_exit_code() != 0) {
            std::cerr << "convlens explain: " << e.what() << " (see convlens explain --help)\n";
            return 2;
        }
        const int status = app.exit(e);
        return status == 0 ? 0 : 2;
    }

    using namespace convlens;
    if (*compute)
        return report_errors([&] {
            std::cout << compute_report(compute_layer(load_scene(scene_path))) << "\n";
            return 0;
        });
    if (*influence)
        return report_errors([&] {
            const Scene scene = load_scene(scene_path);
            std::cout << influence_report(scene, compute_layer(scene), m, n) << "\n";
            return 0;
        });
    if (*explain) {
        explain_args.step_given = explain_step->count() > 0;
        return run_explain(explain_args);
    }
    if (*export_command) return run_export(export_args);
    if (*bench_command) return run_bench(bench_args);
    if (*check)
        return report_errors([&] {
            const Scene scene = load_scene(scene_path);
            const GradientCheck result = check_gradients(scene);
            std::cout << check_report(scene, result, kCheckTolerance) << "\n";
            return result.passed(kCheckTolerance) ? 0 : 3;
        });

    WindowOptions options;
    if (!window_scene.empty()) options.scene_path = window_scene;
    if (!screenshot.empty()) options.screenshot = screenshot;
    if (!select.empty()) {
        NumberTrouble trouble = NumberTrouble::None;
        options.select = parse_select(select, &trouble);
        if (!options.select) {
            std::cerr << "convlens: --select expects M,N (two integers), got \"" << select << "\""
                      << too_large_note(trouble) << "\n";
            return 2;
        }
    }
    if (const int status = parse_window_lesson(window_lesson, window_cell, window_step, window_region, &options))
        return status;
    return report_errors([&] { return run_window(options); });
}
