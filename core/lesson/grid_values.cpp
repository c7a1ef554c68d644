#include "lesson/grid_values.h"

namespace convlens {

const Matrix* grid_values(const Scene& scene, const LayerResults& r, GridId grid) {
    switch (grid) {
        case GridId::Input: return &scene.input;
        case GridId::Activated: return &r.activated;
        case GridId::Kernel: return &scene.kernel;
        case GridId::Output: return &r.output;
        case GridId::Upstream: return &r.upstream;
        case GridId::GradInput: return &r.grad_input;
        case GridId::GradKernel: return &r.grad_kernel;
        case GridId::RotatedKernel:
        case GridId::PaddedUpstream: return nullptr;
    }
    return nullptr;
}

}  // namespace convlens
