// The hover view across edits as the window runs it (app_state keeps the list on screen until
// the next one is drawn): each edit writes only the cells it changed, the heatmap arrays from
// two edits back take the new values, and every list is still what layout_layer draws.
#include <vector>

#include <gtest/gtest.h>

#include "canvas/layer_layout.h"
#include "engine/layer_results.h"
#include "hover_canvas.h"
#include "lesson/influence_focus.h"
#include "unit/display_list_equal.h"

namespace convlens {
namespace {

const DrawHeatmap* heatmap_in(const DisplayList& list, GridId id) {
    for (const DrawItem& item : list.items)
        if (const auto* h = std::get_if<DrawHeatmap>(&item); h && h->grid == id) return h;
    return nullptr;
}

TEST(HoverCanvasPatch, EditsAsTheWindowMakesThemWriteOnlyWhatChanged) {
    const Theme theme = light_theme();
    const LayoutOptions options = window_layout_options();
    Scene scene;
    scene.input = Matrix(48, 48);
    for (Eigen::Index r = 0; r < 48; ++r)
        for (Eigen::Index c = 0; c < 48; ++c) scene.input(r, c) = 0.01 * static_cast<double>((r * 5 + c * 11) % 29) - 0.12;
    scene.kernel = Matrix::Constant(3, 3, 0.25);
    scene.kernel(2, 0) = -0.75;
    HoverCanvas hover;
    std::uint64_t serial = 1;
    const Focus focus{GridId::Output, {6, 7}};
    LayerResults results = compute_layer(scene);
    DisplayList shown = hover.draw(scene, results, serial, influence_view(scene, results, focus), theme, options);
    for (int edit = 0; edit < 4; ++edit) {
        scene.input(10 + edit, 20) = 0.5 + edit;  // one cell of z^l: 1 + 3 x 3 + 3 x 3 values change
        results = compute_layer(scene);
        const InfluenceView view = influence_view(scene, results, focus);
        DisplayList next = hover.draw(scene, results, ++serial, view, theme, options);
        list_equal::expect_same_list(next, layout_layer(scene, results, view, theme, options));
        // z^{l+1}'s hint names the array on screen: an upload compares nothing.
        const DrawHeatmap* was = heatmap_in(shown, GridId::Output);
        const DrawHeatmap* now = heatmap_in(next, GridId::Output);
        ASSERT_TRUE(was && now);
        EXPECT_EQ(now->changed_since.lock(), was->values);
        EXPECT_EQ(now->changed.rows * now->changed.cols, 9);
        shown = std::move(next);
    }
    EXPECT_EQ(hover.layouts(), 1);
    EXPECT_EQ(hover.value_swaps(), 4);
    const HoverCanvas::SwapTotals& totals = hover.swap_totals();
    EXPECT_EQ(totals.values_copied, 4 * (1 + 9 + 9));
    // The first edit copies z^l's and z^{l+1}'s arrays whole; the three after it reuse the
    // arrays from two edits back, writing the last edit's cells and their own.
    EXPECT_EQ(totals.arrays_reused, 3 * 2);
    EXPECT_EQ(totals.floats_written, (48 * 48 + 1) + (46 * 46 + 9) + 3 * 2 * (1 + 9));
}

}  // namespace
}  // namespace convlens
