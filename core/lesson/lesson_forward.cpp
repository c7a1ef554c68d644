// The forward lesson: one step per output cell z^{l+1}_{p,q}, row by row: the kernel
// window over the (padded) input, one product per tap, their sum landing in the output.
#include <string>
#include <vector>

#include "lesson/lesson_builders.h"
#include "lesson/lesson_common.h"
#include "lesson/lesson_region.h"
#include "lesson/tex.h"
#include "util/number_format.h"

namespace convlens {
namespace {

struct Product {
    Cell input;  // zero-based in the unpadded input; outside it: the zero padding
    Cell tap;
    bool padding = false;
};

// `done_in`: the walked cells to mark Done before `out`; nullptr: no Done marks.
Step output_step(const Scene& scene, const LayerResults& results, Cell out,
                 const EquationLine& general, const CellRegion* done_in) {
    const int base = scene.index_base;
    const WindowAxis rows = row_axis(scene), cols = col_axis(scene);
    const Shape input_shape = matrix_shape(scene.input);
    const GridId a_grid = activated_grid(scene);
    const Matrix& a = results.activated;
    const Matrix& w = scene.kernel;

    // Terms in the order of the sum over (i, j), the stored taps.
    std::vector<Product> products;
    for (int i = 0; i < w.rows(); ++i) {
        for (int j = 0; j < w.cols(); ++j) {
            const Cell at{window_input_index(rows, out.row, i), window_input_index(cols, out.col, j)};
            products.push_back({at, {i, j}, !contains(input_shape, at)});
        }
    }

    Step step;
    step.about = Focus{GridId::Output, out};
    step.window = KernelWindow{a_grid,
                               {rows.stride * out.row - rows.padding, cols.stride * out.col - cols.padding},
                               {rows.dilation, cols.dilation},
                               rows.kernel,
                               cols.kernel};
    bool any_padding = false;
    for (std::size_t k = 0; k < products.size(); ++k) {
        const Product& pr = products[k];
        const int term = static_cast<int>(k);
        const double weight = w(pr.tap.row, pr.tap.col);
        Term t;
        const std::string tap_tex = "w" + tex_subscript(pr.tap, base);
        if (pr.padding) {
            any_padding = true;
            t.symbolic = input_factor_tex(scene, pr.input) + " \\cdot " + tap_tex;
            t.numeric = "0 \\cdot " + tex_factor(weight);
            t.value = 0;
            t.padding = true;
            step.marks.push_back({a_grid, pr.input, MarkRole::Padding, term});
        } else {
            const double x = a(pr.input.row, pr.input.col);
            t.symbolic = input_factor_tex(scene, pr.input) + " \\cdot " + tap_tex;
            t.numeric = tex_factor(x) + " \\cdot " + tex_factor(weight);
            t.value = x * weight;
            step.marks.push_back({a_grid, pr.input, MarkRole::Term, term});
        }
        step.marks.push_back({GridId::Kernel, pr.tap, MarkRole::Term, term});
        step.terms.push_back(std::move(t));
    }
    step.marks.push_back({GridId::Output, out, MarkRole::Result, -1});
    if (done_in) mark_done_before(out, *done_in, GridId::Output, step);
    step.filling = {GridId::Output};

    const double value = results.output(out.row, out.col);
    step.value = value;
    const std::string lhs = "z^{l+1}" + tex_subscript(out, base);
    const auto& terms = step.terms;
    step.equation.push_back(general);
    step.equation.push_back(equation_line(
        LineKind::Substituted, lhs + " = ",
        sum_pieces(terms.size(), [&](std::size_t k) { return terms[k].symbolic; })));
    step.equation.push_back(equation_line(
        LineKind::Values, "= ",
        sum_pieces(terms.size(), [&](std::size_t k) { return terms[k].numeric; })));
    step.equation.push_back(text_line(LineKind::Sum, "= " + format_number(value)));

    step.caption = lhs + ": the window at rows " +
                   index_range_words(step.window->origin.row + rows.padding, rows.kernel, rows.dilation, base) +
                   ", columns " +
                   index_range_words(step.window->origin.col + cols.padding, cols.kernel, cols.dilation, base) +
                   " of " + window_grid_symbol(scene) +
                   (any_padding ? ", partly over its zero padding" : "") + ": " +
                   std::to_string(terms.size()) + " products summed" + padding_words(scene);
    return step;
}

}  // namespace

Lesson build_forward(const Scene& scene, const LayerResults& results, std::optional<Cell> cell,
                     std::optional<CellRegion> region) {
    const Shape out = matrix_shape(results.output);
    const CellRegion walk = region.value_or(whole_grid(out));
    const std::size_t cells = static_cast<std::size_t>(walk.rows()) * static_cast<std::size_t>(walk.cols());
    check_lesson_size(LessonName::Forward, cells * static_cast<std::size_t>(scene.kernel.size()),
                      region ? "one step per output cell of the region" : "one step per output cell",
                      region ? "use a smaller region" : "use a smaller input or kernel");
    Lesson lesson;
    lesson.name = LessonName::Forward;
    lesson.cell = cell;
    lesson.region = region;
    lesson.grids = input_grids(scene);
    lesson.grids.push_back(GridId::Kernel);
    lesson.grids.push_back(GridId::Output);
    const EquationLine general = text_line(LineKind::General, forward_general_tex(scene));
    const bool mark_done = cells <= static_cast<std::size_t>(kMaxDoneMarkCells);
    lesson.steps.reserve(cells);
    for (int p = walk.first.row; p <= walk.last.row; ++p)
        for (int q = walk.first.col; q <= walk.last.col; ++q)
            lesson.steps.push_back(
                output_step(scene, results, {p, q}, general, mark_done ? &walk : nullptr));
    if (region)
        lesson.steps.front().caption = walk_sentence(walk, GridId::Output, out, scene.index_base) +
                                       lesson.steps.front().caption;
    if (cell)
        lesson.first_step_of_cell =
            (cell->row - walk.first.row) * walk.cols() + (cell->col - walk.first.col);
    return lesson;
}

}  // namespace convlens
