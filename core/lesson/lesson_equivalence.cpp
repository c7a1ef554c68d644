// The equivalence lesson: for one z^l_{m,n}, the scatter terms (tap by tap, as the chain
// rule gives them) beside the gather terms (rot180(w) over the padded delta^{l+1}),
// matched one to one in the same colour, and their equal sums.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "engine/influence.h"
#include "lesson/gather_form.h"
#include "lesson/lesson_builders.h"
#include "lesson/lesson_common.h"
#include "lesson/tex.h"
#include "util/number_format.h"

namespace convlens {
namespace {

// Above this many taps only the current pair is marked, not every pair so far: the marks
// of all steps would grow with the square of the kernel's size.
constexpr int kMarkAllPairsUpTo = 81;

// The two sums are the same numbers added in another order: equal up to rounding.
bool equal_sums(double a, double b) {
    return std::abs(a - b) <= 1e-12 * std::max({1.0, std::abs(a), std::abs(b)});
}

std::string label(Cell c, int base) {
    return "(" + std::to_string(c.row + base) + "," + std::to_string(c.col + base) + ")";
}

// One tap's two faces.
struct Pair {
    InfluenceTap scatter;
    GatherTerm gather;
    std::optional<Cell> outside;    // whole output position in the zero padding ring
    std::string scatter_symbolic, scatter_numeric;
    std::string gather_symbolic, gather_numeric;
};

std::vector<Pair> pairs_of(const Scene& scene, const LayerResults& results, const Matrix& padded,
                           Cell element) {
    const int base = scene.index_base;
    const Shape kernel = matrix_shape(scene.kernel);
    const std::vector<InfluenceTap> taps = influence_taps(
        scene.kernel, results.upstream, matrix_shape(scene.input), scene.spec, element, base);
    const std::vector<GatherTerm> gathered = gather_terms(scene, padded, element);
    const AxisIndexMap row_map = row_index_map(scene.spec, kernel.rows, base);
    const AxisIndexMap col_map = col_index_map(scene.spec, kernel.cols, base);
    const std::string kernel_symbol = gather_kernel_symbol(scene.spec.mode);

    std::vector<Pair> pairs;
    for (const InfluenceTap& tap : taps) {
        Pair pair;
        pair.scatter = tap;
        const Cell position = gather_position_of(tap.tap, kernel, scene.spec.mode);
        pair.gather = gathered[size_t(position.row) * size_t(kernel.cols) + size_t(position.col)];
        const std::string w = "w" + tex_subscript(tap.tap, base);
        if (tap.output) {
            pair.scatter_symbolic = "\\delta^{l+1}" + tex_subscript(*tap.output, base) + " \\cdot " + w;
            pair.scatter_numeric = tex_factor(tap.upstream) + " \\cdot " + tex_factor(tap.weight);
        } else {
            // Outside the output or between two outputs: the index as it comes out, which
            // names no cell of delta^{l+1}; the factor there is 0.
            const int m = element.row + base, n = element.col + base;
            const int i = tap.tap.row + base, j = tap.tap.col + base;
            pair.scatter_symbolic = "\\delta^{l+1}_{" + format_number(row_map.evaluate_real(m, i)) +
                                    "," + format_number(col_map.evaluate_real(n, j)) + "} \\cdot " + w;
            pair.scatter_numeric = "0 \\cdot " + tex_factor(tap.weight);
            const std::optional<int> p = row_map.evaluate(m, i), q = col_map.evaluate(n, j);
            if (tap.reach == TapReach::ZeroPadding && p && q)
                pair.outside = Cell{*p - base, *q - base};
        }
        pair.gather_symbolic = "\\tilde{\\delta}" + tex_subscript(pair.gather.padded, base) +
                               " \\cdot " + kernel_symbol + tex_subscript(pair.gather.position, base);
        pair.gather_numeric =
            tex_factor(pair.gather.padded_value) + " \\cdot " + tex_factor(pair.gather.weight);
        pairs.push_back(std::move(pair));
    }
    return pairs;
}

void mark_pair(const Pair& pair, int term, Step& step) {
    step.marks.push_back({GridId::Kernel, pair.scatter.tap, MarkRole::Term, term});
    if (pair.scatter.output)
        step.marks.push_back({GridId::Upstream, *pair.scatter.output, MarkRole::Term, term});
    else if (pair.outside)
        step.marks.push_back({GridId::Upstream, *pair.outside, MarkRole::Padding, term});
    step.marks.push_back({GridId::RotatedKernel, pair.gather.position, MarkRole::Term, term});
    step.marks.push_back({GridId::PaddedUpstream, pair.gather.padded,
                          pair.gather.upstream ? MarkRole::Term : MarkRole::Padding, term});
}

std::string general_tex(const Scene& scene) {
    const int base = scene.index_base;
    const Shape kernel = matrix_shape(scene.kernel);
    return "\\sum_{i} \\sum_{j} \\delta^{l+1}_{" +
           row_index_map(scene.spec, kernel.rows, base).symbolic() + "," +
           col_index_map(scene.spec, kernel.cols, base).symbolic() +
           "} \\cdot w_{i,j} = \\sum_{i'} \\sum_{j'} \\tilde{\\delta}_{" +
           padded_index_symbolic(scene.spec, base) + "} \\cdot " +
           gather_kernel_symbol(scene.spec.mode) + "_{i',j'}";
}

// The four lines that show the first `count` pairs: both sums written out, then in numbers.
void sum_lines(const std::vector<Pair>& pairs, size_t count, Step& step) {
    double scatter = 0, gather = 0;
    for (size_t k = 0; k < count; ++k) {
        scatter += pairs[k].scatter.product;
        gather += pairs[k].gather.product;
    }
    step.equation.push_back(equation_line(
        LineKind::Substituted, "\\text{scatter: }",
        sum_pieces(count, [&](size_t k) { return pairs[k].scatter_symbolic; })));
    step.equation.push_back(equation_line(
        LineKind::Substituted, "\\text{gather: }",
        sum_pieces(count, [&](size_t k) { return pairs[k].gather_symbolic; })));
    step.equation.push_back(equation_line(
        LineKind::Values, "\\text{scatter: }",
        sum_pieces(count, [&](size_t k) { return pairs[k].scatter_numeric; }),
        " = " + format_number(scatter)));
    step.equation.push_back(equation_line(
        LineKind::Values, "\\text{gather: }",
        sum_pieces(count, [&](size_t k) { return pairs[k].gather_numeric; }),
        " = " + format_number(gather)));
}

// What every step shows: the element, the gather window over it, the identity itself.
Step base_step(const Scene& scene, Cell element) {
    Step step;
    step.about = Focus{GridId::Input, element};
    step.window = gather_window(element, matrix_shape(scene.kernel), scene.spec);
    step.marks.push_back({GridId::Input, element, MarkRole::Focus, -1});
    step.equation.push_back(text_line(LineKind::General, general_tex(scene)));
    step.filling = {GridId::GradInput};
    return step;
}

// The step's terms are the scatter faces; the gather faces are in the equation lines.
Term scatter_term(const Pair& pair) {
    Term t;
    t.symbolic = pair.scatter_symbolic;
    t.numeric = pair.scatter_numeric;
    t.value = pair.scatter.product;
    t.padding = pair.scatter.reach != TapReach::Inside;
    return t;
}

}  // namespace

Lesson build_equivalence(const Scene& scene, const LayerResults& results, Cell cell) {
    const int base = scene.index_base;
    const size_t taps = size_t(scene.kernel.size());
    check_lesson_size(LessonName::Equivalence, taps * (taps + 1) / 2 + taps,
                      "one step per kernel tap");
    Lesson lesson;
    lesson.name = LessonName::Equivalence;
    lesson.cell = cell;
    lesson.grids = {GridId::Input,         GridId::Kernel,         GridId::Upstream,
                    GridId::RotatedKernel, GridId::PaddedUpstream, GridId::GradInput};
    lesson.extra_grids = {rotated_kernel_grid(scene), padded_upstream_grid(scene, results)};
    const std::vector<Pair> pairs = pairs_of(scene, results, lesson.extra_grids[1].values, cell);
    const bool mark_all = int(taps) <= kMarkAllPairsUpTo;
    const bool convolution = scene.spec.mode == ConvMode::Convolution;

    for (size_t k = 0; k < pairs.size(); ++k) {
        const Pair& pair = pairs[k];
        Step step = base_step(scene, cell);
        const std::string where =
            pair.scatter.output ? "reaches output " + label(*pair.scatter.output, base)
            : pair.scatter.reach == TapReach::StrideGap ? "falls between two outputs, so its term is 0"
                                                        : "lands in the zero padding, so its term is 0";
        step.caption = "Tap " + label(pair.scatter.tap, base) + " of w " + where +
                       "; in the gather it sits at " + label(pair.gather.position, base) +
                       (convolution ? " of w as stored" : " of the turned kernel") +
                       ", over cell " + label(pair.gather.padded, base) +
                       " of the padded error: the same product.";
        for (size_t k2 = mark_all ? 0 : k; k2 <= k; ++k2) mark_pair(pairs[k2], int(k2), step);
        step.links.push_back({GridId::Kernel, pair.scatter.tap, GridId::RotatedKernel,
                              pair.gather.position, int(k), false});
        if (pair.scatter.output)
            step.links.push_back({GridId::Upstream, *pair.scatter.output, GridId::PaddedUpstream,
                                  pair.gather.padded, int(k), false});
        for (size_t k2 = 0; k2 <= k; ++k2) step.terms.push_back(scatter_term(pairs[k2]));
        sum_lines(pairs, k + 1, step);
        step.readouts = {
            {"\\text{scatter term}", pair.scatter.product, true},
            {"\\text{gather term}", pair.gather.product,
             equal_sums(pair.scatter.product, pair.gather.product)},
        };
        lesson.steps.push_back(std::move(step));
    }

    // Both whole sums, times f'(z^l_{m,n}): delta^l_{m,n} twice.
    Step last = base_step(scene, cell);
    double scatter = 0, gather = 0;
    for (size_t k = 0; k < pairs.size(); ++k) {
        if (mark_all) mark_pair(pairs[k], int(k), last);
        scatter += pairs[k].scatter.product;
        gather += pairs[k].gather.product;
        last.terms.push_back(scatter_term(pairs[k]));
    }
    last.marks.push_back({GridId::GradInput, cell, MarkRole::Result, -1});
    sum_lines(pairs, pairs.size(), last);
    const double slope = results.activation_slope(cell.row, cell.col);
    const double value = results.grad_input(cell.row, cell.col);
    last.equation.push_back(text_line(
        LineKind::Sum, "\\delta^{l}" + tex_subscript(cell, base) + " = f'(z^{l}" +
                           tex_subscript(cell, base) + ") \\cdot " + tex_factor(scatter) + " = " +
                           tex_factor(slope) + " \\cdot " + tex_factor(scatter) + " = " +
                           format_number(value)));
    const double scatter_value = slope * scatter, gather_value = slope * gather;
    const bool agree = equal_sums(scatter_value, gather_value);
    last.readouts = {{"\\text{scatter}", scatter_value, agree},
                     {"\\text{gather}", gather_value, agree}};
    last.caption = "Every tap matched one to one: the scatter sum and the gather sum are the "
                   "same products in another order" +
                   std::string(scene.activation != Activation::Identity
                                   ? ", and both are multiplied by the slope of the activation."
                                   : ".");
    last.value = value;
    lesson.steps.push_back(std::move(last));
    return lesson;
}

}  // namespace convlens
