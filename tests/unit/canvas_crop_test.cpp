// A lesson on a big grid is drawn as a legible crop: the part of each big grid its steps
// touch, with numbers, real index labels, real hit-tests, and the engine's values at the
// real indices; small scenes and the hover view stay whole.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "canvas/draw_rules.h"
#include "canvas/grid_crop.h"
#include "canvas/layer_layout.h"
#include "canvas/step_canvas.h"
#include "canvas/theme.h"
#include "engine/layer_results.h"
#include "lesson/grid_values.h"
#include "lesson/influence_focus.h"
#include "lesson/lesson.h"
#include "unit/canvas_test_support.h"

namespace convlens {
namespace {

using canvas_test::items_of;

// A 40x40 input of mixed signs and fractions (too big for numbers: 1600 > 576 cells), a
// 3x3 kernel, padding 1, so that the output is 40x40 as well.
Scene big_scene(int padding = 1) {
    Scene s;
    s.input = Matrix(40, 40);
    for (int r = 0; r < 40; ++r)
        for (int c = 0; c < 40; ++c) s.input(r, c) = ((r * 7 + c * 13) % 17 - 8) / 4.0;
    s.kernel = Matrix(3, 3);
    s.kernel << 1, 0, -1, 2, 1, 0, 0, -1, 3;
    s.spec.padding = {padding, padding};
    return s;
}

struct Drawn {
    Lesson lesson;
    CanvasGrids grids;
};

Drawn lay_out(const Scene& scene, const LayerResults& results, LessonName name, Cell cell,
              LayoutOptions options = window_lesson_layout_options()) {
    Drawn d;
    d.lesson = build_lesson(name, scene, results, cell);
    d.grids = layout_grids(scene, results, d.lesson.grids, d.lesson.extra_grids, light_theme(),
                           options, d.lesson.steps);
    return d;
}

// Every cell a step names, with its grid.
std::vector<std::pair<GridId, Cell>> named_cells(const Step& s) {
    std::vector<std::pair<GridId, Cell>> out;
    for (const Mark& m : s.marks) out.push_back({m.grid, m.cell});
    for (const Link& l : s.links) {
        out.push_back({l.from_grid, l.from});
        out.push_back({l.to_grid, l.to});
    }
    for (const Tag& t : s.tags) out.push_back({t.grid, t.cell});
    for (const Token& t : s.tokens) out.push_back({t.grid, t.cell});
    if (s.window) out.push_back({s.window->grid, s.window->origin});
    return out;
}

// The number written in the real cell `c` of grid `g` of `list`, or NaN.
double number_in(const DisplayList& list, const GridGeometry& g, Cell c) {
    const Rect r = g.cell_rect(c);
    for (const DrawText& t : items_of<DrawText>(list))
        if (t.monospace_digits && t.color.a > 0 && r.contains(t.box.center())) return std::stod(t.source);
    return std::nan("");
}

// An index label: a whole number, and not a cell's value.
bool is_index_label(const DrawText& t) {
    return !t.monospace_digits && !t.source.empty() &&
           t.source.find_first_not_of("-0123456789") == std::string::npos;
}

// The text of a row label left of the shown cells at real row `row`, or "".
std::string row_label(const DisplayList& list, const GridGeometry& g, int row) {
    const Rect r = g.cell_rect({row, g.first.col});
    for (const DrawText& t : items_of<DrawText>(list)) {
        const Point c = t.box.center();
        if (is_index_label(t) && c.x < g.cells.x && c.x > g.cells.x - 4 * g.cell && c.y > r.y && c.y < r.y + r.h)
            return t.source;
    }
    return "";
}

std::string column_label(const DisplayList& list, const GridGeometry& g, int col) {
    const Rect r = g.cell_rect({g.first.row, col});
    for (const DrawText& t : items_of<DrawText>(list)) {
        const Point c = t.box.center();
        if (is_index_label(t) && c.y < g.cells.y && c.y > g.cells.y - 3 * g.cell && c.x > r.x && c.x < r.x + r.w)
            return t.source;
    }
    return "";
}

TEST(GridCrop, CropAroundAHandWorkedBox) {
    // Rows 10..12 of 128: margin 1 gives 9..13 (5 rows), grown by 3 to 8 rows: one above,
    // two below, 8..15. Columns 0..1 (at the edge): -1..2 grows to -3..4, which starts
    // before the grid: it keeps its 8 columns from 0, 0..7.
    CellBox box;
    box.add(Cell{10, 1});
    box.add(Cell{12, 0});
    const GridCrop c = crop_around(box, 128, 60);
    EXPECT_EQ(c.first.row, 8);
    EXPECT_EQ(c.rows, 8);
    EXPECT_EQ(c.first.col, 0);
    EXPECT_EQ(c.cols, 8);
    EXPECT_EQ(c.full_rows, 128);
    EXPECT_TRUE(c.at_left());
    EXPECT_FALSE(c.at_top());
    // At the far end: rows 126..127 and a padding cell at 128 grow back into the grid.
    CellBox end;
    end.add(Cell{126, 30});
    end.add(Cell{128, 30});
    const GridCrop e = crop_around(end, 128, 60);
    EXPECT_EQ(e.first.row + e.rows, 128);
    EXPECT_EQ(e.rows, 8);
    EXPECT_TRUE(e.at_bottom());
    // A grid smaller than the minimum is taken whole.
    CellBox small;
    small.add(Cell{2, 2});
    EXPECT_TRUE(crop_around(small, 5, 5).whole());
}

TEST(GridCrop, FamiliesShareOneCropAndUntouchedBigGridsStayWhole) {
    Step s;
    s.marks.push_back({GridId::Input, {20, 20}, MarkRole::Focus, -1});
    s.marks.push_back({GridId::Upstream, {5, 30}, MarkRole::Term, 0});
    const std::vector<GridShape> shapes = {{GridId::Input, 40, 40},   {GridId::GradInput, 40, 40},
                                           {GridId::Upstream, 40, 40}, {GridId::Output, 40, 40},
                                           {GridId::Kernel, 3, 3},     {GridId::PaddedUpstream, 42, 42}};
    const auto crops = lesson_crops(shapes, {s}, 24 * 24);
    ASSERT_TRUE(crops[0] && crops[1] && crops[2] && crops[3]);
    EXPECT_TRUE(crops[0]->contains({20, 20}));
    EXPECT_EQ(crops[0]->first, crops[1]->first);  // delta^l lines up with z^l
    EXPECT_TRUE(crops[2]->contains({5, 30}));
    EXPECT_EQ(crops[3]->first, crops[2]->first);  // z^{l+1} with delta^{l+1}
    EXPECT_FALSE(crops[4]);                       // small: whole, with numbers anyway
    EXPECT_FALSE(crops[5]);                       // big and untouched: a whole heatmap
    // A box too big for numbers is no crop.
    Step wide = s;
    wide.marks.push_back({GridId::Input, {0, 0}, MarkRole::Done, -1});
    wide.marks.push_back({GridId::Input, {39, 39}, MarkRole::Done, -1});
    EXPECT_FALSE(lesson_crops(shapes, {wide}, 24 * 24)[0]);
}

// The influence lesson of z^l_{21,21} (one-based) on the 40x40 scene: every step draws
// every named cell inside the crop, and the crop's cells carry numbers.
TEST(GridCrop, InfluenceOnABigGridDrawsEveryNamedCellInItsCrop) {
    const Scene scene = big_scene();
    const LayerResults results = compute_layer(scene);
    const Drawn d = lay_out(scene, results, LessonName::Influence, {20, 20});
    ASSERT_GT(d.lesson.steps.size(), 1u);
    for (size_t k = 0; k < d.lesson.steps.size(); ++k) {
        const Step& step = d.lesson.steps[k];
        const DisplayList list = draw_step(d.grids, step, light_theme());
        for (const auto& [id, cell] : named_cells(step)) {
            const GridGeometry* g = list.grid(id);
            ASSERT_TRUE(g);
            const bool in_grid = cell.row >= 0 && cell.col >= 0 && cell.row < g->full_rows &&
                                 cell.col < g->full_cols;
            if (in_grid) {
                EXPECT_TRUE(g->shows(cell)) << "step " << k + 1 << " grid " << static_cast<int>(id)
                                            << " cell " << cell.row << "," << cell.col;
            }
        }
    }
    const DisplayList list = draw_step(d.grids, d.lesson.steps.back(), light_theme());
    const GridGeometry& in = *list.grid(GridId::Input);
    EXPECT_EQ(in.full_rows, 40);
    EXPECT_LT(in.rows, 40);
    EXPECT_TRUE(in.shows({20, 20}));
    EXPECT_GE(in.rows, kMinCropCells);
    // The only heatmaps are the overviews of whole grids beside their crops, each with the
    // crop's rectangle on it in proportion.
    const std::vector<DrawHeatmap> maps = items_of<DrawHeatmap>(list);
    ASSERT_FALSE(maps.empty());
    for (const DrawHeatmap& map : maps) {
        const GridGeometry& g = *list.grid(map.grid);
        EXPECT_EQ(map.rows, g.full_rows);
        EXPECT_EQ(map.cols, g.full_cols);
        EXPECT_GE(map.rect.x, g.cells.x + g.cells.w);  // beside the crop, not over it
        const float unit = map.rect.w / static_cast<float>(map.cols);
        bool framed = false;
        for (const DrawRect& r : items_of<DrawRect>(list))
            framed |= r.fill.a == 0 && std::abs(r.rect.x - (map.rect.x + static_cast<float>(g.first.col) * unit)) < 0.01f &&
                      std::abs(r.rect.y - (map.rect.y + static_cast<float>(g.first.row) * unit)) < 0.01f &&
                      std::abs(r.rect.w - std::max(3.0f, static_cast<float>(g.cols) * unit)) < 0.01f;
        EXPECT_TRUE(framed) << "no crop rectangle on the overview of grid " << static_cast<int>(map.grid);
        // The overview's values are the whole grid's, at the real indices.
        EXPECT_FLOAT_EQ((*map.values)[static_cast<size_t>(20 * map.cols + 20)],
                        static_cast<float>((*grid_values(scene, results, map.grid))(20, 20)));
    }
}

TEST(GridCrop, LabelsValuesAndHitTestsSpeakRealIndices) {
    const Scene scene = big_scene();
    const LayerResults results = compute_layer(scene);
    const Drawn d = lay_out(scene, results, LessonName::Influence, {20, 20});
    const DisplayList list = draw_step(d.grids, d.lesson.steps.front(), light_theme());
    for (GridId id : {GridId::Input, GridId::Upstream}) {
        const GridGeometry& g = *list.grid(id);
        ASSERT_NE(g.first, (Cell{0, 0})) << "grid " << static_cast<int>(id) << " is not cropped";
        const Matrix& values = *grid_values(scene, results, id);
        for (int r = g.first.row; r < g.first.row + g.rows; ++r) {
            // One-based labels: the real row r is labelled r + 1.
            EXPECT_EQ(row_label(list, g, r), std::to_string(r + 1));
            for (int c = g.first.col; c < g.first.col + g.cols; ++c) {
                // The number drawn at the real index is the engine's there (to the grid's
                // shared decimals: at most 2, so within 0.005).
                const double drawn = number_in(list, g, {r, c});
                EXPECT_NEAR(drawn, values(r, c), 0.0051) << r << "," << c;
                const auto hit = list.hit(g.cell_rect({r, c}).center());
                ASSERT_TRUE(hit);
                EXPECT_EQ(hit->first, id);
                EXPECT_EQ(hit->second, (Cell{r, c}));
            }
        }
        for (int c = g.first.col; c < g.first.col + g.cols; ++c)
            EXPECT_EQ(column_label(list, g, c), std::to_string(c + 1));
    }
    // The caption says it is a part, in the scene's indices.
    const GridGeometry& in = *list.grid(GridId::Input);
    const std::string rows = "rows " + std::to_string(in.first.row + 1) + ".." +
                             std::to_string(in.first.row + in.rows);
    bool said = false;
    for (const DrawText& t : items_of<DrawText>(list))
        if (t.source.find(rows) != std::string::npos && t.source.find("of 40×40") != std::string::npos)
            said = true;
    EXPECT_TRUE(said) << "no caption with '" << rows << " ... of 40×40'";
}

TEST(GridCrop, AZeroBasedSceneLabelsItsCropZeroBased) {
    Scene scene = big_scene();
    scene.index_base = 0;
    const LayerResults results = compute_layer(scene);
    const Drawn d = lay_out(scene, results, LessonName::Influence, {30, 12});
    const DisplayList list = draw_step(d.grids, d.lesson.steps.front(), light_theme());
    const GridGeometry& g = *list.grid(GridId::Input);
    ASSERT_TRUE(g.shows({30, 12}));
    EXPECT_EQ(row_label(list, g, 30), "30");
    EXPECT_EQ(column_label(list, g, 12), "12");
}

// At the grid's corner the crop reaches the edge: the zero padding ring is drawn there (its
// rows labelled 0 before a one-based grid), and nowhere inside the grid.
TEST(GridCrop, TheCropAtACornerKeepsItsPaddingRing) {
    const Scene scene = big_scene(1);
    const LayerResults results = compute_layer(scene);
    const Drawn corner = lay_out(scene, results, LessonName::Influence, {0, 0});
    const DisplayList list = draw_step(corner.grids, corner.lesson.steps.front(), light_theme());
    const GridGeometry& g = *list.grid(GridId::Input);
    EXPECT_EQ(g.first, (Cell{0, 0}));
    EXPECT_LT(g.rows, 40);
    EXPECT_EQ(row_label(list, g, -1), "0");
    const Drawn middle = lay_out(scene, results, LessonName::Influence, {20, 20});
    const DisplayList inner = draw_step(middle.grids, middle.lesson.steps.front(), light_theme());
    const GridGeometry& m = *inner.grid(GridId::Input);
    // No dashed padding cell left of or above the middle crop's cells: those are real cells.
    for (const DrawRect& r : items_of<DrawRect>(inner)) {
        if (!r.dashed || r.stroke.a <= 0) continue;
        EXPECT_FALSE(r.rect.x < m.cells.x - 1 && r.rect.y >= m.cells.y && r.rect.y < m.cells.y + m.cells.h &&
                     r.rect.x > m.cells.x - 3 * m.cell)
            << "a dashed cell next to the crop at " << r.rect.x << "," << r.rect.y;
    }
}

// Motion between two steps stays in the crop: the kernel window glides between its two
// places, in the crop's real cells (forward and backward walk a region of the 40x40 grids
// with a window).
TEST(GridCrop, MotionGlidesTheWindowInsideTheCrop) {
    const Scene scene = big_scene();
    const LayerResults results = compute_layer(scene);
    int glides = 0;
    for (LessonName name : {LessonName::Influence, LessonName::Forward, LessonName::Backward}) {
        const Drawn d = lay_out(scene, results, name, {20, 20});
        for (size_t k = 0; k + 1 < d.lesson.steps.size(); ++k) {
            const Step& a = d.lesson.steps[k];
            const Step& b = d.lesson.steps[k + 1];
            const DisplayList half = draw_motion(d.grids, a, b, 0.5f, light_theme());
            const DisplayList at_a = draw_step(d.grids, a, light_theme());
            for (const GridGeometry& g : half.grids) {
                const GridGeometry& still = *at_a.grid(g.id);
                EXPECT_EQ(g.first, still.first);
                EXPECT_EQ(g.cells.x, still.cells.x);
            }
            if (!a.window || !b.window || a.window->grid != b.window->grid || a.window->origin == b.window->origin)
                continue;
            const GridGeometry& g = *half.grid(a.window->grid);
            if (g.rows < g.full_rows) ++glides;  // over a crop
            const Rect from = g.cell_rect(a.window->origin), to = g.cell_rect(b.window->origin);
            // The window's outer frame: a 2.5-wide, unfilled rectangle whose corner lies
            // strictly between the two steps' corners (3 units outside the first tap).
            bool between = false;
            for (const DrawRect& r : items_of<DrawRect>(half)) {
                if (r.stroke_width != 2.5f || r.fill.a != 0) continue;
                const float x = r.rect.x + 3, y = r.rect.y + 3;
                auto inside = [](float v, float p, float q) {
                    return p == q ? std::abs(v - p) < 0.01f : v > std::min(p, q) + 0.01f && v < std::max(p, q) - 0.01f;
                };
                between |= inside(x, from.x, to.x) && inside(y, from.y, to.y);
            }
            EXPECT_TRUE(between) << lesson_name(name) << " step " << k + 1 << " to " << k + 2;
        }
    }
    EXPECT_GT(glides, 5);
}

// The list says where each overview is, so that a click on it names the real cell there;
// the crop's own hit-test is not confused by it.
TEST(GridCrop, AnOverviewNamesTheRealCellUnderThePointer) {
    const Scene scene = big_scene();
    const LayerResults results = compute_layer(scene);
    const Drawn d = lay_out(scene, results, LessonName::Influence, {20, 20});
    const DisplayList list = draw_step(d.grids, d.lesson.steps.front(), light_theme());
    ASSERT_FALSE(list.overviews.empty());
    const std::vector<DrawHeatmap> maps = items_of<DrawHeatmap>(list);
    for (const GridOverview& o : list.overviews) {
        // Where the picture is drawn.
        EXPECT_TRUE(std::any_of(maps.begin(), maps.end(), [&](const DrawHeatmap& m) {
            return m.grid == o.id && m.rect.x == o.rect.x && m.rect.y == o.rect.y && m.rect.w == o.rect.w;
        }));
        EXPECT_EQ(o.rows, 40);
        EXPECT_EQ(o.cols, 40);
        // The middle of the whole grid's cell (33, 7): a fortieth of the picture per cell.
        const float cw = o.rect.w / 40, ch = o.rect.h / 40;
        const Point p{o.rect.x + 7.5f * cw, o.rect.y + 33.5f * ch};
        EXPECT_EQ(o.hit(p), (Cell{33, 7}));
        EXPECT_FALSE(list.hit(p));  // not a cell of the crop
        EXPECT_FALSE(o.hit({o.rect.x - 1, o.rect.y}));
        EXPECT_EQ(o.hit({o.rect.x + o.rect.w - 0.01f, o.rect.y + o.rect.h - 0.01f}), (Cell{39, 39}));
    }
    // The hover view has none.
    const DisplayList hover = layout_layer(scene, results, influence_view(scene, results, Focus{GridId::Input, Cell{20, 20}}),
                                           light_theme(), window_layout_options());
    EXPECT_TRUE(hover.overviews.empty());
}

// The overview is a picture: no link's line runs over it (they are routed around).
TEST(GridCrop, LinksGoAroundTheOverviews) {
    const Scene scene = big_scene();
    const LayerResults results = compute_layer(scene);
    int lines = 0;
    for (const Cell cell : {Cell{20, 20}, Cell{5, 33}}) {
        const Drawn d = lay_out(scene, results, LessonName::Influence, cell);
        for (const Step& step : d.lesson.steps) {
            const DisplayList list = draw_step(d.grids, step, light_theme());
            const std::vector<DrawHeatmap> maps = items_of<DrawHeatmap>(list);
            for (const DrawLine& l : items_of<DrawLine>(list)) {
                ++lines;
                for (const DrawHeatmap& map : maps)
                    for (int k = 0; k <= 100; ++k) {
                        const float t = static_cast<float>(k) / 100;
                        const Point p{l.from.x + t * (l.to.x - l.from.x), l.from.y + t * (l.to.y - l.from.y)};
                        const Rect& r = map.rect;
                        EXPECT_FALSE(p.x > r.x + 1 && p.x < r.x + r.w - 1 && p.y > r.y + 1 && p.y < r.y + r.h - 1)
                            << "a link runs over the overview of grid " << static_cast<int>(map.grid);
                    }
            }
        }
    }
    EXPECT_GT(lines, 10);
}

// The hover view and small scenes are drawn whole, as before.
TEST(GridCrop, HoverViewAndSmallScenesAreNotCropped) {
    const Scene big = big_scene();
    const LayerResults big_results = compute_layer(big);
    const DisplayList hover = layout_layer(big, big_results, influence_view(big, big_results, Focus{GridId::Input, Cell{20, 20}}),
                                           light_theme(), window_layout_options());
    for (const GridGeometry& g : hover.grids) {
        EXPECT_EQ(g.first, (Cell{0, 0}));
        EXPECT_EQ(g.rows, g.full_rows);
    }
    EXPECT_FALSE(items_of<DrawHeatmap>(hover).empty());
    const Scene small = canvas_test::small_scene();
    const LayerResults results = compute_layer(small);
    for (LessonName name : kAllLessons) {
        const Drawn d = lay_out(small, results, name, {1, 1});
        for (const Step& s : d.lesson.steps) {
            const DisplayList list = draw_step(d.grids, s, light_theme());
            for (const GridGeometry& g : list.grids) {
                EXPECT_EQ(g.first, (Cell{0, 0})) << lesson_name(name);
                EXPECT_EQ(g.rows, g.full_rows) << lesson_name(name);
                EXPECT_EQ(g.cols, g.full_cols) << lesson_name(name);
            }
        }
    }
}

}  // namespace
}  // namespace convlens
