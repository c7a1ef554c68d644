// The kernel-gradient lesson: one step per tap w_{i,j}, delta^{l+1} sliding over the
// (padded) input as if it were the kernel, each product delta * a, and their sum dJ/dw_{i,j}.
#include <string>
#include <vector>

#include "engine/influence.h"
#include "lesson/lesson_builders.h"
#include "lesson/lesson_common.h"
#include "lesson/tex.h"
#include "util/number_format.h"

namespace convlens {
namespace {

Step tap_step(const Scene& scene, const LayerResults& results, Cell tap,
              const EquationLine& general) {
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
                               {rows.dilation * offset.row - rows.padding,
                                cols.dilation * offset.col - cols.padding},
                               {rows.stride, cols.stride},
                               out.rows,
                               out.cols};
    bool any_padding = false;
    for (int p = 0; p < out.rows; ++p) {
        for (int q = 0; q < out.cols; ++q) {
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
    step.equation.push_back(equation_line(
        LineKind::Substituted, "\\partial J / \\partial " + tap_tex + " = ",
        sum_pieces(terms.size(), [&](std::size_t k) { return terms[k].symbolic; })));
    step.equation.push_back(equation_line(
        LineKind::Values, "= ",
        sum_pieces(terms.size(), [&](std::size_t k) { return terms[k].numeric; })));
    step.equation.push_back(text_line(LineKind::Sum, "= " + format_number(value)));

    std::string caption = "\\partial J / \\partial " + tap_tex + ": \\delta^{l+1} slides over " +
                          window_grid_symbol(scene) + " as if it were the kernel, over rows " +
                          index_range_words(step.window->origin.row + rows.padding, out.rows, rows.stride, base) +
                          ", columns " +
                          index_range_words(step.window->origin.col + cols.padding, out.cols, cols.stride, base);
    if (any_padding) caption += ", partly over the zero padding";
    caption += padding_words(scene);
    if (scene.spec.mode == ConvMode::Convolution)
        caption += " (convolution: " + tap_tex + " sits at window offset " +
                   "(" + std::to_string(offset.row + base) + "," + std::to_string(offset.col + base) +
                   "))";
    step.caption = caption;
    return step;
}

}  // namespace

Lesson build_kernel_gradient(const Scene& scene, const LayerResults& results,
                             std::optional<Cell> cell) {
    const Shape out = matrix_shape(results.upstream);
    const std::size_t taps = static_cast<std::size_t>(scene.kernel.size());
    check_lesson_size(LessonName::KernelGradient,
                      taps * static_cast<std::size_t>(out.rows) * static_cast<std::size_t>(out.cols),
                      "one step per kernel tap");
    Lesson lesson;
    lesson.name = LessonName::KernelGradient;
    lesson.cell = cell;
    lesson.grids = input_grids(scene);
    lesson.grids.push_back(GridId::Upstream);
    lesson.grids.push_back(GridId::GradKernel);
    const EquationLine general = text_line(LineKind::General, kernel_gradient_general_tex(scene, out));
    for (int i = 0; i < scene.kernel.rows(); ++i)
        for (int j = 0; j < scene.kernel.cols(); ++j)
            lesson.steps.push_back(tap_step(scene, results, {i, j}, general));
    if (cell) lesson.first_step_of_cell = cell->row * static_cast<int>(scene.kernel.cols()) + cell->col;
    return lesson;
}

}  // namespace convlens
