// The window's name for a cell it edits (a GridId of the canvas) mapped onto the scene's
// stored matrices; the transformations themselves are core/scene/scene_edit.h.
#pragma once

#include "lesson/lesson_step.h"
#include "scene/scene_edit.h"

namespace convlens {

// The stored value behind an editable grid's cell (z^l, w, delta^{l+1} when the scene
// gives it), or nullptr: a computed grid, a cell outside.
inline double* editable_value(Scene& scene, GridId grid, Cell cell) {
    switch (grid) {
        case GridId::Input: return scene_value(scene, SceneMatrix::Input, cell);
        case GridId::Kernel: return scene_value(scene, SceneMatrix::Kernel, cell);
        case GridId::Upstream: return scene_value(scene, SceneMatrix::Upstream, cell);
        case GridId::Activated:
        case GridId::Output:
        case GridId::GradInput:
        case GridId::GradKernel:
        case GridId::RotatedKernel:
        case GridId::PaddedUpstream: return nullptr;
    }
    return nullptr;
}

}  // namespace convlens
