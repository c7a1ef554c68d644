// Which numbers each grid of the layer shows: the one mapping from GridId to a matrix.
#pragma once

#include "engine/layer_results.h"
#include "lesson/lesson_step.h"
#include "scene/scene.h"

namespace convlens {

// The matrix a layer grid shows; nullptr for a lesson's extra grids (RotatedKernel,
// PaddedUpstream), whose numbers live in the lesson's ExtraGrid.
const Matrix* grid_values(const Scene& scene, const LayerResults& results, GridId grid);

// The shape of that matrix; {0, 0} for a lesson's extra grids.
Shape grid_shape(const Scene& scene, const LayerResults& results, GridId grid);

// Whether a zero-based cell lies in a grid of that shape.
bool inside(Shape shape, Cell cell);

}  // namespace convlens
