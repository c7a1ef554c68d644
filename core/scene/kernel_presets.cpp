#include "scene/kernel_presets.h"

#include <cmath>
#include <string>

#include "scene/scene.h"

namespace convlens {
namespace {

void check_size(int size, const char* what) {
    if (size < 1 || size > kMaxKernelExtent)
        throw InputError(std::string(what) + ": size " + std::to_string(size) +
                         " is outside 1 to " + std::to_string(kMaxKernelExtent));
}

}  // namespace

const char* filter_name(KernelFilter filter) {
    switch (filter) {
        case KernelFilter::SobelX: return "Sobel x";
        case KernelFilter::SobelY: return "Sobel y";
        case KernelFilter::Gaussian: return "Gaussian";
        case KernelFilter::Laplacian: return "Laplacian";
        case KernelFilter::Sharpen: return "Sharpen";
        case KernelFilter::BoxBlur: return "Box blur";
    }
    return "?";
}

bool filter_has_size(KernelFilter filter) {
    return filter == KernelFilter::Gaussian || filter == KernelFilter::BoxBlur;
}

Matrix sobel_x() { return matrix_from_rows({{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}}); }
Matrix sobel_y() { return matrix_from_rows({{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}}); }
Matrix laplacian() { return matrix_from_rows({{0, 1, 0}, {1, -4, 1}, {0, 1, 0}}); }
Matrix sharpen() { return matrix_from_rows({{0, -1, 0}, {-1, 5, -1}, {0, -1, 0}}); }

Matrix box_blur(int size) {
    check_size(size, "box blur");
    return Matrix::Constant(size, size, 1.0 / (static_cast<double>(size) * size));
}

Matrix gaussian(int size, double sigma) {
    check_size(size, "Gaussian");
    if (!std::isfinite(sigma) || !(sigma > 0))
        throw InputError("Gaussian: sigma must be a positive number, got " + std::to_string(sigma));
    const double centre = (size - 1) / 2.0;
    // Distances are measured from the nearest taps (the centre, or the middle four of an
    // even size), which then weigh exp(0) = 1: the sum is at least 1 however small sigma
    // is, and the normalised kernel is the same.
    const double nearest = size % 2 == 1 ? 0.0 : 0.5;
    Matrix w(size, size);
    for (int i = 0; i < size; ++i)
        for (int j = 0; j < size; ++j) {
            const double di = i - centre, dj = j - centre;
            w(i, j) = std::exp(-(di * di + dj * dj - nearest) / (2 * sigma * sigma));
        }
    return w / w.sum();
}

Matrix filter_kernel(KernelFilter filter, int size, double sigma) {
    switch (filter) {
        case KernelFilter::SobelX: return sobel_x();
        case KernelFilter::SobelY: return sobel_y();
        case KernelFilter::Gaussian: return gaussian(size, sigma);
        case KernelFilter::Laplacian: return laplacian();
        case KernelFilter::Sharpen: return sharpen();
        case KernelFilter::BoxBlur: return box_blur(size);
    }
    return sobel_x();
}

}  // namespace convlens
