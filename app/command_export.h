// `convlens export`: a lesson's steps as slides (PNG, SVG, PDF, GIF, MP4, TikZ) from the
// command line, without a window. Exit 0 done, 1 bad input or a failed write (one line,
// nothing left behind), 2 usage error.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace convlens {

struct ExportCommand {
    std::string scene_path;
    std::string lesson;
    std::string cell;                // M,N in the scene's index base
    std::string region;              // M1,N1,M2,N2 in the scene's index base (--region)
    std::string steps;               // A-B or A, from 1
    std::string format;
    std::string out;
    std::string size = "1920x1080";
    float scale = 1;
    std::string theme = "light";
    bool transparent = false;
    bool caption = true;             // --no-caption clears it
    double fps = 1;
};

// Registers the subcommand and its options on `app`; `args` receives them.
CLI::App* add_export_command(CLI::App& app, ExportCommand& args);

// Runs a parsed export; returns the exit status.
int run_export(const ExportCommand& args);

}  // namespace convlens
