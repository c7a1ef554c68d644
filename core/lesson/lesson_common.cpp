#include "lesson/lesson_common.h"

#include <cstdlib>
#include <utility>

#include "engine/influence.h"
#include "lesson/lesson_region.h"
#include "lesson/tex.h"

namespace convlens {

namespace {

// "+3", "-2", "" for 0: a constant appended to an index expression.
std::string signed_constant(int value) {
    if (value == 0) return "";
    return (value > 0 ? "+" : "-") + std::to_string(std::abs(value));
}

// "2" before a parenthesis or letter, nothing for a coefficient of 1.
std::string coefficient(int value) { return value == 1 ? "" : std::to_string(value); }

}  // namespace

Shape matrix_shape(const Matrix& m) {
    return Shape{static_cast<int>(m.rows()), static_cast<int>(m.cols())};
}

bool contains(Shape s, Cell c) {
    return c.row >= 0 && c.col >= 0 && c.row < s.rows && c.col < s.cols;
}

GridId activated_grid(const Scene& scene) {
    return scene.activation == Activation::Identity ? GridId::Input : GridId::Activated;
}

std::string activated_symbol(const Scene& scene) {
    return scene.activation == Activation::Identity ? "z^{l}" : "a^{l}";
}

std::string padded_activated_symbol(const Scene& scene) {
    return scene.activation == Activation::Identity ? "\\hat{z}^{l}" : "\\hat{a}^{l}";
}

bool has_padding(const ConvSpec& spec) { return spec.padding.rows > 0 || spec.padding.cols > 0; }

std::string window_grid_symbol(const Scene& scene) {
    return has_padding(scene.spec) ? padded_activated_symbol(scene) : activated_symbol(scene);
}

std::string input_factor_tex(const Scene& scene, Cell at) {
    const ConvSpec& spec = scene.spec;
    if (!has_padding(spec)) return activated_symbol(scene) + tex_subscript(at, scene.index_base);
    return padded_activated_symbol(scene) +
           tex_subscript({at.row + spec.padding.rows, at.col + spec.padding.cols}, scene.index_base);
}

std::string padding_words(const Scene& scene) {
    const ConvSpec& spec = scene.spec;
    if (!has_padding(spec)) return "";
    auto shifted = [](char letter, int padding) {
        return std::string(1, letter) + signed_constant(-padding);
    };
    return "; " + padded_activated_symbol(scene) + "_{r,c} = " + activated_symbol(scene) + "_{" +
           shifted('r', spec.padding.rows) + "," + shifted('c', spec.padding.cols) +
           "}, zero outside " + activated_symbol(scene);
}

std::vector<GridId> input_grids(const Scene& scene) {
    if (scene.activation == Activation::Identity) return {GridId::Input};
    return {GridId::Input, GridId::Activated};
}

WindowAxis row_axis(const Scene& scene) {
    const ConvSpec& s = scene.spec;
    return {s.stride.rows, s.padding.rows, s.dilation.rows, static_cast<int>(scene.kernel.rows()),
            s.mode};
}

WindowAxis col_axis(const Scene& scene) {
    const ConvSpec& s = scene.spec;
    return {s.stride.cols, s.padding.cols, s.dilation.cols, static_cast<int>(scene.kernel.cols()),
            s.mode};
}

int window_input_index(const WindowAxis& axis, int output, int tap) {
    return axis.stride * output + axis.dilation * window_offset(tap, axis.kernel, axis.mode) -
           axis.padding;
}

std::string window_index_tex(const WindowAxis& axis, char output, char tap, int base) {
    const std::string p(1, output), i(1, tap);
    const int s = axis.stride, d = axis.dilation, k = axis.kernel;
    const bool conv = axis.mode == ConvMode::Convolution;
    // Zero-based: index = s*p + d*o with o = i (correlation) or k-1-i (convolution); in
    // base 1 every letter is one more, so index-1 = s(p-1) + d*o(i-1). Written the way
    // the textbook writes it, with the coefficients of 1 and cancelling constants gone.
    if (base == 1) {
        if (!conv) {
            if (s == 1 && d == 1) return p + "+" + i + "-1";
            if (s == 1) return p + "+" + coefficient(d) + "(" + i + "-1)";
            if (d == 1) return coefficient(s) + "(" + p + "-1)+" + i;
            return coefficient(s) + "(" + p + "-1)+" + coefficient(d) + "(" + i + "-1)+1";
        }
        const std::string flipped = "(" + std::to_string(k) + "-" + i + ")";
        if (s == 1 && d == 1) return p + "-" + i + signed_constant(k);
        if (s == 1) return p + "+" + coefficient(d) + flipped;
        if (d == 1) return coefficient(s) + "(" + p + "-1)-" + i + signed_constant(k + 1);
        return coefficient(s) + "(" + p + "-1)+" + coefficient(d) + flipped + "+1";
    }
    if (!conv) return coefficient(s) + p + "+" + coefficient(d) + i;
    if (d == 1) return coefficient(s) + p + "-" + i + signed_constant(k - 1);
    return coefficient(s) + p + "+" + coefficient(d) + "(" + std::to_string(k - 1) + "-" + i + ")";
}

std::vector<EquationPiece> sum_pieces(std::size_t count,
                                      const std::function<std::string(std::size_t)>& term) {
    constexpr std::size_t kAllUpTo = 9, kHead = 4, kTail = 2;
    std::vector<EquationPiece> pieces;
    if (count == 0) {
        pieces.push_back({"0", -1});
        return pieces;
    }
    auto add = [&](std::string tex, int index) {
        if (!pieces.empty()) pieces.push_back({" + ", -1});
        pieces.push_back({std::move(tex), index});
    };
    if (count <= kAllUpTo) {
        for (std::size_t k = 0; k < count; ++k) add(term(k), static_cast<int>(k));
        return pieces;
    }
    for (std::size_t k = 0; k < kHead; ++k) add(term(k), static_cast<int>(k));
    add("\\cdots", -1);
    for (std::size_t k = count - kTail; k < count; ++k) add(term(k), static_cast<int>(k));
    return pieces;
}

EquationLine equation_line(LineKind kind, const std::string& prefix,
                           std::vector<EquationPiece> pieces, const std::string& suffix) {
    EquationLine line;
    line.kind = kind;
    if (!prefix.empty()) line.pieces.push_back({prefix, -1});
    for (EquationPiece& piece : pieces) line.pieces.push_back(std::move(piece));
    if (!suffix.empty()) line.pieces.push_back({suffix, -1});
    return line;
}

EquationLine text_line(LineKind kind, const std::string& tex) {
    EquationLine line;
    line.kind = kind;
    line.pieces.push_back({tex, -1});
    return line;
}

std::string index_range_words(int first, int count, int spacing, int base) {
    const int from = first + base;
    if (count <= 1) return std::to_string(from);
    const int to = from + spacing * (count - 1);
    std::string words = std::to_string(from) + ".." + std::to_string(to);
    if (spacing == 2) return words + " every 2nd";
    if (spacing == 3) return words + " every 3rd";
    if (spacing > 3) return words + " every " + std::to_string(spacing) + "th";
    return words;
}

void check_lesson_size(LessonName name, std::size_t terms, const std::string& what,
                       const std::string& remedy) {
    if (terms <= kMaxLessonTerms) return;
    throw InputError(std::string("lesson ") + lesson_name(name) + ": " + what + " would hold " +
                     std::to_string(terms) + " terms, more than the " +
                     std::to_string(kMaxLessonTerms) + " a lesson keeps; " + remedy);
}

void mark_done_before(Cell current, const CellRegion& walk, GridId grid, Step& step) {
    for (int r = walk.first.row; r <= current.row; ++r)
        for (int c = walk.first.col; c <= walk.last.col && (r < current.row || c < current.col); ++c)
            step.marks.push_back({grid, {r, c}, MarkRole::Done, -1});
}

std::string walk_sentence(const CellRegion& walk, GridId grid, Shape shape, int base) {
    return "This lesson walks rows " + index_range_words(walk.first.row, walk.rows(), 1, base) +
           ", columns " + index_range_words(walk.first.col, walk.cols(), 1, base) + " of the " +
           std::to_string(shape.rows) + "×" + std::to_string(shape.cols) + " " +
           region_grid_words(grid) + ", not every cell. ";
}

namespace {

// "\sum_{i=1}^{3} \sum_{j=1}^{3}" in the scene's base.
std::string double_sum(char row, char col, int rows, int cols, int base) {
    return std::string("\\sum_{") + row + "=" + std::to_string(base) + "}^{" +
           std::to_string(rows - 1 + base) + "} \\sum_{" + col + "=" + std::to_string(base) +
           "}^{" + std::to_string(cols - 1 + base) + "}";
}

std::string window_input_tex(const Scene& scene) {
    const int base = scene.index_base;
    const std::string input =
        has_padding(scene.spec) ? padded_activated_symbol(scene) : activated_symbol(scene);
    return input + "_{" + window_index_tex(row_axis(scene), 'p', 'i', base) + "," +
           window_index_tex(col_axis(scene), 'q', 'j', base) + "}";
}

}  // namespace

std::string forward_general_tex(const Scene& scene) {
    return "z^{l+1}_{p,q} = " +
           double_sum('i', 'j', int(scene.kernel.rows()), int(scene.kernel.cols()), scene.index_base) +
           " " + window_input_tex(scene) + " \\cdot w_{i,j}";
}

std::string error_index_tex(const Scene& scene) {
    return row_index_map(scene.spec, int(scene.kernel.rows()), scene.index_base).symbolic() + "," +
           col_index_map(scene.spec, int(scene.kernel.cols()), scene.index_base).symbolic();
}

std::string error_general_tex(const Scene& scene) {
    return "\\delta^{l}_{m,n} = f'(z^{l}_{m,n}) " +
           double_sum('i', 'j', int(scene.kernel.rows()), int(scene.kernel.cols()), scene.index_base) +
           " \\delta^{l+1}_{" + error_index_tex(scene) + "} \\cdot w_{i,j}";
}

std::string kernel_gradient_general_tex(const Scene& scene, Shape output) {
    return "\\partial J / \\partial w_{i,j} = " +
           double_sum('p', 'q', output.rows, output.cols, scene.index_base) +
           " \\delta^{l+1}_{p,q} \\cdot " + window_input_tex(scene);
}

}  // namespace convlens
