// Google Benchmark of the engine: compute_layer on inputs of 8..128 with 3x3 and 5x5
// kernels, and the two backward forms side by side. One run shows the relationship
// between them: the gather_over_scatter counter is gather's time divided by scatter's.
// (Timings are for reading, never asserted: the tests hold no timed expectations.)

#include <benchmark/benchmark.h>

#include <chrono>
#include <random>

#include "engine/layer.h"
#include "engine/layer_results.h"
#include "scene/scene.h"

namespace {

using convlens::ConvSpec;
using convlens::Matrix;
using convlens::Scene;

Matrix random_matrix(std::mt19937& rng, int rows, int cols) {
    std::uniform_real_distribution<double> value(-1, 1);
    Matrix m(rows, cols);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) m(r, c) = value(rng);
    return m;
}

Scene make_scene(int size, int kernel, int stride) {
    std::mt19937 rng(static_cast<unsigned>(size * 131 + kernel * 7 + stride));
    Scene s;
    s.input = random_matrix(rng, size, size);
    s.kernel = random_matrix(rng, kernel, kernel);
    s.spec.stride = {stride, stride};
    s.spec.padding = {kernel / 2, kernel / 2};
    s.activation = convlens::Activation::Tanh;
    return s;
}

// Everything one edit recomputes: forward, both backward forms, kernel gradient, loss.
void BM_ComputeLayer(benchmark::State& state) {
    const Scene scene = make_scene(int(state.range(0)), int(state.range(1)), 1);
    for (auto _ : state) {
        convlens::LayerResults r = convlens::compute_layer(scene);
        benchmark::DoNotOptimize(r.grad_input.data());
        benchmark::DoNotOptimize(r.grad_input_gather.data());
    }
    state.SetItemsProcessed(state.iterations() * state.range(0) * state.range(0));
}
BENCHMARK(BM_ComputeLayer)
    ->ArgNames({"size", "kernel"})
    ->ArgsProduct({{8, 16, 32, 64, 128}, {3, 5}})
    ->Unit(benchmark::kMicrosecond);

// Scatter and gather on the same upstream, timed alternately inside one benchmark so
// that both see the same machine state; the counters report each and their ratio.
void BM_ScatterVersusGather(benchmark::State& state) {
    const int size = int(state.range(0)), kernel = int(state.range(1)), stride = int(state.range(2));
    const Scene scene = make_scene(size, kernel, stride);
    const convlens::Shape input{size, size};
    const convlens::Shape out = convlens::output_shape(input, {kernel, kernel}, scene.spec);
    std::mt19937 rng(5);
    const Matrix upstream = random_matrix(rng, out.rows, out.cols);
    using clock = std::chrono::steady_clock;
    double scatter_seconds = 0, gather_seconds = 0;
    for (auto _ : state) {
        const auto t0 = clock::now();
        Matrix a = convlens::grad_activated_scatter(upstream, scene.kernel, input, scene.spec);
        benchmark::DoNotOptimize(a.data());
        const auto t1 = clock::now();
        Matrix b = convlens::grad_activated_gather(upstream, scene.kernel, input, scene.spec);
        benchmark::DoNotOptimize(b.data());
        const auto t2 = clock::now();
        scatter_seconds += std::chrono::duration<double>(t1 - t0).count();
        gather_seconds += std::chrono::duration<double>(t2 - t1).count();
    }
    const double n = double(state.iterations());
    state.counters["scatter_us"] = 1e6 * scatter_seconds / n;
    state.counters["gather_us"] = 1e6 * gather_seconds / n;
    state.counters["gather_over_scatter"] = scatter_seconds > 0 ? gather_seconds / scatter_seconds : 0;
}
BENCHMARK(BM_ScatterVersusGather)
    ->ArgNames({"size", "kernel", "stride"})
    ->ArgsProduct({{8, 16, 32, 64, 128}, {3, 5}, {1, 2}})
    ->Unit(benchmark::kMicrosecond);

// Each form on its own, for profiles of one at a time.
template <auto GradActivated>
void BM_OneForm(benchmark::State& state) {
    const int size = int(state.range(0)), kernel = int(state.range(1));
    const Scene scene = make_scene(size, kernel, 1);
    const convlens::Shape out = convlens::output_shape({size, size}, {kernel, kernel}, scene.spec);
    std::mt19937 rng(5);
    const Matrix upstream = random_matrix(rng, out.rows, out.cols);
    for (auto _ : state) {
        Matrix a = GradActivated(upstream, scene.kernel, {size, size}, scene.spec);
        benchmark::DoNotOptimize(a.data());
    }
}
BENCHMARK(BM_OneForm<convlens::grad_activated_scatter>)
    ->Name("BM_Scatter")->ArgNames({"size", "kernel"})->ArgsProduct({{32, 128}, {3, 5}})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_OneForm<convlens::grad_activated_gather>)
    ->Name("BM_Gather")->ArgNames({"size", "kernel"})->ArgsProduct({{32, 128}, {3, 5}})
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
