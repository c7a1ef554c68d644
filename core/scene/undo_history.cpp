#include "scene/undo_history.h"

#include <cstddef>
#include <cstring>
#include <utility>

namespace convlens {
namespace {

constexpr SceneMatrix kMatrices[] = {SceneMatrix::Input, SceneMatrix::Kernel, SceneMatrix::Upstream,
                                     SceneMatrix::Target};

std::size_t scene_numbers(const Scene& s) {
    std::size_t n = 0;
    for (SceneMatrix m : kMatrices)
        if (const Matrix* matrix = scene_matrix(s, m)) n += static_cast<std::size_t>(matrix->size());
    return n;
}

bool same_shape(const Matrix* a, const Matrix* b) {
    if (!a || !b) return !a && !b;
    return a->rows() == b->rows() && a->cols() == b->cols();
}

// Everything but the stored values agrees: a change of cells can take one to the other.
bool same_layout(const Scene& a, const Scene& b) {
    if (a.title != b.title || !(a.spec == b.spec) || a.activation != b.activation ||
        a.index_base != b.index_base || !(a.input_image == b.input_image))
        return false;
    for (SceneMatrix m : kMatrices)
        if (!same_shape(scene_matrix(a, m), scene_matrix(b, m))) return false;
    return true;
}

// More cells than this, and the whole scene is the smaller record.
bool cells_too_many(std::size_t cells, const Scene& scene) {
    return cells * sizeof(CellValue) >= scene_numbers(scene) * sizeof(double);
}

// Appends the cells where `from` differs from `to`, with from's values; stops (false) as
// soon as they outgrow the whole scene.
bool add_differences(const Scene& from, const Scene& to, std::vector<CellValue>& cells) {
    for (SceneMatrix m : kMatrices) {
        const Matrix* a = scene_matrix(from, m);
        const Matrix* b = scene_matrix(to, m);
        if (!a) continue;
        const auto row_bytes = static_cast<std::size_t>(a->cols()) * sizeof(double);
        for (int r = 0; r < a->rows(); ++r) {
            // Bitwise, row by row (rows are contiguous): -0 and 0 differ, as they print apart.
            const double* ra = a->data() + static_cast<std::ptrdiff_t>(r) * a->cols();
            const double* rb = b->data() + static_cast<std::ptrdiff_t>(r) * b->cols();
            if (std::memcmp(ra, rb, row_bytes) == 0) continue;
            for (int c = 0; c < a->cols(); ++c) {
                if (std::memcmp(ra + c, rb + c, sizeof(double)) == 0) continue;
                cells.push_back({m, r, c, ra[c]});
                if (cells_too_many(cells.size(), from)) return false;
            }
        }
    }
    return true;
}

void forget(UndoHistory& h, std::deque<SceneChange>& steps, bool oldest) {
    SceneChange& step = oldest ? steps.front() : steps.back();
    h.bytes -= change_bytes(step);
    if (oldest) steps.pop_front();
    else steps.pop_back();
}

void push(UndoHistory& h, std::deque<SceneChange>& steps, SceneChange change) {
    h.bytes += change_bytes(change);
    steps.push_back(std::move(change));
}

void trim(UndoHistory& h) {
    while (h.undo.size() > 1 && (h.undo.size() > kMaxUndoSteps || h.bytes > kMaxUndoBytes))
        forget(h, h.undo, true);
}

// The last step led from `after` back to the group's start; the new edit went on from
// `before`. Afterwards it leads from `after` to the group's start.
void join(SceneChange& last, const Scene& before, const Scene& after) {
    if (last.scene) return;  // the group's start, whole: still right
    if (same_layout(before, after)) {
        std::vector<CellValue> added;
        if (add_differences(before, after, added)) {
            for (const CellValue& cell : added) {
                bool known = false;
                for (const CellValue& old : last.cells)
                    if (old.matrix == cell.matrix && old.row == cell.row && old.col == cell.col) {
                        known = true;  // it holds the value from before the group
                        break;
                    }
                if (!known) last.cells.push_back(cell);
            }
            if (!cells_too_many(last.cells.size(), after)) return;
        }
    }
    // Rebuild the group's start whole: `before` with the cells the group had changed.
    Scene start = before;
    apply_change(last, start);
    last.cells.clear();
    last.scene = std::make_unique<Scene>(std::move(start));
}

}  // namespace

SceneChange change_between(const Scene& from, const Scene& to) {
    SceneChange change;
    if (same_layout(from, to) && add_differences(from, to, change.cells)) {
        change.cells.shrink_to_fit();
        return change;
    }
    change.cells.clear();
    change.cells.shrink_to_fit();
    change.scene = std::make_unique<Scene>(from);
    return change;
}

void apply_change(SceneChange& change, Scene& scene) {
    if (change.scene) {
        std::swap(*change.scene, scene);
        return;
    }
    for (CellValue& cell : change.cells)
        if (double* value = scene_value(scene, cell.matrix, {cell.row, cell.col}))
            std::swap(*value, cell.value);
}

std::size_t change_bytes(const SceneChange& change) {
    return sizeof(SceneChange) + change.cells.capacity() * sizeof(CellValue) +
           (change.scene ? sizeof(Scene) + scene_numbers(*change.scene) * sizeof(double) : 0);
}

void record_edit(UndoHistory& h, const Scene& before, const Scene& after, const std::string& group) {
    while (!h.redo.empty()) forget(h, h.redo, false);
    if (!group.empty() && group == h.group && !h.undo.empty()) {
        SceneChange& last = h.undo.back();
        h.bytes -= change_bytes(last);
        join(last, before, after);
        h.bytes += change_bytes(last);
    } else {
        push(h, h.undo, change_between(before, after));
    }
    h.group = group;
    trim(h);
}

namespace {

// Moves the last step of `from` onto `to`, applying it to the scene on the way.
bool move_step(UndoHistory& h, std::deque<SceneChange>& from, std::deque<SceneChange>& to, Scene& scene) {
    if (from.empty()) return false;
    SceneChange step = std::move(from.back());
    h.bytes -= change_bytes(step);
    from.pop_back();
    apply_change(step, scene);
    push(h, to, std::move(step));
    h.group.clear();
    trim(h);
    return true;
}

}  // namespace

bool undo_edit(UndoHistory& h, Scene& scene) { return move_step(h, h.undo, h.redo, scene); }

bool redo_edit(UndoHistory& h, Scene& scene) { return move_step(h, h.redo, h.undo, scene); }

}  // namespace convlens
