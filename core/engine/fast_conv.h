// The fast engine: the same three passes as layer.h (forward, dJ/da^l, dJ/dw), computed by
// vectorised direct correlation on row blocks, spread over threads, for photographs.
//
// Same mathematics as the reference loops in layer.h (stride, padding, dilation, both
// modes, per axis); only the order of the additions differs (and fused multiply-adds are
// used where the processor has them), so results agree to about 1e-15 relative to the sum
// of the magnitudes of the terms, not bit for bit. The reference loops stay what the tests
// trust; tests/unit/fast_conv_test.cpp holds this file to them on random scenes.
//
// The hot loops are compiled several times (AVX-512, AVX2+FMA, baseline x86-64) and the
// processor picks one when the program starts: the binary stays portable.
#pragma once

#include "engine/conv_spec.h"
#include "engine/matrix.h"

namespace convlens {

// threads: how many threads may work on one pass; 0 = every hardware thread, 1 = only
// the calling thread. Small layers use one thread whatever is asked (starting others
// would cost more than the pass).

// z^{l+1}: as forward() in layer.h.
Matrix fast_forward(const Matrix& activated_input, const Matrix& kernel, const ConvSpec& spec,
                    int threads = 0);

// dJ/da^l (without f'(z^l)): as grad_activated_gather() in layer.h, the full correlation
// of the stride-spread, zero-padded upstream with the rotated kernel, cropped by P; but
// with stride s > 1 the inserted zeros are never multiplied: the elements are split into
// s_h*s_w phases by their index mod s, and each phase is a dense correlation of the
// upstream itself with the taps that meet real values (about 1/(s_h*s_w) of the kernel).
Matrix fast_grad_activated(const Matrix& upstream, const Matrix& kernel, Shape input,
                           const ConvSpec& spec, int threads = 0);

// dJ/dw for the stored kernel: as grad_kernel() in layer.h. The sum over output rows is
// split into fixed blocks of rows added in order, so the result does not depend on the
// number of threads. The input must be finite (every validated scene's is): rows are read
// in place, a few values past a row's end multiplied by zero, and inf * 0 would be NaN.
Matrix fast_grad_kernel(const Matrix& activated_input, const Matrix& upstream, Shape kernel,
                        const ConvSpec& spec, int threads = 0);

// The same three, writing into matrices the caller keeps between calls (resized when their
// shape differs): a pass over a photograph then allocates nothing, and its time is the
// arithmetic's rather than the page faults of fresh megabytes.
void fast_forward_into(const Matrix& activated_input, const Matrix& kernel, const ConvSpec& spec,
                       Matrix* output, int threads = 0);
void fast_grad_activated_into(const Matrix& upstream, const Matrix& kernel, Shape input,
                              const ConvSpec& spec, Matrix* grad, int threads = 0);
void fast_grad_kernel_into(const Matrix& activated_input, const Matrix& upstream, Shape kernel,
                           const ConvSpec& spec, Matrix* grad, int threads = 0);

// Whether compute_layer takes the fast path: output cells times kernel taps of at least
// this many. Smaller layers (every lesson-sized grid) keep the reference loops, whose
// numbers the lessons print and the hand-worked tests check exactly.
inline constexpr long kFastPathMinWork = 1L << 16;
long layer_work(Shape input, Shape kernel, const ConvSpec& spec);  // Ho*Wo*kh*kw

}  // namespace convlens
