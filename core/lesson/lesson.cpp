// The lesson names, the grid each lesson's cell lives in, and build_lesson: the one
// place that checks results and cell against the scene before any builder runs.
#include "lesson/lesson.h"

#include <string>

#include "engine/conv_spec.h"
#include "lesson/grid_values.h"
#include "lesson/lesson_builders.h"
#include "lesson/lesson_common.h"
#include "lesson/lesson_region.h"

namespace convlens {

const char* lesson_name(LessonName name) {
    switch (name) {
        case LessonName::Forward: return "forward";
        case LessonName::Influence: return "influence";
        case LessonName::Backward: return "backward";
        case LessonName::KernelGradient: return "kernel-gradient";
        case LessonName::Equivalence: return "equivalence";
        case LessonName::Derivation: return "derivation";
    }
    return "forward";
}

const char* lesson_title(LessonName name) {
    switch (name) {
        case LessonName::Forward: return "Forward pass";
        case LessonName::Influence: return "Influence (scatter)";
        case LessonName::Backward: return "Backward (gather)";
        case LessonName::KernelGradient: return "Kernel gradient";
        case LessonName::Equivalence: return "Scatter equals gather";
        case LessonName::Derivation: return "The derivation";
    }
    return "Forward pass";
}

bool parse_lesson_name(const std::string& text, LessonName* name) {
    for (LessonName candidate : kAllLessons) {
        if (text == lesson_name(candidate)) {
            *name = candidate;
            return true;
        }
    }
    return false;
}

GridId lesson_cell_grid(LessonName name) {
    switch (name) {
        case LessonName::Forward: return GridId::Output;
        case LessonName::KernelGradient: return GridId::Kernel;
        case LessonName::Influence:
        case LessonName::Backward:
        case LessonName::Equivalence:
        case LessonName::Derivation: return GridId::Input;
    }
    return GridId::Input;
}

namespace {

// What the user calls each grid a cell can live in, for the error message.
const char* cell_grid_words(GridId grid) {
    switch (grid) {
        case GridId::Output: return "output z^{l+1}";
        case GridId::Kernel: return "kernel w";
        default: return "input z^l";
    }
}

// Results computed for another scene (an edit not yet recomputed) would index out of
// bounds in every builder: refuse them here, once.
void check_results_match(const Scene& scene, const LayerResults& results) {
    const Shape input = matrix_shape(scene.input);
    const Shape output = output_shape(input, matrix_shape(scene.kernel), scene.spec);
    const bool ok = matrix_shape(results.activated) == input &&
                    matrix_shape(results.activation_slope) == input &&
                    matrix_shape(results.grad_input) == input &&
                    matrix_shape(results.output) == output && matrix_shape(results.upstream) == output &&
                    matrix_shape(results.grad_kernel) == matrix_shape(scene.kernel);
    if (!ok) {
        throw InputError(
            "lesson: the results do not belong to this scene (recompute after an edit)");
    }
}

// The region the lesson walks: the one given, checked against its grid and the cell, or
// the default one when walking every cell would be too big.
std::optional<CellRegion> walked_region(LessonName name, const Scene& scene,
                                        const LayerResults& results, std::optional<Cell> cell,
                                        std::optional<CellRegion> region) {
    if (!region) return default_lesson_region(name, scene, results, cell);
    const std::optional<GridId> grid = lesson_region_grid(name, cell.has_value());
    if (!grid)
        throw InputError(std::string("lesson ") + lesson_name(name) +
                         " walks no region: it is about one input element" +
                         (name == LessonName::Influence ? " (without a cell it walks a region)" : ""));
    const int base = scene.index_base;
    check_region(name, *region, *grid, grid_shape(scene, results, *grid), base);
    if (cell && lesson_cell_grid(name) == *grid && !region->contains(*cell))
        throw InputError(std::string("lesson ") + lesson_name(name) + ": cell " +
                         std::to_string(cell->row + base) + "," + std::to_string(cell->col + base) +
                         " lies outside the region " + region_text(*region, base));
    return region;
}

}  // namespace

Lesson build_lesson(LessonName name, const Scene& scene, const LayerResults& results,
                    std::optional<Cell> cell, std::optional<CellRegion> region) {
    check_results_match(scene, results);
    const GridId grid = lesson_cell_grid(name);
    const Matrix& values = grid == GridId::Output   ? results.output
                           : grid == GridId::Kernel ? scene.kernel
                                                    : scene.input;
    if (cell) {
        const bool inside = cell->row >= 0 && cell->col >= 0 && cell->row < values.rows() &&
                            cell->col < values.cols();
        if (!inside) {
            const int base = scene.index_base;
            throw InputError(std::string("lesson ") + lesson_name(name) + ": cell " +
                             std::to_string(cell->row + base) + "," +
                             std::to_string(cell->col + base) + " lies outside the " +
                             cell_grid_words(grid) + ", which is " +
                             std::to_string(values.rows()) + "x" + std::to_string(values.cols()) +
                             " (indices from " + std::to_string(base) + ")");
        }
    }
    region = walked_region(name, scene, results, cell, region);
    const Cell middle{static_cast<int>(scene.input.rows()) / 2,
                      static_cast<int>(scene.input.cols()) / 2};
    switch (name) {
        case LessonName::Forward: return build_forward(scene, results, cell, region);
        case LessonName::Influence: return build_influence(scene, results, cell, region);
        case LessonName::Backward: return build_backward(scene, results, cell, region);
        case LessonName::KernelGradient: return build_kernel_gradient(scene, results, cell, region);
        case LessonName::Equivalence: return build_equivalence(scene, results, cell.value_or(middle));
        case LessonName::Derivation: return build_derivation(scene, results, cell.value_or(middle));
    }
    return build_forward(scene, results, cell, region);
}

}  // namespace convlens
