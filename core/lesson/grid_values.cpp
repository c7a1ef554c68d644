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

Shape grid_shape(const Scene& scene, const LayerResults& results, GridId grid) {
    const Matrix* m = grid_values(scene, results, grid);
    if (!m) return {0, 0};
    return {static_cast<int>(m->rows()), static_cast<int>(m->cols())};
}

bool inside(Shape shape, Cell c) {
    return c.row >= 0 && c.col >= 0 && c.row < shape.rows && c.col < shape.cols;
}

}  // namespace convlens
