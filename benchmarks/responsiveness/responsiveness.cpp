// What a frame of the window costs at 64, 256, 512 and 1024: the pieces the UI thread and
// the engine thread run for an edit (submit, engine, layout of the hover view, the changed
// values a heatmap texture would receive), for a hover (the step drawn over the grids laid
// out before) and the resident memory. GL drawing is not in these figures (see README).
//   convlens_responsiveness [--repeat N]
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

int main(int argc, char** argv) {
    int repeat = 7;
    for (int k = 1; k + 1 < argc; ++k)
        if (std::string(argv[k]) == "--repeat") repeat = std::max(1, std::atoi(argv[k + 1]));
    const struct {
        int size, kernel;
    } cases[] = {{64, 3}, {256, 5}, {512, 7}, {1024, 11}};
    std::printf("%-11s %9s %9s %9s %11s %9s %11s %8s\n", "input,kernel", "engine", "layout",
                "edit", "uploaded", "hover", "layouts", "RSS MB");
    std::printf("%-11s %9s %9s %9s %11s %9s %11s %8s\n", "", "ms", "ms", "ms", "values",
                "ms", "per hover", "");
    for (const auto& c : cases) {
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
        std::vector<double> engine, layout, edit, hovers;
        std::size_t uploaded = 0;
        for (int k = 0; k < repeat; ++k) {
            // An edit of one input value, as typing into a cell does.
            scene.input(c.size / 2, c.size / 3 + k) += 0.25;
            const double t0 = now_ms();
            worker.submit(scene);
            worker.wait(600);
            std::optional<Recomputed> r = worker.take();
            const double t1 = now_ms();
            DisplayList next = hover.draw(r->scene, *r->results, ++serial,
                                          influence_view(r->scene, *r->results, std::nullopt), theme,
                                          options);
            uploaded = changed_values(display, next);
            const double t2 = now_ms();
            engine.push_back(t1 - t0);
            layout.push_back(t2 - t1);
            edit.push_back(t2 - t0);
            display = std::move(next);
            shown = std::move(r);
        }
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
        char name[32];
        std::snprintf(name, sizeof name, "%d,%d", c.size, c.kernel);
        std::printf("%-11s %9.2f %9.2f %9.2f %11zu %9.2f %11.2f %8.0f\n", name, median(engine),
                    median(layout), median(edit), uploaded, median(hovers),
                    static_cast<double>(hover.layouts() - layouts_before) / hover_frames,
                    static_cast<double>(resident_kb()) / 1024.0);
        std::fflush(stdout);
    }
    return 0;
}
