// The influence lesson step: given what the user points at (an input element, an output
// cell or a kernel tap), which cells light up, which arrows are drawn, and the table of
// terms whose sum is delta^l_{m,n}. Computes from the engine; draws nothing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/influence.h"
#include "engine/layer_results.h"
#include "lesson/lesson_step.h"
#include "scene/scene.h"

namespace convlens {

// One row of the influence table, with everything already formatted in the scene's base.
struct InfluenceRow {
    InfluenceTap tap;
    std::string tap_label;       // "(2,1)"
    std::string formula;         // "m-i+1, n-j+1"
    std::string substituted;     // "3-2+1 = 2, 3-1+1 = 3"  or  "(4-1+0)/2+1 = 2.5 (not whole)"
    std::string output_label;    // "(2,3)" or "outside: zero padding" / "between outputs: stride"
    // Zero-based (p, q) whenever both indices are whole: the output cell when the tap is
    // inside, else its place in the zero padding around the output (negative or past the
    // end). nullopt for a stride gap, which has no cell at all.
    std::optional<Cell> output_position;
};

// The (input element, output cell) pairs that use a kernel tap: the output cells whose
// window puts the tap inside the input form a rectangle (rows x cols from first_output),
// and their elements a lattice the stride apart (from first_input). Held as that block,
// not listed: a tap of a 512 x 512 layer pairs a quarter of a million cells. Pairs count
// row by row over the outputs; iterating gives (element, output) pairs by value.
struct TapPairs {
    Cell first_input;
    Cell first_output;
    Cell input_spacing{1, 1};  // the stride
    int rows = 0, cols = 0;
    std::size_t size() const {
        return rows > 0 && cols > 0 ? static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols) : 0;
    }
    bool empty() const { return size() == 0; }
    std::pair<Cell, Cell> operator[](std::size_t k) const {
        const int r = static_cast<int>(k / static_cast<std::size_t>(cols));
        const int c = static_cast<int>(k % static_cast<std::size_t>(cols));
        return {{first_input.row + r * input_spacing.row, first_input.col + c * input_spacing.col},
                {first_output.row + r, first_output.col + c}};
    }
    // The input elements and the output cells, each as one block of marks.
    MarkBlock inputs(GridId grid, MarkRole role) const {
        return {grid, first_input, input_spacing, rows, cols, role, -1};
    }
    MarkBlock outputs(GridId grid, MarkRole role) const {
        return {grid, first_output, {1, 1}, rows, cols, role, -1};
    }

    class iterator {
    public:
        using value_type = std::pair<Cell, Cell>;
        using difference_type = std::ptrdiff_t;
        iterator() = default;
        iterator(const TapPairs* pairs, std::size_t k) : pairs_(pairs), k_(k) {}
        value_type operator*() const { return (*pairs_)[k_]; }
        iterator& operator++() { return ++k_, *this; }
        iterator operator++(int) { iterator old = *this; ++k_; return old; }
        friend bool operator==(const iterator& a, const iterator& b) { return a.k_ == b.k_; }

    private:
        const TapPairs* pairs_ = nullptr;
        std::size_t k_ = 0;
    };
    iterator begin() const { return {this, 0}; }
    iterator end() const { return {this, size()}; }
};

struct InfluenceView {
    std::optional<Focus> focus;
    // Input element focus: z^l_{m,n} and its taps.
    std::vector<InfluenceRow> rows;
    double sum = 0;              // sum of delta^{l+1} * w over the rows that reach an output
    double slope = 1;            // f'(z^l_{m,n})
    double grad_input = 0;       // slope * sum, equal to results.grad_input(m,n)
    // Cells to light up, zero-based; output cells may include ones outside the output
    // grid (taps into the zero padding), which the canvas draws in a padding ring.
    //   input focus:  input {m,n}; output = every row's output_position; kernel = the
    //                 taps that reach an output (Inside)
    //   output focus: input = the receptive field inside the input; output {p,q};
    //                 kernel = all taps
    //   kernel focus: kernel {i,j}; input and output stay empty: tap_pairs holds them
    std::vector<Cell> input_cells;
    std::vector<Cell> output_cells;
    std::vector<Cell> kernel_taps;
    // Output focus: for each tap (i, j) whose window position lies inside the input, the
    // pair (input element, tap): the terms of z^{l+1}_{p,q}. Taps over the padding add 0.
    std::vector<std::pair<Cell, Cell>> field_pairs;
    // Kernel-tap focus: every (input element, output cell) pair that uses the tap, as a
    // block; tap_sum is their sum of delta^{l+1}_{p,q} * a^l_{m,n}, the engine's dJ/dw_{i,j}.
    TapPairs tap_pairs;
    double tap_sum = 0;
    // The expanded equation, TeX-like source with numbers, e.g.
    // "\delta^{l}_{3,2} = \delta^{l+1}_{2,1} \cdot w_{2,2} + ... = 1 \cdot 2 + ... = 4".
    // Its parts are joined by " = " (the canvas breaks lines there); long sums keep their
    // first and last terms around "\cdots". Empty without a focus.
    std::string equation_tex;
    // The same chain as a LaTeX aligned block, what Copy as LaTeX gives: the general
    // formula in the scene's geometry, the indices substituted, the values, the value,
    // one line each, aligned at the '='. Empty without a focus.
    std::string equation_latex;
};

// A focus outside its grid (or results that do not match the scene) gives an empty view
// with no focus; never throws for a focus.
InfluenceView influence_view(const Scene& scene, const LayerResults& results,
                             std::optional<Focus> focus);

// What the influence panel says before anything is pointed at: where z^l_{m,n} goes and
// the sum delta^l_{m,n} is, with the scene's own index expressions ((m-i)/2+1 at stride 2),
// TeX-like source, one string a line.
std::vector<std::string> influence_introduction_tex(const Scene& scene);

// "(3,2)" in the scene's index base.
std::string index_label(Cell c, int base);

}  // namespace convlens
