// The part of a big grid a lesson walks: which grid a lesson's region lives in, the default
// region (a small square around the lesson's cell, else the middle), and the words for it.
#pragma once

#include <optional>
#include <string>

#include "engine/conv_spec.h"
#include "engine/layer_results.h"
#include "lesson/lesson.h"
#include "scene/scene.h"

namespace convlens {

// A walk over more cells than this (the canvas's max_value_cells, beyond which cells carry
// no numbers) or over more than kMaxLessonTerms terms walks a default region instead.
inline constexpr int kMaxWalkedCells = 24 * 24;
// The side of the default region: 5x5 cells with their windows stay legible on screen.
inline constexpr int kDefaultRegionSize = 5;

// The grid whose cells a lesson walks, where its region lives: Output for forward and
// kernel-gradient (the positions p,q whose terms it writes out), Input for backward and
// for influence without a cell. nullopt for the lessons about one cell (influence with a
// cell, equivalence, derivation), which walk no region.
std::optional<GridId> lesson_region_grid(LessonName name, bool has_cell);

CellRegion whole_grid(Shape grid);

// size x size cells (fewer along an axis shorter than that) around `centre`, shifted, not
// cut, where it would stick out of the grid: it always holds `centre` and keeps its size.
CellRegion centred_region(Cell centre, int size, Shape grid);

// The region a lesson walks when none is given: nullopt when walking every cell keeps the
// walk at most kMaxWalkedCells cells and kMaxLessonTerms terms (today's lessons on small
// scenes), else a kDefaultRegionSize square centred on the lesson's cell when it lives in
// the region grid (forward, backward), else on the middle of the grid.
std::optional<CellRegion> default_lesson_region(LessonName name, const Scene& scene,
                                                const LayerResults& results,
                                                std::optional<Cell> cell);

// The largest side of a square region a lesson on this scene can walk: at most 24 (the
// cells the canvas writes numbers into) and few enough that side^2 cells of kh*kw terms
// stay within kMaxLessonTerms.
int largest_region_side(const Scene& scene);

// Throws InputError unless the region lies within `grid` with its corners in order:
// "lesson backward: region 1,1,200,5 reaches past the input z^l, which is 128x128 ...".
void check_region(LessonName name, const CellRegion& region, GridId grid, Shape shape, int base);

// "rows 38..42, columns 38..42 of 128×128" in the scene's base.
std::string region_words(const CellRegion& region, Shape grid, int base);
// "38,38,42,42": the region as --region and the lesson panel write it, in the scene's base.
std::string region_text(const CellRegion& region, int base);
// Reads "M1,N1,M2,N2" (four integers, scene's base) into a zero-based region, corners not
// yet checked; false when it is not four integers.
bool parse_region(const std::string& text, int base, CellRegion* region);

// What the user calls a region grid in messages and captions: "input z^{l}", "output z^{l+1}".
const char* region_grid_words(GridId grid);

}  // namespace convlens
