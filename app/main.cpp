// convlens: the command line (compute, influence, check) and the window.
// Exit status: 0 success, 1 bad input (one line on stderr), 2 usage error,
// 3 `check` found a gradient off by more than the tolerance.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include "engine/gradient_check.h"
#include "engine/layer_results.h"
#include "report/report_json.h"
#include "scene/scene_json.h"
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

std::optional<convlens::Cell> parse_select(const std::string& text) {
    int m = 0, n = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%d,%d%c", &m, &n, &tail) != 2) return std::nullopt;
    return convlens::Cell{m, n};
}

}  // namespace

int main(int argc, char** argv) {
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

    convlens::ExportCommand export_args;
    CLI::App* export_command = convlens::add_export_command(app, export_args);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
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
    if (*export_command) return convlens::run_export(export_args);
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
        options.select = parse_select(select);
        if (!options.select) {
            std::cerr << "convlens: --select expects M,N (two integers), got \"" << select
                      << "\"\n";
            return 2;
        }
    }
    return report_errors([&] { return run_window(options); });
}
