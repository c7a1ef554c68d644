#include "lesson/influence_focus.h"

#include <string>

#include "lesson/lesson_common.h"
#include "lesson/tex.h"
#include "util/number_format.h"

namespace convlens {
namespace {

Shape shape_of(const Matrix& m) { return {static_cast<int>(m.rows()), static_cast<int>(m.cols())}; }

struct Axis {
    int stride, padding, dilation;
};

Axis row_axis(const ConvSpec& s) { return {s.stride.rows, s.padding.rows, s.dilation.rows}; }
Axis col_axis(const ConvSpec& s) { return {s.stride.cols, s.padding.cols, s.dilation.cols}; }

// The input index under window offset o of output p: s*p + d*o - P, zero-based.
int input_index(int output, int offset, Axis a) {
    return a.stride * output + a.dilation * offset - a.padding;
}

// A position that is outside the output is zero padding, whole (3 past 1..2) or not (3.5:
// the engine's rule), so the table says "outside" there, as its "reaches" column does.
std::string axis_substituted(const AxisIndexMap& map, int element, int tap, TapReach reach,
                             int output_extent) {
    const int base = map.base, m = element + base, i = tap + base;
    std::string s = map.substituted(m, i) + " = ";
    const std::optional<int> whole = map.evaluate(m, i);
    s += whole ? std::to_string(*whole) : format_number(map.evaluate_real(m, i));
    if (reach == TapReach::ZeroPadding)
        return s + " (outside " + std::to_string(base) + ".." +
               std::to_string(output_extent - 1 + base) + ")";
    return whole ? s : s + " (not whole)";
}

// The one line on screen (the chain joined by " = ": the panel breaks it there) and the
// block a teacher pastes: the general formula over the chain, aligned at the '='.
void set_equation(InfluenceView& view, const std::string& general, const std::vector<std::string>& chain) {
    std::string line;
    for (const std::string& link : chain) line += line.empty() ? link : " " + link;
    view.equation_tex = line;
    std::vector<std::string> block = {general};
    block.insert(block.end(), chain.begin(), chain.end());
    view.equation_latex = aligned_block(block);
}

bool results_match(const Scene& scene, const LayerResults& r) {
    const Shape in = shape_of(scene.input);
    const Shape out = output_shape(in, shape_of(scene.kernel), scene.spec);
    return shape_of(r.activated) == in && shape_of(r.activation_slope) == in &&
           shape_of(r.grad_input) == in && shape_of(r.output) == out &&
           shape_of(r.upstream) == out && shape_of(r.grad_kernel) == shape_of(scene.kernel);
}

void focus_on_input(const Scene& scene, const LayerResults& results, Cell element,
                    InfluenceView& view) {
    const int base = scene.index_base;
    const Shape kernel = shape_of(scene.kernel);
    const ConvSpec& spec = scene.spec;
    const AxisIndexMap row_map = row_index_map(spec, kernel.rows, base);
    const AxisIndexMap col_map = col_index_map(spec, kernel.cols, base);
    const std::vector<InfluenceTap> taps = influence_taps(
        scene.kernel, results.upstream, shape_of(scene.input), spec, element, base);

    view.input_cells.push_back(element);
    std::vector<const InfluenceTap*> inside;
    for (const InfluenceTap& tap : taps) {
        InfluenceRow row;
        row.tap = tap;
        row.tap_label = index_label(tap.tap, base);
        row.formula = row_map.symbolic() + ", " + col_map.symbolic();
        row.substituted = axis_substituted(row_map, element.row, tap.tap.row, tap.row_reach,
                                           int(results.upstream.rows())) +
                          ", " +
                          axis_substituted(col_map, element.col, tap.tap.col, tap.col_reach,
                                           int(results.upstream.cols()));
        // Whole positions, in or outside the output (zero padding); none for a stride gap.
        const std::optional<int> p = row_map.evaluate(element.row + base, tap.tap.row + base);
        const std::optional<int> q = col_map.evaluate(element.col + base, tap.tap.col + base);
        if (tap.reach == TapReach::Inside && tap.output) {
            row.output_position = tap.output;
            row.output_label = index_label(*tap.output, base);
            view.sum += tap.product;
            view.kernel_taps.push_back(tap.tap);
            inside.push_back(&tap);
        } else {
            if (p && q) row.output_position = Cell{*p - base, *q - base};
            row.output_label = tap.reach == TapReach::StrideGap ? "between outputs: stride"
                                                                : "outside: zero padding";
        }
        if (row.output_position) view.output_cells.push_back(*row.output_position);
        view.rows.push_back(std::move(row));
    }
    view.slope = results.activation_slope(element.row, element.col);
    view.grad_input = view.slope * view.sum;

    const std::string symbolic = join_terms(inside.size(), [&](size_t k) {
        return "\\delta^{l+1}" + tex_subscript(*inside[k]->output, base) + " \\cdot w" +
               tex_subscript(inside[k]->tap, base);
    });
    const std::string numeric = join_terms(inside.size(), [&](size_t k) {
        return tex_factor(inside[k]->upstream) + " \\cdot " + tex_factor(inside[k]->weight);
    });
    // The chain, one link a line: the block a teacher pastes, and the one line on screen.
    const std::string lhs = "\\delta^{l}" + tex_subscript(element, base);
    std::vector<std::string> chain;
    if (inside.empty()) {
        chain = {lhs};  // no tap reaches an output: the sum is empty
    } else if (scene.activation == Activation::Identity) {
        chain = {lhs + " = " + symbolic, "= " + numeric};
    } else {
        const std::string slope = tex_factor(view.slope);
        chain = {lhs + " = f'(z^{l}" + tex_subscript(element, base) + ") \\cdot (" + symbolic + ")",
                 "= " + slope + " \\cdot (" + numeric + ")", "= " + slope + " \\cdot " + tex_factor(view.sum)};
    }
    chain.push_back("= " + format_number(view.grad_input));
    set_equation(view, error_general_tex(scene), chain);
}

void focus_on_output(const Scene& scene, const LayerResults& results, Cell out,
                     InfluenceView& view) {
    const int base = scene.index_base;
    const Shape kernel = shape_of(scene.kernel);
    const ConvSpec& spec = scene.spec;
    view.output_cells.push_back(out);
    for (int i = 0; i < kernel.rows; ++i) {
        for (int j = 0; j < kernel.cols; ++j) {
            view.kernel_taps.push_back({i, j});
            const Cell element{
                input_index(out.row, window_offset(i, kernel.rows, spec.mode), row_axis(spec)),
                input_index(out.col, window_offset(j, kernel.cols, spec.mode), col_axis(spec))};
            if (!contains(shape_of(scene.input), element)) continue;
            view.field_pairs.push_back({element, {i, j}});
            view.input_cells.push_back(element);
        }
    }
    const auto& pairs = view.field_pairs;
    // Factors named by their cells of z^l (a^l), as the table beside lists them; taps over
    // the zero padding add nothing and are left out.
    const std::string a = activated_symbol(scene);
    const std::vector<std::string> chain = {
        "z^{l+1}" + tex_subscript(out, base) + " = " +
            join_terms(pairs.size(),
                       [&](size_t k) {
                           return a + tex_subscript(pairs[k].first, base) + " \\cdot w" +
                                  tex_subscript(pairs[k].second, base);
                       }),
        "= " + join_terms(pairs.size(),
                          [&](size_t k) {
                              const auto [e, t] = pairs[k];
                              return tex_factor(results.activated(e.row, e.col)) + " \\cdot " +
                                     tex_factor(scene.kernel(t.row, t.col));
                          }),
        "= " + format_number(results.output(out.row, out.col))};
    set_equation(view, forward_general_tex(scene), chain);
}

// The outputs 0..outputs-1 whose input index under `offset` lies in 0..extent-1: one run
// (the index grows with the output), found in one pass over the outputs, not the pairs.
struct Run {
    int first = 0, count = 0;
};
Run outputs_inside(int outputs, int offset, int extent, Axis a) {
    Run run;
    for (int p = 0; p < outputs; ++p) {
        const int m = input_index(p, offset, a);
        if (m < 0 || m >= extent) continue;
        if (run.count == 0) run.first = p;
        ++run.count;
    }
    return run;
}

void focus_on_tap(const Scene& scene, const LayerResults& results, Cell tap,
                  InfluenceView& view) {
    const int base = scene.index_base;
    const Shape kernel = shape_of(scene.kernel);
    const Shape input = shape_of(scene.input);
    const ConvSpec& spec = scene.spec;
    const int offset_row = window_offset(tap.row, kernel.rows, spec.mode);
    const int offset_col = window_offset(tap.col, kernel.cols, spec.mode);
    view.kernel_taps.push_back(tap);
    // A tap reaches each input element at most once (s*p is injective), so the pairs are
    // one element per output cell of the rectangle.
    const Run rows = outputs_inside(int(results.output.rows()), offset_row, input.rows, row_axis(spec));
    const Run cols = outputs_inside(int(results.output.cols()), offset_col, input.cols, col_axis(spec));
    TapPairs& pairs_of_tap = view.tap_pairs;
    pairs_of_tap.rows = rows.count;
    pairs_of_tap.cols = cols.count;
    pairs_of_tap.first_output = {rows.first, cols.first};
    pairs_of_tap.first_input = {input_index(rows.first, offset_row, row_axis(spec)),
                                input_index(cols.first, offset_col, col_axis(spec))};
    pairs_of_tap.input_spacing = {spec.stride.rows, spec.stride.cols};
    view.tap_sum = results.grad_kernel(tap.row, tap.col);
    const auto& pairs = view.tap_pairs;
    const std::string a = activated_symbol(scene);
    const std::vector<std::string> chain = {
        "\\partial J / \\partial w" + tex_subscript(tap, base) + " = " +
            join_terms(pairs.size(),
                       [&](size_t k) {
                           return "\\delta^{l+1}" + tex_subscript(pairs[k].second, base) +
                                  " \\cdot " + a + tex_subscript(pairs[k].first, base);
                       }),
        "= " + join_terms(pairs.size(),
                          [&](size_t k) {
                              const auto [e, o] = pairs[k];
                              return tex_factor(results.upstream(o.row, o.col)) + " \\cdot " +
                                     tex_factor(results.activated(e.row, e.col));
                          }),
        "= " + format_number(results.grad_kernel(tap.row, tap.col))};
    set_equation(view, kernel_gradient_general_tex(scene, shape_of(results.output)), chain);
}

}  // namespace

InfluenceView influence_view(const Scene& scene, const LayerResults& results,
                             std::optional<Focus> focus) {
    InfluenceView view;
    if (!focus) return view;
    try {
        if (!results_match(scene, results)) return view;
        const Cell c = focus->cell;
        switch (focus->grid) {
            case GridId::Input:
            case GridId::Activated:
            case GridId::GradInput:
                if (!contains(shape_of(scene.input), c)) return view;
                focus_on_input(scene, results, c, view);
                break;
            case GridId::Output:
            case GridId::Upstream:
                if (!contains(shape_of(results.output), c)) return view;
                focus_on_output(scene, results, c, view);
                break;
            case GridId::Kernel:
            case GridId::GradKernel:
                if (!contains(shape_of(scene.kernel), c)) return view;
                focus_on_tap(scene, results, c, view);
                break;
            case GridId::RotatedKernel:
            case GridId::PaddedUpstream:
                return view;  // the gather form's grids: lessons explain them, not hovering
        }
    } catch (const InputError&) {
        // A scene the engine rejects has no influence to show; the window reports the
        // error where the scene is loaded or edited.
        return InfluenceView{};
    }
    view.focus = focus;
    return view;
}

std::vector<std::string> influence_introduction_tex(const Scene& scene) {
    return {"Point at an element z^{l}_{m,n} to see every output z^{l+1}_{" + error_index_tex(scene) +
                "} it feeds through the tap w_{i,j}, and why",
            error_general_tex(scene) + "."};
}

std::string index_label(Cell c, int base) {
    return "(" + std::to_string(c.row + base) + "," + std::to_string(c.col + base) + ")";
}

}  // namespace convlens
