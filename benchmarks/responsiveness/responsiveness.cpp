// What a frame of the window costs at 64, 256, 512 and 1024: the pieces the UI thread and
// the engine thread run for an edit of one input value and for an edit of one kernel value
// (the checks the window makes before it accepts the edit, submit to the engine thread and
// wait for its result, layout of the hover view, the changed values a heatmap texture would
// receive), median and worst of N edits; for a hover (the step drawn over the grids laid out
// before); and the resident memory. GL drawing is not in these figures (see README).
//   convlens_responsiveness [--repeat N] [--size 64|256|512|1024]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "canvas/layer_layout.h"
#include "engine/layer_results.h"
#include "hover_canvas.h"
#include "lesson/influence_focus.h"
#include "recompute_worker.h"

using namespace convlens;

namespace {

double now_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

long resident_kb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

// The rectangle of values that differ, as HeatmapTextures::upload finds it: what a
// texture would receive with glTexSubImage2D.
std::size_t changed_values(const DisplayList& before, const DisplayList& after) {
    std::size_t total = 0;
    for (std::size_t k = 0; k < std::min(before.items.size(), after.items.size()); ++k) {
        const auto* a = std::get_if<DrawHeatmap>(&before.items[k]);
        const auto* b = std::get_if<DrawHeatmap>(&after.items[k]);
        if (!a || !b || !a->complete() || !b->complete() || a->values == b->values) continue;
        int r0 = b->rows, r1 = -1, c0 = b->cols, c1 = -1;
        for (int r = 0; r < b->rows; ++r) {
            const float* x = a->values->data() + static_cast<std::size_t>(r) * b->cols;
            const float* y = b->values->data() + static_cast<std::size_t>(r) * b->cols;
            if (std::memcmp(x, y, sizeof(float) * static_cast<std::size_t>(b->cols)) == 0) continue;
            r0 = std::min(r0, r);
            r1 = r;
            for (int c = 0; c < b->cols; ++c)
                if (std::memcmp(x + c, y + c, sizeof(float)) != 0) {
                    c0 = std::min(c0, c);
                    c1 = std::max(c1, c);
                }
        }
        if (r1 >= r0) total += static_cast<std::size_t>(r1 - r0 + 1) * static_cast<std::size_t>(c1 - c0 + 1);
    }
    return total;
}

}  // namespace

struct Timings {
    std::vector<double> checks, engine, layout, total;
    std::size_t uploaded = 0;
};

// "median/worst" of v, in ms.
std::string spread(const std::vector<double>& v) {
    char text[40];
    std::snprintf(text, sizeof text, "%.2f/%.2f", median(v),
                  v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()));
    return text;
}

int main(int argc, char** argv) {
    int repeat = 7, only = 0;
    for (int k = 1; k + 1 < argc; ++k) {
        if (std::string(argv[k]) == "--repeat") repeat = std::max(1, std::atoi(argv[k + 1]));
        if (std::string(argv[k]) == "--size") only = std::atoi(argv[k + 1]);  // one case only
    }
    const struct {
        int size, kernel;
    } cases[] = {{64, 3}, {256, 5}, {512, 7}, {1024, 11}};
    std::printf("median/worst of %d edits, ms; uploaded: values of the last edit's changed rectangles\n",
                repeat);
    std::printf("%-10s %-6s %11s %13s %13s %13s %9s %7s %6s\n", "input,kern", "edit", "checks",
                "engine", "layout", "edit total", "uploaded", "hover", "RSS MB");
    for (const auto& c : cases) {
        if (only && c.size != only) continue;
        std::mt19937 rng(42);
        std::uniform_real_distribution<double> u(-1, 1);
        Scene scene;
        scene.input = Matrix(c.size, c.size);
        for (int r = 0; r < c.size; ++r)
            for (int q = 0; q < c.size; ++q) scene.input(r, q) = u(rng);
        scene.kernel = Matrix(c.kernel, c.kernel);
        for (int r = 0; r < c.kernel; ++r)
            for (int q = 0; q < c.kernel; ++q) scene.kernel(r, q) = u(rng);
        const Theme theme = light_theme();
        const LayoutOptions options = window_layout_options();
        RecomputeWorker worker;
        HoverCanvas hover;
        std::uint64_t serial = 0;
        worker.submit(scene);
        worker.wait(600);
        std::optional<Recomputed> shown = worker.take();
        DisplayList display = hover.draw(shown->scene, *shown->results, ++serial,
                                         influence_view(shown->scene, *shown->results, std::nullopt),
                                         theme, options);
        // One edit as the window runs it: the UI thread checks the edited scene (app_state's
        // apply_edit), submits a copy, waits for the result, hands the results it showed
        // back with their scene (the next edit updates them), lays out the hover view.
        const auto edit = [&](Timings& t) {
            const double t0 = now_ms();
            validate_scene(scene);
            check_results_fit(scene);
            const double t1 = now_ms();
            worker.submit(scene);
            worker.wait(600);
            std::optional<Recomputed> r = worker.take();
            const double t2 = now_ms();
            worker.recycle(std::move(*shown->results), std::move(shown->scene));  // as app_state
            DisplayList next = hover.draw(r->scene, *r->results, ++serial,
                                          influence_view(r->scene, *r->results, std::nullopt), theme,
                                          options);
            const double t3 = now_ms();
            t.uploaded = changed_values(display, next);
            t.checks.push_back(t1 - t0);
            t.engine.push_back(t2 - t1);
            t.layout.push_back(t3 - t2);
            t.total.push_back(t3 - t0);
            display = std::move(next);
            shown = std::move(r);
        };
        Timings input_edits, kernel_edits;
        for (int k = 0; k < repeat; ++k) {
            scene.input(c.size / 2, c.size / 3 + k) += 0.25;  // typing into a cell of z^l
            edit(input_edits);
            scene.kernel(k % c.kernel, (k / c.kernel) % c.kernel) += 0.25;  // a cell of w
            edit(kernel_edits);
        }
        std::vector<double> hovers;
        const int layouts_before = hover.layouts();
        const int hover_frames = std::max(repeat * 3, 10);
        for (int k = 0; k < hover_frames; ++k) {
            // The pointer moves across z^l: a new focus each frame.
            const Focus f{GridId::Input, {(k * 7) % c.size, (k * 13) % c.size}};
            const double t0 = now_ms();
            DisplayList next = hover.draw(shown->scene, *shown->results, serial,
                                          influence_view(shown->scene, *shown->results, f), theme, options);
            hovers.push_back(now_ms() - t0);
            if (changed_values(display, next) != 0) std::printf("hover changed heatmap values!\n");
            display = std::move(next);
        }
        if (hover.layouts() != layouts_before) std::printf("a hover laid the grids out again!\n");
        char name[32];
        std::snprintf(name, sizeof name, "%d,%d", c.size, c.kernel);
        const double rss = static_cast<double>(resident_kb()) / 1024.0;
        for (const auto& [what, t] : {std::pair<const char*, const Timings&>{"input", input_edits},
                                      {"kernel", kernel_edits}})
            std::printf("%-10s %-6s %11s %13s %13s %13s %9zu %7.2f %6.0f\n", name, what,
                        spread(t.checks).c_str(), spread(t.engine).c_str(), spread(t.layout).c_str(),
                        spread(t.total).c_str(), t.uploaded, median(hovers), rss);
        std::fflush(stdout);
    }
    return 0;
}
