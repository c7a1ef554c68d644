// update_layer_into against compute_layer: random photograph-sized scenes of every geometry,
// activation and source of the error, edited by random sequences of single cells, boxes,
// kernel taps and both at once, each step's updated results equal to compute_layer(after)'s
// bit for bit (the patches run the same fast-engine code over the same taps and values).
// Fallbacks leave the results untouched; bad edits throw compute_layer's own message.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "engine/fast_conv.h"
#include "engine/layer_results.h"
#include "engine/layer_update.h"
#include "scene/scene.h"

namespace convlens {
namespace {

// The largest |a - b| of two grids of one shape (inf for different shapes), for messages.
double update_gap(const Matrix& a, const Matrix& b) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) return INFINITY;
    return a.size() ? (a - b).cwiseAbs().maxCoeff() : 0.0;
}

bool same_grid_bits(const Matrix& a, const Matrix& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           (a.size() == 0 ||  // memcmp of an empty grid's null data is undefined
            std::memcmp(a.data(), b.data(), sizeof(double) * std::size_t(a.size())) == 0);
}

// Every number of `got` is the number of `want`, bit for bit.
void expect_identical_results(const LayerResults& want, const LayerResults& got) {
    const std::pair<const char*, const Matrix LayerResults::*> grids[] = {
        {"activated", &LayerResults::activated},   {"slope", &LayerResults::activation_slope},
        {"output", &LayerResults::output},         {"upstream", &LayerResults::upstream},
        {"grad_input", &LayerResults::grad_input}, {"grad_input_gather", &LayerResults::grad_input_gather},
        {"grad_kernel", &LayerResults::grad_kernel},
    };
    for (const auto& [name, grid] : grids)
        EXPECT_TRUE(same_grid_bits(want.*grid, got.*grid))
            << name << ": largest difference " << update_gap(want.*grid, got.*grid);
    ASSERT_EQ(want.loss.has_value(), got.loss.has_value());
    if (want.loss) {
        EXPECT_EQ(std::memcmp(&*want.loss, &*got.loss, sizeof(double)), 0) << *want.loss << " vs " << *got.loss;
    }
    EXPECT_EQ(want.loss_source, got.loss_source);
    EXPECT_EQ(want.fast_path, got.fast_path);
    EXPECT_EQ(want.scatter_gather_difference, got.scatter_gather_difference);
}

// Values in [-1, 1], one in eight exactly 0 (relu's kink, and zeros the padding also has).
double update_value(std::mt19937& rng) {
    if (std::uniform_int_distribution<int>(0, 7)(rng) == 0) return 0.0;
    return std::uniform_real_distribution<double>(-1, 1)(rng);
}

Matrix update_grid(std::mt19937& rng, int rows, int cols) {
    Matrix m(rows, cols);
    for (Eigen::Index k = 0; k < m.size(); ++k) m.data()[k] = update_value(rng);
    return m;
}

int pick(std::mt19937& rng, int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng); }

// A random scene on the fast path: odd and even shapes, every stride, padding, dilation,
// mode, activation and source of the error. Small enough to stay quick under ASan.
Scene random_fast_scene(std::mt19937& rng) {
    for (;;) {
        Scene s;
        const int rows = pick(rng, 40, 110), cols = pick(rng, 40, 110);
        const int kh = pick(rng, 1, 7), kw = pick(rng, 1, 7);
        s.spec.stride = {pick(rng, 1, 3), pick(rng, 1, 3)};
        s.spec.padding = {pick(rng, 0, 4), pick(rng, 0, 4)};
        s.spec.dilation = {pick(rng, 1, 3), pick(rng, 1, 3)};
        s.spec.mode = pick(rng, 0, 1) ? ConvMode::Convolution : ConvMode::CrossCorrelation;
        s.activation = Activation(pick(rng, 0, 3));
        s.index_base = pick(rng, 0, 1);
        const Shape out{output_extent(rows, kh, s.spec.stride.rows, s.spec.padding.rows, s.spec.dilation.rows),
                        output_extent(cols, kw, s.spec.stride.cols, s.spec.padding.cols, s.spec.dilation.cols)};
        if (out.rows < 1 || out.cols < 1) continue;
        if (long(out.rows) * out.cols * kh * kw < kFastPathMinWork) continue;
        if (long(out.rows) * out.cols * kh * kw > 4 * kFastPathMinWork) continue;  // keep it quick
        s.input = update_grid(rng, rows, cols);
        s.kernel = update_grid(rng, kh, kw);
        const int source = pick(rng, 0, 2);
        if (source == 1) s.upstream = update_grid(rng, out.rows, out.cols);
        if (source == 2) s.target = update_grid(rng, out.rows, out.cols);
        return s;
    }
}

// One random edit of the kind a user makes: a cell, a box (a brush stroke, a paste), a
// kernel tap or the whole kernel, or a cell and a tap at once.
void random_edit(std::mt19937& rng, Scene* s) {
    const int rows = int(s->input.rows()), cols = int(s->input.cols());
    const auto edit_cell = [&] { s->input(pick(rng, 0, rows - 1), pick(rng, 0, cols - 1)) = update_value(rng); };
    const auto edit_box = [&] {
        const int h = pick(rng, 1, std::min(rows, 9)), w = pick(rng, 1, std::min(cols, 9));
        const int top = pick(rng, 0, rows - h), left = pick(rng, 0, cols - w);
        for (int i = top; i < top + h; ++i)
            for (int j = left; j < left + w; ++j) s->input(i, j) = update_value(rng);
    };
    const auto edit_tap = [&] {
        s->kernel(pick(rng, 0, int(s->kernel.rows()) - 1), pick(rng, 0, int(s->kernel.cols()) - 1)) = update_value(rng);
    };
    switch (pick(rng, 0, 5)) {
        case 0: edit_cell(); break;
        case 1: edit_box(); break;
        case 2: edit_tap(); break;
        case 3: s->kernel = update_grid(rng, int(s->kernel.rows()), int(s->kernel.cols())); break;
        case 4: edit_cell(); edit_tap(); break;
        default: edit_cell(); edit_cell(); break;  // two cells: the box around both
    }
}

TEST(LayerUpdate, RandomEditSequencesEqualTheFullComputationBitForBit) {
    std::mt19937 rng(2026);
    int updates = 0, steps = 0;
    for (int n = 0; n < 16; ++n) {
        Scene before = random_fast_scene(rng);
        LayerResults r = compute_layer(before);
        ASSERT_TRUE(r.fast_path);
        for (int step = 0; step < 8; ++step) {
            Scene after = before;
            random_edit(rng, &after);
            // Sometimes two edits at once: the window's spare results are two edits back.
            if (pick(rng, 0, 2) == 0) random_edit(rng, &after);
            SCOPED_TRACE("scene " + std::to_string(n) + " step " + std::to_string(step));
            const LayerResults untouched = r;
            ++steps;
            if (update_layer_into(before, after, &r)) {
                ++updates;
                expect_identical_results(compute_layer(after), r);
            } else {
                expect_identical_results(untouched, r);  // a refusal changes nothing
                compute_layer_into(after, &r);
            }
            before = std::move(after);
        }
    }
    // Edits of a few cells or taps of these scenes are all small: every step updated but
    // those whose two cells lie far apart (their box over half the input).
    EXPECT_GT(updates, steps * 3 / 4) << updates << " of " << steps;
}

// The three sources of the error with one cell edited in a corner, in the middle and on
// an edge, where the padding and the floor of Ho cut the windows off.
TEST(LayerUpdate, OneCellAtTheBordersOfEveryGeometry) {
    std::mt19937 rng(7);
    const std::vector<std::pair<int, int>> cells = {{0, 0}, {47, 30}, {95, 95}, {94, 1}};
    for (int stride = 1; stride <= 3; ++stride)
        for (int padding : {0, 2})
            for (int source = 0; source < 3; ++source) {
                Scene before;
                before.input = update_grid(rng, 96, 96);
                before.kernel = update_grid(rng, 9, 9);
                before.spec.stride = {stride, stride};
                before.spec.padding = {padding, padding};
                before.spec.dilation = {2, 1};
                before.activation = Activation::Tanh;
                const Shape out = output_shape({96, 96}, {9, 9}, before.spec);
                if (source == 1) before.upstream = update_grid(rng, out.rows, out.cols);
                if (source == 2) before.target = update_grid(rng, out.rows, out.cols);
                LayerResults r = compute_layer(before);
                ASSERT_TRUE(r.fast_path);
                for (const auto& [i, j] : cells) {
                    SCOPED_TRACE("stride " + std::to_string(stride) + " padding " + std::to_string(padding) +
                                 " source " + std::to_string(source) + " cell " + std::to_string(i) + "," +
                                 std::to_string(j));
                    Scene after = before;
                    after.input(i, j) += 0.75;
                    ASSERT_TRUE(update_layer_into(before, after, &r));
                    expect_identical_results(compute_layer(after), r);
                    before = std::move(after);
                }
            }
}

// What the update cannot take over from `before` makes it refuse, and r stays as it was.
TEST(LayerUpdate, RefusesWhatItCannotUpdateAndLeavesTheResultsAlone) {
    std::mt19937 rng(11);
    Scene before;
    before.input = update_grid(rng, 96, 96);
    before.kernel = update_grid(rng, 3, 3);
    before.activation = Activation::Relu;
    before.target = update_grid(rng, 94, 94);
    const LayerResults original = compute_layer(before);
    ASSERT_TRUE(original.fast_path);
    std::vector<std::pair<std::string, Scene>> refused;
    const auto with = [&](const std::string& what, auto change) {
        Scene s = before;
        s.input(5, 5) += 1;  // an edit the update would take on its own
        change(s);
        refused.emplace_back(what, std::move(s));
    };
    with("input shape", [&](Scene& s) {
        s.input = update_grid(rng, 97, 96);
        s.target = update_grid(rng, 95, 94);
    });
    with("kernel shape", [&](Scene& s) {
        s.kernel = update_grid(rng, 5, 3);
        s.target = update_grid(rng, 92, 94);
    });
    with("stride", [](Scene& s) {
        s.spec.padding = {1, 0};
        s.target = Matrix::Zero(96, 94);
    });
    with("mode", [](Scene& s) { s.spec.mode = ConvMode::Convolution; });
    with("activation", [](Scene& s) { s.activation = Activation::Sigmoid; });
    with("index base", [](Scene& s) { s.index_base = 0; });
    with("target value", [](Scene& s) { (*s.target)(3, 4) += 1; });
    with("target to upstream", [](Scene& s) {
        s.upstream = *s.target;
        s.target.reset();
    });
    with("target to sum", [](Scene& s) { s.target.reset(); });
    with("most of the input", [&](Scene& s) { s.input = update_grid(rng, 96, 96); });
    with("two far corners", [](Scene& s) { s.input(95, 95) += 1; });
    for (const auto& [what, after] : refused) {
        SCOPED_TRACE(what);
        LayerResults r = original;
        EXPECT_FALSE(update_layer_into(before, after, &r));
        expect_identical_results(original, r);
    }
    // A lesson-sized grid keeps the reference loops (grad_input_gather and all): refused.
    Scene small = before;
    small.input = update_grid(rng, 8, 8);
    small.target = update_grid(rng, 6, 6);
    const LayerResults small_results = compute_layer(small);
    ASSERT_FALSE(small_results.fast_path);
    Scene edited = small;
    edited.input(2, 2) += 1;
    LayerResults r = small_results;
    EXPECT_FALSE(update_layer_into(small, edited, &r));
    expect_identical_results(small_results, r);
    // The same scene twice: nothing to do, and the results are already right.
    r = original;
    EXPECT_TRUE(update_layer_into(before, before, &r));
    expect_identical_results(original, r);
}

std::string update_error(const Scene& before, const Scene& after) {
    LayerResults r = compute_layer(before);
    try {
        update_layer_into(before, after, &r);
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

std::string compute_error(const Scene& scene) {
    try {
        compute_layer(scene);
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

// A bad new value, or numbers that no longer fit a double, throw what compute_layer(after)
// throws, word for word, the same first bad number named.
TEST(LayerUpdate, BadEditsThrowTheFullComputationsMessage) {
    std::mt19937 rng(13);
    Scene before;
    before.input = update_grid(rng, 96, 96);
    before.kernel = update_grid(rng, 3, 3);
    before.target = update_grid(rng, 94, 94);
    before.kernel(1, 1) = 3;  // 1.5e308 under this tap overflows, whatever the others
    std::vector<std::pair<std::string, Scene>> bad;
    const auto with = [&](const std::string& what, auto change) {
        Scene s = before;
        change(s);
        bad.emplace_back(what, std::move(s));
    };
    with("NaN input", [](Scene& s) { s.input(40, 50) = NAN; });
    with("two infinite inputs", [](Scene& s) {
        s.input(41, 52) = INFINITY;
        s.input(40, 57) = -INFINITY;  // the first in reading order is named
    });
    with("infinite tap", [](Scene& s) { s.kernel(1, 2) = INFINITY; });
    with("bad input and tap", [](Scene& s) {
        s.kernel(0, 0) = NAN;
        s.input(70, 3) = NAN;  // validate_scene names the input first
    });
    with("an output overflows", [](Scene& s) {
        s.input(30, 30) = 1.5e308;
        s.input(30, 31) = 1.5e308;
    });
    with("outputs overflow both ways", [](Scene& s) {
        s.input(60, 60) = 1.7e308;
        s.input(61, 60) = -1.7e308;
        s.kernel(1, 1) = 4;
    });
    with("the loss overflows", [](Scene& s) { s.input(10, 10) = 1e160; });
    for (const auto& [what, after] : bad) {
        SCOPED_TRACE(what);
        const std::string want = compute_error(after);
        EXPECT_NE(want, "no error");
        EXPECT_EQ(update_error(before, after), want);
    }
    // delta^l overflows first where a given upstream is huge and the kernel grows.
    Scene given = before;
    given.target.reset();
    given.upstream = Matrix::Constant(94, 94, 1e300);  // dJ/dw about 94^2 * 1e300: fits
    Scene grown = given;
    grown.kernel(2, 2) = 1e10;
    const std::string want = compute_error(grown);
    EXPECT_EQ(want.rfind("error delta^{l}_{", 0), 0u) << want;
    EXPECT_EQ(update_error(given, grown), want);
}

}  // namespace
}  // namespace convlens
