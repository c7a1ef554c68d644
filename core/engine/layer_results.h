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
    Matrix grad_input_gather;  // delta^l, by the gather form: equal to grad_input (empty on the fast path)
    Matrix grad_kernel;        // dJ/dw for the stored kernel
    double scatter_gather_difference = 0;  // max |grad_input - grad_input_gather|
    // Large layers (Ho*Wo*kh*kw >= kFastPathMinWork, engine/fast_conv.h) are computed by the
    // fast engine: output, grad_input and grad_kernel agree with the reference loops to
    // ~1e-12 relative, and grad_input_gather is left empty (difference 0: scatter and
    // gather are compared on grids a student reads, not on every photograph edit; the
    // lessons sum both forms of their own cells term by term).
    bool fast_path = false;
};

// Validates the scene (InputError otherwise) and computes everything. Results that do not
// fit a double are bad input too: InputError from check_finite.
LayerResults compute_layer(const Scene& scene);

// The same into `r`, whose matrices keep their storage when the shapes match: the window's
// worker hands back the results it no longer shows, so an edit of a photograph writes into
// memory already touched instead of faulting in fresh megabytes. r must be default or hold
// numbers only this function wrote (it trusts, for one, that a J = sum z^{l+1} result's
// upstream is still all ones). On InputError r holds partial numbers and must not be shown.
void compute_layer_into(const Scene& scene, LayerResults* r);

// Throws InputError naming the first number of r that is not finite, in the order the
// numbers arise (z^{l+1}, delta^{l+1}, J, delta^l, dJ/dw), with its cell in index_base and
// why: "output z^{l+1}_{1,1} overflows a double (inf): ...". Finite inputs make infinite
// results only by overflow, and NaN only when two overflows of opposite sign meet.
void check_finite(const LayerResults& r, int index_base);

// Cheap (one pass over the scene's values): false guarantees that every result of a valid
// scene is finite, from bounds such as |z^{l+1}| <= kh*kw * max|a^l| * max|w|. True only
// for values so large that some bound passes a quarter of the largest double.
bool may_overflow(const Scene& scene);

// Throws InputError, as compute_layer would, when a result of the valid scene does not
// fit a double; computes the scene only when may_overflow says it has to. What the window
// calls before it accepts an edit or opens a file.
void check_results_fit(const Scene& scene);

LossSource loss_source(const Scene& scene);

// Every one of `count` values from `values` (or of m) is finite: one vectorised pass with no
// early exit, what check_finite runs on each grid before it looks for a bad cell.
bool all_finite(const double* values, long count);
bool all_finite(const Matrix& m);

// J as a function of the input and kernel, for finite differences. With a given upstream
// the surrogate J = <upstream, z^{l+1}> has exactly that upstream as its gradient.
double objective(const Scene& scene, const Matrix& input, const Matrix& kernel);

}  // namespace convlens
