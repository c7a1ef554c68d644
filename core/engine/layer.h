// Forward and backward passes of one convolutional layer on plain matrices: the
// reference loops that every other path (and every number on screen) must agree with.
#pragma once

#include "engine/conv_spec.h"
#include "engine/matrix.h"

namespace convlens {

// a-hat: a padded with P zeros on each side.
Matrix pad_zeros(const Matrix& a, AxisPair padding);

// The kernel as the forward pass applies it at window offset (i, j): the stored kernel
// in cross-correlation mode, rot180 of it in convolution mode.
Matrix effective_kernel(const Matrix& kernel, ConvMode mode);
Matrix rotate180(const Matrix& m);

// z^{l+1}_{p,q} = sum_i sum_j a-hat_{s(p-1)+d(i-1)+1, s(q-1)+d(j-1)+1} * w_eff_{i,j}.
Matrix forward(const Matrix& activated_input, const Matrix& kernel, const ConvSpec& spec);

// dJ/da^l by the scatter form: for every input element, the sum over its influence taps
// of delta^{l+1}_{p,q} * w_{i,j}. Does not include f'(z^l).
Matrix grad_activated_scatter(const Matrix& upstream, const Matrix& kernel, Shape input,
                              const ConvSpec& spec);

// The same by the gather form: delta^{l+1} with s-1 zeros between entries, padded by
// d(k-1) (plus what the floor in Ho dropped), cross-correlated with the dilated
// rot180 of the effective kernel, cropped by P. Does not include f'(z^l).
Matrix grad_activated_gather(const Matrix& upstream, const Matrix& kernel, Shape input,
                             const ConvSpec& spec);

// The intermediate of the gather form: upstream dilated by the stride and zero-padded,
// so that a full correlation with the dilated rotated kernel gives dJ/da-hat.
Matrix gather_padded_upstream(const Matrix& upstream, Shape kernel, Shape input,
                              const ConvSpec& spec);

// dJ/dw for the kernel as stored in the scene (in convolution mode the taps are mapped
// back through the flip).
Matrix grad_kernel(const Matrix& activated_input, const Matrix& upstream, Shape kernel,
                   const ConvSpec& spec);

}  // namespace convlens
