// The gather form of delta^l, tap by tap: which stored w_{i,j} sits where in the kernel the
// gather slides, which cell of the spread and padded delta^{l+1} lies under it for an input
// element, and the two extra grids. Shared by the backward, equivalence and derivation lessons.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/conv_spec.h"
#include "engine/layer_results.h"
#include "lesson/lesson_step.h"
#include "scene/scene.h"

namespace convlens {

// The kernel the gather slides: rot180 of the kernel the forward pass applied. In
// cross-correlation mode that is rot180(w); in convolution mode the forward pass already
// flipped w, so it is w as stored.
Matrix gather_kernel(const Scene& scene);

// The stored tap w_{i,j} that sits at position (i', j') of the gather kernel, and back:
// (kh-1-i', kw-1-j') in cross-correlation mode, (i', j') itself in convolution mode. The
// mapping is its own inverse. Zero-based.
Cell stored_tap_at(Cell gather_position, Shape kernel, ConvMode mode);
Cell gather_position_of(Cell stored_tap, Shape kernel, ConvMode mode);

// Where delta^{l+1}_{p,q} lands in the padded grid: (d_r(kh-1) + s_r p, d_c(kw-1) + s_c q),
// as engine/layer.cpp's gather_padded_upstream puts it.
Cell padded_position_of(Cell upstream, Shape kernel, const ConvSpec& spec);

// The upstream cell a padded cell holds, or nullopt when it is a zero the gather form
// inserted (a stride gap or the padding around delta^{l+1}).
std::optional<Cell> upstream_at(Cell padded, Shape kernel, Shape output, const ConvSpec& spec);

// The gather window of input element (m, n): kh x kw frames d apart over the padded grid,
// the first at (m + P_r, n + P_c) (the gather runs over the padded input and crops P).
KernelWindow gather_window(Cell element, Shape kernel, const ConvSpec& spec);

// One product of the gather sum of an input element.
struct GatherTerm {
    Cell position;                  // (i', j') in the gather kernel
    Cell tap;                       // the stored w_{i,j} sitting there
    Cell padded;                    // the cell of the padded grid under it
    std::optional<Cell> upstream;   // the delta^{l+1}_{p,q} that cell holds; nullopt: inserted zero
    double weight = 0;              // w_{i,j}
    double padded_value = 0;        // the padded grid's number there (0 for an inserted zero)
    double product = 0;             // padded_value * weight
};

// The kh*kw terms of the gather sum of `element`, in row-major order of (i', j'), read off
// the padded grid `padded` (gather_padded_upstream of the results' upstream).
std::vector<GatherTerm> gather_terms(const Scene& scene, const Matrix& padded, Cell element);

// The two extra grids, both labelled from the scene's base at their top-left, so that for
// P = 0, s = d = 1 DERIVATION.md's line 6 reads right:
//   delta^l_{m,n} = sum_{i'} sum_{j'} delta-tilde_{m+i'-1, n+j'-1} rot180(w)_{i',j'}.
// In general, row r of the padded grid is where the window of row r of the padded input
// starts, so the window of z^l_{m,n} starts at (m + P_r, n + P_c) whatever the stride and
// dilation, and tap i' sits d_r(i'-1) rows further. Counting from the top-left keeps every
// label non-negative and the same in both grids' bases; labelling instead so that
// delta-tilde_{p,q} = delta^{l+1}_{p,q} would work only for s = 1 and give negative labels.
ExtraGrid rotated_kernel_grid(const Scene& scene);
ExtraGrid padded_upstream_grid(const Scene& scene, const LayerResults& results);

// TeX pieces of the gather form in the scene's base.
// "m+i'-1,n+j'-1" (base 1, P = 0, d = 1), "m+2i'-1" (d = 2, P = 1), "m+i'" (base 0).
std::string padded_index_symbolic(const ConvSpec& spec, int base);
// "\mathrm{rot180}(w)" in cross-correlation mode, "w" in convolution mode: the name of the
// kernel the gather slides.
std::string gather_kernel_symbol(ConvMode mode);
// How the window's checks name the gather form they compare with the scatter form:
// "scatter vs. gather (rotated kernel)" in cross-correlation mode; in convolution mode
// the gather slides w unrotated, and says so.
std::string scatter_gather_check_label(ConvMode mode);

}  // namespace convlens
