#include "scene/scene_edit.h"

#include <algorithm>

namespace convlens {

const Matrix* scene_matrix(const Scene& scene, SceneMatrix which) {
    switch (which) {
        case SceneMatrix::Input: return &scene.input;
        case SceneMatrix::Kernel: return &scene.kernel;
        case SceneMatrix::Upstream: return scene.upstream ? &*scene.upstream : nullptr;
        case SceneMatrix::Target: return scene.target ? &*scene.target : nullptr;
    }
    return nullptr;
}

Matrix* scene_matrix(Scene& scene, SceneMatrix which) {
    return const_cast<Matrix*>(scene_matrix(static_cast<const Scene&>(scene), which));
}

double* scene_value(Scene& scene, SceneMatrix which, Cell cell) {
    Matrix* m = scene_matrix(scene, which);
    if (!m || cell.row < 0 || cell.col < 0 || cell.row >= m->rows() || cell.col >= m->cols())
        return nullptr;
    return &(*m)(cell.row, cell.col);
}

Matrix resized(const Matrix& m, int rows, int cols, double fill) {
    Matrix out = Matrix::Constant(rows, cols, fill);
    const int keep_rows = std::min<int>(rows, static_cast<int>(m.rows()));
    const int keep_cols = std::min<int>(cols, static_cast<int>(m.cols()));
    out.topLeftCorner(keep_rows, keep_cols) = m.topLeftCorner(keep_rows, keep_cols);
    return out;
}

void conform_to_output(Scene& scene) {
    Shape out;
    try {
        out = output_shape({static_cast<int>(scene.input.rows()), static_cast<int>(scene.input.cols())},
                           {static_cast<int>(scene.kernel.rows()), static_cast<int>(scene.kernel.cols())},
                           scene.spec);
    } catch (const InputError&) {
        return;
    }
    if (scene.upstream) scene.upstream = resized(*scene.upstream, out.rows, out.cols);
    if (scene.target) scene.target = resized(*scene.target, out.rows, out.cols);
}

Scene with_input_shape(Scene scene, int rows, int cols) {
    scene.input = resized(scene.input, rows, cols);
    conform_to_output(scene);
    return scene;
}

Scene with_kernel_shape(Scene scene, int rows, int cols) {
    scene.kernel = resized(scene.kernel, rows, cols);
    conform_to_output(scene);
    return scene;
}

Scene with_spec(Scene scene, const ConvSpec& spec) {
    scene.spec = spec;
    conform_to_output(scene);
    return scene;
}

const char* preset_name(KernelPreset preset) {
    switch (preset) {
        case KernelPreset::Identity: return "Identity";
        case KernelPreset::BoxBlur: return "Box blur";
        case KernelPreset::SobelX: return "Sobel x";
        case KernelPreset::Laplacian: return "Laplacian";
    }
    return "";
}

Scene with_kernel_preset(Scene scene, KernelPreset preset) {
    const int kh = static_cast<int>(scene.kernel.rows());
    const int kw = static_cast<int>(scene.kernel.cols());
    switch (preset) {
        case KernelPreset::Identity:
            scene.kernel = Matrix::Zero(kh, kw);
            scene.kernel((kh - 1) / 2, (kw - 1) / 2) = 1;
            break;
        case KernelPreset::BoxBlur:
            scene.kernel = Matrix::Constant(kh, kw, 1.0 / (kh * kw));
            break;
        case KernelPreset::SobelX:
            scene.kernel.resize(3, 3);
            scene.kernel << -1, 0, 1, -2, 0, 2, -1, 0, 1;
            break;
        case KernelPreset::Laplacian:
            scene.kernel.resize(3, 3);
            scene.kernel << 0, 1, 0, 1, -4, 1, 0, 1, 0;
            break;
    }
    conform_to_output(scene);
    return scene;
}

Matrix random_small_integers(int rows, int cols, std::mt19937& rng) {
    std::uniform_int_distribution<int> dist(-3, 3);
    Matrix m(rows, cols);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) m(r, c) = dist(rng);
    return m;
}

Scene with_loss_source(Scene scene, LossSource source, LossStash& stash) {
    if (scene.upstream) stash.upstream = scene.upstream;
    if (scene.target) stash.target = scene.target;
    scene.upstream.reset();
    scene.target.reset();
    Shape out{1, 1};
    try {
        out = output_shape({static_cast<int>(scene.input.rows()), static_cast<int>(scene.input.cols())},
                           {static_cast<int>(scene.kernel.rows()), static_cast<int>(scene.kernel.cols())},
                           scene.spec);
    } catch (const InputError&) {
        return scene;
    }
    if (source == LossSource::Upstream)
        scene.upstream = stash.upstream ? resized(*stash.upstream, out.rows, out.cols)
                                        : Matrix::Ones(out.rows, out.cols);
    else if (source == LossSource::Target)
        scene.target = stash.target ? resized(*stash.target, out.rows, out.cols)
                                    : Matrix::Zero(out.rows, out.cols);
    return scene;
}

}  // namespace convlens
