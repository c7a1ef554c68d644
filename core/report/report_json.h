// The JSON the command line prints (compute, influence, check): one object per command,
// numbers written so that they read back to the same double.
#pragma once

#include <string>

#include "engine/gradient_check.h"
#include "engine/layer_results.h"
#include "scene/scene.h"

namespace convlens {

// {"output", "upstream", "grad_input", "grad_kernel", "loss" (null with a given upstream)}
std::string compute_report(const LayerResults& results);

// {"element": [M, N], "grad_input": delta^l_{M,N}, "taps": [...]} in the scene's base.
// element is given in the scene's index base; InputError when it is outside the input.
std::string influence_report(const Scene& scene, const LayerResults& results, int m, int n);

// {"grad_input": {...}, "grad_kernel": {...}, "tolerance", "passed"}
std::string check_report(const Scene& scene, const GradientCheck& check, double tolerance);

}  // namespace convlens
