// `convlens bench H K [--threads N] [--repeats R] [--stride S]`: times the fast engine's
// three passes on a random HxH input with a KxK kernel (stride S on both axes, default 1)
// and prints JSON, so anyone can time it without the window. Exit 0 done, 2 usage error (one line on stderr).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace convlens {

struct BenchCommand {
    std::string size;     // H: the input is H x H
    std::string kernel;   // K: the kernel is K x K
    std::string threads;  // N, default every hardware thread
    std::string repeats;  // R, default: as many as fit in about half a second (3..200)
    std::string stride;   // S, default 1
};

// Registers the subcommand and its options on `app`; `args` receives them.
CLI::App* add_bench_command(CLI::App& app, BenchCommand& args);

// Runs a parsed bench; returns the exit status.
int run_bench(const BenchCommand& args);

}  // namespace convlens
