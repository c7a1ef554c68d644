// The one mapping from a grid to its numbers and shape: on a strided, padded layer whose
// output shape is worked by hand, every layer grid has the shape of the matrix it shows.

#include <gtest/gtest.h>

#include "engine/layer_results.h"
#include "lesson/grid_values.h"

namespace convlens {
namespace {

// z^l is 7x6, w is 3x2, stride (2, 1), padding (1, 0):
//   Ho = floor((7 + 2 - 3) / 2) + 1 = 4,  Wo = floor((6 + 0 - 2) / 1) + 1 = 5.
Scene strided_scene() {
    Scene scene;
    scene.input = Matrix::Constant(7, 6, 0.5);
    scene.kernel = Matrix::Constant(3, 2, 1.0);
    scene.spec.stride = {2, 1};
    scene.spec.padding = {1, 0};
    return scene;
}

TEST(GridShape, EveryLayerGridHasTheShapeOfItsNumbers) {
    const Scene scene = strided_scene();
    const LayerResults results = compute_layer(scene);
    const Shape input{7, 6}, kernel{3, 2}, output{4, 5};
    EXPECT_EQ(grid_shape(scene, results, GridId::Input), input);
    EXPECT_EQ(grid_shape(scene, results, GridId::Activated), input);
    EXPECT_EQ(grid_shape(scene, results, GridId::GradInput), input);
    EXPECT_EQ(grid_shape(scene, results, GridId::Kernel), kernel);
    EXPECT_EQ(grid_shape(scene, results, GridId::GradKernel), kernel);
    EXPECT_EQ(grid_shape(scene, results, GridId::Output), output);
    EXPECT_EQ(grid_shape(scene, results, GridId::Upstream), output);
    // A lesson's own grids have their numbers in the lesson, not here.
    EXPECT_EQ(grid_shape(scene, results, GridId::RotatedKernel), (Shape{0, 0}));
    EXPECT_EQ(grid_shape(scene, results, GridId::PaddedUpstream), (Shape{0, 0}));
}

TEST(GridShape, InsideTakesTheCornersAndNothingBeyond) {
    const Shape output{4, 5};
    EXPECT_TRUE(inside(output, {0, 0}));
    EXPECT_TRUE(inside(output, {3, 4}));
    EXPECT_FALSE(inside(output, {4, 4}));
    EXPECT_FALSE(inside(output, {3, 5}));
    EXPECT_FALSE(inside(output, {-1, 0}));
    EXPECT_FALSE(inside(output, {0, -1}));
    EXPECT_FALSE(inside(Shape{0, 0}, {0, 0}));
}

}  // namespace
}  // namespace convlens
