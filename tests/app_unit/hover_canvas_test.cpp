// The hover view's canvas across edits: an edit that changes only numbers is not laid out
// anew (the layouts() counter stays) and draws what a fresh layout_layer draws.
#include <vector>

#include <gtest/gtest.h>

#include "canvas/layer_layout.h"
#include "engine/layer_results.h"
#include "hover_canvas.h"
#include "lesson/influence_focus.h"
#include "unit/display_list_equal.h"

namespace convlens {
namespace {

Scene hover_scene(int size) {
    Scene s;
    s.input = Matrix(size, size);
    for (Eigen::Index r = 0; r < size; ++r)
        for (Eigen::Index c = 0; c < size; ++c) s.input(r, c) = 0.01 * static_cast<double>((r * 7 + c * 3) % 23) - 0.1;
    s.kernel = Matrix::Constant(3, 3, 0.5);
    s.kernel(0, 2) = -1;
    return s;
}

TEST(HoverCanvas, AValueOnlyEditKeepsTheLayoutAndDrawsWhatAFreshOneDraws) {
    const Theme theme = light_theme();
    const LayoutOptions options = window_layout_options();
    Scene scene = hover_scene(40);
    HoverCanvas hover;
    std::uint64_t serial = 1;
    const Focus focus{GridId::Input, {4, 5}};
    hover.draw(scene, compute_layer(scene), serial, influence_view(scene, compute_layer(scene), focus), theme,
               options);
    EXPECT_EQ(hover.layouts(), 1);
    // Three edits of values: an input cell, a kernel tap, the input again.
    for (int edit = 0; edit < 3; ++edit) {
        if (edit == 1) scene.kernel(1, 1) = -2.25;
        else scene.input(4 + edit, 5) = 3.0 + edit;
        const LayerResults results = compute_layer(scene);
        const InfluenceView view = influence_view(scene, results, focus);
        const DisplayList mine = hover.draw(scene, results, ++serial, view, theme, options);
        list_equal::expect_same_list(mine, layout_layer(scene, results, view, theme, options));
    }
    EXPECT_EQ(hover.layouts(), 1);
    EXPECT_EQ(hover.value_swaps(), 3);
    // A new shape moves grids: laid out anew.
    scene.input.conservativeResize(40, 41);
    scene.input.col(40).setConstant(0.5);
    const LayerResults wider = compute_layer(scene);
    const InfluenceView view = influence_view(scene, wider, focus);
    list_equal::expect_same_list(hover.draw(scene, wider, ++serial, view, theme, options),
                                 layout_layer(scene, wider, view, theme, options));
    EXPECT_EQ(hover.layouts(), 2);
    EXPECT_EQ(hover.value_swaps(), 3);
}

}  // namespace
}  // namespace convlens
