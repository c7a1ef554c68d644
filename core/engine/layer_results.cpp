#include "engine/layer_results.h"

#include "engine/activation.h"
#include "engine/fast_conv.h"
#include "engine/layer.h"

namespace convlens {

LossSource loss_source(const Scene& scene) {
    if (scene.upstream) return LossSource::Upstream;
    if (scene.target) return LossSource::Target;
    return LossSource::Sum;
}

LayerResults compute_layer(const Scene& scene) {
    validate_scene(scene);
    LayerResults r;
    const Shape input{int(scene.input.rows()), int(scene.input.cols())};
    const Shape kernel{int(scene.kernel.rows()), int(scene.kernel.cols())};
    r.activated = activate(scene.activation, scene.input);
    r.activation_slope = activation_derivative(scene.activation, scene.input);
    r.fast_path = layer_work(input, kernel, scene.spec) >= kFastPathMinWork;
    r.output = r.fast_path ? fast_forward(r.activated, scene.kernel, scene.spec)
                           : forward(r.activated, scene.kernel, scene.spec);
    r.loss_source = loss_source(scene);
    switch (r.loss_source) {
        case LossSource::Upstream:
            r.upstream = *scene.upstream;
            break;
        case LossSource::Target: {
            r.upstream = r.output - *scene.target;
            r.loss = 0.5 * r.upstream.squaredNorm();
            break;
        }
        case LossSource::Sum:
            r.upstream = Matrix::Ones(r.output.rows(), r.output.cols());
            r.loss = r.output.sum();
            break;
    }
    if (r.fast_path) {  // a photograph: the fast engine, one backward form (see fast_path)
        r.grad_input = r.activation_slope.cwiseProduct(
            fast_grad_activated(r.upstream, scene.kernel, input, scene.spec));
        r.grad_input_gather = r.grad_input;
        r.grad_kernel = fast_grad_kernel(r.activated, r.upstream, kernel, scene.spec);
    } else {
        r.grad_input = r.activation_slope.cwiseProduct(
            grad_activated_scatter(r.upstream, scene.kernel, input, scene.spec));
        r.grad_input_gather = r.activation_slope.cwiseProduct(
            grad_activated_gather(r.upstream, scene.kernel, input, scene.spec));
        r.grad_kernel = grad_kernel(r.activated, r.upstream, kernel, scene.spec);
        r.scatter_gather_difference =
            (r.grad_input - r.grad_input_gather).cwiseAbs().maxCoeff();
    }
    return r;
}

double objective(const Scene& scene, const Matrix& input, const Matrix& kernel) {
    const Matrix z = forward(activate(scene.activation, input), kernel, scene.spec);
    switch (loss_source(scene)) {
        case LossSource::Upstream: return inner_product(*scene.upstream, z);
        case LossSource::Target: return 0.5 * (z - *scene.target).squaredNorm();
        case LossSource::Sum: return z.sum();
    }
    return 0;
}

}  // namespace convlens
