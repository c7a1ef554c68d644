// The layer view's display list, read as a test reads a slide: every grid is there and
// hit-testable, the influence of a selected z^l_{m,n} lights exactly the output cells and
// draws exactly the arrows of the design's formula, big grids become heatmaps, numbers
// read well; plus the theme's colour map and the number format the cells use.
#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "canvas/arrow_routes.h"
#include "canvas/draw_rules.h"
#include "canvas/grid_drawing.h"
#include "canvas/layer_layout.h"
#include "util/number_format.h"
#include "unit/canvas_test_support.h"
#include "canvas/text_metrics.h"
#include "canvas/theme.h"
#include "engine/layer_results.h"
#include "lesson/influence_focus.h"

namespace convlens {
namespace {

using CellSet = std::set<std::pair<int, int>>;

using canvas_test::items_of;
using canvas_test::small_scene;

// The cell of g under p, allowing positions outside the grid (the padding ring).
std::pair<int, int> cell_under(const GridGeometry& g, Point p) {
    return {static_cast<int>(std::floor((p.y - g.cells.y) / g.cell)),
            static_cast<int>(std::floor((p.x - g.cells.x) / g.cell))};
}

bool same_color(Color a, Color b) { return a == b; }

struct Layout {
    Scene scene;
    LayerResults results;
    InfluenceView view;
    Theme theme = light_theme();
    DisplayList list;
};

Layout lay_out(Scene scene, std::optional<Focus> focus, LayoutOptions options = {}) {
    Layout l;
    l.scene = std::move(scene);
    l.results = compute_layer(l.scene);
    l.view = influence_view(l.scene, l.results, focus);
    l.list = layout_layer(l.scene, l.results, l.view, l.theme, options);
    return l;
}

// Output positions of z^l_{m,n}'s taps by the design's formula, zero-based, computed
// here without the engine: p = (m + P - d*i) / s (cross-correlation).
void expected_positions(const Scene& s, Cell e, Eigen::Index out_rows, Eigen::Index out_cols,
                        CellSet* inside, CellSet* padding) {
    const ConvSpec& c = s.spec;
    for (int i = 0; i < s.kernel.rows(); ++i)
        for (int j = 0; j < s.kernel.cols(); ++j) {
            const int pn = e.row + c.padding.rows - c.dilation.rows * i;
            const int qn = e.col + c.padding.cols - c.dilation.cols * j;
            if (pn % c.stride.rows != 0 || qn % c.stride.cols != 0) continue;
            const int p = pn / c.stride.rows, q = qn / c.stride.cols;
            (p >= 0 && q >= 0 && p < out_rows && q < out_cols ? inside : padding)->insert({p, q});
        }
}

CellSet outlined(const Layout& l, GridId id, Color stroke) {
    const GridGeometry* g = l.list.grid(id);
    CellSet cells;
    for (const DrawRect& r : items_of<DrawRect>(l.list))
        if (r.fill.a == 0 && same_color(r.stroke, stroke)) {
            const Point c = r.rect.center();
            // Only rects of this grid's cell size, on the grid or its ring (neighbouring
            // grids are further away than three cells).
            if (std::fabs(r.rect.w - g->cell) > g->cell * 0.3f) continue;
            const auto [row, col] = cell_under(*g, c);
            if (row >= -3 && col >= -3 && row < g->rows + 3 && col < g->cols + 3)
                cells.insert({row, col});
        }
    return cells;
}

TEST(Canvas, EveryGridIsThereAndHitTestsRoundTrip) {
    for (Activation f : {Activation::Identity, Activation::Relu}) {
        Scene s = small_scene();
        s.activation = f;
        s.spec.padding = {1, 2};
        const Layout l = lay_out(s, std::nullopt);
        std::vector<GridId> ids = {GridId::Input, GridId::Kernel, GridId::Output, GridId::Upstream,
                                   GridId::GradInput, GridId::GradKernel};
        if (f != Activation::Identity) ids.push_back(GridId::Activated);
        EXPECT_EQ(l.list.grids.size(), ids.size());
        EXPECT_EQ(l.list.grid(GridId::Activated) != nullptr, f != Activation::Identity);
        for (GridId id : ids) {
            const GridGeometry* g = l.list.grid(id);
            ASSERT_NE(g, nullptr);
            EXPECT_GT(g->rows, 0);
            for (int r = 0; r < g->rows; ++r)
                for (int c = 0; c < g->cols; ++c) {
                    const auto hit = l.list.hit(g->cell_rect({r, c}).center());
                    ASSERT_TRUE(hit);
                    EXPECT_EQ(hit->first, id);
                    EXPECT_EQ(hit->second, (Cell{r, c}));
                }
            EXPECT_FALSE(g->hit({g->cells.x - 1, g->cells.y}));
            EXPECT_FALSE(g->hit({g->cells.x + g->cells.w + 0.5f, g->cells.y + 1}));
            // Inside the canvas, and no two grids overlap.
            EXPECT_GE(g->cells.x, 0);
            EXPECT_LE(g->cells.x + g->cells.w, l.list.width);
            EXPECT_LE(g->cells.y + g->cells.h, l.list.height);
            for (GridId other : ids) {
                if (other == id) continue;
                const Rect& a = g->cells;
                const Rect& b = l.list.grid(other)->cells;
                EXPECT_TRUE(a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y);
            }
        }
        EXPECT_FALSE(l.list.hit({1, 1}));
    }
}

TEST(Canvas, SelectedElementLightsExactlyTheFormulasOutputCells) {
    Scene s = small_scene();
    s.spec.padding = {1, 1};
    const Cell e{0, 3};
    const Layout l = lay_out(s, Focus{GridId::Input, e});
    CellSet inside, padding;
    expected_positions(s, e, l.results.output.rows(), l.results.output.cols(), &inside, &padding);
    ASSERT_FALSE(padding.empty());  // the top row of taps lands above the output
    EXPECT_EQ(outlined(l, GridId::Output, l.theme.influence), inside);
    EXPECT_EQ(outlined(l, GridId::Upstream, l.theme.influence), inside);
    EXPECT_EQ(outlined(l, GridId::Output, l.theme.outside), padding);
    EXPECT_EQ(outlined(l, GridId::Input, l.theme.highlight), (CellSet{{0, 3}}));

    // One arrow per tap with a cell, from the element to that cell, dashed into the padding:
    // the routes leave the element at its corners, the heads point into the cells.
    const GridGeometry& in = *l.list.grid(GridId::Input);
    const GridGeometry& out = *l.list.grid(GridId::Output);
    CellSet solid, dashed;
    for (const DrawArrow& a : items_of<DrawArrow>(l.list))
        (a.dashed ? dashed : solid).insert(cell_under(out, a.to));
    const Rect element = in.cell_rect({0, 3});
    int leaving = 0;
    for (const DrawLine& line : items_of<DrawLine>(l.list))
        for (const Point p : {line.from, line.to})
            for (const Point c : {Point{element.x, element.y}, Point{element.x + element.w, element.y},
                                  Point{element.x, element.y + element.h},
                                  Point{element.x + element.w, element.y + element.h}})
                leaving += std::hypot(p.x - c.x, p.y - c.y) < 0.01f;
    EXPECT_GE(leaving, 1);
    EXPECT_EQ(solid, inside);
    EXPECT_EQ(dashed, padding);
    EXPECT_EQ(items_of<DrawArrow>(l.list).size(), inside.size() + padding.size());

    // The arrows agree with the engine's taps too.
    CellSet engine;
    for (const InfluenceRow& row : l.view.rows)
        if (row.tap.output) engine.insert({row.tap.output->row, row.tap.output->col});
    EXPECT_EQ(engine, inside);
}

TEST(Canvas, ArrowsAreLabelledWithTheirTap) {
    const Scene s = small_scene();
    const Layout l = lay_out(s, Focus{GridId::Input, {2, 2}});  // every tap inside (s=1, P=0)
    std::multiset<std::string> tags;
    for (const DrawText& t : items_of<DrawText>(l.list))
        if (t.source.rfind("w_{", 0) == 0) tags.insert(t.source);
    std::multiset<std::string> expected;
    for (int i = 1; i <= 3; ++i)
        for (int j = 1; j <= 3; ++j) {
            const std::string tag = "w_{" + std::to_string(i) + "," + std::to_string(j) + "}";
            expected.insert(tag);  // in z^{l+1}
            expected.insert(tag);  // and in delta^{l+1}
        }
    EXPECT_EQ(tags, expected);
    EXPECT_EQ(items_of<DrawArrow>(l.list).size(), 9u);
}

// Each tap tag sits in its cell's top band and the cell's number below it: neither
// covers the other. Arrow heads stop at the cell's border, clear of the number.
TEST(Canvas, TagsAndArrowHeadsLeaveTheNumbersReadable) {
    LayoutOptions options;
    options.value_size = 17;  // as the window sets it
    const Layout l = lay_out(small_scene(), Focus{GridId::Input, {2, 2}}, options);
    const GridGeometry& out = *l.list.grid(GridId::Output);
    const std::vector<DrawText> texts = items_of<DrawText>(l.list);
    int tags = 0;
    for (const DrawText& tag : texts) {
        if (tag.source.rfind("w_{", 0) != 0 || !out.cells.contains(tag.box.center())) continue;
        ++tags;
        const Rect cell = out.cell_rect(*out.hit(tag.box.center()));
        EXPECT_LT(tag.box.center().y, cell.y + cell.h * 0.25f);
        // The value drawn in the same cell: its glyphs start below the tag's glyphs.
        bool found = false;
        for (const DrawText& v : texts) {
            if (v.source.rfind("w_{", 0) == 0 || !cell.contains(v.box.center())) continue;
            found = true;
            EXPECT_GT(v.box.center().y - v.size / 2,
                      tag.box.center().y + tag.size / 2 + 0.05f * out.cell)
                << v.source << " under " << tag.source;
            EXPECT_LE(v.box.center().y + v.size / 2, cell.y + cell.h);
        }
        EXPECT_TRUE(found) << tag.source;
    }
    EXPECT_EQ(tags, 9);
    for (const DrawArrow& a : items_of<DrawArrow>(l.list)) {
        const Rect cell = out.cell_rect(*out.hit(a.to));
        for (const DrawText& v : texts) {
            if (!v.monospace_digits || !cell.contains(v.box.center())) continue;
            EXPECT_FALSE(text_ink_box(v).contains(a.to)) << "the head covers " << v.source;
        }
    }
}

// The window fits the layer at about 0.6, so a tag much smaller than the numbers is a few
// pixels of noise: tags are nearly as large as the numbers, sit in the cell's top-right
// corner (arrows arrive from the left), and stay inside their cell.
TEST(Canvas, TapTagsAreNearlyAsLargeAsTheNumbers) {
    for (float value_size : {13.0f, 17.0f}) {  // the slide default and the window's choice
        LayoutOptions options;
        options.value_size = value_size;
        const Layout l = lay_out(small_scene(), Focus{GridId::Input, {2, 2}}, options);
        const Layout unfocused = lay_out(small_scene(), std::nullopt, options);
        const GridGeometry& out = *l.list.grid(GridId::Output);
        int tags = 0;
        for (const DrawText& tag : items_of<DrawText>(l.list)) {
            if (tag.source.rfind("w_{", 0) != 0 || !out.cells.contains(tag.box.center())) continue;
            ++tags;
            const Rect cell = out.cell_rect(*out.hit(tag.box.center()));
            EXPECT_GE(tag.size, 0.85f * std::min(value_size, 0.4f * out.cell)) << tag.source;
            EXPECT_EQ(tag.align, HAlign::Right);
            EXPECT_LT(tag.box.x + tag.box.w, cell.x + 0.95f * cell.w);
            EXPECT_GT(tag.box.x + tag.box.w, cell.x + 0.8f * cell.w);
            EXPECT_GE(tag.box.x + tag.box.w - estimate_math_width(tag.text, tag.size), cell.x);
            // The number under it keeps the size it has without a focus (long ones shrink
            // to fit their cell either way).
            auto value_size_in = [&](const Layout& layout) {
                for (const DrawText& v : items_of<DrawText>(layout.list))
                    if (v.monospace_digits && cell.contains(v.box.center())) return v.size;
                return 0.0f;
            };
            EXPECT_GT(value_size_in(l), 0);
            EXPECT_FLOAT_EQ(value_size_in(l), value_size_in(unfocused));
        }
        EXPECT_EQ(tags, 9);
    }
}

// Arrow tips sit just inside the cell they point at, near a corner and clear of its tag;
// arrows to neighbouring cells end at distinct points a good part of a cell apart.
TEST(Canvas, ArrowTipsStopJustInsideTheirCell) {
    LayoutOptions options;
    options.value_size = 17;
    Scene dilated = small_scene();  // arrows into the ring from steeper angles
    dilated.spec.padding = {1, 1};
    dilated.spec.dilation = {2, 2};
    for (const auto& [scene, e] : {std::pair{small_scene(), Cell{2, 2}}, std::pair{small_scene(), Cell{0, 0}},
                                   std::pair{small_scene(), Cell{4, 1}}, std::pair{dilated, Cell{1, 1}},
                                   std::pair{dilated, Cell{4, 0}}}) {
        const Layout l = lay_out(scene, Focus{GridId::Input, e}, options);
        const GridGeometry& out = *l.list.grid(GridId::Output);
        const std::vector<DrawArrow> arrows = items_of<DrawArrow>(l.list);
        ASSERT_FALSE(arrows.empty());
        for (const DrawArrow& a : arrows) {
            const auto [row, col] = cell_under(out, a.to);
            const Rect cell = out.cell_rect({row, col});
            const float to_border = std::min({a.to.x - cell.x, cell.x + cell.w - a.to.x,
                                              a.to.y - cell.y, cell.y + cell.h - a.to.y});
            EXPECT_GE(to_border, 0.0f);
            EXPECT_LT(to_border, (kHeadInset + 0.01f) * out.cell);
            for (const DrawText& t : items_of<DrawText>(l.list)) {
                if (t.source.rfind("w_{", 0) != 0 || !cell.contains(t.box.center())) continue;
                const float width = estimate_math_width(t.text, t.size);
                const float left = t.align == HAlign::Left    ? t.box.x
                                   : t.align == HAlign::Right ? t.box.x + t.box.w - width
                                                              : t.box.center().x - width / 2;
                const Rect ink{left, t.box.center().y - t.size / 2, width, t.size};
                EXPECT_FALSE(ink.contains(a.to)) << t.source << " under an arrow tip";
            }
        }
        for (size_t i = 0; i < arrows.size(); ++i)
            for (size_t j = i + 1; j < arrows.size(); ++j)
                EXPECT_GT(std::hypot(arrows[i].to.x - arrows[j].to.x, arrows[i].to.y - arrows[j].to.y),
                          0.35f * out.cell);
    }
}

TEST(Canvas, EquationCanBeLeftToTheWindow) {
    LayoutOptions options;
    options.show_equation = false;
    const Layout without = lay_out(small_scene(), Focus{GridId::Input, {1, 2}}, options);
    const Layout with = lay_out(small_scene(), Focus{GridId::Input, {1, 2}});
    for (const DrawText& t : items_of<DrawText>(without.list))
        EXPECT_NE(t.source.rfind("\\delta^{l}_{2,3}", 0), 0u) << t.source;
    EXPECT_LT(without.list.height, with.list.height);
    float lowest = 0;
    for (const GridGeometry& g : without.list.grids) lowest = std::max(lowest, g.cells.y + g.cells.h);
    EXPECT_LE(lowest, without.list.height);
}

// A 9x9 kernel would draw 81 arrows, a solid wedge over the grids: one arrow then
// points at the middle of the cells reached, which stay outlined one by one.
TEST(Canvas, ManyTapsShareOneArrow) {
    Scene s;
    s.input = Matrix::Constant(30, 30, 1.0);
    s.kernel = Matrix::Constant(9, 9, 0.5);
    const Layout l = lay_out(s, Focus{GridId::Input, {15, 15}});
    const std::vector<DrawArrow> arrows = items_of<DrawArrow>(l.list);
    ASSERT_EQ(arrows.size(), 1u);
    // Outputs reached: p = 15 - i for i = 0..8, i.e. rows 7..15; the middle is row 11.
    EXPECT_EQ(cell_under(*l.list.grid(GridId::Output), arrows[0].to), (std::pair{11, 11}));
    EXPECT_EQ(outlined(l, GridId::Output, l.theme.influence).size(), 81u);
}

TEST(Canvas, StrideGapsGetNoArrow) {
    Scene s = small_scene();
    s.spec.stride = {2, 2};
    const Layout l = lay_out(s, Focus{GridId::Input, {1, 1}});
    // Row: (1 - i)/2 whole only for i = 1; column likewise: one tap of nine has a cell.
    EXPECT_EQ(items_of<DrawArrow>(l.list).size(), 1u);
    EXPECT_EQ(outlined(l, GridId::Output, l.theme.influence), (CellSet{{0, 0}}));
}

TEST(Canvas, OutputPaddingRingIsDrawnWhateverTheFocus) {
    const Scene s = small_scene();
    auto dashed_near_output = [](const Layout& l) {
        const GridGeometry& g = *l.list.grid(GridId::Output);
        int n = 0;
        for (const DrawRect& r : items_of<DrawRect>(l.list)) {
            const auto [row, col] = cell_under(g, r.rect.center());
            if (r.dashed && r.fill.a > 0 && std::fabs(r.rect.w - g.cell) < 0.5f && row >= -2 &&
                row < g.rows + 2 && col >= -2 && col < g.cols + 2 &&
                (row < 0 || col < 0 || row >= g.rows || col >= g.cols))
                ++n;
        }
        return n;
    };
    // A corner element's taps fall up to two cells out: the ring of the full padding,
    // d(k-1) = 2 on each side, is drawn whole, with or without a focus whose taps reach it
    // (a ring that came and went would move the labels and the canvas's extent).
    EXPECT_EQ(dashed_near_output(lay_out(s, std::nullopt)), 7 * 7 - 3 * 3);
    EXPECT_EQ(dashed_near_output(lay_out(s, Focus{GridId::Input, {2, 2}})), 7 * 7 - 3 * 3);
    EXPECT_EQ(dashed_near_output(lay_out(s, Focus{GridId::Input, {0, 0}})), 7 * 7 - 3 * 3);
    // The layout does not move when the focus changes.
    const Layout a = lay_out(s, std::nullopt), b = lay_out(s, Focus{GridId::Input, {0, 0}});
    EXPECT_EQ(a.list.width, b.list.width);
    EXPECT_EQ(a.list.height, b.list.height);
    EXPECT_EQ(a.list.grid(GridId::Output)->cells.x, b.list.grid(GridId::Output)->cells.x);
}

// The ring reserved around z^{l+1} and delta^{l+1}, per side, by brute force: the furthest
// any input element's tap lands outside the output, p = (m + P - d*i) / s whole, capped at
// eight cells. With s = d = 1 that is k - 1 per side; a stride shrinks it, a dilation
// widens it.
Ring expected_output_ring(const Scene& s, Eigen::Index out_rows, Eigen::Index out_cols) {
    auto overhang = [](int input, int kernel, int stride, int padding, int dilation, int outputs) {
        int lo = 0, hi = outputs - 1;
        for (int m = 0; m < input; ++m)
            for (int i = 0; i < kernel; ++i) {
                const int n = m + padding - dilation * i;
                if (((n % stride) + stride) % stride != 0) continue;
                lo = std::min(lo, n / stride);
                hi = std::max(hi, n / stride);
            }
        return std::pair{std::min(-lo, 8), std::min(hi - (outputs - 1), 8)};
    };
    const ConvSpec& c = s.spec;
    const auto [top, bottom] = overhang(int(s.input.rows()), int(s.kernel.rows()), c.stride.rows,
                                        c.padding.rows, c.dilation.rows, int(out_rows));
    const auto [left, right] = overhang(int(s.input.cols()), int(s.kernel.cols()), c.stride.cols,
                                        c.padding.cols, c.dilation.cols, int(out_cols));
    return {top, bottom, left, right};
}

std::vector<Scene> ring_scenes() {
    std::vector<Scene> scenes;
    scenes.push_back(small_scene());  // k - 1 = 2 per side
    Scene stride = small_scene();
    stride.spec.stride = {2, 2};  // Ho = 2; p = (m - i)/2 reaches -1 and 2: one per side
    scenes.push_back(stride);
    Scene dilated = small_scene();
    dilated.spec.padding = {1, 1};
    dilated.spec.dilation = {2, 2};  // p = m + 1 - 2i: -3 .. 5 around 0 .. 2
    scenes.push_back(dilated);
    Scene lopsided = small_scene();
    lopsided.input = Matrix::Constant(6, 9, 1.0);
    lopsided.kernel = Matrix::Constant(2, 4, 1.0);
    lopsided.spec.stride = {1, 3};
    scenes.push_back(lopsided);
    Scene huge;  // d(k-1) = 12 would push every other grid off the slide: capped at 8
    huge.input = Matrix::Constant(20, 20, 1.0);
    huge.kernel = Matrix::Constant(5, 5, 1.0);
    huge.spec.dilation = {3, 3};
    scenes.push_back(huge);
    return scenes;
}

// The space kept around the output is exactly the ring taps can reach: z^{l+1} hangs under
// its title lower than z^l by the ring's top and no more, and a focus whose taps reach the
// padding draws that whole ring.
TEST(Canvas, OutputRingIsWhereTapsCanLandAndNoMore) {
    for (const Scene& s : ring_scenes()) {
        const Layout plain = lay_out(s, std::nullopt);
        const GridGeometry& in = *plain.list.grid(GridId::Input);
        const GridGeometry& out = *plain.list.grid(GridId::Output);
        const Ring ring = expected_output_ring(s, out.rows, out.cols);
        const float input_ring_top = static_cast<float>(s.spec.padding.rows) * in.cell;
        EXPECT_FLOAT_EQ(out.cells.y - in.cells.y,
                        static_cast<float>(ring.top) * out.cell - input_ring_top)
            << out.rows << "x" << out.cols;
        // The corner element's taps fall above and left of the output: the ring is drawn.
        const Layout corner = lay_out(s, Focus{GridId::Input, {0, 0}});
        const GridGeometry& g = *corner.list.grid(GridId::Upstream);
        int dashed = 0;
        for (const DrawRect& r : items_of<DrawRect>(corner.list)) {
            if (!r.dashed || r.fill.a == 0 || std::fabs(r.rect.w - g.cell) > 0.5f) continue;
            const auto [row, col] = cell_under(g, r.rect.center());
            if (row >= -ring.top && col >= -ring.left && row < g.rows + ring.bottom &&
                col < g.cols + ring.right)
                ++dashed;
        }
        EXPECT_EQ(dashed, (g.rows + ring.top + ring.bottom) * (g.cols + ring.left + ring.right) -
                              g.rows * g.cols)
            << g.rows << "x" << g.cols;
    }
}

// Rows (or columns) 0, 1, the middle, n-2 and n-1 of a grid n long: its borders, the
// lines next to them and its centre; all of them up to n = 5.
std::set<int> borders_and_middle(int n) {
    std::set<int> lines;
    for (int k : {0, 1, n / 2, n - 2, n - 1})
        if (k >= 0 && k < n) lines.insert(k);
    return lines;
}

// Grids keep their place whatever is in focus, so nothing jumps under the mouse: input
// elements, output cells and kernel taps of each scene, against no focus at all. Every
// focus kind, on the cells where a focus draws the most: what it adds beyond its own grid
// (the ring its taps reach, outlines and arrows into the padding) grows toward the borders,
// and an interior cell draws what its neighbour does one cell along. So each grid's corners,
// edges, the cells next to them and its centre (rows and columns 0, 1, middle, n-2, n-1,
// crossed) stand for all of its cells: every cell of the 5x5 scenes, 25 of the 20x20
// input's 400 (every cell took 42 CPU s under the sanitizers, this 5).
TEST(Canvas, GridsNeverMoveWhateverTheFocus) {
    LayoutOptions options;
    options.show_equation = false;
    for (const Scene& s : ring_scenes()) {
        const Layout plain = lay_out(s, std::nullopt, options);
        std::vector<Focus> foci;
        for (GridId id : {GridId::Input, GridId::Output, GridId::Kernel}) {
            const GridGeometry& g = *plain.list.grid(id);
            for (int r : borders_and_middle(g.rows))
                for (int c : borders_and_middle(g.cols)) foci.push_back({id, {r, c}});
        }
        for (const Focus& f : foci) {
            const Layout l = lay_out(s, f, options);
            ASSERT_TRUE(l.view.focus);
            EXPECT_EQ(l.list.width, plain.list.width);
            EXPECT_EQ(l.list.height, plain.list.height);
            ASSERT_EQ(l.list.grids.size(), plain.list.grids.size());
            for (size_t k = 0; k < l.list.grids.size(); ++k) {
                const Rect& a = l.list.grids[k].cells;
                const Rect& b = plain.list.grids[k].cells;
                EXPECT_TRUE(a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h)
                    << "grid " << k << " moved for focus (" << f.cell.row << "," << f.cell.col << ")";
            }
        }
    }
}

// The window's layout of the textbook scene (5x5 input, 3x3 kernel), without the equation:
// two rows of grids and their headers with nothing to spare. Its height decides the zoom
// the window fits it at; 918 units before the header lines and margins were tightened.
TEST(Canvas, WindowLayoutOfTheTextbookSceneHasNoSlack) {
    const Layout l = lay_out(small_scene(), std::nullopt, window_layout_options());
    const GridGeometry& up = *l.list.grid(GridId::Upstream);
    const Ring ring = expected_output_ring(l.scene, up.rows, up.cols);
    const float lowest = up.cells.y + static_cast<float>(up.rows + ring.bottom) * up.cell;
    EXPECT_GT(l.list.height - lowest, 0);
    EXPECT_LE(l.list.height - lowest, 16.5f);  // one margin
    EXPECT_LE(l.list.height, 880);
}

TEST(Canvas, InputPaddingRingIsDashedAndShowsZeros) {
    Scene s = small_scene();
    s.spec.padding = {1, 2};
    const Layout l = lay_out(s, std::nullopt);
    const GridGeometry& g = *l.list.grid(GridId::Input);
    int ring = 0;
    for (const DrawRect& r : items_of<DrawRect>(l.list)) {
        const auto [row, col] = cell_under(g, r.rect.center());
        if (r.dashed && row >= -1 && row <= 5 && col >= -2 && col <= 6) ++ring;
    }
    EXPECT_EQ(ring, (5 + 2) * (5 + 4) - 5 * 5);
}

TEST(Canvas, ReceptiveFieldAndKernelTapFocus) {
    const Scene s = small_scene();
    const Layout field = lay_out(s, Focus{GridId::Output, {1, 2}});
    CellSet expected;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) expected.insert({1 + i, 2 + j});
    EXPECT_EQ(outlined(field, GridId::Input, field.theme.influence), expected);
    EXPECT_EQ(outlined(field, GridId::Kernel, field.theme.influence).size(), 9u);
    EXPECT_EQ(outlined(field, GridId::Output, field.theme.highlight), (CellSet{{1, 2}}));

    const Layout tap = lay_out(s, Focus{GridId::Kernel, {0, 1}});
    CellSet outputs;
    for (int p = 0; p < 3; ++p)
        for (int q = 0; q < 3; ++q) outputs.insert({p, q});
    EXPECT_EQ(outlined(tap, GridId::Output, tap.theme.influence), outputs);
    EXPECT_EQ(outlined(tap, GridId::Kernel, tap.theme.highlight), (CellSet{{0, 1}}));
}

TEST(Canvas, CellsShowCompactValuesWithTheMinusSign) {
    const Layout l = lay_out(small_scene(), std::nullopt);
    const GridGeometry& g = *l.list.grid(GridId::Input);
    std::vector<std::string> shown;
    for (const DrawText& t : items_of<DrawText>(l.list))
        if (g.cell_rect({0, 1}).contains(t.box.center()) && t.monospace_digits) shown.push_back(t.text.plain());
    // One count of decimals for the whole grid: 0.25 needs two, so -1.5 and 3 get two too.
    EXPECT_EQ(shown, (std::vector<std::string>{"\u22121.50"}));
    shown.clear();
    for (const DrawText& t : items_of<DrawText>(l.list))
        if (g.cell_rect({0, 4}).contains(t.box.center()) && t.monospace_digits) shown.push_back(t.source);
    EXPECT_EQ(shown, (std::vector<std::string>{"3.00"}));
    // A grid of whole numbers keeps them whole.
    shown.clear();
    const GridGeometry& w = *l.list.grid(GridId::Kernel);
    for (const DrawText& t : items_of<DrawText>(l.list))
        if (w.cell_rect({1, 0}).contains(t.box.center()) && t.monospace_digits) shown.push_back(t.source);
    EXPECT_EQ(shown, (std::vector<std::string>{"2"}));
}

TEST(Canvas, TitlesAndRoles) {
    Scene s = small_scene();
    s.activation = Activation::Tanh;
    const Layout l = lay_out(s, std::nullopt);
    std::set<std::string> sources;
    for (const DrawText& t : items_of<DrawText>(l.list)) sources.insert(t.source);
    for (GridId id : {GridId::Input, GridId::Activated, GridId::Kernel, GridId::Output,
                      GridId::Upstream, GridId::GradInput, GridId::GradKernel})
        EXPECT_TRUE(sources.count(grid_symbol_tex(id))) << grid_symbol_tex(id);
    // Every grid has its own title and role: two equal ones would name two grids alike.
    std::set<std::string> titles, roles;
    for (GridId id : {GridId::Input, GridId::Activated, GridId::Kernel, GridId::Output,
                      GridId::Upstream, GridId::GradInput, GridId::GradKernel,
                      GridId::RotatedKernel, GridId::PaddedUpstream}) {
        titles.insert(grid_symbol_tex(id));
        roles.insert(grid_role(id));
    }
    EXPECT_EQ(titles.size(), 9u);
    EXPECT_EQ(roles.size(), 9u);
}

TEST(Canvas, LargeGridsBecomeHeatmapsWithoutCellRects) {
    Scene s;
    s.input = Matrix(100, 100);
    for (int r = 0; r < 100; ++r)
        for (int c = 0; c < 100; ++c) s.input(r, c) = std::sin(r * 0.3) * std::cos(c * 0.2);
    s.kernel = Matrix::Constant(3, 3, 1.0 / 9);
    const Layout l = lay_out(s, std::nullopt);
    const auto maps = items_of<DrawHeatmap>(l.list);
    // z^l, z^{l+1}, delta^{l+1} and delta^l; the 3x3 kernels keep their numbers.
    ASSERT_EQ(maps.size(), 4u);
    const GridGeometry& g = *l.list.grid(GridId::Input);
    bool input_map = false;
    for (const DrawHeatmap& m : maps) {
        EXPECT_TRUE(m.complete());
        input_map = input_map || (m.rows == 100 && m.cols == 100 && m.rect.x == g.cells.x);
    }
    EXPECT_TRUE(input_map);
    for (const DrawRect& r : items_of<DrawRect>(l.list))
        EXPECT_FALSE(std::fabs(r.rect.w - g.cell) < 1e-3f && g.cells.contains(r.rect.center()))
            << "a per-cell rectangle inside the heatmap";
    EXPECT_LT(items_of<DrawRect>(l.list).size(), 100u);
    EXPECT_LT(g.cells.w, 1000.0f);  // fits on a slide
    // Hit-testing still resolves single cells of the heatmap.
    const auto hit = l.list.hit(g.cell_rect({57, 3}).center());
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->second, (Cell{57, 3}));
    // A focused element still gets its arrows.
    const Layout f = lay_out(s, Focus{GridId::Input, {50, 50}});
    EXPECT_EQ(items_of<DrawArrow>(f.list).size(), 9u);
    // A kernel tap pairs with all 98x98 outputs: one frame per grid, not 9604 outlines.
    const Layout tap = lay_out(s, Focus{GridId::Kernel, {1, 1}});
    EXPECT_LT(items_of<DrawRect>(tap.list).size(), 100u);
    const GridGeometry& out = *tap.list.grid(GridId::Output);
    bool framed = false;
    for (const DrawRect& r : items_of<DrawRect>(tap.list))
        framed = framed || (r.stroke == tap.theme.influence && r.rect.x == out.cells.x &&
                            r.rect.w == out.cells.w && r.rect.h == out.cells.h);
    EXPECT_TRUE(framed);
}

TEST(Canvas, SelectionOutlineIsStronger) {
    LayoutOptions options;
    options.selected_input = Cell{2, 2};
    const Layout l = lay_out(small_scene(), std::nullopt, options);
    const GridGeometry& g = *l.list.grid(GridId::Input);
    bool found = false;
    for (const DrawRect& r : items_of<DrawRect>(l.list))
        if (r.fill.a == 0 && r.stroke_width >= 4 && g.cell_rect({2, 2}).contains(r.rect.center())) found = true;
    EXPECT_TRUE(found);
}

TEST(Canvas, EquationIsDrawnBelowTheGrids) {
    const Layout l = lay_out(small_scene(), Focus{GridId::Input, {1, 2}});
    float lowest_grid = 0;
    for (const GridGeometry& g : l.list.grids) lowest_grid = std::max(lowest_grid, g.cells.y + g.cells.h);
    bool found = false;
    for (const DrawText& t : items_of<DrawText>(l.list))
        if (t.source.rfind("\\delta^{l}_{2,3} = ", 0) == 0) {
            found = true;
            EXPECT_GT(t.box.y, lowest_grid);
            EXPECT_LE(t.box.y + t.box.h, l.list.height);
        }
    EXPECT_TRUE(found);
}

TEST(Canvas, EmptyResultsDoNotCrash) {
    const Scene s = small_scene();
    const DisplayList list = layout_layer(s, LayerResults{}, InfluenceView{}, dark_theme());
    EXPECT_GT(list.width, 0);
    EXPECT_EQ(list.grid(GridId::Output)->rows, 0);
    EXPECT_TRUE(list.grid(GridId::Input));
}

// ---- theme -------------------------------------------------------------------------

double luminance(Color c) {
    auto lin = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

TEST(Theme, DivergingMapEndsAndMiddle) {
    for (const Theme& t : {light_theme(), dark_theme()}) {
        EXPECT_EQ(diverging_color(t, 0, 5), t.neutral);
        EXPECT_EQ(diverging_color(t, 5, 5), t.positive);
        EXPECT_EQ(diverging_color(t, -5, 5), t.negative);
        EXPECT_EQ(diverging_color(t, 50, 5), t.positive);  // saturates past the scale
        EXPECT_EQ(diverging_color(t, -3, 0), t.neutral);
        EXPECT_EQ(diverging_color(t, NAN, 1), t.neutral);
        const Color half = diverging_color(t, 2.5, 5);
        EXPECT_NE(half, t.positive);
        EXPECT_NE(half, t.neutral);
        EXPECT_GT(half.r, half.b);  // positive leans red
        const Color neg = diverging_color(t, -2.5, 5);
        EXPECT_GT(neg.b, neg.r);    // negative leans blue
    }
    EXPECT_FALSE(light_theme().dark);
    EXPECT_TRUE(dark_theme().dark);
    EXPECT_GT(luminance(light_theme().background), 0.9);
}

TEST(Theme, LightnessChangesMonotonicallyWithMagnitude) {
    for (const Theme& t : {light_theme(), dark_theme()})
        for (double sign : {-1.0, 1.0}) {
            double previous = luminance(t.neutral);
            for (int k = 1; k <= 20; ++k) {
                const double y = luminance(diverging_color(t, sign * k / 20.0, 1.0));
                if (t.dark) EXPECT_GT(y, previous - 1e-4) << k;
                else EXPECT_LT(y, previous + 1e-4) << k;
                previous = y;
            }
        }
}

TEST(Theme, TextColorReadsOnTheFill) {
    const Theme t = light_theme();
    EXPECT_EQ(text_color_on(t, {1, 1, 1, 1}), (Color{0, 0, 0, 1}));
    EXPECT_EQ(text_color_on(t, t.negative), (Color{1, 1, 1, 1}));
    EXPECT_EQ(text_color_on(t, t.neutral), (Color{0, 0, 0, 1}));
    EXPECT_EQ(text_color_on(t, {0, 0, 0, 0}), (Color{0, 0, 0, 1}));  // transparent: the white page
    EXPECT_EQ(text_color_on(dark_theme(), {0, 0, 0, 0}), (Color{1, 1, 1, 1}));
}

// ---- numbers -----------------------------------------------------------------------

TEST(NumberFormat, CompactAndExact) {
    EXPECT_EQ(format_number(3), "3");
    EXPECT_EQ(format_number(-12), "-12");
    EXPECT_EQ(format_number(-0.0), "0");
    EXPECT_EQ(format_number(0.1 + 0.2 - 0.3), "0");  // rounding noise of a sum
    EXPECT_EQ(format_number(0.1 + 0.2), "0.3");
    EXPECT_EQ(format_number(-1.5), "-1.5");
    EXPECT_EQ(format_number(0.123456), "0.123");
    EXPECT_EQ(format_number(12.3456), "12.35");
    EXPECT_EQ(format_number(1234.56), "1234.6");
    EXPECT_EQ(format_number(2.0000000000004), "2");
    EXPECT_EQ(format_number(1e-5), "1e-05");
    EXPECT_EQ(format_number(2.5e20), "2.5e+20");
    EXPECT_EQ(format_number(INFINITY), "\\infty");
    EXPECT_EQ(format_number(NAN), "nan");
}

}  // namespace
}  // namespace convlens
