// The derivation lesson: DERIVATION.md line by line with its verdicts, the slip (reusing
// i, j inside the expansion) and its fix with fresh a, b, the final formula and its
// rotated-kernel form; beside every line four live numbers for the chosen z^l_{m,n}.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "engine/gradient_check.h"
#include "engine/influence.h"
#include "engine/layer.h"
#include "lesson/gather_form.h"
#include "lesson/lesson_builders.h"
#include "lesson/lesson_common.h"
#include "lesson/tex.h"
#include "util/number_format.h"

namespace convlens {
namespace {

std::string signed_constant(int value) {
    if (value == 0) return "";
    return (value > 0 ? "+" : "-") + std::to_string(std::abs(value));
}

// The textbook's index expressions (stride 1, no padding, cross-correlation) in the
// scene's base: in base 0 every "+1" and "-1" disappears.
struct Indices {
    std::string out;         // "m-i+1,n-j+1": the output z^l_{m,n} reaches through w_{i,j}
    std::string reused;      // "(m-i+1)+i-1,(n-j+1)+j-1": the slip's element
    std::string fresh;       // "m-i+a,n-j+b": the fix's element
    std::string padded;      // "m+i'-1,n+j'-1": the rotated form's window
    std::string turned;      // "i' = k_{h}-i+1, j' = k_{w}-j+1"
};

Indices indices(int base) {
    Indices x;
    const std::string m = "m-i" + signed_constant(base), n = "n-j" + signed_constant(base);
    x.out = m + "," + n;
    x.reused = "(" + m + ")+i" + signed_constant(-base) + ",(" + n + ")+j" + signed_constant(-base);
    x.fresh = "m-i+a,n-j+b";
    x.padded = "m+i'" + signed_constant(-base) + ",n+j'" + signed_constant(-base);
    // Zero-based i' = kh-1-i; one-based i' = kh-i+1: kh - i + (2*base - 1).
    x.turned = "i' = k_{h}-i" + signed_constant(2 * base - 1) + ", j' = k_{w}-j" +
               signed_constant(2 * base - 1);
    return x;
}

bool agrees_with(double value, double engine) {
    return std::abs(value - engine) <= 1e-6 * std::max({1.0, std::abs(value), std::abs(engine)});
}

// Which cells a line's marks pick out.
enum class Show {
    Element,       // only z^l_{m,n} and delta^l_{m,n}
    ChainTerms,    // the chain rule's terms: delta^{l+1}_{p,q} and w_{i,j} in term colours
    SumOfWeights,  // the mistake: every delta^{l+1}_{p,q} reached, times all of w
};

// One line of DERIVATION.md: its formula and verdict, and for the wrong ones the fix.
struct LineSpec {
    std::string tex;
    Verdict verdict;
    std::string reason;      // plain text
    std::string caption;     // plain text
    Show show;
    std::string fix_words;   // plain text before the fix, "" when the line is right
    std::string fix_tex;
    bool finishes = false;   // the result: the chosen element's numbers and the rotated form
};

struct Numbers {
    std::vector<InfluenceTap> inside;    // taps that reach an output
    double slope = 1;
    double chain_sum = 0, weight_sum = 0, reached_upstream_sum = 0;
    std::vector<Readout> readouts;
};

Numbers numbers_for(const Scene& scene, const LayerResults& results, Cell cell) {
    Numbers x;
    const int base = scene.index_base;
    for (const InfluenceTap& t : influence_taps(scene.kernel, results.upstream,
                                                matrix_shape(scene.input), scene.spec, cell, base))
        if (t.reach == TapReach::Inside) {
            x.inside.push_back(t);
            x.chain_sum += t.product;
            x.reached_upstream_sum += t.upstream;
        }
    x.weight_sum = scene.kernel.sum();
    x.slope = results.activation_slope(cell.row, cell.col);

    // J as a function of z^l_{m,n} alone.
    Matrix input = scene.input;
    const double z = input(cell.row, cell.col);
    const double fd = finite_difference(
        [&](double v) {
            input(cell.row, cell.col) = v;
            return objective(scene, input, scene.kernel);
        },
        z);

    const double engine = results.grad_input(cell.row, cell.col);
    const double mistaken = x.slope * x.reached_upstream_sum * x.weight_sum;
    const double chain = x.slope * x.chain_sum;
    // The rotated-kernel form summed here, term by term over the padded delta^{l+1}: on the
    // fast path the engine computes one form only (grad_input_gather is empty), and a
    // readout copied from it would agree with the engine by construction.
    double gathered = 0;
    const Matrix padded = gather_padded_upstream(results.upstream, matrix_shape(scene.kernel),
                                                 matrix_shape(scene.input), scene.spec);
    for (const GatherTerm& g : gather_terms(scene, padded, cell)) gathered += g.product;
    const double rotated = x.slope * gathered;
    x.readouts = {
        {"\\text{mistaken}", mistaken, agrees_with(mistaken, engine)},
        {"\\text{chain rule}", chain, agrees_with(chain, engine)},
        {"\\text{rotated kernel}", rotated, agrees_with(rotated, engine)},
        {"\\text{finite difference}", fd, agrees_with(fd, engine)},
    };
    return x;
}

std::vector<LineSpec> lines(const Scene& scene) {
    const Indices x = indices(scene.index_base);
    const std::string d_out = "\\partial z^{l+1}_{" + x.out + "}";
    const bool activated = scene.activation != Activation::Identity;
    const std::string times_slope = activated ? "f'(z^{l}_{m,n}) \\cdot " : "";
    LineSpec chain{
        "\\delta^{l}_{m,n} = \\sum_{i} \\sum_{j} \\partial J / " + d_out + " \\cdot " + d_out +
            " / \\partial z^{l}_{m,n}",
        Verdict::Correct,
        "the chain rule over every output that z(m,n) feeds, one per tap (i,j); a term whose "
        "output index falls outside the output is dropped, as if the upstream error were 0 "
        "there: that zero is the zero padding of the final formula.",
        "Line 1: the chain rule over every output the element touches.", Show::ChainTerms, "", ""};
    LineSpec known{"\\partial J / " + d_out + " = \\delta^{l+1}_{" + x.out + "}", Verdict::Correct,
                   "that is what the upstream error means: the derivative of J by each output.",
                   "Line 2: the first factor is the upstream error.", Show::ChainTerms, "", ""};
    LineSpec slip{
        "z^{l+1}_{" + x.out + "} = \\sum_{i} \\sum_{j} z^{l}_{" + x.reused + "} \\cdot w_{i,j}",
        Verdict::Wrong,
        "i and j are already bound by the outer sum of line 1; the forward formula needs "
        "summation letters of its own.",
        "Line 3: expanding the output with the forward formula, reusing the letters i, j: "
        "the slip.",
        Show::Element,
        "With fresh letters a, b the outer i, j stay fixed inside:",
        "z^{l+1}_{" + x.out + "} = \\sum_{a} \\sum_{b} z^{l}_{" + x.fresh + "} \\cdot w_{a,b}"};
    LineSpec same{
        "z^{l}_{" + x.reused + "} = z^{l}_{m,n}", Verdict::Wrong,
        "a consequence of line 3: with fresh letters the element is z(m−i+a, n−j+b), which is "
        "z(m,n) only when a = i and b = j.",
        "Line 4: simplifying the index so that every term seems to be the element itself.",
        Show::Element, "With the fresh letters:",
        "z^{l}_{" + x.fresh + "} = z^{l}_{m,n} \\text{ only when } a = i, b = j"};
    LineSpec sum_of_weights{
        d_out + " / \\partial z^{l}_{m,n} = \\sum_{i} \\sum_{j} w_{i,j}", Verdict::Wrong,
        "only the single term a = i, b = j depends on z(m,n); every other term is a constant "
        "for this derivative.",
        "Line 5: pulling the element out of the sum gives the sum of all the weights: the "
        "mistaken number.",
        Show::SumOfWeights, "Only a = i, b = j survives:",
        d_out + " / \\partial z^{l}_{m,n} = \\sum_{a} \\sum_{b} \\partial z^{l}_{" + x.fresh +
            "} / \\partial z^{l}_{m,n} \\cdot w_{a,b} = w_{i,j}"};
    LineSpec result{
        "\\delta^{l}_{m,n} = " + times_slope + "\\sum_{i} \\sum_{j} \\delta^{l+1}_{" + x.out +
            "} \\cdot w_{i,j}",
        Verdict::Correct,
        std::string("there is no double sum of a double sum with the same letters: with the "
                    "right derivative the chain rule gives this, and renaming the taps and "
                    "padding the upstream error with zeros makes it a full cross-correlation "
                    "with the kernel rotated by 180°, a full convolution with w.") +
            (activated ? " The activation before the layer multiplies it by f′(z(m,n))." : ""),
        "Line 6: the result, and the same sum as a correlation with the turned kernel.",
        Show::ChainTerms,
        "Rotated: rename the taps and pad the upstream error with zeros:",
        "\\delta^{l}_{m,n} = " + times_slope + "\\sum_{i'} \\sum_{j'} \\tilde{\\delta}_{" +
            x.padded + "} \\cdot \\mathrm{rot180}(w)_{i',j'}, \\quad " + x.turned,
        true};
    return {chain, known, slip, same, sum_of_weights, result};
}

// Whether the scene is the case the derivation is written for.
bool textbook_case(const ConvSpec& s) {
    return s.stride == AxisPair{1, 1} && s.padding == AxisPair{0, 0} &&
           s.dilation == AxisPair{1, 1} && s.mode == ConvMode::CrossCorrelation;
}

void add_chain_terms(const Scene& scene, const Numbers& x, Step& step) {
    const int base = scene.index_base;
    for (size_t k = 0; k < x.inside.size(); ++k) {
        const InfluenceTap& t = x.inside[k];
        step.terms.push_back({"\\delta^{l+1}" + tex_subscript(*t.output, base) + " \\cdot w" +
                                  tex_subscript(t.tap, base),
                              tex_factor(t.upstream) + " \\cdot " + tex_factor(t.weight),
                              t.product, false});
        step.marks.push_back({GridId::Upstream, *t.output, MarkRole::Term, int(k)});
        step.marks.push_back({GridId::Kernel, t.tap, MarkRole::Term, int(k)});
    }
}

// The chosen element's numbers under a finished formula: substituted, values, sum.
void add_numbers(const Scene& scene, const LayerResults& results, Cell cell, double sum,
                 Step& step) {
    const int base = scene.index_base;
    const bool activated = scene.activation != Activation::Identity;
    const double slope = results.activation_slope(cell.row, cell.col);
    const std::string open = activated ? "f'(z^{l}" + tex_subscript(cell, base) + ") \\cdot (" : "";
    const std::string open_value = activated ? tex_factor(slope) + " \\cdot (" : "";
    const std::string close = activated ? ")" : "";
    const auto& terms = step.terms;
    step.equation.push_back(equation_line(
        LineKind::Substituted, "= " + open,
        sum_pieces(terms.size(), [&](size_t k) { return terms[k].symbolic; }), close));
    step.equation.push_back(equation_line(
        LineKind::Values, "= " + open_value,
        sum_pieces(terms.size(), [&](size_t k) { return terms[k].numeric; }), close));
    const double value = results.grad_input(cell.row, cell.col);
    step.equation.push_back(text_line(
        LineKind::Sum, "= " + (activated ? tex_factor(slope) + " \\cdot " + tex_factor(sum) + " = "
                                         : std::string()) +
                           format_number(value)));
    step.value = value;
}

}  // namespace

Lesson build_derivation(const Scene& scene, const LayerResults& results, Cell cell) {
    Lesson lesson;
    lesson.name = LessonName::Derivation;
    lesson.cell = cell;
    lesson.grids = {GridId::Input, GridId::Kernel, GridId::Upstream, GridId::GradInput};
    const Numbers x = numbers_for(scene, results, cell);

    // Notes every caption carries: where the scene leaves the textbook case, and relu's
    // kink, where no finite difference can agree.
    std::string note;
    if (!textbook_case(scene.spec))
        note += " The lines are written for stride 1, no padding, no dilation and an unflipped "
                "kernel; the numbers use the geometry of this scene.";
    const double z = scene.input(cell.row, cell.col);
    if (is_kink(scene.activation, z))
        note += " relu has a kink at this z, so the finite difference straddles it.";

    for (const LineSpec& line : lines(scene)) {
        Step step;
        step.about = Focus{GridId::Input, cell};
        step.caption = line.caption + note;
        step.verdict = line.verdict;
        step.reason = line.reason;
        step.readouts = x.readouts;
        step.marks.push_back({GridId::Input, cell, MarkRole::Focus, -1});
        step.marks.push_back({GridId::GradInput, cell, MarkRole::Result, -1});
        switch (line.show) {
            case Show::Element: break;
            case Show::ChainTerms: add_chain_terms(scene, x, step); break;
            case Show::SumOfWeights:
                for (const InfluenceTap& t : x.inside)
                    step.marks.push_back({GridId::Upstream, *t.output, MarkRole::Window, -1});
                for (int i = 0; i < scene.kernel.rows(); ++i)
                    for (int j = 0; j < scene.kernel.cols(); ++j)
                        step.marks.push_back({GridId::Kernel, {i, j}, MarkRole::Window, -1});
                break;
        }
        // The line, its numbers when it is the result, the verdict, then the fix.
        step.equation.push_back(text_line(LineKind::General, line.tex));
        if (line.finishes) add_numbers(scene, results, cell, x.chain_sum, step);
        step.equation.push_back(text_line(
            LineKind::Text, std::string("\\text{") +
                                (line.verdict == Verdict::Correct ? "Correct: " : "Wrong: ") +
                                line.reason + "}"));
        if (!line.fix_tex.empty()) {
            step.equation.push_back(text_line(LineKind::Text, "\\text{" + line.fix_words + "}"));
            step.equation.push_back(text_line(LineKind::General, line.fix_tex));
        }
        lesson.steps.push_back(std::move(step));
    }
    return lesson;
}

}  // namespace convlens
