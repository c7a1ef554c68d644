// Google Benchmark of what an edit costs the window's UI thread once the engine is done:
// the new numbers swapped into the hover view's layout (with_new_values), the frame drawn
// over it (draw_step), and the search the heatmap upload makes for the changed rectangle
// (a copy of app/heatmap_texture.cpp's row-wise compare, which only the window links).
// Counters give each part's thread CPU time per edit in ms; the engine's recompute runs
// with the clock paused. (Timings are for reading, never asserted.)

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <random>
#include <utility>
#include <vector>

#include "canvas/canvas_grids.h"
#include "canvas/layer_layout.h"
#include "canvas/step_canvas.h"
#include "canvas/theme.h"
#include "engine/layer_results.h"
#include "lesson/influence_focus.h"
#include "lesson/influence_step.h"
#include "scene/scene.h"

namespace {

using namespace convlens;

double cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

// What the upload does for a heatmap whose value array is not the one it holds: find the
// rectangle of cells that differ (app/heatmap_texture.cpp's changed_cells), or take the
// heatmap's own hint when it names the array uploaded last.
long upload_search(const DrawHeatmap& was, const DrawHeatmap& now) {
    if (was.values == now.values) return 0;
    if (!now.changed_since.expired() && now.changed_since.lock() == was.values)
        return static_cast<long>(now.changed.rows) * now.changed.cols;
    const std::vector<float>& a = *was.values;
    const std::vector<float>& b = *now.values;
    const std::size_t width = static_cast<std::size_t>(now.cols);
    int row0 = now.rows, row1 = -1, col0 = now.cols, col1 = -1;
    for (int r = 0; r < now.rows; ++r) {
        const float* x = a.data() + static_cast<std::size_t>(r) * width;
        const float* y = b.data() + static_cast<std::size_t>(r) * width;
        if (std::memcmp(x, y, width * sizeof(float)) == 0) continue;
        row0 = std::min(row0, r);
        row1 = r;
        int first = 0, last = now.cols - 1;
        while (std::memcmp(x + first, y + first, sizeof(float)) == 0) ++first;
        while (std::memcmp(x + last, y + last, sizeof(float)) == 0) --last;
        col0 = std::min(col0, first);
        col1 = std::max(col1, last);
    }
    return row1 < row0 ? 0 : static_cast<long>(row1 - row0 + 1) * (col1 - col0 + 1);
}

const DrawHeatmap* heatmap_of(const DisplayList& list, GridId id) {
    for (const DrawItem& item : list.items)
        if (const auto* h = std::get_if<DrawHeatmap>(&item); h && h->grid == id) return h;
    return nullptr;
}

Scene random_scene(int n, int k, bool target, bool tanh) {
    std::mt19937 rng(static_cast<unsigned>(n * 31 + k));
    std::uniform_real_distribution<double> u(-1, 1);
    Scene s;
    s.input = Matrix(n, n);
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c) s.input(r, c) = u(rng);
    s.kernel = Matrix(k, k);
    for (int r = 0; r < k; ++r)
        for (int c = 0; c < k; ++c) s.kernel(r, c) = u(rng);
    if (target) s.target = Matrix::Zero(n - k + 1, n - k + 1);
    if (tanh) s.activation = Activation::Tanh;
    return s;
}

// Args: input size, kernel size, loss (0: J = sum z, the window benchmark's scene; 1: a
// target, so delta^{l+1} and delta^l change too), activation (0: identity; 1: tanh).
void BM_HoverSwapInputEdit(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0)), k = static_cast<int>(state.range(1));
    Scene scene = random_scene(n, k, state.range(2) != 0, state.range(3) != 0);
    const Theme theme = light_theme();
    const LayoutOptions options = window_layout_options();
    LayerResults results = compute_layer(scene);
    CanvasGrids grids = layout_grids(scene, results, layer_grids(scene), {}, theme, options);
    auto frame = [&] {
        return draw_step(grids, influence_step(scene, influence_view(scene, results, std::nullopt)), theme);
    };
    DisplayList shown = frame();
    double swap = 0, draw = 0, upload = 0;
    long searched = 0, edits = 0, floats = 0, copied = 0;
    std::mt19937 rng(7);
    for (auto _ : state) {
        state.PauseTiming();
        const int row = static_cast<int>(rng() % static_cast<unsigned>(n));
        const int col = static_cast<int>(rng() % static_cast<unsigned>(n));
        scene.input(row, col) += 0.25;  // typing into one cell of z^l
        results = compute_layer(scene);
        state.ResumeTiming();
        const double t0 = cpu_ms();
        grids = with_new_values(std::move(grids), scene, results);
        const double t1 = cpu_ms();
        if (!grids.empty()) floats += grids.impl().swap.floats_written, copied += grids.impl().swap.values_copied;
        DisplayList next = frame();
        const double t2 = cpu_ms();
        for (GridId id : layer_grids(scene)) {
            const DrawHeatmap* was = heatmap_of(shown, id);
            const DrawHeatmap* now = heatmap_of(next, id);
            if (was && now) searched += upload_search(*was, *now);
        }
        const double t3 = cpu_ms();
        benchmark::DoNotOptimize(searched);
        shown = std::move(next);
        swap += t1 - t0, draw += t2 - t1, upload += t3 - t2;
        ++edits;
        if (grids.empty()) state.SkipWithError("the swap was refused");
    }
    const double per = edits > 0 ? 1.0 / static_cast<double>(edits) : 0;
    state.counters["swap_ms"] = swap * per;
    state.counters["draw_ms"] = draw * per;
    state.counters["upload_search_ms"] = upload * per;
    state.counters["uploaded_cells"] = static_cast<double>(searched) * per;
    state.counters["floats_written"] = static_cast<double>(floats) * per;
    state.counters["doubles_copied"] = static_cast<double>(copied) * per;
}
BENCHMARK(BM_HoverSwapInputEdit)
    ->Args({512, 7, 0, 0})
    ->Args({512, 7, 1, 1})
    ->Args({1024, 11, 0, 0})
    ->Args({1024, 11, 1, 1})
    ->Iterations(24)
    ->Unit(benchmark::kMillisecond);

}  // namespace
