// Undo and redo (core/scene/undo_history.h): every step goes back to the scene the test
// kept a copy of, edits of one group are one step, and a cell edit of a 1024x1024 input
// costs its history one value, not the 8 MB a whole scene would.
#include <malloc.h>

#include <algorithm>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "scene/scene.h"
#include "scene/scene_edit.h"
#include "scene/undo_history.h"

namespace convlens {
namespace {

Scene small_scene() { return default_scene(); }

Scene with_value(Scene s, SceneMatrix m, Cell c, double v) {
    *scene_value(s, m, c) = v;
    return s;
}

// The window's apply_edit in miniature: record, then the candidate becomes the scene.
void edit(UndoHistory& h, Scene& scene, Scene candidate, const std::string& group = {}) {
    record_edit(h, scene, candidate, group);
    scene = std::move(candidate);
}

TEST(UndoHistory, EveryUndoAndRedoReturnsTheSceneThatWasThere) {
    UndoHistory h;
    Scene scene = small_scene();
    std::vector<Scene> seen{scene};
    edit(h, scene, with_value(scene, SceneMatrix::Input, {0, 0}, 9));
    seen.push_back(scene);
    edit(h, scene, with_input_shape(scene, 6, 4));  // a shape change
    seen.push_back(scene);
    edit(h, scene, with_value(scene, SceneMatrix::Kernel, {2, 1}, -0.5));
    seen.push_back(scene);
    LossStash stash;
    edit(h, scene, with_loss_source(scene, LossSource::Target, stash));  // upstream goes
    seen.push_back(scene);
    edit(h, scene, with_value(scene, SceneMatrix::Target, {1, 1}, 4));
    seen.push_back(scene);
    ASSERT_EQ(h.undo.size(), 5u);

    for (int k = static_cast<int>(seen.size()) - 2; k >= 0; --k) {
        ASSERT_TRUE(undo_edit(h, scene));
        EXPECT_TRUE(scene == seen[static_cast<std::size_t>(k)]) << "after undo to state " << k;
    }
    EXPECT_FALSE(undo_edit(h, scene)) << "nothing older";
    EXPECT_TRUE(scene == seen.front());
    for (std::size_t k = 1; k < seen.size(); ++k) {
        ASSERT_TRUE(redo_edit(h, scene));
        EXPECT_TRUE(scene == seen[k]) << "after redo to state " << k;
    }
    EXPECT_FALSE(redo_edit(h, scene)) << "nothing newer";
}

TEST(UndoHistory, ANewEditForgetsWhatCouldBeRedone) {
    UndoHistory h;
    Scene scene = small_scene();
    const Scene start = scene;
    edit(h, scene, with_value(scene, SceneMatrix::Input, {1, 1}, 3));
    ASSERT_TRUE(undo_edit(h, scene));
    edit(h, scene, with_value(scene, SceneMatrix::Input, {2, 2}, 5));
    EXPECT_TRUE(h.redo.empty());
    EXPECT_FALSE(redo_edit(h, scene));
    ASSERT_TRUE(undo_edit(h, scene));
    EXPECT_TRUE(scene == start);
}

TEST(UndoHistory, EditsOfOneGroupAreOneStep) {
    UndoHistory h;
    Scene scene = small_scene();
    const Scene start = scene;
    // A drag over one cell, then the same drag reaching a second cell and a resize: one
    // group, one undo back to the start.
    for (double v : {1.0, 1.5, 2.0, 2.5})
        edit(h, scene, with_value(scene, SceneMatrix::Input, {0, 0}, v), "drag 1");
    EXPECT_EQ(h.undo.size(), 1u);
    EXPECT_EQ(h.undo.back().cells.size(), 1u) << "one cell touched four times is one value";
    edit(h, scene, with_value(scene, SceneMatrix::Kernel, {1, 1}, 7), "drag 1");
    EXPECT_EQ(h.undo.back().cells.size(), 2u);
    edit(h, scene, with_kernel_shape(scene, 2, 2), "drag 1");
    ASSERT_EQ(h.undo.size(), 1u);
    const Scene end = scene;

    // Another group and an ungrouped edit are steps of their own.
    edit(h, scene, with_value(scene, SceneMatrix::Input, {4, 4}, -1), "drag 2");
    edit(h, scene, with_value(scene, SceneMatrix::Input, {4, 3}, -2));
    edit(h, scene, with_value(scene, SceneMatrix::Input, {4, 2}, -3));
    EXPECT_EQ(h.undo.size(), 4u);

    for (int k = 0; k < 3; ++k) ASSERT_TRUE(undo_edit(h, scene));
    EXPECT_TRUE(scene == end);
    ASSERT_TRUE(undo_edit(h, scene));
    EXPECT_TRUE(scene == start) << "the whole first group in one undo";
    ASSERT_TRUE(redo_edit(h, scene));
    EXPECT_TRUE(scene == end);
}

TEST(UndoHistory, AnUndoEndsTheGroup) {
    UndoHistory h;
    Scene scene = small_scene();
    edit(h, scene, with_value(scene, SceneMatrix::Input, {0, 0}, 1), "field");
    const Scene after_first = scene;
    edit(h, scene, with_value(scene, SceneMatrix::Input, {0, 1}, 1), "other");
    ASSERT_TRUE(undo_edit(h, scene));
    // Same group name as the step now on top, but an undo came between: a new step.
    edit(h, scene, with_value(scene, SceneMatrix::Input, {0, 2}, 1), "field");
    EXPECT_EQ(h.undo.size(), 2u);
    ASSERT_TRUE(undo_edit(h, scene));
    EXPECT_TRUE(scene == after_first);
}

TEST(UndoHistory, MinusZeroIsAnEditOfItsOwn) {
    // -0 and 0 are == but print apart: typing -0 over 0 must be undoable to 0.
    UndoHistory h;
    Scene scene = small_scene();
    *scene_value(scene, SceneMatrix::Input, {0, 0}) = 0.0;
    edit(h, scene, with_value(scene, SceneMatrix::Input, {0, 0}, -0.0));
    ASSERT_EQ(h.undo.back().cells.size(), 1u);
    ASSERT_TRUE(undo_edit(h, scene));
    EXPECT_FALSE(std::signbit(scene.input(0, 0)));
}

Scene big_scene() {
    Scene s = default_scene();
    s.input = Matrix::Zero(kMaxInputExtent, kMaxInputExtent);
    for (int r = 0; r < kMaxInputExtent; ++r)
        for (int c = 0; c < kMaxInputExtent; ++c) s.input(r, c) = (r * 7 + c * 3) % 11 - 5;
    s.kernel = Matrix::Ones(3, 3);
    s.upstream.reset();
    s.target.reset();
    return s;
}

std::size_t heap_in_use() { return mallinfo2().uordblks; }

TEST(UndoHistory, CellEditsOfAMegapixelInputStaySmall) {
    UndoHistory h;
    // `scene` is the scene now, `candidate` the window's edited copy; equal between edits.
    Scene scene = big_scene();
    Scene candidate = scene;
    const std::size_t scene_bytes = sizeof(double) * kMaxInputExtent * kMaxInputExtent;
    const auto edit_cell = [&](Cell c, double v) {
        candidate.input(c.row, c.col) = v;
        record_edit(h, scene, candidate);
        scene.input(c.row, c.col) = v;
    };

    // One cell edit remembers one value: the cell's old one.
    const std::size_t heap_before = heap_in_use();
    const double old = scene.input(512, 300);
    edit_cell({512, 300}, 42);
    const std::size_t heap_one = heap_in_use() - heap_before;
    ASSERT_EQ(h.undo.size(), 1u);
    ASSERT_FALSE(h.undo.back().scene);
    ASSERT_EQ(h.undo.back().cells.size(), 1u);
    EXPECT_EQ(h.undo.back().cells[0].matrix, SceneMatrix::Input);
    EXPECT_EQ(h.undo.back().cells[0].row, 512);
    EXPECT_EQ(h.undo.back().cells[0].col, 300);
    EXPECT_EQ(h.undo.back().cells[0].value, old);
    EXPECT_LT(h.bytes, 128u);

    // Hundreds more, each on a cell of its own: far below one whole scene in all, by the
    // history's count and by the allocator's (mallinfo2 says 0 under a sanitizer's).
    std::mt19937 rng(3);
    std::uniform_int_distribution<int> pick(0, kMaxInputExtent - 1);
    constexpr int kEdits = 100;
    std::vector<Cell> cells;
    for (int k = 0; k < kEdits; ++k) {
        const Cell c{pick(rng), pick(rng)};
        cells.push_back(c);
        edit_cell(c, 100 + k);
    }
    const std::size_t heap_all = heap_in_use() - heap_before;
    EXPECT_EQ(h.undo.size(), std::size_t{kEdits + 1});
    EXPECT_LT(h.bytes, std::size_t{128} * (kEdits + 1));
    EXPECT_LT(h.bytes * 200, scene_bytes);
    if (heap_before > 0) {
        EXPECT_LT(heap_one, 1024u);
        EXPECT_LT(heap_all, std::size_t{128} << 10);
    }

    // Undo all of it: the original numbers; redo all: every edited cell has its last value.
    const Scene original = big_scene();
    for (int k = 0; k <= kEdits; ++k) ASSERT_TRUE(undo_edit(h, scene));
    EXPECT_TRUE(scene == original);
    for (int k = 0; k <= kEdits; ++k) ASSERT_TRUE(redo_edit(h, scene));
    EXPECT_EQ(scene.input(512, 300), 42);
    for (std::size_t k = 0; k < cells.size(); ++k)
        EXPECT_EQ(scene.input(cells[k].row, cells[k].col),
                  100.0 + static_cast<double>(std::find_if(cells.rbegin(), cells.rend(), [&](Cell c) {
                              return c == cells[k];
                          }).base() - cells.begin() - 1));
}

TEST(UndoHistory, ChangingEveryCellKeepsTheWholeSceneOnce) {
    // Randomize on a large input: the cells would take three times the room of the scene.
    UndoHistory h;
    Scene scene = big_scene();
    const Scene start = scene;
    edit(h, scene, [&] {
        Scene s = scene;
        s.input.array() += 1;
        return s;
    }());
    ASSERT_TRUE(h.undo.back().scene);
    EXPECT_TRUE(h.undo.back().cells.empty());
    EXPECT_LT(h.bytes, sizeof(double) * kMaxInputExtent * kMaxInputExtent + 4096);
    ASSERT_TRUE(undo_edit(h, scene));
    EXPECT_TRUE(scene == start);
}

TEST(UndoHistory, OldStepsGoWhenTheHistoryOutgrowsItsBudget) {
    UndoHistory h;
    Scene scene = big_scene();
    // Whole-scene steps of 8 MB each (the width changes: no cell record can say that);
    // the 64 MB budget keeps about eight.
    for (int k = 1; k <= 12; ++k) edit(h, scene, with_input_shape(scene, kMaxInputExtent, kMaxInputExtent - k));
    EXPECT_LE(h.bytes, kMaxUndoBytes);
    EXPECT_GE(h.undo.size(), 6u);
    EXPECT_LT(h.undo.size(), 12u);
    // What is left still undoes to the scenes it names: the width 12 - kept steps back.
    const std::size_t kept = h.undo.size();
    while (undo_edit(h, scene)) {}
    EXPECT_EQ(scene.input.cols(), kMaxInputExtent - 12 + static_cast<int>(kept));
}

}  // namespace
}  // namespace convlens
