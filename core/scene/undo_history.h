// Undo and redo of the scene being edited. Each step remembers what its edit changed:
// the old values of the cells a value edit touched (one number for a cell edit, however
// large the input), or the whole other scene when a shape, the geometry or the loss
// source changed, so a long session on a 1024x1024 input stays small in memory.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "scene/scene.h"
#include "scene/scene_edit.h"

namespace convlens {

// One cell of a stored matrix and the value it has on the other side of the step.
struct CellValue {
    SceneMatrix matrix = SceneMatrix::Input;
    int row = 0, col = 0;
    double value = 0;
};

// Applying a step swaps the scene with what the step holds, so the same record undoes
// and, once applied, redoes: cells swap their values, a whole scene swaps places.
struct SceneChange {
    std::vector<CellValue> cells;   // when both sides have the same shapes and settings
    std::unique_ptr<Scene> scene;   // otherwise the whole other scene
};

// The change that takes `to` back to `from`: their differing cells, or `from` whole
// when anything but cell values differs (or when the cells would take more room).
SceneChange change_between(const Scene& from, const Scene& to);
// Swaps: afterwards `scene` is the other side and `change` leads back.
void apply_change(SceneChange& change, Scene& scene);
// Memory a step holds, in bytes (its cells or its scene's numbers, and itself).
std::size_t change_bytes(const SceneChange& change);

inline constexpr std::size_t kMaxUndoSteps = 2000;
inline constexpr std::size_t kMaxUndoBytes = std::size_t{64} << 20;  // oldest go first

struct UndoHistory {
    std::deque<SceneChange> undo;  // older steps, the most recent last
    std::deque<SceneChange> redo;
    std::string group;             // consecutive edits of one non-empty group are one step
    std::size_t bytes = 0;         // change_bytes of every step in undo and redo
};

// Records the edit from `before` to `after` (the scene now) and forgets the redo steps.
// An edit of the same non-empty group as the last one joins its step, so one undo goes
// back to before the whole drag or field.
void record_edit(UndoHistory& history, const Scene& before, const Scene& after,
                 const std::string& group = {});
// Step `scene` back (or forward); false when there is nothing to undo (redo).
bool undo_edit(UndoHistory& history, Scene& scene);
bool redo_edit(UndoHistory& history, Scene& scene);

}  // namespace convlens
