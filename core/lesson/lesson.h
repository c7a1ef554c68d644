// The six lessons: stories of the forward and backward pass told as sequences of steps,
// built from the engine's numbers. Each lesson decides which grids the canvas shows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/layer_results.h"
#include "lesson/lesson_step.h"
#include "scene/scene.h"

namespace convlens {

enum class LessonName {
    Forward,         // one step per output cell: the window, the products, the sum
    Influence,       // scatter: one step per tap of a chosen z^l_{m,n} (else per element)
    Backward,        // gather: rot180(w), the spread and padded delta^{l+1}, one step per cell
    KernelGradient,  // one step per tap w_{i,j}: delta^{l+1} sliding over the input
    Equivalence,     // scatter terms and gather terms of one z^l_{m,n}, matched one to one
    Derivation,      // DERIVATION.md line by line with verdicts, and four live numbers
};

inline constexpr LessonName kAllLessons[] = {LessonName::Forward,       LessonName::Influence,
                                             LessonName::Backward,      LessonName::KernelGradient,
                                             LessonName::Equivalence,   LessonName::Derivation};

const char* lesson_name(LessonName name);            // "forward", "kernel-gradient", ...
const char* lesson_title(LessonName name);           // "Forward pass", "Backward (gather)", ...
bool parse_lesson_name(const std::string& text, LessonName* name);

// The grid a lesson's cell lives in: Output for forward, Kernel for kernel-gradient,
// Input for the others.
GridId lesson_cell_grid(LessonName name);

// A rectangle of one grid's cells, both corners included, zero-based: the part of a big
// grid a lesson walks (lesson_region.h says which grid and how a default one is chosen).
struct CellRegion {
    Cell first;                        // top-left corner
    Cell last;                         // bottom-right corner, inclusive
    int rows() const { return last.row - first.row + 1; }
    int cols() const { return last.col - first.col + 1; }
    bool contains(Cell c) const {
        return c.row >= first.row && c.row <= last.row && c.col >= first.col && c.col <= last.col;
    }
    friend bool operator==(const CellRegion&, const CellRegion&) = default;
};

struct Lesson {
    LessonName name = LessonName::Forward;
    std::optional<Cell> cell;          // what it is about, zero-based; nullopt: walks them all
    // The cells walked when not the whole walk grid (lesson_region_grid): output cells for
    // forward, input elements for backward and the walk-all influence, the output
    // positions whose terms kernel-gradient writes out. nullopt: the whole grid is walked.
    std::optional<CellRegion> region;
    std::vector<GridId> grids;         // what the canvas shows, layer grids and extra ones
    std::vector<ExtraGrid> extra_grids;
    std::vector<Step> steps;           // never empty
    int first_step_of_cell = 0;        // where the timeline starts for `cell`
};

// Builds the lesson. `cell` (zero-based) is the output cell for forward, the tap for
// kernel-gradient, the input element for the others; equivalence and derivation need one
// and take the middle of the input when it is nullopt. `region` (zero-based, in
// lesson_region_grid) restricts the walk; without one, a walk too big to read or to keep
// walks default_lesson_region instead (lesson_region.h), and small scenes walk every cell.
// Throws InputError when the cell lies outside its grid, the region outside its grid or
// reversed, the cell outside the region, a region is given to a lesson that walks none, or
// when results do not belong to the scene.
Lesson build_lesson(LessonName name, const Scene& scene, const LayerResults& results,
                    std::optional<Cell> cell, std::optional<CellRegion> region = std::nullopt);

}  // namespace convlens
