// The classic image filters as kernels w: Sobel x and y, Gaussian, Laplacian, sharpen and
// box blur. Pure functions; the window sets them through its normal (undoable) edit.
#pragma once

#include "engine/matrix.h"

namespace convlens {

enum class KernelFilter { SobelX, SobelY, Gaussian, Laplacian, Sharpen, BoxBlur };
inline constexpr KernelFilter kKernelFilters[] = {KernelFilter::SobelX,  KernelFilter::SobelY,
                                                  KernelFilter::Gaussian, KernelFilter::Laplacian,
                                                  KernelFilter::Sharpen, KernelFilter::BoxBlur};

const char* filter_name(KernelFilter filter);  // "Sobel x", "Gaussian", ...
// Only the Gaussian and the box blur come in sizes (and only the Gaussian has a sigma).
bool filter_has_size(KernelFilter filter);

// Written for cross-correlation, convlens's default mode (what frameworks call
// convolution): Sobel x answers positively where z^l grows to the right, Sobel y where
// it grows downwards (rows count down).
Matrix sobel_x();     // [-1 0 1; -2 0 2; -1 0 1]
Matrix sobel_y();     // [-1 -2 -1; 0 0 0; 1 2 1]
Matrix laplacian();   // [0 1 0; 1 -4 1; 0 1 0]: sums to 0, flat regions give 0
Matrix sharpen();     // [0 -1 0; -1 5 -1; 0 -1 0] = identity - Laplacian: sums to 1
// size x size, every tap 1 / size^2. InputError unless 1 <= size <= kMaxKernelExtent.
Matrix box_blur(int size);
// w_{i,j} proportional to exp(-((i - c)^2 + (j - c)^2) / (2 sigma^2)) with c the centre
// (size - 1) / 2, normalised to sum 1. InputError unless 1 <= size <= kMaxKernelExtent
// and sigma is finite and positive.
Matrix gaussian(int size, double sigma);

// The filter's kernel; size and sigma are used by the filters that take them.
Matrix filter_kernel(KernelFilter filter, int size = 3, double sigma = 1.0);

}  // namespace convlens
