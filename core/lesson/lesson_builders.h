// One builder per lesson, each in its own file; lesson.cpp validates the cell and
// dispatches. Internal to core/lesson: callers use build_lesson.
#pragma once

#include <optional>

#include "lesson/lesson.h"

namespace convlens {

// Each receives results that match the scene and a cell already checked to lie in
// lesson_cell_grid(name) (or nullopt where the lesson allows it). `region`, already checked
// to lie in lesson_region_grid and to hold the cell: the cells walked; nullopt: all of them.
Lesson build_forward(const Scene& scene, const LayerResults& results, std::optional<Cell> cell,
                     std::optional<CellRegion> region);
Lesson build_influence(const Scene& scene, const LayerResults& results, std::optional<Cell> cell,
                       std::optional<CellRegion> region);
Lesson build_backward(const Scene& scene, const LayerResults& results, std::optional<Cell> cell,
                      std::optional<CellRegion> region);
Lesson build_kernel_gradient(const Scene& scene, const LayerResults& results,
                             std::optional<Cell> cell, std::optional<CellRegion> region);
Lesson build_equivalence(const Scene& scene, const LayerResults& results, Cell cell);
Lesson build_derivation(const Scene& scene, const LayerResults& results, Cell cell);

}  // namespace convlens
