#include "command_bench.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/fast_conv.h"
#include "engine/row_threads.h"
#include "scene/scene.h"
#include "util/cli_numbers.h"

namespace convlens {

namespace {

constexpr int kMaxBenchExtent = 4096;  // H; 4096^2 doubles = 128 MB per grid
constexpr int kMaxBenchKernel = 32;    // K: the scene's kernel cap
constexpr int kMaxBenchThreads = 256;
constexpr int kMaxBenchRepeats = 10000;

int usage_error(const std::string& message) {
    std::cerr << "convlens bench: " << message << "\n";
    return 2;
}

// A whole number in lo..hi, or nullopt with the message written.
bool read_number(const std::string& text, const char* what, int lo, int hi, int* value) {
    const std::optional<int> n = parse_whole_number(text);
    if (n && *n >= lo && *n <= hi) {
        *value = *n;
        return true;
    }
    usage_error(std::string(what) + " expects a whole number from " + std::to_string(lo) +
                " to " + std::to_string(hi) + ", got \"" + text + "\"");
    return false;
}

Matrix random_matrix(std::mt19937_64& rng, int rows, int cols) {
    std::uniform_real_distribution<double> value(-1, 1);
    Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = value(rng);
    return m;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

CLI::App* add_bench_command(CLI::App& app, BenchCommand& args) {
    CLI::App* cmd = app.add_subcommand(
        "bench", "time forward + grad_input + grad_kernel (double, no padding, stride 1 unless "
                 "--stride) on a random HxH input with a KxK kernel; JSON with the median "
                 "milliseconds");
    cmd->add_option("H", args.size, "input rows and columns (1..4096)")->required();
    cmd->add_option("K", args.kernel, "kernel rows and columns (1..32, at most H)")->required();
    cmd->add_option("--threads", args.threads, "threads (default: every hardware thread)");
    cmd->add_option("--repeats", args.repeats,
                    "timed runs (default: as many as fit in about half a second, 3 to 200)");
    cmd->add_option("--stride", args.stride, "stride on both axes (1..32, default 1)");
    return cmd;
}

int run_bench(const BenchCommand& args) {
    int h = 0, k = 0, threads = hardware_threads(), repeats = 0, stride = 1;
    if (!read_number(args.size, "H", 1, kMaxBenchExtent, &h)) return 2;
    if (!read_number(args.kernel, "K", 1, std::min(kMaxBenchKernel, h), &k)) return 2;
    if (!args.threads.empty() && !read_number(args.threads, "--threads", 1, kMaxBenchThreads, &threads))
        return 2;
    if (!args.repeats.empty() && !read_number(args.repeats, "--repeats", 1, kMaxBenchRepeats, &repeats))
        return 2;
    if (!args.stride.empty() && !read_number(args.stride, "--stride", 1, kMaxStride, &stride))
        return 2;

    std::mt19937_64 rng(20261129);
    ConvSpec spec;  // no padding, no dilation, cross-correlation
    spec.stride = {stride, stride};
    const Matrix input = random_matrix(rng, h, h), kernel = random_matrix(rng, k, k);
    const Shape out = output_shape({h, h}, {k, k}, spec);
    const Matrix upstream = random_matrix(rng, out.rows, out.cols);

    using Clock = std::chrono::steady_clock;
    const auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
    std::vector<double> total, forward_ms, input_ms, kernel_ms;
    double checksum = 0;  // keeps the results alive; printed so the work cannot be skipped
    // The results are written into the same matrices run after run, as the window's
    // recompute does with its results (fast_conv.h: the *_into forms).
    Matrix z, g, gw;
    const auto run_once = [&] {
        const auto t0 = Clock::now();
        fast_forward_into(input, kernel, spec, &z, threads);
        const auto t1 = Clock::now();
        fast_grad_activated_into(upstream, kernel, {h, h}, spec, &g, threads);
        const auto t2 = Clock::now();
        fast_grad_kernel_into(input, upstream, {k, k}, spec, &gw, threads);
        const auto t3 = Clock::now();
        checksum = z(0, 0) + g(0, 0) + gw(0, 0);
        forward_ms.push_back(ms(t1 - t0));
        input_ms.push_back(ms(t2 - t1));
        kernel_ms.push_back(ms(t3 - t2));
        total.push_back(ms(t3 - t0));
    };
    run_once();  // warm-up: starts the worker threads, touches the memory
    total.clear(), forward_ms.clear(), input_ms.clear(), kernel_ms.clear();
    const auto start = Clock::now();
    for (int r = 0;; ++r) {
        if (repeats ? r >= repeats
                    : r >= 200 || (r >= 3 && ms(Clock::now() - start) > 500))
            break;
        run_once();
    }
    nlohmann::ordered_json report;  // numbers read back to the same double
    report["H"] = h;
    report["K"] = k;
    report["threads"] = threads;
    report["stride"] = stride;
    report["repeats"] = total.size();
    report["median_ms"] = median(total);
    report["forward_ms"] = median(forward_ms);
    report["grad_input_ms"] = median(input_ms);
    report["grad_kernel_ms"] = median(kernel_ms);
    report["checksum"] = checksum;
    std::cout << report.dump() << "\n";
    return 0;
}

}  // namespace convlens
