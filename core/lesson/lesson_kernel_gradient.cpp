// The kernel-gradient lesson: one step per tap w_{i,j}, delta^{l+1} sliding over the
// (padded) input as if it were the kernel, each product delta * a, and their sum dJ/dw_{i,j}.
#include <string>
#include <vector>

#include "engine/influence.h"
#include "lesson/lesson_builders.h"
#include "lesson/lesson_common.h"
#include "lesson/lesson_region.h"
#include "lesson/tex.h"
#include "util/number_format.h"

namespace convlens {
namespace {

// The sum of dJ/dw_{i,j} over the output positions of `walk`: all of them (`partial` false),
// or a region of a big output, whose partial sum the step writes beside the whole one.
Step tap_step(const Scene& scene, const LayerResults& results, Cell tap,
              const EquationLine& general, const CellRegion& walk, bool partial) {
    const int base = scene.index_base;
    const WindowAxis rows = row_axis(scene), cols = col_axis(scene);
    const Shape input_shape = matrix_shape(scene.input);
    const Shape out = matrix_shape(results.upstream);
    const GridId a_grid = activated_grid(scene);
    const Cell offset{window_offset(tap.row, rows.kernel, rows.mode),
                      window_offset(tap.col, cols.kernel, cols.mode)};

    Step step;
    step.about = Focus{GridId::GradKernel, tap};
    // delta^{l+1} as the window: its cell (p,q) sits over input s*p + d*offset - P.
    step.window = KernelWindow{a_grid,
                               {window_input_index(rows, walk.first.row, tap.row),
                                window_input_index(cols, walk.first.col, tap.col)},
                               {rows.stride, cols.stride},
                               walk.rows(),
                               walk.cols()};
    bool any_padding = false;
    double walked_sum = 0;
    for (int p = walk.first.row; p <= walk.last.row; ++p) {
        for (int q = walk.first.col; q <= walk.last.col; ++q) {
            const int term = static_cast<int>(step.terms.size());
            const Cell at{window_input_index(rows, p, tap.row), window_input_index(cols, q, tap.col)};
            const double delta = results.upstream(p, q);
            const std::string delta_tex = "\\delta^{l+1}" + tex_subscript({p, q}, base);
            Term t;
            if (contains(input_shape, at)) {
                const double x = results.activated(at.row, at.col);
                t.symbolic = delta_tex + " \\cdot " + input_factor_tex(scene, at);
                t.numeric = tex_factor(delta) + " \\cdot " + tex_factor(x);
                t.value = delta * x;
                step.marks.push_back({a_grid, at, MarkRole::Term, term});
            } else {
                any_padding = true;
                t.symbolic = delta_tex + " \\cdot " + input_factor_tex(scene, at);
                t.numeric = tex_factor(delta) + " \\cdot 0";
                t.value = 0;
                t.padding = true;
                step.marks.push_back({a_grid, at, MarkRole::Padding, term});
            }
            step.marks.push_back({GridId::Upstream, {p, q}, MarkRole::Term, term});
            walked_sum += t.value;
            step.terms.push_back(std::move(t));
        }
    }
    step.marks.push_back({GridId::GradKernel, tap, MarkRole::Result, -1});
    for (int i = 0; i <= tap.row; ++i)
        for (int j = 0; j < scene.kernel.cols() && (i < tap.row || j < tap.col); ++j)
            step.marks.push_back({GridId::GradKernel, {i, j}, MarkRole::Done, -1});
    step.filling = {GridId::GradKernel};

    const double value = results.grad_kernel(tap.row, tap.col);
    step.value = value;
    const std::string tap_tex = "w" + tex_subscript(tap, base);
    const auto& terms = step.terms;
    step.equation.push_back(general);
    if (partial) {
        // The region's terms add up to a part of the sum; the finished sum over every
        // position is the engine's, named as such on the last line.
        const std::string over = "\\text{region p = " +
                                 index_range_words(walk.first.row, walk.rows(), 1, base) + ", q = " +
                                 index_range_words(walk.first.col, walk.cols(), 1, base) + ": }";
        step.equation.push_back(equation_line(
            LineKind::Substituted, over,
            sum_pieces(terms.size(), [&](std::size_t k) { return terms[k].symbolic; })));
        step.equation.push_back(equation_line(
            LineKind::Values, "= ",
            sum_pieces(terms.size(), [&](std::size_t k) { return terms[k].numeric; }),
            " = " + format_number(walked_sum)));
        step.equation.push_back(text_line(
            LineKind::Sum, "\\text{all } " + std::to_string(out.rows) + " \\times " +
                               std::to_string(out.cols) + " \\text{ positions (engine): } " +
                               "\\partial J / \\partial " + tap_tex + " = " + format_number(value)));
    } else {
        step.equation.push_back(equation_line(
            LineKind::Substituted, "\\partial J / \\partial " + tap_tex + " = ",
            sum_pieces(terms.size(), [&](std::size_t k) { return terms[k].symbolic; })));
        step.equation.push_back(equation_line(
            LineKind::Values, "= ",
            sum_pieces(terms.size(), [&](std::size_t k) { return terms[k].numeric; })));
        step.equation.push_back(text_line(LineKind::Sum, "= " + format_number(value)));
    }

    std::string caption = "\\partial J / \\partial " + tap_tex + ": \\delta^{l+1} slides over " +
                          window_grid_symbol(scene) + " as if it were the kernel, over rows " +
                          index_range_words(step.window->origin.row + rows.padding, walk.rows(), rows.stride, base) +
                          ", columns " +
                          index_range_words(step.window->origin.col + cols.padding, walk.cols(), cols.stride, base);
    if (any_padding) caption += ", partly over the zero padding";
    caption += padding_words(scene);
    if (scene.spec.mode == ConvMode::Convolution)
        caption += " (convolution: " + tap_tex + " sits at window offset " +
                   "(" + std::to_string(offset.row + base) + "," + std::to_string(offset.col + base) +
                   "))";
    if (partial)
        caption += "; the " + std::to_string(terms.size()) + " terms of the region sum to " +
                   format_number(walked_sum) + ", the whole \\partial J / \\partial " + tap_tex +
                   " over all " + std::to_string(out.rows) + "×" + std::to_string(out.cols) +
                   " positions is " + format_number(value);
    step.caption = caption;
    return step;
}

}  // namespace

Lesson build_kernel_gradient(const Scene& scene, const LayerResults& results,
                             std::optional<Cell> cell, std::optional<CellRegion> region) {
    const Shape out = matrix_shape(results.upstream);
    const CellRegion walk = region.value_or(whole_grid(out));
    const std::size_t taps = static_cast<std::size_t>(scene.kernel.size());
    check_lesson_size(LessonName::KernelGradient,
                      taps * static_cast<std::size_t>(walk.rows()) * static_cast<std::size_t>(walk.cols()),
                      "one step per kernel tap",
                      region ? "use a smaller region" : "use a smaller input or kernel");
    Lesson lesson;
    lesson.name = LessonName::KernelGradient;
    lesson.cell = cell;
    lesson.region = region;
    lesson.grids = input_grids(scene);
    lesson.grids.push_back(GridId::Upstream);
    lesson.grids.push_back(GridId::GradKernel);
    const EquationLine general = text_line(LineKind::General, kernel_gradient_general_tex(scene, out));
    for (int i = 0; i < scene.kernel.rows(); ++i)
        for (int j = 0; j < scene.kernel.cols(); ++j)
            lesson.steps.push_back(tap_step(scene, results, {i, j}, general, walk, region.has_value()));
    if (region) {
        const int base = scene.index_base;
        lesson.steps.front().caption =
            "Each tap sums over all " + std::to_string(out.rows) + "×" +
            std::to_string(out.cols) + " positions of \\delta^{l+1}; this lesson writes out rows " +
            index_range_words(walk.first.row, walk.rows(), 1, base) + ", columns " +
            index_range_words(walk.first.col, walk.cols(), 1, base) +
            " of them and gives the whole sum from the engine. " + lesson.steps.front().caption;
    }
    if (cell) lesson.first_step_of_cell = cell->row * static_cast<int>(scene.kernel.cols()) + cell->col;
    return lesson;
}

}  // namespace convlens
