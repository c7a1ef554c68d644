// A kernel tap's pairs held as one block (TapPairs, MarkBlock) instead of a list: the block
// holds exactly the pairs a slow enumeration of every output cell finds, the canvas draws
// a block exactly as it draws its cells' marks, and a tap of a 512 x 512 layer costs a
// handful of marks and display items.
#include <cmath>
#include <random>
#include <set>
#include <tuple>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "canvas/step_canvas.h"
#include "canvas/theme.h"
#include "engine/layer_results.h"
#include "lesson/influence_focus.h"
#include "lesson/influence_step.h"

namespace convlens {
namespace {

Scene random_scene(int rows, int cols, int kernel_rows, int kernel_cols, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(-1, 1);
    Scene s;
    s.input = Matrix(rows, cols);
    s.kernel = Matrix(kernel_rows, kernel_cols);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) s.input(r, c) = u(rng);
    for (int r = 0; r < kernel_rows; ++r)
        for (int c = 0; c < kernel_cols; ++c) s.kernel(r, c) = u(rng);
    return s;
}

using Pair = std::tuple<int, int, int, int>;  // m, n, p, q (zero-based)

// The slow way, in the design's words: output (p,q) reads input s*p + d*o - P under the
// tap, o = i (cross-correlation) or kh-1-i (convolution); a pair when that lies in the input.
std::set<Pair> slow_pairs(const Scene& s, const LayerResults& r, Cell tap) {
    const ConvSpec& c = s.spec;
    const int kh = int(s.kernel.rows()), kw = int(s.kernel.cols());
    const int oi = c.mode == ConvMode::Convolution ? kh - 1 - tap.row : tap.row;
    const int oj = c.mode == ConvMode::Convolution ? kw - 1 - tap.col : tap.col;
    std::set<Pair> pairs;
    for (int p = 0; p < r.output.rows(); ++p)
        for (int q = 0; q < r.output.cols(); ++q) {
            const int m = c.stride.rows * p + c.dilation.rows * oi - c.padding.rows;
            const int n = c.stride.cols * q + c.dilation.cols * oj - c.padding.cols;
            if (m >= 0 && n >= 0 && m < s.input.rows() && n < s.input.cols()) pairs.insert({m, n, p, q});
        }
    return pairs;
}

TEST(InfluenceTapBlock, HoldsExactlyThePairsOfTheSlowEnumeration) {
    int geometries = 0;
    for (int stride = 1; stride <= 3; ++stride)
        for (int padding = 0; padding <= 2; ++padding)
            for (int dilation = 1; dilation <= 2; ++dilation)
                for (ConvMode mode : {ConvMode::CrossCorrelation, ConvMode::Convolution}) {
                    Scene s = random_scene(7, 6, 3, 2, unsigned(stride * 100 + padding * 10 + dilation));
                    s.spec.stride = {stride, stride == 3 ? 1 : stride};
                    s.spec.padding = {padding, 2 - padding};
                    s.spec.dilation = {dilation, 1};
                    s.spec.mode = mode;
                    s.activation = Activation::Relu;
                    const LayerResults r = compute_layer(s);
                    ++geometries;
                    for (int i = 0; i < s.kernel.rows(); ++i)
                        for (int j = 0; j < s.kernel.cols(); ++j) {
                            const InfluenceView v = influence_view(s, r, Focus{GridId::Kernel, {i, j}});
                            ASSERT_TRUE(v.focus);
                            const std::set<Pair> expected = slow_pairs(s, r, {i, j});
                            std::set<Pair> got;
                            double sum = 0;
                            for (const auto& [e, o] : v.tap_pairs) {
                                got.insert({e.row, e.col, o.row, o.col});
                                sum += r.upstream(o.row, o.col) * r.activated(e.row, e.col);
                            }
                            EXPECT_EQ(v.tap_pairs.size(), got.size()) << "a pair listed twice";
                            EXPECT_EQ(got, expected) << "tap " << i << "," << j << " stride " << stride
                                                     << " padding " << padding << " dilation " << dilation;
                            // dJ/dw_{i,j} is the sum over the pairs: the engine's number, shown.
                            EXPECT_NEAR(v.tap_sum, sum, 1e-12);
                            EXPECT_NEAR(v.tap_sum, r.grad_kernel(i, j), 1e-12);
                            // The step marks the block's cells in z^l, a^l and the output grids.
                            const Step step = influence_step(s, v);
                            std::set<std::pair<int, int>> inputs, outputs;
                            for (const MarkBlock& b : step.mark_blocks) {
                                EXPECT_EQ(b.role, MarkRole::Window);
                                for (long long k = 0; k < b.count(); ++k) {
                                    const Cell c = b.at(k);
                                    EXPECT_TRUE(b.contains(c));
                                    if (b.grid == GridId::Input) inputs.insert({c.row, c.col});
                                    if (b.grid == GridId::Upstream) outputs.insert({c.row, c.col});
                                }
                            }
                            std::set<std::pair<int, int>> want_inputs, want_outputs;
                            for (const auto& [m, n, p, q] : expected) {
                                want_inputs.insert({m, n});
                                want_outputs.insert({p, q});
                            }
                            EXPECT_EQ(inputs, want_inputs);
                            EXPECT_EQ(outputs, want_outputs);
                        }
                }
    EXPECT_EQ(geometries, 36);
}

TEST(InfluenceTapBlock, ContainsOnlyItsLattice) {
    const MarkBlock b{GridId::Input, {1, 2}, {2, 3}, 3, 2, MarkRole::Window, -1};
    EXPECT_EQ(b.count(), 6);
    EXPECT_EQ(b.last(), (Cell{5, 5}));
    EXPECT_TRUE(b.contains({3, 5}));
    EXPECT_FALSE(b.contains({2, 2}));   // between rows of the lattice
    EXPECT_FALSE(b.contains({7, 2}));   // a row past the last
    EXPECT_FALSE(b.contains({1, -1}));  // before the first column
}

// The step with its blocks listed mark by mark: what the canvas drew before blocks.
Step listed(Step step) {
    for (const MarkBlock& b : step.mark_blocks)
        for (long long k = 0; k < b.count(); ++k) step.marks.push_back(b.mark(k));
    step.mark_blocks.clear();
    return step;
}

bool same_rects(const DisplayList& a, const DisplayList& b) {
    if (a.items.size() != b.items.size() || a.width != b.width || a.height != b.height) return false;
    for (size_t k = 0; k < a.items.size(); ++k) {
        if (a.items[k].index() != b.items[k].index()) return false;
        const auto* x = std::get_if<DrawRect>(&a.items[k]);
        const auto* y = std::get_if<DrawRect>(&b.items[k]);
        if (x && (x->rect.x != y->rect.x || x->rect.y != y->rect.y || x->rect.w != y->rect.w ||
                  x->rect.h != y->rect.h || !(x->stroke == y->stroke) || !(x->fill == y->fill) ||
                  x->dashed != y->dashed || x->stroke_width != y->stroke_width))
            return false;
    }
    return true;
}

TEST(InfluenceTapBlock, CanvasDrawsABlockAsItsMarks) {
    const Theme theme = light_theme();
    for (int side : {5, 16, 40}) {
        const Scene s = random_scene(side, side, 3, 3, unsigned(side));
        const LayerResults r = compute_layer(s);
        const CanvasGrids grids = layout_grids(s, r, layer_grids(s), {}, theme, LayoutOptions{});
        // Every kernel tap, through the lesson...
        for (int i = 0; i < 3; ++i) {
            const Step step = influence_step(s, influence_view(s, r, Focus{GridId::Kernel, {i, 2 - i}}));
            ASSERT_EQ(step.mark_blocks.size(), 4u);
            EXPECT_TRUE(same_rects(draw_step(grids, step, theme), draw_step(grids, listed(step), theme)))
                << side << " tap " << i;
        }
        // ...and blocks of any spacing, partly outside the grid (a frame of the cells
        // inside, or outlines into the padding), with marks of the same look beside them.
        for (const MarkBlock& b : {MarkBlock{GridId::Input, {-2, 1}, {2, 1}, 4, 3, MarkRole::Window, -1},
                                   MarkBlock{GridId::Output, {-3, -2}, {1, 2}, side, side / 2, MarkRole::Window, -1},
                                   MarkBlock{GridId::Input, {0, 0}, {3, 3}, side / 3 + 2, 2, MarkRole::Padding, -1}}) {
            Step step;
            step.mark_blocks.push_back(b);
            step.marks.push_back({b.grid, {1, 1}, b.role, -1});
            EXPECT_TRUE(same_rects(draw_step(grids, step, theme), draw_step(grids, listed(step), theme)))
                << side << " block from " << b.first.row << "," << b.first.col;
        }
    }
}

bool near(float a, float b) { return std::abs(a - b) < 0.01f; }

TEST(InfluenceTapBlock, KernelTapOfA512LayerIsAHandfulOfItems) {
    const Scene s = random_scene(512, 512, 7, 7, 5);
    const LayerResults r = compute_layer(s);
    const InfluenceView v = influence_view(s, r, Focus{GridId::Kernel, {3, 1}});
    EXPECT_EQ(v.tap_pairs.size(), 506u * 506u);
    EXPECT_TRUE(v.input_cells.empty() && v.output_cells.empty());
    const Step step = influence_step(s, v);
    EXPECT_LE(step.marks.size(), 2u);  // the tap in w and dJ/dw
    EXPECT_EQ(step.mark_blocks.size(), 4u);
    const Theme theme = light_theme();
    const CanvasGrids grids = layout_grids(s, r, layer_grids(s), {}, theme, LayoutOptions{});
    const DisplayList bare = draw_step(grids, Step{}, theme);
    const DisplayList tap = draw_step(grids, step, theme);
    // The equation's lines and a frame per grid and tap: nothing per pair.
    EXPECT_LE(tap.items.size(), bare.items.size() + 200);
    // The frame around z^l's marked cells spans rows 3..508 and columns 1..506.
    const GridGeometry* g = tap.grid(GridId::Input);
    ASSERT_TRUE(g);
    const Rect a = g->cell_rect({3, 1}), z = g->cell_rect({508, 506});
    bool framed = false;
    for (const DrawItem& item : tap.items)
        if (const auto* d = std::get_if<DrawRect>(&item))
            framed |= d->fill.a == 0 && near(d->rect.x, a.x) && near(d->rect.y, a.y) &&
                      near(d->rect.w, z.x + z.w - a.x) && near(d->rect.h, z.y + z.h - a.y);
    EXPECT_TRUE(framed);
}

}  // namespace
}  // namespace convlens
