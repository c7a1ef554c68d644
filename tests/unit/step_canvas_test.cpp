// The canvas of steps, read as a test reads a slide: marks land on the cells a step names,
// in their term's colour; the kernel window frames the right cells, in the padding too;
// tokens travel (turning ones along an arc); motion starts and ends exactly on the steps;
// grids never move between steps; and every lesson's numbers are legible in the window.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "canvas/arrow_routes.h"
#include "canvas/grid_crop.h"
#include "canvas/step_canvas.h"
#include "canvas/theme.h"
#include "engine/conv_spec.h"
#include "engine/layer_results.h"
#include "lesson/influence_focus.h"
#include "lesson/influence_step.h"
#include "lesson/lesson.h"
#include "scene/scene_json.h"
#include "util/number_format.h"
#include "unit/canvas_test_support.h"

namespace convlens {
namespace {

namespace fs = std::filesystem;

using canvas_test::items_of;
using canvas_test::small_scene;

// The window's options for a lesson, and its canvas region at the default 1400x900
// window, which it fits the display list into at min(w/W, h/H, 1.8).
LayoutOptions window_options() { return window_lesson_layout_options(); }
constexpr float kRegionW = 1090, kRegionH = 540;

float window_fit(const DisplayList& list) {
    return std::min({kRegionW / list.width, kRegionH / list.height, 1.8f});
}

Scene padded_scene() {
    Scene s = small_scene();
    s.spec.padding = {1, 1};
    return s;
}

// rot180(w) of small_scene, indices as printed 1..3, and a 7x7 delta-tilde with zeros
// inserted around the 3x3 delta^{l+1} (k - 1 = 2 per side), labelled from -1.
std::vector<ExtraGrid> extras_of(const Scene& s, const LayerResults& r) {
    ExtraGrid rot;
    rot.id = GridId::RotatedKernel;
    rot.values = s.kernel.reverse();
    rot.title_tex = "\\mathrm{rot180}(w)";
    rot.caption = "w turned";
    rot.first_index = {1, 1};
    ExtraGrid padded;
    padded.id = GridId::PaddedUpstream;
    padded.values = Matrix::Zero(r.upstream.rows() + 4, r.upstream.cols() + 4);
    padded.values.block(2, 2, r.upstream.rows(), r.upstream.cols()) = r.upstream;
    padded.title_tex = "\\tilde{\\delta}^{l+1}";
    padded.caption = "padded";
    padded.first_index = {-1, -1};
    for (int i = 0; i < padded.values.rows(); ++i)
        for (int j = 0; j < padded.values.cols(); ++j)
            padded.inserted_zero.push_back(i < 2 || j < 2 || i >= 2 + r.upstream.rows() ||
                                           j >= 2 + r.upstream.cols());
    return {rot, padded};
}

struct Canvas {
    Scene scene;
    LayerResults results;
    Theme theme = light_theme();
    CanvasGrids grids;
};

Canvas canvas(Scene scene, std::vector<GridId> ids, const std::vector<Step>& steps = {},
              LayoutOptions options = {}) {
    Canvas c;
    c.scene = std::move(scene);
    c.results = compute_layer(c.scene);
    c.grids = layout_grids(c.scene, c.results, ids, extras_of(c.scene, c.results), c.theme, options,
                           steps);
    return c;
}

const std::vector<GridId> kLessonGrids = {GridId::Input, GridId::Kernel, GridId::Upstream,
                                          GridId::RotatedKernel, GridId::PaddedUpstream,
                                          GridId::GradInput};

bool near(float a, float b, float eps = 0.01f) { return std::fabs(a - b) <= eps; }

// Outlines (no fill) whose rectangle is `cell` inset by half their width, as the canvas
// draws a mark's outline.
std::vector<DrawRect> outlines_on(const DisplayList& list, Rect cell) {
    std::vector<DrawRect> out;
    for (const DrawRect& r : items_of<DrawRect>(list)) {
        const float w = r.stroke_width;
        if (r.fill.a == 0 && r.stroke.a > 0 && near(r.rect.x, cell.x + w / 2) &&
            near(r.rect.y, cell.y + w / 2) && near(r.rect.w, cell.w - w) && near(r.rect.h, cell.h - w))
            out.push_back(r);
    }
    return out;
}

std::vector<DrawRect> fills_on(const DisplayList& list, Rect cell) {
    std::vector<DrawRect> out;
    for (const DrawRect& r : items_of<DrawRect>(list))
        if (r.fill.a > 0 && r.stroke.a == 0 && near(r.rect.x, cell.x) && near(r.rect.y, cell.y) &&
            near(r.rect.w, cell.w) && near(r.rect.h, cell.h))
            out.push_back(r);
    return out;
}

// The numbers written in a cell (the cells' values carry monospace digits).
std::vector<DrawText> numbers_in(const DisplayList& list, Rect cell) {
    std::vector<DrawText> out;
    for (const DrawText& t : items_of<DrawText>(list))
        if (t.monospace_digits && cell.contains(t.box.center())) out.push_back(t);
    return out;
}

bool same_items(const DisplayList& a, const DisplayList& b) {
    if (a.items.size() != b.items.size() || a.width != b.width || a.height != b.height) return false;
    for (size_t k = 0; k < a.items.size(); ++k) {
        const DrawItem& x = a.items[k];
        const DrawItem& y = b.items[k];
        if (x.index() != y.index()) return false;
        if (const auto* r = std::get_if<DrawRect>(&x)) {
            const auto& o = std::get<DrawRect>(y);
            if (r->rect.x != o.rect.x || r->rect.y != o.rect.y || r->rect.w != o.rect.w ||
                r->rect.h != o.rect.h || !(r->fill == o.fill) || !(r->stroke == o.stroke) ||
                r->dashed != o.dashed || r->stroke_width != o.stroke_width)
                return false;
        } else if (const auto* t = std::get_if<DrawText>(&x)) {
            const auto& o = std::get<DrawText>(y);
            if (t->source != o.source || t->box.x != o.box.x || t->box.y != o.box.y ||
                t->size != o.size || !(t->color == o.color))
                return false;
        } else if (const auto* a1 = std::get_if<DrawArrow>(&x)) {
            const auto& o = std::get<DrawArrow>(y);
            if (a1->from.x != o.from.x || a1->from.y != o.from.y || a1->to.x != o.to.x ||
                a1->to.y != o.to.y || !(a1->color == o.color) || a1->dashed != o.dashed)
                return false;
        }
    }
    return true;
}

bool same_grids(const DisplayList& a, const DisplayList& b) {
    if (a.grids.size() != b.grids.size() || a.width != b.width || a.height != b.height) return false;
    for (size_t k = 0; k < a.grids.size(); ++k) {
        const Rect& x = a.grids[k].cells;
        const Rect& y = b.grids[k].cells;
        if (a.grids[k].id != b.grids[k].id || x.x != y.x || x.y != y.y || x.w != y.w || x.h != y.h)
            return false;
    }
    return true;
}

TEST(StepCanvas, MarksLandOnTheCellsTheStepNamesInTheirRolesColours) {
    Step step;
    step.marks = {{GridId::Input, {1, 2}, MarkRole::Focus, -1},
                  {GridId::Input, {3, 3}, MarkRole::Window, -1},
                  {GridId::Input, {4, 0}, MarkRole::Done, -1},
                  {GridId::Kernel, {0, 0}, MarkRole::Term, 0},
                  {GridId::Kernel, {2, 1}, MarkRole::Term, 3},
                  {GridId::Input, {-1, 4}, MarkRole::Padding, 1},   // in the padding ring
                  {GridId::Upstream, {0, -1}, MarkRole::Padding, -1},
                  {GridId::GradInput, {4, 4}, MarkRole::Result, -1}};
    const Canvas c = canvas(padded_scene(), kLessonGrids, {step});
    const DisplayList list = draw_step(c.grids, step, c.theme);
    for (const Mark& m : step.marks) {
        const GridGeometry* g = list.grid(m.grid);
        ASSERT_NE(g, nullptr);
        const std::vector<DrawRect> lines = outlines_on(list, g->cell_rect(m.cell));
        ASSERT_EQ(lines.size(), 1u) << int(m.grid) << " " << m.cell.row << "," << m.cell.col;
        const DrawRect& r = lines[0];
        // Only a term tints its cell: any other mark leaves the cell's colour (and number)
        // as they are.
        if (m.role != MarkRole::Term) {
            EXPECT_TRUE(fills_on(list, g->cell_rect(m.cell)).empty()) << int(m.role);
        }
        switch (m.role) {
            case MarkRole::Focus: EXPECT_EQ(r.stroke, c.theme.highlight); break;
            case MarkRole::Term:
                EXPECT_EQ(r.stroke, term_color(c.theme, m.term));
                EXPECT_FALSE(r.dashed);
                {
                    // A light tint of the term's colour over the cell.
                    const std::vector<DrawRect> tint = fills_on(list, g->cell_rect(m.cell));
                    ASSERT_EQ(tint.size(), 1u);
                    const Color tc = term_color(c.theme, m.term);
                    EXPECT_EQ((Color{tint[0].fill.r, tint[0].fill.g, tint[0].fill.b, 1}), tc);
                    EXPECT_GT(tint[0].fill.a, 0.05f);
                    EXPECT_LT(tint[0].fill.a, 0.5f);
                }
                break;
            case MarkRole::Padding:
                EXPECT_TRUE(r.dashed);
                EXPECT_EQ(r.stroke, m.term >= 0 ? term_color(c.theme, m.term) : c.theme.outside);
                break;
            case MarkRole::Result:
                EXPECT_EQ(r.stroke, term_color(c.theme, -1));
                EXPECT_GE(r.stroke_width, 3.5f);
                break;
            default: break;
        }
    }
    // Different terms get different colours.
    EXPECT_NE(term_color(c.theme, 0), term_color(c.theme, 3));
    // The padding mark beside delta^{l+1} has its padding cell drawn (dashed, filled).
    const GridGeometry& up = *list.grid(GridId::Upstream);
    int ring_cells = 0;
    for (const DrawRect& r : items_of<DrawRect>(list))
        if (r.dashed && r.fill.a > 0 && near(r.rect.x, up.cell_rect({0, -1}).x) &&
            near(r.rect.y, up.cell_rect({0, -1}).y))
            ++ring_cells;
    EXPECT_EQ(ring_cells, 1);
}

TEST(StepCanvas, KernelWindowFramesItsTapsInThePaddingToo) {
    Scene s = padded_scene();
    s.spec.dilation = {2, 2};  // 5x5 input, P = 1, d = 2: the first window starts at (-1,-1)
    Step step;
    step.window = KernelWindow{GridId::Input, {-1, -1}, {2, 2}, 3, 3};
    const Canvas c = canvas(s, {GridId::Input, GridId::Kernel, GridId::Output}, {step});
    const DisplayList list = draw_step(c.grids, step, c.theme);
    const GridGeometry& in = *list.grid(GridId::Input);
    // Nine tap frames, at rows and columns -1, 1, 3.
    std::set<std::pair<int, int>> taps;
    Rect whole{};
    for (const DrawRect& r : items_of<DrawRect>(list)) {
        if (r.fill.a != 0 || r.stroke.a == 0) continue;
        if (r.rect.w < in.cell && r.rect.w > in.cell * 0.8f) {
            const Point p = r.rect.center();
            taps.insert({int(std::floor((p.y - in.cells.y) / in.cell)),
                         int(std::floor((p.x - in.cells.x) / in.cell))});
        } else if (r.rect.w > 4 * in.cell) {
            whole = r.rect;
        }
    }
    std::set<std::pair<int, int>> expected;
    for (int i : {-1, 1, 3})
        for (int j : {-1, 1, 3}) expected.insert({i, j});
    EXPECT_EQ(taps, expected);
    // One frame around the whole window: from cell (-1,-1) to cell (3,3), just outside.
    const Rect first = in.cell_rect({-1, -1}), last = in.cell_rect({3, 3});
    EXPECT_LT(whole.x, first.x);
    EXPECT_GT(whole.x, first.x - 0.2f * in.cell);
    EXPECT_LT(whole.y, first.y);
    EXPECT_GT(whole.x + whole.w, last.x + last.w);
    EXPECT_LT(whole.x + whole.w, last.x + last.w + 0.2f * in.cell);
    EXPECT_GT(whole.y + whole.h, last.y + last.h);
}

TEST(StepCanvas, LinksAreRoutedArrowsIntoTheirCellInTheirTermsColour) {
    Step step;
    step.links = {{GridId::Input, {2, 2}, GridId::Upstream, {1, 1}, 2, false},
                  {GridId::Input, {0, 0}, GridId::Upstream, {-1, -1}, -1, true}};
    const Canvas c = canvas(small_scene(), kLessonGrids, {step});
    const DisplayList list = draw_step(c.grids, step, c.theme);
    const std::vector<DrawArrow> arrows = items_of<DrawArrow>(list);
    ASSERT_EQ(arrows.size(), 2u);
    const GridGeometry& in = *list.grid(GridId::Input);
    const GridGeometry& up = *list.grid(GridId::Upstream);
    // The route leaves z^l_{3,3} at a corner, runs in lines of the link's colour, and its
    // head goes from a corner of the target a fifth of a cell into it.
    const Rect from = in.cell_rect({2, 2}), to = up.cell_rect({1, 1});
    auto corner_of = [](Rect r, Point p) {
        for (const Point k : {Point{r.x, r.y}, Point{r.x + r.w, r.y}, Point{r.x, r.y + r.h},
                              Point{r.x + r.w, r.y + r.h}})
            if (std::hypot(p.x - k.x, p.y - k.y) < 0.01f) return true;
        return false;
    };
    EXPECT_TRUE(corner_of(to, arrows[0].from));
    EXPECT_TRUE(to.contains(arrows[0].to));
    EXPECT_NEAR(std::abs(arrows[0].to.x - arrows[0].from.x), kHeadInset * up.cell, 0.01f);
    EXPECT_NEAR(std::abs(arrows[0].to.y - arrows[0].from.y), kHeadInset * up.cell, 0.01f);
    bool leaves = false;
    for (const DrawLine& l : items_of<DrawLine>(list)) {
        leaves = leaves || corner_of(from, l.from) || corner_of(from, l.to);
        if (!(l.color == term_color(c.theme, 2))) continue;
        EXPECT_TRUE(l.from.x == l.to.x || l.from.y == l.to.y);
    }
    EXPECT_TRUE(leaves);
    EXPECT_EQ(arrows[0].color, term_color(c.theme, 2));
    EXPECT_FALSE(arrows[0].dashed);
    EXPECT_TRUE(up.cell_rect({-1, -1}).contains(arrows[1].to));
    EXPECT_TRUE(arrows[1].dashed);
    EXPECT_EQ(arrows[1].color, c.theme.outside);
}

TEST(StepCanvas, TagsTokensAndExtraGridsLabels) {
    Step step;
    step.tags = {{GridId::Upstream, {0, 1}, "w_{2,2}"}};
    step.tokens = {{"w1,1", GridId::RotatedKernel, {2, 2}, "1", "w_{1,1}", false}};
    const Canvas c = canvas(small_scene(), kLessonGrids, {step});
    const DisplayList list = draw_step(c.grids, step, c.theme);
    const GridGeometry& up = *list.grid(GridId::Upstream);
    const GridGeometry& rot = *list.grid(GridId::RotatedKernel);
    int tags = 0, token_tags = 0;
    for (const DrawText& t : items_of<DrawText>(list)) {
        if (t.source == "w_{2,2}") {
            ++tags;
            EXPECT_TRUE(up.cell_rect({0, 1}).contains(t.box.center()));
        }
        if (t.source == "w_{1,1}") {
            ++token_tags;
            EXPECT_TRUE(rot.cell_rect({2, 2}).contains(t.box.center()));
        }
    }
    EXPECT_EQ(tags, 1);
    EXPECT_EQ(token_tags, 1);
    // The token's chip covers its cell exactly, above the grid's own cell.
    size_t chip = 0, cell = 0;
    for (size_t k = 0; k < list.items.size(); ++k)
        if (const auto* r = std::get_if<DrawRect>(&list.items[k])) {
            const Rect at = rot.cell_rect({2, 2});
            if (near(r->rect.x, at.x) && near(r->rect.y, at.y) && near(r->rect.w, at.w)) {
                if (r->stroke == c.theme.text) chip = k;
                else if (cell == 0) cell = k;
            }
        }
    EXPECT_GT(chip, cell);
    EXPECT_GT(cell, 0u);
    // delta-tilde's index labels start at its first_index, -1.
    const GridGeometry& padded = *list.grid(GridId::PaddedUpstream);
    std::vector<std::string> column_labels;
    for (const DrawText& t : items_of<DrawText>(list))
        if (!t.monospace_digits && t.box.y + t.box.h <= padded.cells.y + 0.5f &&
            t.box.y + t.box.h > padded.cells.y - 30 && t.box.center().x > padded.cells.x &&
            t.box.center().x < padded.cells.x + padded.cells.w)
            column_labels.push_back(t.source);
    EXPECT_EQ(column_labels, (std::vector<std::string>{"-1", "0", "1", "2", "3", "4", "5"}));
    // Its title and caption are the extra grid's own.
    bool title = false, caption = false;
    for (const DrawText& t : items_of<DrawText>(list)) {
        title = title || t.source == "\\tilde{\\delta}^{l+1}";
        caption = caption || t.source == "padded";
    }
    EXPECT_TRUE(title);
    EXPECT_TRUE(caption);
}

TEST(StepCanvas, InsertedZerosAreDrawnLikePaddingUnlessHidden) {
    const Canvas c = canvas(small_scene(), kLessonGrids);
    const GridGeometry& g = *c.grids.frame().grid(GridId::PaddedUpstream);
    auto count = [&](const DisplayList& list) {
        int dashed = 0, zeros = 0;
        for (const DrawRect& r : items_of<DrawRect>(list))
            if (r.dashed && r.fill.a > 0 && g.cells.contains(r.rect.center())) ++dashed;
        for (const DrawText& t : items_of<DrawText>(list))
            if (t.source == "0" && g.cells.contains(t.box.center()) && !t.monospace_digits) ++zeros;
        return std::pair{dashed, zeros};
    };
    EXPECT_EQ(count(c.grids.frame()), (std::pair{7 * 7 - 9, 7 * 7 - 9}));
    Step hidden;
    hidden.hidden_inserted_zeros = {GridId::PaddedUpstream};
    EXPECT_EQ(count(draw_step(c.grids, hidden, c.theme)), (std::pair{0, 0}));
    // delta^{l+1}'s own numbers stay, in the middle, in the colour map.
    const DisplayList list = draw_step(c.grids, hidden, c.theme);
    const Rect middle = g.cell_rect({2, 2});
    ASSERT_EQ(numbers_in(list, middle).size(), 1u);
    EXPECT_EQ(numbers_in(list, middle)[0].source, format_number(c.results.upstream(0, 0)));
}

TEST(StepCanvas, FillingGridsShowOnlyWhatIsComputedAndHiddenGridsNothing) {
    Step step;
    step.filling = {GridId::GradInput};
    step.hidden_values = {GridId::Kernel};
    step.marks = {{GridId::GradInput, {0, 0}, MarkRole::Done, -1},
                  {GridId::GradInput, {1, 1}, MarkRole::Result, -1}};
    const Canvas c = canvas(small_scene(), kLessonGrids, {step});
    const DisplayList list = draw_step(c.grids, step, c.theme);
    const GridGeometry& d = *list.grid(GridId::GradInput);
    for (int r = 0; r < d.rows; ++r)
        for (int col = 0; col < d.cols; ++col) {
            const bool shown = (r == 0 && col == 0) || (r == 1 && col == 1);
            const auto numbers = numbers_in(list, d.cell_rect({r, col}));
            ASSERT_EQ(numbers.size(), shown ? 1u : 0u) << r << "," << col;
            if (shown) {
                EXPECT_EQ(numbers[0].source, format_number(c.results.grad_input(r, col)));
            }
        }
    const GridGeometry& w = *list.grid(GridId::Kernel);
    for (int r = 0; r < w.rows; ++r)
        for (int col = 0; col < w.cols; ++col)
            EXPECT_TRUE(numbers_in(list, w.cell_rect({r, col})).empty());
    // Without the step every number is there.
    EXPECT_EQ(numbers_in(c.grids.frame(), w.cell_rect({1, 1})).size(), 1u);
    // Half way to a step that shows the kernel, its numbers are half faded in.
    const DisplayList half = draw_motion(c.grids, step, Step{}, 0.5f, c.theme);
    const auto fading = numbers_in(half, w.cell_rect({1, 1}));
    ASSERT_EQ(fading.size(), 1u);
    EXPECT_NEAR(fading[0].color.a, 0.5f, 1e-4f);
}

TEST(StepCanvas, ReadoutsAgreeInOneColourAndTheOddOneIsStruckThrough) {
    Step step;
    step.readouts = {{"\\text{chain rule}", 4, true}, {"\\text{mistake}", 7, false},
                     {"\\text{rot180}", 4, true}};
    const Canvas c = canvas(small_scene(), kLessonGrids, {step});
    const DisplayList list = draw_step(c.grids, step, c.theme);
    float lowest = 0;
    for (const GridGeometry& g : list.grids) lowest = std::max(lowest, g.cells.y + g.cells.h);
    std::vector<DrawText> shown;  // under the grids (a caption may hold " = " too)
    for (const DrawText& t : items_of<DrawText>(list))
        if (t.source.find(" = ") != std::string::npos && t.box.y > lowest) shown.push_back(t);
    ASSERT_EQ(shown.size(), 3u);
    EXPECT_EQ(shown[0].source, "\\text{chain rule} = 4");
    EXPECT_EQ(shown[0].color, shown[2].color);
    EXPECT_NE(shown[0].color, shown[1].color);
    const std::vector<DrawLine> lines = items_of<DrawLine>(list);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_GE(lines[0].from.x, shown[1].box.x - 0.5f);
    EXPECT_LE(lines[0].to.x, shown[1].box.x + shown[1].box.w + 0.5f);
    // Below the grids, inside the canvas the layout kept for them.
    for (const GridGeometry& g : list.grids) EXPECT_GT(shown[0].box.y, g.cells.y + g.cells.h);
    EXPECT_LE(shown[0].box.y + shown[0].box.h, c.grids.frame().height);
}

TEST(StepCanvas, EquationPiecesTakeTheirTermsColourWhenShown) {
    Step step;
    step.caption = "The products of the window, summed.";
    step.equation = {{LineKind::General, {{"z^{l+1}_{1,1} = ", -1}, {"a_{1,1} w_{1,1}", 0},
                                          {" + ", -1}, {"a_{1,2} w_{1,2}", 1}}}};
    const Canvas with = canvas(small_scene(), kLessonGrids, {step});
    const DisplayList list = draw_step(with.grids, step, with.theme);
    bool caption = false;
    float x = -1;
    for (const DrawText& t : items_of<DrawText>(list)) {
        caption = caption || t.source == step.caption;
        if (t.source == "a_{1,1} w_{1,1}") {
            EXPECT_EQ(t.color, term_color(with.theme, 0));
            x = t.box.x;
        }
        if (t.source == "a_{1,2} w_{1,2}") {
            EXPECT_EQ(t.color, term_color(with.theme, 1));
            EXPECT_GT(t.box.x, x);  // after the first term, on the same line
        }
        if (t.source == "z^{l+1}_{1,1} = ") {
            EXPECT_EQ(t.color, with.theme.text);
        }
    }
    EXPECT_TRUE(caption);
    EXPECT_GE(list.height, with.grids.frame().height);
    EXPECT_EQ(list.height, with.grids.frame().height) << "the layout kept room for the step";
    LayoutOptions window;
    window.show_equation = false;
    const Canvas without = canvas(small_scene(), kLessonGrids, {step}, window);
    for (const DrawText& t : items_of<DrawText>(draw_step(without.grids, step, without.theme)))
        EXPECT_NE(t.source, "a_{1,1} w_{1,1}");
    // Room under the grids only for the text shown (the grids may be arranged otherwise).
    auto room_under = [](const DisplayList& l) {
        float lowest = 0;
        for (const GridGeometry& g : l.grids) lowest = std::max(lowest, g.cells.y + g.cells.h);
        return l.height - lowest;
    };
    EXPECT_LT(room_under(without.grids.frame()) + 2 * 18, room_under(with.grids.frame()));
}

// A turning token goes round the grid's centre (rot180), a straight one along the line.
TEST(StepCanvas, TokensTravelTurningOnesAlongAnArc) {
    Step from, to;
    from.tokens = {{"w1,1", GridId::RotatedKernel, {0, 0}, "1", "w_{1,1}", false},
                   {"w1,2", GridId::Kernel, {0, 1}, "0", "w_{1,2}", false}};
    to.tokens = {{"w1,1", GridId::RotatedKernel, {2, 2}, "1", "w_{1,1}", true},
                 {"w1,2", GridId::RotatedKernel, {2, 1}, "0", "w_{1,2}", false}};
    const Canvas c = canvas(small_scene(), kLessonGrids, {from, to});
    const GridGeometry& rot = *c.grids.frame().grid(GridId::RotatedKernel);
    const GridGeometry& w = *c.grids.frame().grid(GridId::Kernel);
    auto chip_centre = [&](const DisplayList& list, const std::string& tag) {
        for (const DrawText& t : items_of<DrawText>(list))
            if (t.source == tag)
                for (const DrawRect& r : items_of<DrawRect>(list))
                    if (r.stroke.a > 0 && r.stroke.r == c.theme.text.r && r.stroke_width == 2 &&
                        r.rect.contains(t.box.center()))
                        return r.rect.center();
        ADD_FAILURE() << "no chip " << tag;
        return Point{};
    };
    auto dist = [](Point a, Point b) { return std::hypot(a.x - b.x, a.y - b.y); };
    const Point a0 = rot.cell_rect({0, 0}).center(), a1 = rot.cell_rect({2, 2}).center();
    const Point centre = rot.cell_rect({1, 1}).center();
    EXPECT_LT(dist(chip_centre(draw_motion(c.grids, from, to, 0, c.theme), "w_{1,1}"), a0), 0.01f);
    EXPECT_LT(dist(chip_centre(draw_motion(c.grids, from, to, 1, c.theme), "w_{1,1}"), a1), 0.01f);
    const Point mid = chip_centre(draw_motion(c.grids, from, to, 0.5f, c.theme), "w_{1,1}");
    // On the circle about the grid's centre through both places, a quarter of the way
    // round: far from the straight line's midpoint, which is the centre itself.
    EXPECT_NEAR(dist(mid, centre), dist(a0, centre), 0.01f);
    EXPECT_GT(dist(mid, centre), rot.cell);
    // At t = 0.25 it is on the circle too, between its start and the half-way point.
    const Point quarter = chip_centre(draw_motion(c.grids, from, to, 0.25f, c.theme), "w_{1,1}");
    EXPECT_NEAR(dist(quarter, centre), dist(a0, centre), 0.01f);
    EXPECT_LT(dist(quarter, a0), dist(mid, a0));
    // The straight one, across grids: half way (the ease is symmetric) along the line.
    const Point b0 = w.cell_rect({0, 1}).center(), b1 = rot.cell_rect({2, 1}).center();
    const Point straight = chip_centre(draw_motion(c.grids, from, to, 0.5f, c.theme), "w_{1,2}");
    EXPECT_NEAR(straight.x, (b0.x + b1.x) / 2, 0.01f);
    EXPECT_NEAR(straight.y, (b0.y + b1.y) / 2, 0.01f);
}

TEST(StepCanvas, KernelWindowGlidesBetweenItsPlaces) {
    Step from, to;
    from.window = KernelWindow{GridId::Input, {0, 0}, {1, 1}, 3, 3};
    to.window = KernelWindow{GridId::Input, {0, 2}, {1, 1}, 3, 3};
    const Canvas c = canvas(small_scene(), {GridId::Input, GridId::Kernel, GridId::Output}, {from, to});
    const GridGeometry& in = *c.grids.frame().grid(GridId::Input);
    auto window_left = [&](float t) {
        float left = 1e9f;
        for (const DrawRect& r : items_of<DrawRect>(draw_motion(c.grids, from, to, t, c.theme)))
            if (r.fill.a == 0 && r.stroke == c.theme.text && r.rect.w > 2 * in.cell)
                left = std::min(left, r.rect.x);
        return left;
    };
    const float start = window_left(0), end = window_left(1), half = window_left(0.5f);
    EXPECT_NEAR(end - start, 2 * in.cell, 0.01f);
    EXPECT_NEAR(half - start, in.cell, 0.01f);  // eased, but symmetric: half way at t = 0.5
    const float early = window_left(0.1f);
    EXPECT_GT(early, start);
    EXPECT_LT(early - start, 0.1f * 2 * in.cell) << "eased: slow at the start";
}

TEST(StepCanvas, MotionStartsAndEndsExactlyOnTheStepsAndFadesMarks) {
    const Scene scene = small_scene();
    const LayerResults results = compute_layer(scene);
    const Lesson lesson = build_lesson(LessonName::Backward, scene, results, std::nullopt);
    const Theme theme = light_theme();
    const CanvasGrids grids = layout_grids(scene, results, lesson.grids, lesson.extra_grids, theme,
                                           {}, lesson.steps);
    ASSERT_GE(lesson.steps.size(), 3u);
    for (size_t k = 0; k + 1 < lesson.steps.size(); ++k) {
        const Step& a = lesson.steps[k];
        const Step& b = lesson.steps[k + 1];
        const DisplayList da = draw_step(grids, a, theme), db = draw_step(grids, b, theme);
        EXPECT_TRUE(same_items(draw_motion(grids, a, b, 0, theme), da)) << k;
        EXPECT_TRUE(same_items(draw_motion(grids, a, b, 1, theme), db)) << k;
        // Grids never move: every step and every moment between two has the frame's grids.
        EXPECT_TRUE(same_grids(da, grids.frame())) << k;
        EXPECT_TRUE(same_grids(draw_motion(grids, a, b, 0.5f, theme), grids.frame())) << k;
    }
    // A mark only in `to` is half faded in half way (the ease is symmetric about 0.5), one
    // in both stays opaque.
    Step a, b;
    a.marks = {{GridId::Input, {1, 1}, MarkRole::Focus, -1}};
    b.marks = {{GridId::Input, {1, 1}, MarkRole::Focus, -1}, {GridId::Kernel, {0, 0}, MarkRole::Term, 2}};
    const DisplayList half = draw_motion(grids, a, b, 0.5f, theme);
    const GridGeometry* in = half.grid(GridId::Input);
    const GridGeometry* w = half.grid(GridId::Kernel);
    if (in && w) {
        const auto kept = outlines_on(half, in->cell_rect({1, 1}));
        ASSERT_EQ(kept.size(), 1u);
        EXPECT_EQ(kept[0].stroke.a, 1.0f);
        const auto fading = outlines_on(half, w->cell_rect({0, 0}));
        ASSERT_EQ(fading.size(), 1u);
        EXPECT_NEAR(fading[0].stroke.a, 0.5f, 1e-4f);
    }
}

// Grids laid out in the light theme and drawn in the dark one (the window switching theme
// mid-lesson) take the dark theme's colours everywhere, in the same places.
TEST(StepCanvas, AnotherThemeRedrawsTheGrids) {
    const Canvas c = canvas(small_scene(), kLessonGrids);
    const Theme dark = dark_theme();
    const DisplayList light = draw_step(c.grids, Step{}, c.theme);
    const DisplayList list = draw_step(c.grids, Step{}, dark);
    EXPECT_EQ(list.background, dark.background);
    EXPECT_TRUE(same_grids(list, light));
    const GridGeometry& w = *list.grid(GridId::Kernel);
    const double scale = c.scene.kernel.cwiseAbs().maxCoeff();
    int cells = 0;
    for (const DrawRect& r : items_of<DrawRect>(list))
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j)
                if (r.rect.x == w.cell_rect({i, j}).x && r.rect.y == w.cell_rect({i, j}).y &&
                    r.rect.w == w.cell) {
                    EXPECT_EQ(r.fill, diverging_color(dark, c.scene.kernel(i, j), scale));
                    ++cells;
                }
    EXPECT_EQ(cells, 9);
}

TEST(StepCanvas, AMissingExtraGridIsAnInputError) {
    const Scene s = small_scene();
    EXPECT_THROW(layout_grids(s, compute_layer(s), {GridId::Input, GridId::RotatedKernel}, {},
                              light_theme()),
                 InputError);
}

// The hover view is a step like any other: layout_layer is layout_grids + draw_step.
TEST(StepCanvas, HoverViewIsTheInfluenceStepOnTheLayerGrids) {
    Scene s = padded_scene();
    s.activation = Activation::Relu;
    const LayerResults r = compute_layer(s);
    const Theme theme = light_theme();
    LayoutOptions o;
    o.show_equation = false;
    const CanvasGrids grids = layout_grids(s, r, layer_grids(s), {}, theme, o);
    EXPECT_EQ(layer_grids(s), (std::vector<GridId>{GridId::Input, GridId::Activated, GridId::Kernel,
                                                   GridId::Output, GridId::Upstream,
                                                   GridId::GradInput, GridId::GradKernel}));
    for (const Focus f : {Focus{GridId::Input, {0, 3}}, Focus{GridId::Output, {1, 2}},
                          Focus{GridId::Kernel, {2, 0}}}) {
        const InfluenceView view = influence_view(s, r, f);
        const Step step = influence_step(s, view);
        ASSERT_TRUE(step.about);
        EXPECT_EQ(*step.about, f);
        EXPECT_TRUE(same_items(layout_layer(s, r, view, theme, o), draw_step(grids, step, theme)));
    }
    // z^l_{1,4} (one-based): taps w_{i,j} reach (1-i+1+1, 4-j+1+1) with P = 1; arrows start
    // at a^l (there is an activation) and the padding taps' arrows are dashed.
    const InfluenceView view = influence_view(s, r, Focus{GridId::Input, {0, 3}});
    const Step step = influence_step(s, view);
    int dashed = 0, solid = 0;
    for (const Link& l : step.links) {
        EXPECT_EQ(l.from_grid, GridId::Activated);
        EXPECT_EQ(l.from, (Cell{0, 3}));
        const int p = l.to.row, q = l.to.col;
        const bool inside = p >= 0 && q >= 0 && p < r.output.rows() && q < r.output.cols();
        EXPECT_EQ(l.dashed, !inside);
        (l.dashed ? dashed : solid)++;
    }
    // Rows: p = 0 + 1 - i for i = 0..2: 1, 0, -1; columns: q = 3 + 1 - j: 4, 3, 2 with
    // Wo = 5 + 2 - 3 + 1 = 5: all inside. So the i = 2 row of taps (3 of 9) goes into padding.
    EXPECT_EQ(solid, 6);
    EXPECT_EQ(dashed, 3);
}

// A 30x30 input drawn with cells of 20 is a heatmap of cells under 12 units: a lesson's marks and window over it become frames, not
// hundreds of outlines on cells a few units wide.
TEST(StepCanvas, BigGridsStayHeatmapsUnderALesson) {
    Scene s;
    s.input = Matrix(30, 30);
    for (int r = 0; r < 30; ++r)
        for (int c = 0; c < 30; ++c) s.input(r, c) = std::sin(r * 0.3) + std::cos(c * 0.2);
    s.kernel = Matrix::Constant(3, 3, 0.5);
    const LayerResults results = compute_layer(s);
    const Lesson lesson = build_lesson(LessonName::Forward, s, results, Cell{14, 14});
    const Theme theme = light_theme();
    LayoutOptions small;
    small.cell = 20;  // 16 cells of 20 across: cells of 320 / 30 units
    // No crop is small enough for numbers (canvas/grid_crop.h): the grids stay heatmaps,
    // as a lesson whose steps span a big grid's whole extent leaves them.
    small.max_value_cells = kMinCropCells * kMinCropCells - 1;
    const CanvasGrids grids =
        layout_grids(s, results, lesson.grids, lesson.extra_grids, theme, small, lesson.steps);
    const Step& step = lesson.steps[static_cast<size_t>(lesson.first_step_of_cell)];
    ASSERT_TRUE(step.window);
    const DisplayList list = draw_step(grids, step, theme);
    const DisplayList moving = draw_motion(grids, lesson.steps[0], step, 0.5f, theme);
    const GridGeometry& in = *list.grid(step.window->grid);
    EXPECT_LT(in.cell, 12.0f);
    EXPECT_EQ(items_of<DrawHeatmap>(list).size(), 2u);  // the input and the 28x28 output
    for (const DisplayList* l : {&list, &moving}) {
        int small_outlines = 0;
        for (const DrawRect& r : items_of<DrawRect>(*l))
            if (r.fill.a == 0 && r.rect.w < 2 * in.cell && in.cells.contains(r.rect.center()))
                ++small_outlines;
        EXPECT_EQ(small_outlines, 0);
        EXPECT_LT(l->items.size(), 300u);
    }
    // The window's frame is where the step puts it: its top-left cell is the origin.
    bool framed = false;
    for (const DrawRect& r : items_of<DrawRect>(list))
        if (r.stroke == theme.text && r.fill.a == 0) {
            const Rect origin = in.cell_rect(step.window->origin);
            framed = framed || (std::fabs(r.rect.x - origin.x) < 4 && std::fabs(r.rect.y - origin.y) < 4);
        }
    EXPECT_TRUE(framed);
}

TEST(StepCanvas, EveryLessonsNumbersAreLegibleInTheWindow) {
    // The smallest on-screen size of a cell's number (value_size times the window's fit),
    // pixels. Equivalence on padding_dilation shows six grids, two of them 11 cells across
    // (delta-tilde, and delta^{l+1} with the ring its scatter terms reach): it misses 13.
    const fs::path dir = fs::path(CONVLENS_ASSET_DIR) / "scenes";
    for (const char* file : {"default.json", "stride2.json", "padding_dilation.json"}) {
        const Scene scene = load_scene((dir / file).string());
        const LayerResults results = compute_layer(scene);
        for (LessonName name : kAllLessons) {
            const Lesson lesson = build_lesson(name, scene, results, std::nullopt);
            const LayoutOptions o = window_options();
            const CanvasGrids grids = layout_grids(scene, results, lesson.grids, lesson.extra_grids,
                                                   light_theme(), o, lesson.steps);
            const DisplayList& frame = grids.frame();
            const float fit = window_fit(frame);
            const bool known_short = std::string(file) == "padding_dilation.json" &&
                                     name == LessonName::Equivalence;
            EXPECT_GE(o.value_size * fit, known_short ? 11.0f : 13.0f)
                << file << " " << lesson_name(name) << ": " << frame.width << " x " << frame.height;
            // Every step fits the same canvas: nothing grows it.
            for (const Step& step : lesson.steps) {
                const DisplayList list = draw_step(grids, step, light_theme());
                EXPECT_EQ(list.width, frame.width) << file << " " << lesson_name(name);
                EXPECT_EQ(list.height, frame.height) << file << " " << lesson_name(name);
            }
        }
    }
}

}  // namespace
}  // namespace convlens
