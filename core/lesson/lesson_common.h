// What the forward, influence and kernel-gradient lessons share: the grid the kernel reads,
// the padded input's index expressions, equation lines built from terms, a size budget.
// Internal to core/lesson.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "engine/conv_spec.h"
#include "engine/matrix.h"
#include "lesson/lesson.h"
#include "scene/scene.h"

namespace convlens {

Shape matrix_shape(const Matrix& m);
bool contains(Shape s, Cell c);

// The grid the kernel reads: a^l = f(z^l) with an activation, z^l itself without one.
GridId activated_grid(const Scene& scene);
std::string activated_symbol(const Scene& scene);         // "a^{l}" or "z^{l}"
std::string padded_activated_symbol(const Scene& scene);  // "\hat{a}^{l}" or "\hat{z}^{l}"
bool has_padding(const ConvSpec& spec);
// The grid the forward formula indexes: the padded one when there is padding. Captions
// give window rows in its indices, as the terms do.
std::string window_grid_symbol(const Scene& scene);

// The factor the kernel reads at zero-based input cell `at` (outside the input: the zero
// padding), named as the forward formula names it: "z^{l}_{2,3}" without padding, and
// with padding "\hat{a}^{l}_{3,4}", the padded grid's own index, for every cell alike,
// so that the substituted line is the general line with numbers put in.
std::string input_factor_tex(const Scene& scene, Cell at);
// "; \hat{z}^{l}_{r,c} = z^{l}_{r-1,c-1}, zero outside z^{l}" with padding, else "".
std::string padding_words(const Scene& scene);

// The layer grids a lesson shows before its own: z^l, and a^l when there is an activation.
std::vector<GridId> input_grids(const Scene& scene);

// One axis of the window geometry, rows or columns.
struct WindowAxis {
    int stride = 1;
    int padding = 0;
    int dilation = 1;
    int kernel = 1;
    ConvMode mode = ConvMode::CrossCorrelation;
};
WindowAxis row_axis(const Scene& scene);
WindowAxis col_axis(const Scene& scene);

// The zero-based input index that output `output` reads through stored tap `tap`:
// s*p + d*window_offset(tap) - P. Negative or past the end: the zero padding.
int window_input_index(const WindowAxis& axis, int output, int tap);

// The index of the padded input that output letter `output` reads through tap letter
// `tap`, in the scene's base, as the forward formula writes it: "p+i-1" (s = d = 1, base
// 1), "2(p-1)+i", "s(p-1)+d(i-1)+1", "p-i+3" (convolution: w_{i,j} sits at window offset
// kh-i+1), "2p+i" (base 0).
std::string window_index_tex(const WindowAxis& axis, char output, char tap, int base);

// The general formulas, in the scene's own geometry and index base, one per view of the
// layer; the lessons' first lines and the hover view's copied block start with them.
//   forward:  z^{l+1}_{p,q} = sum_{i=1}^{kh} sum_{j=1}^{kw} a-hat_{s(p-1)+d(i-1)+1,...} w_{i,j}
//   error:    delta^l_{m,n} = f'(z^l_{m,n}) sum_i sum_j delta^{l+1}_{(m-i)/2+1,...} w_{i,j}
//             (the engine's index maps: m-i+1 for s = d = 1, P = 0)
//   kernel:   dJ/dw_{i,j} = sum_{p=1}^{Ho} sum_{q=1}^{Wo} delta^{l+1}_{p,q} a-hat_{...}
std::string forward_general_tex(const Scene& scene);
std::string error_general_tex(const Scene& scene);
std::string kernel_gradient_general_tex(const Scene& scene, Shape output);
// "m-i+1,n-j+1": where z^l_{m,n} goes through w_{i,j}, as the engine's index maps write it.
std::string error_index_tex(const Scene& scene);

// Equation pieces "t0 + t1 + ...", one piece per term coloured like it; more than nine
// terms keep the first four and last two around "\cdots", as join_terms does.
std::vector<EquationPiece> sum_pieces(std::size_t count,
                                      const std::function<std::string(std::size_t)>& term);

// The line "prefix t0 + t1 + ... suffix" of the given kind.
EquationLine equation_line(LineKind kind, const std::string& prefix,
                           std::vector<EquationPiece> pieces, const std::string& suffix = "");
EquationLine text_line(LineKind kind, const std::string& tex);

// "1..5", "1..9 every 2nd", "3" (labels in the scene's base) for the caption.
std::string index_range_words(int first, int count, int spacing, int base);

// A lesson that would hold more than this many terms in all its steps is refused with an
// InputError rather than exhausting memory (every term is kept, as the contract asks). A
// term costs about 700 bytes with its marks and strings and 5 to 12 microseconds to
// build, and the window rebuilds a lesson after every edit: 100000 terms stay near a
// second. A 100x100 input with a 3x3 kernel (90000 terms) still walks every cell.
inline constexpr std::size_t kMaxLessonTerms = 100000;
// `remedy` ends the message: what the user can make smaller.
void check_lesson_size(LessonName name, std::size_t terms, const std::string& what,
                       const std::string& remedy = "use a smaller input or kernel");

// Done marks are one per earlier step: on grids of more than this many cells they are
// left out, since they would grow with the square of the cell count.
inline constexpr int kMaxDoneMarkCells = 1024;

// Done marks on `grid` for the cells of `walk` before `current` in row-major order: what
// the earlier steps of a lesson walking `walk` row by row have computed.
void mark_done_before(Cell current, const CellRegion& walk, GridId grid, Step& step);

// The sentence the first step of a region lesson starts with: "This lesson walks rows
// 38..42, columns 38..42 of the 128×128 input z^{l}, not every cell. ".
std::string walk_sentence(const CellRegion& walk, GridId grid, Shape shape, int base);

}  // namespace convlens
