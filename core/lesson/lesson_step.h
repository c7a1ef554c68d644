// The lesson step: the one contract between core/lesson, which builds steps from the
// engine's numbers, and core/canvas, which draws a step over grids laid out once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/matrix.h"

namespace convlens {

// Every grid the canvas can show, and the hit-test answer. The first seven are the
// layer's own; the last two are the gather form's intermediates, which lessons add.
enum class GridId {
    Input,           // z^l
    Activated,       // a^l = f(z^l)
    Kernel,          // w
    Output,          // z^{l+1}
    Upstream,        // delta^{l+1}
    GradInput,       // delta^l
    GradKernel,      // dJ/dw
    RotatedKernel,   // rot180(w): what the gather form slides (w itself in convolution mode)
    PaddedUpstream,  // delta^{l+1} spread by the stride and padded with zeros (delta-tilde)
};

// Grids whose cells share one set of indices: z^l, a^l and delta^l (0); z^{l+1} and
// delta^{l+1} (1); w and dJ/dw (2). The gather form's grids have indices of their own (-1).
inline int cell_family(GridId grid) {
    switch (grid) {
        case GridId::Input:
        case GridId::Activated:
        case GridId::GradInput: return 0;
        case GridId::Output:
        case GridId::Upstream: return 1;
        case GridId::Kernel:
        case GridId::GradKernel: return 2;
        case GridId::RotatedKernel:
        case GridId::PaddedUpstream: return -1;
    }
    return -1;
}

// What the user hovers, selected or a lesson is about. Input, Activated and GradInput
// name z^l_{m,n}; Output and Upstream the output cell (p,q); Kernel and GradKernel the
// tap (i,j). Cells are zero-based here and everywhere in core.
struct Focus {
    GridId grid = GridId::Input;
    Cell cell;
    friend bool operator==(const Focus&, const Focus&) = default;
};

// A grid a lesson adds to the layer's own, with its own numbers, title and indices.
struct ExtraGrid {
    GridId id = GridId::RotatedKernel;
    Matrix values;
    std::string title_tex;             // "\mathrm{rot180}(w)", "\tilde{\delta}^{l+1}"
    std::string caption;               // "w turned by 180°, 3×3"
    Cell first_index;                  // the labels of row 0 and column 0, as printed
    // Row-major, values.size() entries: 1 where the cell is a zero the gather form
    // inserted (padding or stride gap), drawn like the zero padding of other grids.
    std::vector<unsigned char> inserted_zero;
    bool is_inserted(Cell c) const {
        const auto k = static_cast<size_t>(c.row) * static_cast<size_t>(values.cols()) +
                       static_cast<size_t>(c.col);
        return c.row >= 0 && c.col >= 0 && c.row < values.rows() && c.col < values.cols() &&
               k < inserted_zero.size() && inserted_zero[k] != 0;
    }
};

// How a marked cell takes part in a step.
enum class MarkRole {
    Focus,    // what the step is about: z^l_{m,n}, z^{l+1}_{p,q}, w_{i,j}
    Window,   // under the kernel window, not (yet) a term
    Term,     // a factor of term `term` of the step's sum, drawn in that term's colour
    Padding,  // a factor that is an inserted or padding zero (or a stride gap): term is 0
    Result,   // where the step's sum lands
    Done,     // computed by an earlier step of the lesson
};

// A cell of a grid, possibly outside it (the zero padding ring around it).
struct Mark {
    GridId grid = GridId::Input;
    Cell cell;
    MarkRole role = MarkRole::Term;
    int term = -1;                     // index into Step::terms, or -1
};

// Many marks of one role at once: the rows x cols cells `spacing` apart from `first` (a
// kernel tap's partners: every output cell, and the input elements under the tap, s apart
// at stride s). The canvas draws a block as it would draw its cells as marks one by one,
// without a quarter of a million Marks at 512 x 512.
struct MarkBlock {
    GridId grid = GridId::Input;
    Cell first;
    Cell spacing{1, 1};
    int rows = 0, cols = 0;
    MarkRole role = MarkRole::Window;
    int term = -1;
    long long count() const { return rows > 0 && cols > 0 ? static_cast<long long>(rows) * cols : 0; }
    // Its k-th cell, row by row (k < count()), and its last one.
    Cell at(long long k) const {
        const int r = static_cast<int>(k / cols), c = static_cast<int>(k % cols);
        return {first.row + r * spacing.row, first.col + c * spacing.col};
    }
    Cell last() const { return at(count() - 1); }
    bool contains(Cell c) const {
        const int dr = c.row - first.row, dc = c.col - first.col;
        return count() > 0 && spacing.row > 0 && spacing.col > 0 && dr >= 0 && dc >= 0 && dr % spacing.row == 0 && dc % spacing.col == 0 &&
               dr / spacing.row < rows && dc / spacing.col < cols;
    }
    // The block as marks, one per cell, row by row.
    Mark mark(long long k) const { return {grid, at(k), role, term}; }
};

// An arrow from one cell to another (z^l_{m,n} feeding z^{l+1}_{p,q} through a tap).
struct Link {
    GridId from_grid = GridId::Input;
    Cell from;
    GridId to_grid = GridId::Output;
    Cell to;
    int term = -1;                     // coloured like that term; -1: the neutral colour
    bool dashed = false;               // reaches no output (zero padding, stride gap)
};

// A label in a cell's corner, such as the tap w_{i,j} that carries z^l_{m,n} there.
struct Tag {
    GridId grid = GridId::Output;
    Cell cell;
    std::string tex;
};

// A cell-sized chip that carries a value and its name across the canvas: the taps of w
// turning into rot180(w). Tokens with the same key in two steps are the same chip; the
// canvas moves it from its place in one to its place in the other.
struct Token {
    std::string key;                   // "w1,1": stable across steps
    GridId grid = GridId::RotatedKernel;
    Cell cell;
    std::string value_tex;             // the number it carries
    std::string tag_tex;               // its name, "w_{1,1}"
    bool turns = false;                // reaches its next place by turning about the
                                       // grid's centre (rot180), not in a straight line
};

// The kernel window over a grid: rows x cols frames `spacing` cells apart (the dilation),
// the first one at `origin`, which may lie in the grid's padding (negative). The canvas
// glides it between two steps instead of letting it jump.
struct KernelWindow {
    GridId grid = GridId::Input;
    Cell origin;
    Cell spacing{1, 1};
    int rows = 1, cols = 1;
};

// One term of the step's sum, e.g. delta^{l+1}_{2,1} * w_{2,2} = 2 * 1.
struct Term {
    std::string symbolic;              // "\delta^{l+1}_{2,1} \cdot w_{2,2}"
    std::string numeric;               // "2 \cdot 1"
    double value = 0;                  // 2
    bool padding = false;              // a factor is an inserted zero: shown as 0, marked
};

// The rows of a step's equation panel, in this order when present.
enum class LineKind {
    General,      // symbolic indices: delta^l_{m,n} = sum_i sum_j delta^{l+1}_{m-i+1,n-j+1} w_{i,j}
    Substituted,  // the indices substituted: = delta^{l+1}_{3,2} w_{1,1} + ...
    Values,       // the numbers: = 1 * 1 + (-2) * 0 + ...
    Sum,          // the sum: = 4 (always the last line of a step that finishes a sum)
    Text,         // a sentence (the derivation's verdicts)
};

// A piece of an equation line; pieces with a term index are coloured like that term.
struct EquationPiece {
    std::string tex;
    int term = -1;
};

struct EquationLine {
    LineKind kind = LineKind::Text;
    std::vector<EquationPiece> pieces;
    std::string tex() const {          // the pieces joined: what "Copy as LaTeX" copies
        std::string s;
        for (const EquationPiece& p : pieces) s += p.tex;
        return s;
    }
};

enum class Verdict { None, Correct, Wrong };

// A number shown beside the grids (the derivation's four values, the two sums of the
// equivalence lesson), with whether it agrees with the engine's delta^l.
struct Readout {
    std::string label_tex;             // "\text{chain rule}"
    double value = 0;
    bool agrees = true;
};

struct Step {
    std::string caption;               // one sentence: what happens in this step
    std::optional<Focus> about;        // the cell the step is about (explain's --cell)
    std::vector<Mark> marks;
    std::vector<MarkBlock> mark_blocks;  // marks by the block; drawn as if listed in `marks`
    std::vector<Link> links;
    std::vector<Tag> tags;
    std::vector<Token> tokens;
    std::optional<KernelWindow> window;
    std::vector<Term> terms;
    std::vector<EquationLine> equation;
    std::optional<double> value;       // the sum this step finishes, when it finishes one
    // Grids whose numbers are not drawn in this step (tokens carry them, or they are yet
    // to be computed), and extra grids whose inserted zeros are not drawn yet: the canvas
    // fades both in when the next step shows them.
    std::vector<GridId> hidden_values;
    std::vector<GridId> hidden_inserted_zeros;
    // Grids whose cells show only what earlier steps computed (the Done marks) plus this
    // step's Result: the lesson fills the grid as it goes.
    std::vector<GridId> filling;
    Verdict verdict = Verdict::None;   // the derivation lesson's lines
    std::string reason;                // why the verdict
    std::vector<Readout> readouts;
};

}  // namespace convlens
