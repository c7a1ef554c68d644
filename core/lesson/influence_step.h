// The hover view as a lesson step: what the user points at (an input element, an output
// cell or a kernel tap) turned into the marks, arrows and tap tags the canvas draws.
#pragma once

#include "lesson/influence_focus.h"
#include "lesson/lesson_step.h"
#include "scene/scene.h"

namespace convlens {

// Input element z^l_{m,n}: it is the focus in z^l, a^l and delta^l; each tap (i,j) that
// reaches an output marks w_{i,j} and z^{l+1}_{p,q}, delta^{l+1}_{p,q} (Window role, the
// neutral colour), with an arrow from the element (from a^l when there is an activation)
// and the tag w_{i,j} in the output cell; a tap into the zero padding marks its padding
// cell and the tap as Padding, with a dashed arrow; a stride gap marks only the tap.
// Beyond 49 arrows (a 7x7 kernel and up) one arrow points to the middle of the outputs
// reached, which the canvas frames. Output cell: the receptive field and every tap.
// Kernel tap: every input element and output cell it pairs, as four mark blocks (z^l, a^l,
// z^{l+1}, delta^{l+1}) whatever the layer's size. The equation is the view's,
// one line per " = ". No focus: an empty step.
Step influence_step(const Scene& scene, const InfluenceView& view);

}  // namespace convlens
