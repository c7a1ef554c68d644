#include "engine/layer.h"

#include "engine/influence.h"

namespace convlens {

Matrix pad_zeros(const Matrix& a, AxisPair padding) {
    Matrix padded = Matrix::Zero(a.rows() + 2 * padding.rows, a.cols() + 2 * padding.cols);
    padded.block(padding.rows, padding.cols, a.rows(), a.cols()) = a;
    return padded;
}

Matrix rotate180(const Matrix& m) { return m.reverse(); }

Matrix effective_kernel(const Matrix& kernel, ConvMode mode) {
    return mode == ConvMode::Convolution ? rotate180(kernel) : kernel;
}

Matrix forward(const Matrix& activated_input, const Matrix& kernel, const ConvSpec& spec) {
    const Shape out = output_shape({int(activated_input.rows()), int(activated_input.cols())},
                                   {int(kernel.rows()), int(kernel.cols())}, spec);
    const Matrix padded = pad_zeros(activated_input, spec.padding);
    const Matrix w = effective_kernel(kernel, spec.mode);
    Matrix z = Matrix::Zero(out.rows, out.cols);
    for (int p = 0; p < out.rows; ++p)
        for (int q = 0; q < out.cols; ++q) {
            double sum = 0;
            for (int i = 0; i < w.rows(); ++i)
                for (int j = 0; j < w.cols(); ++j)
                    sum += padded(spec.stride.rows * p + spec.dilation.rows * i,
                                  spec.stride.cols * q + spec.dilation.cols * j) *
                           w(i, j);
            z(p, q) = sum;
        }
    return z;
}

Matrix grad_activated_scatter(const Matrix& upstream, const Matrix& kernel, Shape input,
                              const ConvSpec& spec) {
    const Shape out = output_shape(input, {int(kernel.rows()), int(kernel.cols())}, spec);
    Matrix grad = Matrix::Zero(input.rows, input.cols);
    for (int m = 0; m < input.rows; ++m)
        for (int n = 0; n < input.cols; ++n) {
            double sum = 0;
            for (int i = 0; i < kernel.rows(); ++i) {
                const AxisReach row =
                    reach_along_axis(m, i, int(kernel.rows()), spec.stride.rows,
                                     spec.padding.rows, spec.dilation.rows, out.rows, spec.mode);
                if (row.reach != TapReach::Inside) continue;
                for (int j = 0; j < kernel.cols(); ++j) {
                    const AxisReach col = reach_along_axis(
                        n, j, int(kernel.cols()), spec.stride.cols, spec.padding.cols,
                        spec.dilation.cols, out.cols, spec.mode);
                    if (col.reach == TapReach::Inside)
                        sum += upstream(row.index, col.index) * kernel(i, j);
                }
            }
            grad(m, n) = sum;
        }
    return grad;
}

Matrix gather_padded_upstream(const Matrix& upstream, Shape kernel, Shape input,
                              const ConvSpec& spec) {
    // Rows of the result: the padded input plus the dilated kernel's reach, so that a
    // "valid" correlation with the dilated kernel covers every padded input row.
    const int rows = input.rows + 2 * spec.padding.rows + spec.dilation.rows * (kernel.rows - 1);
    const int cols = input.cols + 2 * spec.padding.cols + spec.dilation.cols * (kernel.cols - 1);
    const int top = spec.dilation.rows * (kernel.rows - 1);
    const int left = spec.dilation.cols * (kernel.cols - 1);
    Matrix padded = Matrix::Zero(rows, cols);
    for (int p = 0; p < upstream.rows(); ++p)
        for (int q = 0; q < upstream.cols(); ++q)
            padded(top + spec.stride.rows * p, left + spec.stride.cols * q) = upstream(p, q);
    return padded;
}

Matrix grad_activated_gather(const Matrix& upstream, const Matrix& kernel, Shape input,
                             const ConvSpec& spec) {
    const Shape k{int(kernel.rows()), int(kernel.cols())};
    const Matrix spread = gather_padded_upstream(upstream, k, input, spec);
    // rot180 of the kernel the forward pass applied: in convolution mode the stored one.
    const Matrix rotated = rotate180(effective_kernel(kernel, spec.mode));
    const int padded_rows = input.rows + 2 * spec.padding.rows;
    const int padded_cols = input.cols + 2 * spec.padding.cols;
    Matrix grad_padded = Matrix::Zero(padded_rows, padded_cols);
    for (int r = 0; r < padded_rows; ++r)
        for (int c = 0; c < padded_cols; ++c) {
            double sum = 0;
            for (int i = 0; i < k.rows; ++i)
                for (int j = 0; j < k.cols; ++j)
                    sum += spread(r + spec.dilation.rows * i, c + spec.dilation.cols * j) *
                           rotated(i, j);
            grad_padded(r, c) = sum;
        }
    return grad_padded.block(spec.padding.rows, spec.padding.cols, input.rows, input.cols);
}

Matrix grad_kernel(const Matrix& activated_input, const Matrix& upstream, Shape kernel,
                   const ConvSpec& spec) {
    const Matrix padded = pad_zeros(activated_input, spec.padding);
    Matrix grad = Matrix::Zero(kernel.rows, kernel.cols);
    for (int i = 0; i < kernel.rows; ++i)
        for (int j = 0; j < kernel.cols; ++j) {
            double sum = 0;
            for (int p = 0; p < upstream.rows(); ++p)
                for (int q = 0; q < upstream.cols(); ++q)
                    sum += upstream(p, q) * padded(spec.stride.rows * p + spec.dilation.rows * i,
                                                   spec.stride.cols * q + spec.dilation.cols * j);
            grad(i, j) = sum;
        }
    // The loops above differentiate the kernel as applied; map back to the stored taps.
    return effective_kernel(grad, spec.mode);
}

}  // namespace convlens
