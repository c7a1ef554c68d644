// The numbers of an edited scene from those of the scene before the edit: only what the
// edit changed is computed again (the window's engine thread, one photograph cell at a time).
//
// An edit of one input cell changes a^l and f' at that cell, z^{l+1} only where a window
// reads it, delta^{l+1} there (J = 1/2 sum (z - t)^2), and delta^l only at the cells fed by
// those delta^{l+1} cells (and at the cell itself, through f'). Those patches are computed
// by the fast engine on small sub-layers cut out of the big one, so every number of a patch
// comes from the same code, the same taps in the same order, as in compute_layer: the
// updated results equal compute_layer(after)'s bit for bit (tests/unit/layer_update_test.cpp
// holds them to that). J and dJ/dw change everywhere (every tap meets the edited cell) and
// are computed by a full pass, as compute_layer computes them, so nothing drifts over a
// long sequence of edits.
#pragma once

#include "engine/layer_results.h"
#include "scene/scene.h"

namespace convlens {

// `r` holds the results of `before` exactly as compute_layer_into wrote them (or as this
// function updated them); before was valid and its results all finite. Returns false, and
// leaves r untouched, when the update cannot be done or would not pay: the two scenes
// differ in the input's or kernel's shape, spec, activation, index base, upstream or target;
// r is not of the fast path (the reference loops keep their own numbers: lessons read them);
// or the changed input cells span so much of the input that a full pass costs as little.
// Otherwise r becomes the results of `after`, equal to compute_layer(after)'s:
//   - the input changed in a box of cells: a^l, f' in the box; z^{l+1} (and for a target
//     delta^{l+1}) over the outputs whose window meets the box; delta^l over the inputs fed
//     by those outputs' errors and the box; J and dJ/dw by full passes;
//   - the kernel changed: a^l and f' stay, the three passes run in full;
//   - both: both.
// Bad new values throw the InputError compute_layer(after) throws, with its text: a
// non-finite input cell or kernel tap (as validate_scene), a result that overflows (as
// check_finite, naming the same first bad number). Then r holds partial numbers and must
// not be shown, as after a throwing compute_layer_into.
bool update_layer_into(const Scene& before, const Scene& after, LayerResults* r);

}  // namespace convlens
