// The backward lesson, the heart of convlens: delta^l as the gather form builds it. The
// kernel turns by 180 degrees, delta^{l+1} is spread by the stride and padded with zeros,
// then one step per input cell slides the turned kernel over it: products, sum, times f'.
#include <string>
#include <vector>

#include "lesson/gather_form.h"
#include "lesson/lesson_builders.h"
#include "lesson/lesson_common.h"
#include "lesson/lesson_region.h"
#include "lesson/tex.h"
#include "util/number_format.h"

namespace convlens {
namespace {

// Name tags on the kernel taps and the upstream cells, and arrows from delta^{l+1} into
// the padded grid, only while there are few enough to read.
constexpr int kTaggedCellsUpTo = 49;

Shape shape_of(const Matrix& m) { return matrix_shape(m); }

std::string tap_key(Cell tap) {
    return "w" + std::to_string(tap.row + 1) + "," + std::to_string(tap.col + 1);
}

std::string tap_name(Cell tap, int base) { return "w" + tex_subscript(tap, base); }

// The stored taps as chips on the gather kernel: at their stored places, or at the places
// the gather kernel gives them.
std::vector<Token> kernel_tokens(const Scene& scene, bool at_gather_positions) {
    const Shape kernel = shape_of(scene.kernel);
    const bool turns = at_gather_positions && scene.spec.mode == ConvMode::CrossCorrelation;
    std::vector<Token> tokens;
    for (int i = 0; i < kernel.rows; ++i)
        for (int j = 0; j < kernel.cols; ++j) {
            Token t;
            t.key = tap_key({i, j});
            t.grid = GridId::RotatedKernel;
            t.cell = at_gather_positions ? gather_position_of({i, j}, kernel, scene.spec.mode)
                                         : Cell{i, j};
            t.value_tex = format_number(scene.kernel(i, j));
            t.tag_tex = tap_name({i, j}, scene.index_base);
            t.turns = turns;
            tokens.push_back(std::move(t));
        }
    return tokens;
}

// Names of the stored taps on the gather kernel, once it has turned.
std::vector<Tag> kernel_tags(const Scene& scene) {
    const Shape kernel = shape_of(scene.kernel);
    std::vector<Tag> tags;
    if (kernel.rows * kernel.cols > kTaggedCellsUpTo) return tags;
    for (int i = 0; i < kernel.rows; ++i)
        for (int j = 0; j < kernel.cols; ++j)
            tags.push_back({GridId::RotatedKernel, gather_position_of({i, j}, kernel, scene.spec.mode),
                            tap_name({i, j}, scene.index_base)});
    return tags;
}

std::string signed_constant(int value) {
    if (value == 0) return "";
    return (value > 0 ? "+" : "-") + std::to_string(value > 0 ? value : -value);
}

// Where the tap at (i', j') of the gather kernel comes from, in the scene's base:
// rot180(w)_{i',j'} = w_{kh+1-i', kw+1-j'} (base 1), w_{kh-1-i', kw-1-j'} (base 0).
std::string turn_tex(const Scene& scene) {
    const int b = scene.index_base;
    const int kh = int(scene.kernel.rows()), kw = int(scene.kernel.cols());
    if (scene.spec.mode == ConvMode::Convolution)
        return "\\mathrm{rot180}(\\mathrm{rot180}(w))_{i',j'} = w_{i',j'}";
    return "\\mathrm{rot180}(w)_{i',j'} = w_{" + std::to_string(kh - 1 + 2 * b) + "-i'," +
           std::to_string(kw - 1 + 2 * b) + "-j'}";
}

// Where delta^{l+1}_{p,q} lands: zero-based row d(kh-1) + s*p, in base b
// s*p + d(kh-1) + b - s*b: "p+2" (s = d = 1, kh = 3), "2p+1" (s = 2).
std::string spread_tex(const Scene& scene) {
    const int b = scene.index_base;
    const ConvSpec& s = scene.spec;
    auto axis = [&](char letter, int stride, int dilation, int kernel) {
        return (stride == 1 ? std::string() : std::to_string(stride)) + letter +
               signed_constant(dilation * (kernel - 1) + b - stride * b);
    };
    return "\\tilde{\\delta}_{" + axis('p', s.stride.rows, s.dilation.rows, int(scene.kernel.rows())) +
           "," + axis('q', s.stride.cols, s.dilation.cols, int(scene.kernel.cols())) +
           "} = \\delta^{l+1}_{p,q}";
}

std::string size_text(int rows, int cols) {
    return std::to_string(rows) + "×" + std::to_string(cols);
}

// Where each delta^{l+1}_{p,q} went: the same neutral frame on both cells, an arrow and
// the name on the padded cell while the grids are small enough to read them.
// On a region lesson only the entries the region's gather windows reach: the rest of a big
// delta^{l+1} takes no part in the steps.
std::vector<Cell> spread_cells(const Scene& scene, const LayerResults& results,
                               const std::optional<CellRegion>& region) {
    const Shape kernel = shape_of(scene.kernel);
    const Shape output = shape_of(results.upstream);
    std::optional<CellRegion> reach;
    if (region) {
        // The windows of input rows first..last cover padded rows first+P .. last+P+d(kh-1).
        const KernelWindow top = gather_window(region->first, kernel, scene.spec);
        const KernelWindow bottom = gather_window(region->last, kernel, scene.spec);
        reach = CellRegion{top.origin,
                           {bottom.origin.row + bottom.spacing.row * (bottom.rows - 1),
                            bottom.origin.col + bottom.spacing.col * (bottom.cols - 1)}};
    }
    std::vector<Cell> cells;
    for (int p = 0; p < output.rows; ++p)
        for (int q = 0; q < output.cols; ++q)
            if (!reach || reach->contains(padded_position_of({p, q}, kernel, scene.spec)))
                cells.push_back({p, q});
    return cells;
}

void show_spread(const Scene& scene, const LayerResults& results,
                 const std::optional<CellRegion>& region, Step& step) {
    const Shape kernel = shape_of(scene.kernel);
    const std::vector<Cell> cells = spread_cells(scene, results, region);
    const bool decorate = int(cells.size()) <= kTaggedCellsUpTo;
    for (const Cell& upstream : cells) {
        const Cell padded = padded_position_of(upstream, kernel, scene.spec);
        step.marks.push_back({GridId::Upstream, upstream, MarkRole::Window, -1});
        step.marks.push_back({GridId::PaddedUpstream, padded, MarkRole::Window, -1});
        if (!decorate) continue;
        step.links.push_back({GridId::Upstream, upstream, GridId::PaddedUpstream, padded, -1, false});
        step.tags.push_back({GridId::PaddedUpstream, padded,
                             "\\delta^{l+1}" + tex_subscript(upstream, scene.index_base)});
    }
}

Step turn_step(const Scene& scene) {
    Step step;
    if (scene.spec.mode == ConvMode::Convolution)
        step.caption = "The gather slides the kernel the forward pass applied, turned by 180°. "
                       "In convolution mode the forward pass already flipped w, so that is w "
                       "as stored.";
    else
        step.caption = "The gather slides the kernel turned by 180°: here are the taps of w "
                       "where they are stored.";
    step.tokens = kernel_tokens(scene, false);
    step.hidden_values = {GridId::RotatedKernel, GridId::PaddedUpstream};
    step.hidden_inserted_zeros = {GridId::PaddedUpstream};
    step.filling = {GridId::GradInput};
    return step;
}

Step turned_step(const Scene& scene) {
    Step step;
    const Shape k = shape_of(scene.kernel);
    if (scene.spec.mode == ConvMode::Convolution)
        step.caption = "No tap moves: turning the flipped kernel back by 180° gives w as stored.";
    else
        step.caption = "Turned by 180°: the tap in row i, column j travels to row " +
                       std::to_string(k.rows + 1) + "−i, column " + std::to_string(k.cols + 1) +
                       "−j (counting from 1).";
    step.tokens = kernel_tokens(scene, true);
    step.equation = {text_line(LineKind::General, turn_tex(scene))};
    step.hidden_values = {GridId::PaddedUpstream};
    step.hidden_inserted_zeros = {GridId::PaddedUpstream};
    step.filling = {GridId::GradInput};
    return step;
}

Step spread_step(const Scene& scene, const LayerResults& results, const ExtraGrid& padded,
                 const std::optional<CellRegion>& region) {
    Step step;
    const ConvSpec& s = scene.spec;
    const bool strided = s.stride.rows != 1 || s.stride.cols != 1;
    step.caption = std::string("Spread and pad: every entry of the upstream error moves to its "
                               "place in a ") +
                   size_text(int(padded.values.rows()), int(padded.values.cols())) + " grid" +
                   (strided ? ", " + std::to_string(s.stride.rows) + "×" +
                                  std::to_string(s.stride.cols) + " apart (the stride)"
                            : "") +
                   ".";
    show_spread(scene, results, region, step);
    const std::vector<Tag> tags = kernel_tags(scene);
    step.tags.insert(step.tags.end(), tags.begin(), tags.end());
    step.equation = {text_line(LineKind::General, spread_tex(scene))};
    step.hidden_inserted_zeros = {GridId::PaddedUpstream};
    step.filling = {GridId::GradInput};
    return step;
}

Step zeros_step(const Scene& scene, const LayerResults& results, const ExtraGrid& padded,
                const std::optional<CellRegion>& region) {
    Step step;
    const ConvSpec& s = scene.spec;
    const Shape k = shape_of(scene.kernel);
    const Shape out = shape_of(results.upstream);
    // Rows of zeros above the first upstream row and below the last one; below can exceed
    // above by what the floor in Ho dropped.
    const int top = s.dilation.rows * (k.rows - 1), left = s.dilation.cols * (k.cols - 1);
    const int bottom = int(padded.values.rows()) - 1 - (top + s.stride.rows * (out.rows - 1));
    const int right = int(padded.values.cols()) - 1 - (left + s.stride.cols * (out.cols - 1));
    auto count = [](int n, const char* noun) {
        return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
    };
    std::string caption = "The rest are zeros: " + count(top, "row") + " above and " +
                          std::to_string(bottom) + " below, " + count(left, "column") +
                          " left and " + std::to_string(right) + " right";
    if (bottom > top || right > left)
        caption += " (the extra ones stand for input the strided windows never reach)";
    if (s.stride.rows != 1 || s.stride.cols != 1)
        caption += ", and the stride gaps between entries";
    step.caption = caption + ": wherever the kernel reaches past the error, it meets a zero.";
    show_spread(scene, results, region, step);
    const std::vector<Tag> tags = kernel_tags(scene);
    step.tags.insert(step.tags.end(), tags.begin(), tags.end());
    step.filling = {GridId::GradInput};
    return step;
}

// `done_in`: the walked cells to mark Done before `element`; nullptr: no Done marks.
Step cell_step(const Scene& scene, const LayerResults& results, const Matrix& padded,
               Cell element, const CellRegion* done_in) {
    const int base = scene.index_base;
    const Shape kernel = shape_of(scene.kernel);
    const bool activated = scene.activation != Activation::Identity;
    const bool convolution = scene.spec.mode == ConvMode::Convolution;
    const std::vector<GatherTerm> gathered = gather_terms(scene, padded, element);

    Step step;
    step.about = Focus{GridId::Input, element};
    step.caption = "Input cell " + std::string("(") + std::to_string(element.row + base) + "," +
                   std::to_string(element.col + base) + "): " +
                   (convolution ? "the kernel as stored" : "the turned kernel") +
                   " over the padded error, the products and their sum" +
                   (activated ? ", times the slope of the activation." : " (no activation: f′ = 1).");
    step.window = gather_window(element, kernel, scene.spec);
    if (activated) step.marks.push_back({GridId::Input, element, MarkRole::Focus, -1});

    double sum = 0;
    for (size_t k = 0; k < gathered.size(); ++k) {
        const GatherTerm& g = gathered[k];
        const int term = int(k);
        Term t;
        t.symbolic = "\\tilde{\\delta}" + tex_subscript(g.padded, base) + " \\cdot " +
                     tap_name(g.tap, base);
        t.numeric = tex_factor(g.padded_value) + " \\cdot " + tex_factor(g.weight);
        t.value = g.product;
        t.padding = !g.upstream.has_value();
        sum += g.product;
        step.terms.push_back(std::move(t));
        // Every tap is a factor of its term; an inserted zero makes the term 0.
        step.marks.push_back({GridId::RotatedKernel, g.position, MarkRole::Term, term});
        step.marks.push_back({GridId::Kernel, g.tap, MarkRole::Term, term});
        if (g.upstream) {
            step.marks.push_back({GridId::PaddedUpstream, g.padded, MarkRole::Term, term});
            step.marks.push_back({GridId::Upstream, *g.upstream, MarkRole::Term, term});
        } else {
            step.marks.push_back({GridId::PaddedUpstream, g.padded, MarkRole::Padding, term});
        }
    }
    step.tags = kernel_tags(scene);

    step.marks.push_back({GridId::GradInput, element, MarkRole::Result, -1});
    if (done_in) {
        step.filling = {GridId::GradInput};
        mark_done_before(element, *done_in, GridId::GradInput, step);
    }

    const double slope = results.activation_slope(element.row, element.col);
    const std::string slope_name = "f'(z^{l}" + tex_subscript(element, base) + ")";
    const std::string general =
        "\\delta^{l}_{m,n} = f'(z^{l}_{m,n}) \\cdot \\sum_{i'} \\sum_{j'} \\tilde{\\delta}_{" +
        padded_index_symbolic(scene.spec, base) + "} \\cdot " +
        gather_kernel_symbol(scene.spec.mode) + "_{i',j'}";
    const double value = results.grad_input(element.row, element.col);
    step.equation = {
        text_line(LineKind::General, general),
        equation_line(LineKind::Substituted, "= " + slope_name + " \\cdot (",
                      sum_pieces(step.terms.size(), [&](size_t k) { return step.terms[k].symbolic; }),
                      ")"),
        equation_line(LineKind::Values, "= " + tex_factor(slope) + " \\cdot (",
                      sum_pieces(step.terms.size(), [&](size_t k) { return step.terms[k].numeric; }),
                      ")"),
        text_line(LineKind::Sum, "= " + tex_factor(slope) + " \\cdot " + tex_factor(sum) + " = " +
                                     format_number(value)),
    };
    step.value = value;
    return step;
}

}  // namespace

Lesson build_backward(const Scene& scene, const LayerResults& results, std::optional<Cell> cell,
                      std::optional<CellRegion> region) {
    const Shape input = shape_of(scene.input);
    const CellRegion walk = region.value_or(whole_grid(input));
    const size_t cells = size_t(walk.rows()) * size_t(walk.cols());
    check_lesson_size(LessonName::Backward, cells * size_t(scene.kernel.size()),
                      region ? "one step per input cell of the region" : "one step per input cell",
                      region ? "use a smaller region" : "use a smaller input or kernel");
    Lesson lesson;
    lesson.name = LessonName::Backward;
    lesson.cell = cell;
    lesson.region = region;
    if (scene.activation != Activation::Identity) lesson.grids.push_back(GridId::Input);
    lesson.grids.insert(lesson.grids.end(), {GridId::Kernel, GridId::RotatedKernel, GridId::Upstream,
                                             GridId::PaddedUpstream, GridId::GradInput});
    lesson.extra_grids = {rotated_kernel_grid(scene), padded_upstream_grid(scene, results)};
    const ExtraGrid& padded = lesson.extra_grids[1];

    lesson.steps.push_back(turn_step(scene));
    lesson.steps.push_back(turned_step(scene));
    lesson.steps.push_back(spread_step(scene, results, padded, region));
    lesson.steps.push_back(zeros_step(scene, results, padded, region));
    if (region)
        lesson.steps.front().caption = walk_sentence(walk, GridId::Input, input, scene.index_base) +
                                       lesson.steps.front().caption;
    const int first_cell_step = int(lesson.steps.size());

    const bool fill = cells <= size_t(kMaxDoneMarkCells);
    for (int m = walk.first.row; m <= walk.last.row; ++m)
        for (int n = walk.first.col; n <= walk.last.col; ++n)
            lesson.steps.push_back(
                cell_step(scene, results, padded.values, {m, n}, fill ? &walk : nullptr));
    if (cell)
        lesson.first_step_of_cell = first_cell_step + (cell->row - walk.first.row) * walk.cols() +
                                    (cell->col - walk.first.col);
    return lesson;
}

}  // namespace convlens
