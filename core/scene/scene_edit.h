// Pure transformations of a Scene behind the window's controls: resizing that keeps what
// still fits, kernel presets, random small integers, switching the loss source, and the
// scene's own matrices named for the edits and the undo history that touch their cells.
#pragma once

#include <optional>
#include <random>

#include "engine/layer_results.h"
#include "engine/matrix.h"
#include "scene/scene.h"

namespace convlens {

// The matrices a scene stores (the others are computed from them): z^l, w, delta^{l+1}
// and the target y.
enum class SceneMatrix { Input, Kernel, Upstream, Target };

// The matrix, or nullptr when the scene has none (no upstream, no target).
Matrix* scene_matrix(Scene& scene, SceneMatrix which);
const Matrix* scene_matrix(const Scene& scene, SceneMatrix which);
// The stored value at cell, or nullptr (no such matrix, cell outside it).
double* scene_value(Scene& scene, SceneMatrix which, Cell cell);

// m resized to rows x cols: the top-left block that fits is kept, new cells are `fill`.
Matrix resized(const Matrix& m, int rows, int cols, double fill = 0);

// Gives upstream and target the output's shape, keeping what fits (new cells are 0).
// Leaves them alone when the geometry has no output: validation then names the problem.
void conform_to_output(Scene& scene);

Scene with_input_shape(Scene scene, int rows, int cols);
Scene with_kernel_shape(Scene scene, int rows, int cols);
Scene with_spec(Scene scene, const ConvSpec& spec);

enum class KernelPreset { Identity, BoxBlur, SobelX, Laplacian };
const char* preset_name(KernelPreset preset);  // "Identity", "Box blur", ...
// Identity and box blur keep the kernel's size; Sobel and the Laplacian are 3 x 3.
Scene with_kernel_preset(Scene scene, KernelPreset preset);

// Integers in [-3, 3]: sums stay easy to check by hand.
Matrix random_small_integers(int rows, int cols, std::mt19937& rng);

// The loss matrices put aside when switching source, so switching back restores them.
struct LossStash {
    std::optional<Matrix> upstream;
    std::optional<Matrix> target;
};

// Sum drops both matrices; Target adds a zero target (so delta^{l+1} = z^{l+1} at first),
// Upstream adds all ones (the gradient of the sum, ready to edit). Stashed matrices come
// back instead when they exist, resized to the output.
Scene with_loss_source(Scene scene, LossSource source, LossStash& stash);

}  // namespace convlens
