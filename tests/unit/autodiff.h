// An independent reverse-mode automatic differentiation (a tape of scalar nodes) and,
// on top of it, the layer of DESIGN.md written straight from its formulas: the oracle
// the engine's hand-derived backward passes are compared against.
//
// Nothing here calls the engine's arithmetic: forward, activations, losses and every
// derivative come from the tape. Only the plain data types (Scene, Matrix, ConvSpec) and
// output_extent's formula (re-derived below, not called) are shared.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "engine/matrix.h"
#include "scene/scene.h"

namespace convlens::ad {

class Tape;

// A scalar on a tape: a handle (node index) plus the tape it lives on.
struct Var {
    Tape* tape = nullptr;
    int id = -1;
    double value() const;
};

// Every node records its value and up to two parents with the local partial
// derivatives d(node)/d(parent); the reverse sweep accumulates adjoints from them.
class Tape {
public:
    Var variable(double value);  // a leaf to differentiate with respect to
    Var constant(double value);  // a leaf that is never asked about (same node kind)
    Var node(double value, int parent_a, double partial_a, int parent_b = -1,
             double partial_b = 0);

    double value(int id) const { return nodes_[static_cast<std::size_t>(id)].value; }
    std::size_t size() const { return nodes_.size(); }

    // d(output)/d(node) for every node created before `output` (later nodes get 0).
    std::vector<double> gradient(Var output) const;

private:
    struct Node {
        double value;
        int parent[2];
        double partial[2];
    };
    std::vector<Node> nodes_;
};

Var operator+(Var a, Var b);
Var operator-(Var a, Var b);
Var operator*(Var a, Var b);
Var operator/(Var a, Var b);
Var operator-(Var a);
Var operator+(Var a, double c);
Var operator*(double c, Var a);
Var exp(Var a);
Var tanh(Var a);
// max(a, 0); the derivative at exactly 0 is 0 (the convention PyTorch uses for relu).
Var relu(Var a);
Var sigmoid(Var a);  // 1 / (1 + exp(-a)), built from the primitives above

// Everything compute_layer reports, computed by the tape from DESIGN.md's formulas.
struct ReferenceLayer {
    Matrix output;       // z^{l+1}
    Matrix upstream;     // delta^{l+1} = dJ/dz^{l+1}
    Matrix grad_input;   // delta^l = dJ/dz^l
    Matrix grad_kernel;  // dJ/dw, stored kernel
    double objective = 0;        // J (the surrogate <upstream, z^{l+1}> when upstream is given)
    std::optional<double> loss;  // nullopt when the scene gives upstream
};

// Output extent from the formula of DESIGN.md (not the engine's output_extent).
int reference_extent(int input, int kernel, int stride, int padding, int dilation);

ReferenceLayer reference_layer(const Scene& scene);

// d z^{l+1}_{p,q} / d a^l_{m,n} for every output (p,q): result[p*Wo+q] is an H x W
// matrix. With a kernel of distinct powers of two, each entry names the taps involved.
std::vector<Matrix> output_sensitivities(const Matrix& activated_input, const Matrix& kernel,
                                         const ConvSpec& spec);

// ---- Random scenes across every option, reproducible from a seed.

struct RandomSceneLimits {
    int max_input = 7;     // H, W in 1..max_input
    int max_kernel = 4;    // kh, kw in 1..max_kernel
    int max_stride = 3;
    int max_padding = 2;   // 0..max_padding
    int max_dilation = 3;
};

enum class LossChoice { Upstream, Target, Sum };

// A scene that has an output: geometry drawn per axis, mode, activation, loss source and
// index base drawn uniformly; values uniform in [-2, 2], or small integers one time in
// four (so relu meets z = 0 exactly). Deterministic for a given seed.
Scene random_scene(std::uint32_t seed, const RandomSceneLimits& limits = {});
LossChoice loss_choice(const Scene& scene);

Matrix random_matrix(std::mt19937& rng, int rows, int cols, double lo = -2, double hi = 2);

}  // namespace convlens::ad
