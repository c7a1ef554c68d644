// The influence lesson (the scatter form): where each kernel tap carries one input element
// z^l_{m,n}, the term delta^{l+1} * w_{i,j} it brings back, the running sum, then f'.
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

// Everything about one tap of the element, formatted once.
struct TapTerm {
    InfluenceTap tap;
    // Zero-based (p, q) whenever both indices are whole: the output cell when inside,
    // else a cell of the zero padding around delta^{l+1}; nullopt for a stride gap.
    std::optional<Cell> position;
    std::string row_substituted;  // "3-2+1 = 2"
    std::string col_substituted;
    Term term;
};

// The engine's "3-2\u00b71+1" with TeX's \cdot for the dilation's product: every string a
// lesson writes is TeX-like source.
std::string substituted_tex(const AxisIndexMap& map, int m, int i) {
    std::string s = map.substituted(m, i);
    const std::string dot = "\u00b7";
    for (std::size_t at = s.find(dot); at != std::string::npos; at = s.find(dot, at))
        s.replace(at, dot.size(), " \\cdot ");
    return s;
}

// "3-2+1 = 2", or "(4-1+0)/2+1 = 2.5" when the index is not whole.
std::string axis_substituted(const AxisIndexMap& map, int m, int i) {
    const std::string s = substituted_tex(map, m, i) + " = ";
    if (const std::optional<int> whole = map.evaluate(m, i)) return s + std::to_string(*whole);
    return s + format_number(map.evaluate_real(m, i));
}

// The index as the term writes it: the whole value, or the real one between two outputs.
std::string axis_value(const AxisIndexMap& map, int m, int i) {
    if (const std::optional<int> whole = map.evaluate(m, i)) return std::to_string(*whole);
    return format_number(map.evaluate_real(m, i));
}

struct Element {
    const Scene& scene;
    const LayerResults& results;
    Cell cell;
    AxisIndexMap row_map, col_map;
    std::vector<TapTerm> taps;
};

Element element_taps(const Scene& scene, const LayerResults& results, Cell cell) {
    const int base = scene.index_base;
    Element e{scene,
              results,
              cell,
              row_index_map(scene.spec, static_cast<int>(scene.kernel.rows()), base),
              col_index_map(scene.spec, static_cast<int>(scene.kernel.cols()), base),
              {}};
    const int m = cell.row + base, n = cell.col + base;
    for (const InfluenceTap& tap :
         influence_taps(scene.kernel, results.upstream, matrix_shape(scene.input), scene.spec,
                        cell, base)) {
        TapTerm t;
        t.tap = tap;
        const int i = tap.tap.row + base, j = tap.tap.col + base;
        const std::optional<int> p = e.row_map.evaluate(m, i);
        const std::optional<int> q = e.col_map.evaluate(n, j);
        if (tap.reach == TapReach::Inside && tap.output) {
            t.position = tap.output;
        } else if (p && q) {
            t.position = Cell{*p - base, *q - base};
        }
        t.row_substituted = axis_substituted(e.row_map, m, i);
        t.col_substituted = axis_substituted(e.col_map, n, j);
        const std::string tap_tex = "w" + tex_subscript(tap.tap, base);
        t.term.symbolic = "\\delta^{l+1}_{" + axis_value(e.row_map, m, i) + "," +
                          axis_value(e.col_map, n, j) + "} \\cdot " + tap_tex;
        if (tap.reach == TapReach::Inside) {
            t.term.numeric = tex_factor(tap.upstream) + " \\cdot " + tex_factor(tap.weight);
            t.term.value = tap.product;
        } else {
            t.term.numeric = "0 \\cdot " + tex_factor(tap.weight);
            t.term.value = 0;
            t.term.padding = true;
        }
        e.taps.push_back(std::move(t));
    }
    return e;
}

// The marks, link and tag of tap k: its kernel tap and the delta^{l+1} cell it reaches
// (a padding cell outside the grid, or none for a stride gap).
void mark_tap(const TapTerm& t, int k, int base, GridId a_grid, Cell element, bool with_link,
              Step& step) {
    step.marks.push_back({GridId::Kernel, t.tap.tap, MarkRole::Term, k});
    if (!t.position) return;
    const bool inside = t.tap.reach == TapReach::Inside;
    step.marks.push_back(
        {GridId::Upstream, *t.position, inside ? MarkRole::Term : MarkRole::Padding, k});
    if (!with_link) return;
    step.links.push_back({a_grid, element, GridId::Upstream, *t.position, k, !inside});
    step.tags.push_back({GridId::Upstream, *t.position, "w" + tex_subscript(t.tap.tap, base)});
}

void mark_element(const Scene& scene, Cell element, Step& step) {
    step.about = Focus{GridId::Input, element};
    for (GridId grid : input_grids(scene)) step.marks.push_back({grid, element, MarkRole::Focus, -1});
}

EquationLine general_line(const Element& e) {
    return text_line(LineKind::General, error_general_tex(e.scene));
}

// One sentence on where tap t goes: the substituted indices and what lies there.
std::string tap_caption(const Element& e, const TapTerm& t) {
    const int base = e.scene.index_base;
    const std::string tap_tex = "w" + tex_subscript(t.tap.tap, base);
    const std::string from = activated_symbol(e.scene) + tex_subscript(e.cell, base);
    std::string s = tap_tex + ": p = " + t.row_substituted + ", q = " + t.col_substituted + ": ";
    switch (t.tap.reach) {
        case TapReach::Inside:
            return s + tap_tex + " carries " + from + " into z^{l+1}" +
                   tex_subscript(*t.tap.output, base) + ", so the term is \\delta^{l+1}" +
                   tex_subscript(*t.tap.output, base) + " \\cdot " + tap_tex;
        case TapReach::ZeroPadding:
            return s + "outside the output, in the zero padding of \\delta^{l+1}: the term is 0";
        case TapReach::StrideGap:
            return s + "not whole, between two outputs (stride " +
                   std::to_string(t.tap.row_reach == TapReach::StrideGap
                                      ? e.scene.spec.stride.rows
                                      : e.scene.spec.stride.cols) +
                   "): no output cell, the term is 0";
    }
    return s;
}

// The step that finishes delta^l_{m,n}: every tap's term, the sum, times f'(z^l_{m,n}).
Step finished_step(const Element& e, const EquationLine& general) {
    const Scene& scene = e.scene;
    const int base = scene.index_base;
    const GridId a_grid = activated_grid(scene);
    Step step;
    mark_element(scene, e.cell, step);
    double sum = 0;
    int reached = 0, zero = 0;
    for (std::size_t k = 0; k < e.taps.size(); ++k) {
        const TapTerm& t = e.taps[k];
        mark_tap(t, static_cast<int>(k), base, a_grid, e.cell, true, step);
        step.terms.push_back(t.term);
        sum += t.term.value;
        (t.tap.reach == TapReach::Inside ? reached : zero) += 1;
    }
    step.marks.push_back({GridId::GradInput, e.cell, MarkRole::Result, -1});
    const double slope = e.results.activation_slope(e.cell.row, e.cell.col);
    const double value = e.results.grad_input(e.cell.row, e.cell.col);
    step.value = value;

    const std::string z = "z^{l}" + tex_subscript(e.cell, base);
    const std::string lhs = "\\delta^{l}" + tex_subscript(e.cell, base);
    const auto& terms = step.terms;
    step.equation.push_back(general);
    step.equation.push_back(equation_line(
        LineKind::Substituted, lhs + " = f'(" + z + ") \\cdot (",
        sum_pieces(terms.size(), [&](std::size_t k) { return terms[k].symbolic; }), ")"));
    step.equation.push_back(equation_line(
        LineKind::Values, "= " + tex_factor(slope) + " \\cdot (",
        sum_pieces(terms.size(), [&](std::size_t k) { return terms[k].numeric; }), ")"));
    step.equation.push_back(text_line(LineKind::Sum, "= " + tex_factor(slope) + " \\cdot " +
                                                         tex_factor(sum) + " = " +
                                                         format_number(value)));
    const std::string slope_words =
        scene.activation == Activation::Identity
            ? "f is the identity, so f'(" + z + ") = 1"
            : std::string("f = ") + activation_name(scene.activation) + ", f'(" + z +
                  ") = " + format_number(slope);
    step.caption = lhs + ": " + std::to_string(reached) + " of " + std::to_string(terms.size()) +
                   " taps reach an output" +
                   (zero > 0 ? " (" + std::to_string(zero) + " add 0)" : std::string()) +
                   "; their sum times f'(" + z + "), where " + slope_words;
    return step;
}

// Tap k's step: its link and tag, the terms of taps 0..k, the running sum.
Step tap_step(const Element& e, std::size_t k, const EquationLine& general) {
    const Scene& scene = e.scene;
    const int base = scene.index_base;
    const GridId a_grid = activated_grid(scene);
    const TapTerm& current = e.taps[k];
    Step step;
    mark_element(scene, e.cell, step);
    double running = 0;
    for (std::size_t t = 0; t <= k; ++t) {
        mark_tap(e.taps[t], static_cast<int>(t), base, a_grid, e.cell, t == k, step);
        step.terms.push_back(e.taps[t].term);
        running += e.taps[t].term.value;
    }
    const auto& terms = step.terms;
    const std::string tap_tex = "w" + tex_subscript(current.tap.tap, base);
    step.equation.push_back(general);
    EquationLine substituted;
    substituted.kind = LineKind::Substituted;
    substituted.pieces.push_back(
        {"\\delta^{l+1}_{" + substituted_tex(e.row_map, e.cell.row + base, current.tap.tap.row + base) +
             "," + substituted_tex(e.col_map, e.cell.col + base, current.tap.tap.col + base) +
             "} \\cdot " + tap_tex + " = ",
         -1});
    substituted.pieces.push_back({current.term.symbolic, static_cast<int>(k)});
    step.equation.push_back(std::move(substituted));
    step.equation.push_back(equation_line(
        LineKind::Values, "\\text{so far: } ",
        sum_pieces(terms.size(), [&](std::size_t t) { return terms[t].numeric; })));
    step.equation.push_back(text_line(LineKind::Sum, "= " + format_number(running)));
    step.caption = tap_caption(e, current);
    return step;
}

}  // namespace

Lesson build_influence(const Scene& scene, const LayerResults& results, std::optional<Cell> cell,
                       std::optional<CellRegion> region) {
    const Shape input = matrix_shape(scene.input);
    const std::size_t taps = static_cast<std::size_t>(scene.kernel.size());
    Lesson lesson;
    lesson.name = LessonName::Influence;
    lesson.cell = cell;
    lesson.grids = input_grids(scene);
    for (GridId g : {GridId::Kernel, GridId::Upstream, GridId::GradInput}) lesson.grids.push_back(g);

    if (cell) {
        // Tap k's step holds k+1 terms, and the last step all of them.
        check_lesson_size(LessonName::Influence, taps * (taps + 1) / 2 + taps,
                          "one step per kernel tap");
        const Element e = element_taps(scene, results, *cell);
        const EquationLine general = general_line(e);
        for (std::size_t k = 0; k < e.taps.size(); ++k)
            lesson.steps.push_back(tap_step(e, k, general));
        lesson.steps.push_back(finished_step(e, general));
        // delta^l stays blank until the last step writes the element's value: the
        // answer is not on screen while the sum is still being built.
        for (Step& step : lesson.steps) step.filling = {GridId::GradInput};
        return lesson;
    }

    const CellRegion walk = region.value_or(whole_grid(input));
    const std::size_t elements =
        static_cast<std::size_t>(walk.rows()) * static_cast<std::size_t>(walk.cols());
    check_lesson_size(LessonName::Influence, elements * taps,
                      region ? "one step per input element of the region" : "one step per input element",
                      region ? "use a smaller region" : "use a smaller input or kernel");
    lesson.region = region;
    const bool mark_done = elements <= static_cast<std::size_t>(kMaxDoneMarkCells);
    lesson.steps.reserve(elements);
    for (int m = walk.first.row; m <= walk.last.row; ++m) {
        for (int n = walk.first.col; n <= walk.last.col; ++n) {
            const Element e = element_taps(scene, results, {m, n});
            Step step = finished_step(e, general_line(e));
            if (mark_done) mark_done_before({m, n}, walk, GridId::GradInput, step);
            step.filling = {GridId::GradInput};
            lesson.steps.push_back(std::move(step));
        }
    }
    if (region)
        lesson.steps.front().caption = walk_sentence(walk, GridId::Input, input, scene.index_base) +
                                       lesson.steps.front().caption;
    return lesson;
}

}  // namespace convlens
