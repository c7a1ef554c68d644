// Every number of one scene, computed once after each edit: what the window, the
// command line and the exported frames all show.
#pragma once

#include <optional>

#include "engine/matrix.h"
#include "scene/scene.h"

namespace convlens {

enum class LossSource {
    Upstream,  // the scene gives delta^{l+1}; J is not defined
    Target,    // J = 1/2 sum (z^{l+1} - target)^2
    Sum,       // J = sum z^{l+1}
};

struct LayerResults {
    Matrix activated;          // a^l = f(z^l)
    Matrix activation_slope;   // f'(z^l)
    Matrix output;             // z^{l+1}
    Matrix upstream;           // delta^{l+1}
    LossSource loss_source = LossSource::Sum;
    std::optional<double> loss;  // nullopt when the scene gives upstream
    Matrix grad_input;         // delta^l, by the scatter form (the reference)
    Matrix grad_input_gather;  // delta^l, by the gather form: equal to grad_input
    Matrix grad_kernel;        // dJ/dw for the stored kernel
    double scatter_gather_difference = 0;  // max |grad_input - grad_input_gather|
    // Large layers (Ho*Wo*kh*kw >= kFastPathMinWork, engine/fast_conv.h) are computed by the
    // fast engine: output, grad_input and grad_kernel agree with the reference loops to
    // ~1e-12 relative, and grad_input_gather is grad_input itself (difference 0: scatter
    // and gather are compared on grids a student reads, not on every photograph edit).
    bool fast_path = false;
};

// Validates the scene (InputError otherwise) and computes everything.
LayerResults compute_layer(const Scene& scene);

LossSource loss_source(const Scene& scene);

// J as a function of the input and kernel, for finite differences. With a given upstream
// the surrogate J = <upstream, z^{l+1}> has exactly that upstream as its gradient.
double objective(const Scene& scene, const Matrix& input, const Matrix& kernel);

}  // namespace convlens
