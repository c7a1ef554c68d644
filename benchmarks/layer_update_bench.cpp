// Google Benchmark of the engine thread's work for one edit: the full computation
// (compute_layer_into into the results of the scene before, what the worker did before)
// against update_layer_into, timed alternately in one benchmark so both see the same
// machine, at 512/7 and 1024/11, for an edit of one input cell and of one kernel tap.
// Counters: wall and CPU (this process, every thread) milliseconds of each, and the ratio
// full / update of each. Timings are for reading, never asserted.
//   build/benchmarks/convlens_bench --benchmark_filter=EditUpdate
#include <benchmark/benchmark.h>

#include <chrono>
#include <ctime>
#include <random>

#include "engine/layer_results.h"
#include "engine/layer_update.h"
#include "scene/scene.h"

namespace {

using convlens::Matrix;
using convlens::Scene;

double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

double wall_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// kind 0: what window_frames.py opens (identity, J = sum z^{l+1}, no padding); kind 1: a
// target and tanh with "same" padding, where delta^{l+1} and delta^l change too.
Scene edit_bench_scene(int size, int kernel, int kind) {
    std::mt19937 rng(unsigned(size * 31 + kernel));
    std::uniform_real_distribution<double> value(-1, 1);
    Scene s;
    s.input = Matrix::NullaryExpr(size, size, [&] { return value(rng); });
    s.kernel = Matrix::NullaryExpr(kernel, kernel, [&] { return value(rng); });
    if (kind == 1) {
        s.activation = convlens::Activation::Tanh;
        s.spec.padding = {kernel / 2, kernel / 2};
        s.target = Matrix::NullaryExpr(size, size, [&] { return value(rng); });
    }
    return s;
}

void BM_EditUpdateVersusFull(benchmark::State& state) {
    const int size = int(state.range(0)), kernel = int(state.range(1));
    const bool kernel_edit = state.range(2) == 1;
    Scene before = edit_bench_scene(size, kernel, int(state.range(3)));
    convlens::LayerResults full = convlens::compute_layer(before);
    convlens::LayerResults updated = full;
    std::mt19937 rng(9);
    std::uniform_int_distribution<int> cell(0, size - 1), tap(0, kernel - 1);
    double full_wall = 0, full_cpu = 0, update_wall = 0, update_cpu = 0;
    long refused = 0;
    for (auto _ : state) {
        Scene after = before;
        if (kernel_edit) after.kernel(tap(rng), tap(rng)) += 0.125;
        else after.input(cell(rng), cell(rng)) += 0.125;
        double w0 = wall_seconds(), c0 = cpu_seconds();
        convlens::compute_layer_into(after, &full);
        double w1 = wall_seconds(), c1 = cpu_seconds();
        full_wall += w1 - w0;
        full_cpu += c1 - c0;
        w0 = wall_seconds();
        c0 = cpu_seconds();
        if (!convlens::update_layer_into(before, after, &updated)) {
            ++refused;
            convlens::compute_layer_into(after, &updated);
        }
        w1 = wall_seconds();
        c1 = cpu_seconds();
        update_wall += w1 - w0;
        update_cpu += c1 - c0;
        benchmark::DoNotOptimize(updated.grad_kernel.data());
        before = std::move(after);
    }
    const double n = double(state.iterations());
    state.counters["full_ms"] = 1e3 * full_wall / n;
    state.counters["update_ms"] = 1e3 * update_wall / n;
    state.counters["full_cpu_ms"] = 1e3 * full_cpu / n;
    state.counters["update_cpu_ms"] = 1e3 * update_cpu / n;
    state.counters["full_over_update"] = update_wall > 0 ? full_wall / update_wall : 0;
    state.counters["cpu_full_over_update"] = update_cpu > 0 ? full_cpu / update_cpu : 0;
    state.counters["refused"] = double(refused);
}
BENCHMARK(BM_EditUpdateVersusFull)
    ->ArgNames({"size", "kernel", "kernel_edit", "target"})
    ->Args({512, 7, 0, 0})->Args({512, 7, 1, 0})->Args({1024, 11, 0, 0})->Args({1024, 11, 1, 0})
    ->Args({512, 7, 0, 1})->Args({512, 7, 1, 1})->Args({1024, 11, 0, 1})->Args({1024, 11, 1, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace
