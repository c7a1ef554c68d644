// Central finite differences of J against both analytic gradients: the check a student
// (and every test) can run to trust the numbers.
#pragma once

#include <functional>

#include "scene/scene.h"

namespace convlens {

struct GradientCheck {
    double input_max_relative = 0;   // max |fd - analytic| / max(1, |fd|, |analytic|)
    double kernel_max_relative = 0;
    Cell input_worst;                // zero-based
    Cell kernel_worst;
    int input_checked = 0;
    int input_skipped = 0;           // relu kinks (z == 0 within the step)
    int kernel_checked = 0;
    bool passed(double tolerance = 1e-6) const {
        return input_max_relative <= tolerance && kernel_max_relative <= tolerance;
    }
};

// dJ/dx at x by central differences refined once by Richardson extrapolation, with the
// step check_gradients uses (1e-3 * max(1, |x|)): the one finite-difference rule.
double finite_difference(const std::function<double(double)>& J, double x);

// Checks every element for small scenes; beyond max_elements per matrix an evenly spread
// subset (corners included), so the check stays fast on large inputs.
GradientCheck check_gradients(const Scene& scene, int max_elements = 400);

}  // namespace convlens
