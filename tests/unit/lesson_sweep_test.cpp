// Every lesson against the engine and the independent autodiff oracle, across a sweep
// of random scenes (shapes, strides, paddings, dilations per axis, both modes, all four
// activations, both index bases, the three loss sources): the number of steps, every
// step's value, the terms that add up to it, the cells each term names, that every
// marked cell lies in its grid or its padding ring, the index arithmetic written in the
// equations, and the derivation's four numbers.
//
// The expectations are derived here from DESIGN.md's formulas, not from the lessons'
// code: window offset a = i (convolution mode: kh-1-i), input row s*p + d*a - P under
// output p, and tap a of element m reaching output p = (m + P - d*a) / s when whole.
//
// [SECTION] Helpers: tolerances, shapes, independent index maps
// [SECTION] Checks every lesson shares: cells in their grids, terms, index arithmetic
// [SECTION] One check per lesson
// [SECTION] The sweep

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/activation.h"
#include "engine/influence.h"
#include "engine/layer.h"
#include "engine/layer_results.h"
#include "lesson/lesson.h"
#include "scene/scene_json.h"
#include "unit/autodiff.h"

namespace convlens {
namespace {

// [SECTION] Helpers: tolerances, shapes, independent index maps

bool close(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)); }

::testing::AssertionResult agree(const char* what, double lesson, double expected) {
    if (close(lesson, expected)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << what << ": lesson " << lesson << ", expected " << expected;
}

std::string cell_text(Cell c) {
    return "(" + std::to_string(c.row) + "," + std::to_string(c.col) + ") zero-based";
}

const char* grid_text(GridId g) {
    switch (g) {
        case GridId::Input: return "Input";
        case GridId::Activated: return "Activated";
        case GridId::Kernel: return "Kernel";
        case GridId::Output: return "Output";
        case GridId::Upstream: return "Upstream";
        case GridId::GradInput: return "GradInput";
        case GridId::GradKernel: return "GradKernel";
        case GridId::RotatedKernel: return "RotatedKernel";
        case GridId::PaddedUpstream: return "PaddedUpstream";
    }
    return "?";
}

bool is_input_grid(GridId g) { return g == GridId::Input || g == GridId::Activated; }
bool is_kernel_grid(GridId g) { return g == GridId::Kernel || g == GridId::GradKernel; }
bool is_output_grid(GridId g) { return g == GridId::Output || g == GridId::Upstream; }

// What one test case holds: the scene, the engine's numbers and the oracle's.
struct Case {
    Scene scene;
    LayerResults results;
    ad::ReferenceLayer reference;
    int H = 0, W = 0, kh = 0, kw = 0, Ho = 0, Wo = 0;
    AxisPair s, P, d;
    bool conv = false;

    explicit Case(Scene sc) : scene(std::move(sc)) {
        results = compute_layer(scene);
        reference = ad::reference_layer(scene);
        H = int(scene.input.rows());
        W = int(scene.input.cols());
        kh = int(scene.kernel.rows());
        kw = int(scene.kernel.cols());
        Ho = int(reference.output.rows());
        Wo = int(reference.output.cols());
        s = scene.spec.stride;
        P = scene.spec.padding;
        d = scene.spec.dilation;
        conv = scene.spec.mode == ConvMode::Convolution;
    }
    // Where stored tap i sits in the forward window (convolution mode flips the kernel).
    int offset_row(int i) const { return conv ? kh - 1 - i : i; }
    int offset_col(int j) const { return conv ? kw - 1 - j : j; }
    // a^l, or 0 in the zero padding around it.
    bool inside_input(Cell c) const { return c.row >= 0 && c.col >= 0 && c.row < H && c.col < W; }
    double activated_or_zero(Cell c) const {
        return inside_input(c) ? activate(scene.activation, scene.input(c.row, c.col)) : 0.0;
    }
    double slope(Cell c) const {
        return activation_derivative(scene.activation, scene.input(c.row, c.col));
    }
};

// Output index a tap reaches along one axis, when the division by the stride is whole.
std::optional<int> reach(int element, int offset, int stride, int padding, int dilation) {
    const int numerator = element + padding - dilation * offset;
    if (((numerator % stride) + stride) % stride != 0) return std::nullopt;
    return (numerator - ((numerator % stride) + stride) % stride) / stride;
}

struct TapLanding {
    std::optional<Cell> cell;  // whole indices: inside the output or in its padding ring
    bool inside = false;       // inside the output: the term is delta * w
};

TapLanding landing(const Case& k, Cell element, Cell tap) {
    const auto p = reach(element.row, k.offset_row(tap.row), k.s.rows, k.P.rows, k.d.rows);
    const auto q = reach(element.col, k.offset_col(tap.col), k.s.cols, k.P.cols, k.d.cols);
    TapLanding t;
    if (p && q) {
        t.cell = Cell{*p, *q};
        t.inside = *p >= 0 && *q >= 0 && *p < k.Ho && *q < k.Wo;
    }
    return t;
}

// The scatter term delta^{l+1}_{p,q} * w_{i,j} of element and tap, from the oracle's delta.
double scatter_term(const Case& k, Cell element, Cell tap) {
    const TapLanding t = landing(k, element, tap);
    if (!t.inside) return 0;
    return k.reference.upstream(t.cell->row, t.cell->col) * k.scene.kernel(tap.row, tap.col);
}

// Allowed rows and columns of each grid, ring included (inclusive bounds).
struct Bounds {
    int row_lo = 0, row_hi = -1, col_lo = 0, col_hi = -1;
    bool contains(Cell c) const {
        return c.row >= row_lo && c.row <= row_hi && c.col >= col_lo && c.col <= col_hi;
    }
};

Bounds grid_bounds(const Case& k, const Lesson& lesson, GridId g) {
    switch (g) {
        case GridId::Input:
        case GridId::Activated:
        case GridId::GradInput:
            return {-k.P.rows, k.H - 1 + k.P.rows, -k.P.cols, k.W - 1 + k.P.cols};
        case GridId::Kernel:
        case GridId::GradKernel: return {0, k.kh - 1, 0, k.kw - 1};
        case GridId::Output:
        case GridId::Upstream: {
            // The output plus every whole index a tap of some element can reach.
            Bounds b{0, k.Ho - 1, 0, k.Wo - 1};
            for (int m = 0; m < k.H; ++m)
                for (int a = 0; a < k.kh; ++a)
                    if (auto p = reach(m, a, k.s.rows, k.P.rows, k.d.rows)) {
                        b.row_lo = std::min(b.row_lo, *p);
                        b.row_hi = std::max(b.row_hi, *p);
                    }
            for (int n = 0; n < k.W; ++n)
                for (int a = 0; a < k.kw; ++a)
                    if (auto q = reach(n, a, k.s.cols, k.P.cols, k.d.cols)) {
                        b.col_lo = std::min(b.col_lo, *q);
                        b.col_hi = std::max(b.col_hi, *q);
                    }
            return b;
        }
        case GridId::RotatedKernel:
        case GridId::PaddedUpstream:
            for (const ExtraGrid& e : lesson.extra_grids)
                if (e.id == g)
                    return {0, int(e.values.rows()) - 1, 0, int(e.values.cols()) - 1};
            return {};  // not in the lesson: nothing may be marked there
    }
    return {};
}

const ExtraGrid* extra_grid(const Lesson& lesson, GridId g) {
    for (const ExtraGrid& e : lesson.extra_grids)
        if (e.id == g) return &e;
    return nullptr;
}

// The marks of one term on one family of grids.
std::vector<const Mark*> term_marks(const Step& step, int term, bool (*family)(GridId)) {
    std::vector<const Mark*> found;
    for (const Mark& m : step.marks)
        if (m.term == term && family(m.grid) &&
            (m.role == MarkRole::Term || m.role == MarkRole::Padding))
            found.push_back(&m);
    return found;
}
std::vector<const Mark*> term_marks_on(const Step& step, int term, GridId grid) {
    std::vector<const Mark*> found;
    for (const Mark& m : step.marks)
        if (m.term == term && m.grid == grid &&
            (m.role == MarkRole::Term || m.role == MarkRole::Padding))
            found.push_back(&m);
    return found;
}

bool has_mark(const Step& step, GridId grid, Cell cell, MarkRole role) {
    for (const Mark& m : step.marks)
        if (m.grid == grid && m.cell == cell && m.role == role) return true;
    return false;
}

double term_sum(const Step& step) {
    double sum = 0;
    for (const Term& t : step.terms) sum += t.value;
    return sum;
}

// "w_{2,3}" (any base) -> the zero-based tap, or nullopt.
std::optional<Cell> tap_of_tag(const std::string& tex, int base) {
    static const std::regex pattern(R"(w_\{\s*(-?\d+)\s*,\s*(-?\d+)\s*\})");
    std::smatch m;
    if (!std::regex_search(tex, m, pattern)) return std::nullopt;
    return Cell{std::stoi(m[1]) - base, std::stoi(m[2]) - base};
}

// [SECTION] Checks every lesson shares: cells in their grids, terms, index arithmetic

// A tiny evaluator for the index arithmetic lessons write out: integers, + - * / and
// parentheses, a number right before '(' multiplies ("2(3-1)+1").
class Arithmetic {
public:
    explicit Arithmetic(std::string text) : s_(std::move(text)) {}
    std::optional<double> value() {
        const auto v = sum();
        skip();
        if (!v || pos_ != s_.size()) return std::nullopt;
        return v;
    }

private:
    void skip() {
        while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
    }
    std::optional<double> sum() {
        auto v = product();
        for (skip(); v && pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-'); skip()) {
            const char op = s_[pos_++];
            const auto r = product();
            if (!r) return std::nullopt;
            v = op == '+' ? *v + *r : *v - *r;
        }
        return v;
    }
    std::optional<double> product() {
        auto v = factor();
        for (skip(); v && pos_ < s_.size() && (s_[pos_] == '/' || s_[pos_] == '*' || s_[pos_] == '(');
             skip()) {
            const bool divide = s_[pos_] == '/';
            if (s_[pos_] != '(') ++pos_;
            const auto r = factor();
            if (!r || (divide && *r == 0)) return std::nullopt;
            v = divide ? *v / *r : *v * *r;
        }
        return v;
    }
    std::optional<double> factor() {
        skip();
        if (pos_ >= s_.size()) return std::nullopt;
        if (s_[pos_] == '-') {
            ++pos_;
            const auto v = factor();
            return v ? std::optional<double>(-*v) : std::nullopt;
        }
        if (s_[pos_] == '(') {
            ++pos_;
            const auto v = sum();
            skip();
            if (pos_ >= s_.size() || s_[pos_] != ')') return std::nullopt;
            ++pos_;
            return v;
        }
        size_t end = pos_;
        while (end < s_.size() && std::isdigit(static_cast<unsigned char>(s_[end]))) ++end;
        if (end == pos_) return std::nullopt;
        const double v = std::stod(s_.substr(pos_, end - pos_));
        pos_ = end;
        return v;
    }
    std::string s_;
    size_t pos_ = 0;
};

// Every "3-2+1 = 2" a string holds: the left side (integers and + - / parentheses, with
// at least one operator) and the number after " = ". Returns how many it checked.
int check_index_arithmetic(const std::string& tex, const std::string& where) {
    static const std::regex pattern(R"(([0-9()+\-/ ]*[0-9)])\s*=\s*(-?[0-9]+(?:\.[0-9]+)?))");
    int checked = 0;
    for (auto it = std::sregex_iterator(tex.begin(), tex.end(), pattern);
         it != std::sregex_iterator(); ++it) {
        // "0.5 + 1 = 1.5" is a sum of values, not index arithmetic: the run must not
        // start inside a decimal number.
        const auto start = size_t(it->position(1));
        if (start > 0 && (tex[start - 1] == '.' || std::isalnum(static_cast<unsigned char>(tex[start - 1]))))
            continue;
        std::string expression = (*it)[1];
        // The run may start inside a longer expression ("x_{2}" leaves "2"): drop a lone
        // leading operand so only sums with an operator count.
        const auto first = expression.find_first_not_of(' ');
        expression = expression.substr(first);
        if (expression.find_first_of("+-/(") == std::string::npos) continue;
        // A unary minus in front of everything is a value ("-1 = -1"), not arithmetic.
        if (expression.find_first_of("+-/(", 1) == std::string::npos) continue;
        // Balanced parentheses only: the run may begin after an opening one.
        if (std::count(expression.begin(), expression.end(), '(') !=
            std::count(expression.begin(), expression.end(), ')'))
            continue;
        const auto value = Arithmetic(expression).value();
        if (!value) continue;
        const double stated = std::stod((*it)[2]);
        EXPECT_NEAR(*value, stated, 1e-3) << where << ": \"" << expression << " = " << stated
                                          << "\" in " << tex;
        ++checked;
    }
    return checked;
}

// Everything that must hold for any step of any lesson.
void check_common(const Case& k, const Lesson& lesson, int* arithmetic_checked) {
    ASSERT_FALSE(lesson.steps.empty());
    for (GridId g : lesson.grids) {
        if (g == GridId::RotatedKernel || g == GridId::PaddedUpstream) {
            EXPECT_NE(extra_grid(lesson, g), nullptr) << grid_text(g) << " shown, not built";
        }
    }
    for (size_t n = 0; n < lesson.steps.size(); ++n) {
        const Step& step = lesson.steps[n];
        SCOPED_TRACE("step " + std::to_string(n + 1) + ": " + step.caption);
        for (const Mark& m : step.marks) {
            EXPECT_TRUE(grid_bounds(k, lesson, m.grid).contains(m.cell))
                << "mark on " << grid_text(m.grid) << " at " << cell_text(m.cell);
            EXPECT_LT(m.term, int(step.terms.size()));
        }
        for (const Link& l : step.links) {
            EXPECT_TRUE(grid_bounds(k, lesson, l.from_grid).contains(l.from))
                << "link from " << grid_text(l.from_grid) << " " << cell_text(l.from);
            EXPECT_TRUE(grid_bounds(k, lesson, l.to_grid).contains(l.to))
                << "link to " << grid_text(l.to_grid) << " " << cell_text(l.to);
            EXPECT_LT(l.term, int(step.terms.size()));
        }
        for (const Tag& t : step.tags)
            EXPECT_TRUE(grid_bounds(k, lesson, t.grid).contains(t.cell))
                << "tag " << t.tex << " on " << grid_text(t.grid) << " at " << cell_text(t.cell);
        for (const Token& t : step.tokens)
            EXPECT_TRUE(grid_bounds(k, lesson, t.grid).contains(t.cell))
                << "token " << t.key << " on " << grid_text(t.grid) << " at " << cell_text(t.cell);
        if (step.window) {
            const KernelWindow& w = *step.window;
            const Bounds b = grid_bounds(k, lesson, w.grid);
            const Cell last{w.origin.row + w.spacing.row * (w.rows - 1),
                            w.origin.col + w.spacing.col * (w.cols - 1)};
            EXPECT_TRUE(b.contains(w.origin) && b.contains(last))
                << "window on " << grid_text(w.grid) << " from " << cell_text(w.origin) << " to "
                << cell_text(last);
        }
        // A step that finishes a sum of terms: the terms add up to it, times f'(z^l) of
        // the element when the lesson applies the activation's slope.
        if (step.value && !step.terms.empty()) {
            const double sum = term_sum(step);
            const bool element = step.about && (is_input_grid(step.about->grid) ||
                                                step.about->grid == GridId::GradInput);
            EXPECT_TRUE(close(*step.value, sum) ||
                        (element && close(*step.value, sum * k.slope(step.about->cell))))
                << "value " << *step.value << ", terms add up to " << sum;
        }
        for (const Term& t : step.terms)
            if (t.padding) {
                EXPECT_EQ(t.value, 0.0) << "a padding term adds nothing: " << t.symbolic;
            }
        for (const EquationLine& line : step.equation)
            *arithmetic_checked += check_index_arithmetic(line.tex(), "equation");
        for (const Term& t : step.terms)
            *arithmetic_checked += check_index_arithmetic(t.symbolic, "term");
        *arithmetic_checked += check_index_arithmetic(step.caption, "caption");
    }
}

// Index substitutions checked so far, over the whole test program.
int arithmetic_checked = 0;

// Builds the lesson (a throw is a failure, and an empty lesson) and runs the checks every
// lesson shares on it; each lesson is built once per test case, which keeps the sweep
// fast under the sanitizers.
Lesson build_checked(const Case& k, LessonName name, std::optional<Cell> cell) {
    SCOPED_TRACE(std::string("lesson ") + lesson_name(name) +
                 (cell ? " for " + cell_text(*cell) : " without a cell"));
    Lesson lesson;
    try {
        lesson = build_lesson(name, k.scene, k.results, cell);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "build_lesson threw: " << e.what();
        return Lesson{};
    }
    check_common(k, lesson, &arithmetic_checked);
    return lesson;
}

// [SECTION] One check per lesson

// Every cell a term names in its TeX ("\hat{z}^{l}_{1,3} \cdot w_{1,2}") is marked, with
// that term's index, on the grid the name belongs to: z^l and a^l in the scene's base,
// \hat{z}^l in the padded input's (shifted by P), delta^{l+1} on the upstream grid (its
// padding ring included), \tilde{\delta} by the padded grid's own labels, w as stored
// (on the turned kernel, where the backward lesson marks it, at its rotated place).
// Returns how many names it checked.
int check_term_names(const Case& k, const Lesson& lesson, const Step& step) {
    static const std::regex name(
        R"((\\hat\{[za]\}\^\{l\}|[za]\^\{l\}|\\delta\^\{l\+1\}|\\tilde\{\\delta\}|w)_\{(-?\d+),(-?\d+)\})");
    const int base = k.scene.index_base;
    const ExtraGrid* padded = extra_grid(lesson, GridId::PaddedUpstream);
    int checked = 0;
    for (int t = 0; t < int(step.terms.size()); ++t) {
        const std::string& tex = step.terms[size_t(t)].symbolic;
        for (auto it = std::sregex_iterator(tex.begin(), tex.end(), name); it != std::sregex_iterator(); ++it) {
            const std::string symbol = (*it)[1];
            const Cell label{std::stoi((*it)[2]), std::stoi((*it)[3])};
            bool (*family)(GridId) = is_input_grid;
            Cell expected{label.row - base, label.col - base};
            if (symbol.rfind("\\hat", 0) == 0) {
                expected = {expected.row - k.P.rows, expected.col - k.P.cols};
            } else if (symbol.rfind("\\delta", 0) == 0) {
                family = is_output_grid;
            } else if (symbol.rfind("\\tilde", 0) == 0) {
                if (!padded) continue;
                family = [](GridId g) { return g == GridId::PaddedUpstream; };
                expected = {label.row - padded->first_index.row, label.col - padded->first_index.col};
            } else if (symbol == "w") {
                family = is_kernel_grid;
                if (lesson.name == LessonName::Backward) {
                    family = [](GridId g) { return g == GridId::RotatedKernel; };
                    if (!k.conv) expected = {k.kh - 1 - expected.row, k.kw - 1 - expected.col};
                }
            }
            bool marked = false;
            for (const Mark* m : term_marks(step, t, family)) marked = marked || m->cell == expected;
            EXPECT_TRUE(marked) << "term " << t << " \"" << tex << "\" names " << (*it)[0]
                                << ", which is " << cell_text(expected) << ": not marked for it";
            ++checked;
        }
    }
    return checked;
}

void check_forward(const Case& k, std::optional<Cell> cell) {
    const Lesson lesson = build_checked(k, LessonName::Forward, cell);
    ASSERT_EQ(lesson.steps.size(), size_t(k.Ho * k.Wo)) << "one step per output cell";
    if (cell) {
        EXPECT_EQ(lesson.first_step_of_cell, cell->row * k.Wo + cell->col);
    }
    for (int p = 0; p < k.Ho; ++p)
        for (int q = 0; q < k.Wo; ++q) {
            const Step& step = lesson.steps[size_t(p * k.Wo + q)];
            SCOPED_TRACE("forward step for output " + cell_text({p, q}));
            ASSERT_TRUE(step.about.has_value());
            EXPECT_EQ(step.about->grid, GridId::Output);
            EXPECT_EQ(step.about->cell, (Cell{p, q}));
            ASSERT_TRUE(step.value.has_value());
            EXPECT_TRUE(agree("value vs engine", *step.value, k.results.output(p, q)));
            EXPECT_TRUE(agree("value vs autodiff", *step.value, k.reference.output(p, q)));
            EXPECT_TRUE(agree("sum of terms", term_sum(step), *step.value));
            EXPECT_TRUE(has_mark(step, GridId::Output, {p, q}, MarkRole::Result));
            ASSERT_EQ(step.terms.size(), size_t(k.kh * k.kw)) << "one product per tap";
            std::set<std::pair<int, int>> taps;
            for (int t = 0; t < int(step.terms.size()); ++t) {
                const auto on_kernel = term_marks(step, t, is_kernel_grid);
                const auto on_input = term_marks(step, t, is_input_grid);
                ASSERT_EQ(on_kernel.size(), 1u) << "term " << t << " names one tap";
                ASSERT_EQ(on_input.size(), 1u) << "term " << t << " names one input cell";
                const Cell tap = on_kernel[0]->cell;
                taps.insert({tap.row, tap.col});
                const Cell under{k.s.rows * p + k.d.rows * k.offset_row(tap.row) - k.P.rows,
                                 k.s.cols * q + k.d.cols * k.offset_col(tap.col) - k.P.cols};
                EXPECT_EQ(on_input[0]->cell, under) << "term " << t << ": tap " << cell_text(tap);
                EXPECT_EQ(step.terms[size_t(t)].padding, !k.inside_input(under));
                EXPECT_EQ(on_input[0]->role == MarkRole::Padding, !k.inside_input(under));
                EXPECT_TRUE(agree("term", step.terms[size_t(t)].value,
                                  k.activated_or_zero(under) * k.scene.kernel(tap.row, tap.col)));
            }
            EXPECT_EQ(taps.size(), size_t(k.kh * k.kw)) << "every tap once";
            EXPECT_EQ(check_term_names(k, lesson, step), 2 * k.kh * k.kw) << "each term names two cells";
            if (step.window) {
                EXPECT_TRUE(is_input_grid(step.window->grid));
                EXPECT_EQ(step.window->origin,
                          (Cell{k.s.rows * p - k.P.rows, k.s.cols * q - k.P.cols}));
                EXPECT_EQ(step.window->spacing, (Cell{k.d.rows, k.d.cols}));
            }
        }
}

// The influence lesson for one element: a step per tap, then f'.
void check_influence_cell(const Case& k, Cell e) {
    const Lesson lesson = build_checked(k, LessonName::Influence, e);
    ASSERT_EQ(lesson.steps.size(), size_t(k.kh * k.kw + 1)) << "one step per tap, then f'";
    const AxisIndexMap rows = row_index_map(k.scene.spec, k.kh, k.scene.index_base);
    const AxisIndexMap cols = col_index_map(k.scene.spec, k.kw, k.scene.index_base);
    const int base = k.scene.index_base;
    double running = 0;
    for (int t = 0; t < k.kh * k.kw; ++t) {
        const Cell tap{t / k.kw, t % k.kw};
        SCOPED_TRACE("influence of " + cell_text(e) + ", tap " + cell_text(tap));
        const Step& step = lesson.steps[size_t(t)];
        running += scatter_term(k, e, tap);
        check_term_names(k, lesson, step);
        ASSERT_EQ(step.terms.size(), size_t(t + 1)) << "the taps so far";
        if (step.value) {
            EXPECT_TRUE(agree("running sum", *step.value, running));
        }
        EXPECT_TRUE(agree("sum of terms", term_sum(step), running));
        for (int u = 0; u <= t; ++u) {
            const Cell earlier{u / k.kw, u % k.kw};
            const TapLanding land = landing(k, e, earlier);
            EXPECT_TRUE(agree("term", step.terms[size_t(u)].value, scatter_term(k, e, earlier)));
            EXPECT_EQ(step.terms[size_t(u)].padding, !land.inside) << "term " << u;
            for (const Mark* m : term_marks(step, u, is_kernel_grid))
                EXPECT_EQ(m->cell, earlier) << "term " << u << " names its tap";
            for (const Mark* m : term_marks(step, u, is_output_grid)) {
                ASSERT_TRUE(land.cell.has_value()) << "a stride gap has no cell to mark";
                EXPECT_EQ(m->cell, *land.cell) << "term " << u;
                // The engine's index map says the same, in the scene's base.
                const auto p = rows.evaluate(e.row + base, earlier.row + base);
                const auto q = cols.evaluate(e.col + base, earlier.col + base);
                ASSERT_TRUE(p && q);
                EXPECT_EQ(m->cell, (Cell{*p - base, *q - base})) << "AxisIndexMap, term " << u;
            }
            if (land.inside) {
                EXPECT_EQ(term_marks(step, u, is_output_grid).size(), 1u)
                    << "term " << u << " marks its delta^{l+1} cell";
            }
        }
        // The substituted line writes this tap's output index as arithmetic in the
        // scene's base, "\delta^{l+1}_{3-1+1,2-1+1}": it must evaluate to where the tap
        // lands (a fraction for a stride gap).
        {
            static const std::regex substituted(R"(\\delta\^\{l\+1\}_\{([^,{}]+),([^,{}]+)\})");
            bool found = false;
            for (const EquationLine& line : step.equation) {
                if (line.kind != LineKind::Substituted) continue;
                const std::string tex = line.tex();
                std::smatch m;
                if (!std::regex_search(tex, m, substituted)) continue;
                found = true;
                auto times = [](std::string x) {  // the dilation's product, 2 \cdot i
                    for (size_t at; (at = x.find("\\cdot")) != std::string::npos;) x.replace(at, 5, "*");
                    return x;
                };
                const auto p = Arithmetic(times(m[1])).value();
                const auto q = Arithmetic(times(m[2])).value();
                ASSERT_TRUE(p && q) << tex;
                const TapLanding land = landing(k, e, tap);
                if (land.cell) {
                    EXPECT_EQ(*p, land.cell->row + base) << tex;
                    EXPECT_EQ(*q, land.cell->col + base) << tex;
                } else {
                    EXPECT_TRUE(*p != std::floor(*p) || *q != std::floor(*q)) << tex;
                }
                break;
            }
            EXPECT_TRUE(found) << "a Substituted line with this tap's delta^{l+1} index";
        }
        for (const Link& l : step.links) {
            if (l.term < 0) continue;
            const TapLanding land = landing(k, e, {l.term / k.kw, l.term % k.kw});
            ASSERT_TRUE(land.cell.has_value()) << "no link into a stride gap";
            EXPECT_EQ(l.to, *land.cell) << "link of term " << l.term;
            EXPECT_EQ(l.dashed, !land.inside) << "link of term " << l.term;
            EXPECT_EQ(l.from, e);
        }
        for (const Tag& tag : step.tags) {
            if (!is_output_grid(tag.grid)) continue;
            const auto named = tap_of_tag(tag.tex, base);
            if (!named) continue;
            const TapLanding land = landing(k, e, *named);
            ASSERT_TRUE(land.cell.has_value()) << tag.tex;
            EXPECT_EQ(tag.cell, *land.cell) << "tag " << tag.tex << " sits where its tap lands";
        }
    }
    const Step& last = lesson.steps.back();
    ASSERT_TRUE(last.value.has_value());
    EXPECT_TRUE(agree("delta^l vs engine", *last.value, k.results.grad_input(e.row, e.col)));
    EXPECT_TRUE(agree("delta^l vs autodiff", *last.value, k.reference.grad_input(e.row, e.col)));
    EXPECT_TRUE(agree("terms times f'", term_sum(last) * k.slope(e), *last.value));
    EXPECT_TRUE(has_mark(last, GridId::GradInput, e, MarkRole::Result));
}

// Steps about the input elements in row-major order from `first`, each finishing
// delta^l_{m,n} (times f'). Used by influence without a cell and by backward.
void check_element_steps(const Case& k, const Lesson& lesson, size_t first) {
    ASSERT_EQ(lesson.steps.size(), first + size_t(k.H * k.W));
    for (int m = 0; m < k.H; ++m)
        for (int n = 0; n < k.W; ++n) {
            const Step& step = lesson.steps[first + size_t(m * k.W + n)];
            SCOPED_TRACE(std::string(lesson_name(lesson.name)) + " step for " + cell_text({m, n}));
            ASSERT_TRUE(step.about.has_value());
            EXPECT_TRUE(is_input_grid(step.about->grid) || step.about->grid == GridId::GradInput);
            EXPECT_EQ(step.about->cell, (Cell{m, n}));
            ASSERT_TRUE(step.value.has_value());
            EXPECT_TRUE(agree("value vs engine", *step.value, k.results.grad_input(m, n)));
            EXPECT_TRUE(agree("value vs autodiff", *step.value, k.reference.grad_input(m, n)));
            EXPECT_TRUE(agree("terms times f'", term_sum(step) * k.slope({m, n}), *step.value));
            EXPECT_TRUE(has_mark(step, GridId::GradInput, {m, n}, MarkRole::Result));
        }
}

void check_influence_all(const Case& k) {
    const Lesson lesson = build_checked(k, LessonName::Influence, std::nullopt);
    check_element_steps(k, lesson, 0);
    for (int m = 0; m < k.H; ++m)
        for (int n = 0; n < k.W; ++n) {
            const Step& step = lesson.steps[size_t(m * k.W + n)];
            for (const Link& l : step.links) {
                EXPECT_EQ(l.from, (Cell{m, n}));
                if (l.term < 0 || l.term >= int(step.terms.size())) continue;
                // Whichever tap the term is, the arrow ends where some tap lands.
                bool lands = false;
                for (int i = 0; i < k.kh; ++i)
                    for (int j = 0; j < k.kw; ++j) {
                        const TapLanding land = landing(k, {m, n}, {i, j});
                        lands = lands || (land.cell && *land.cell == l.to);
                    }
                EXPECT_TRUE(lands) << "link from " << cell_text({m, n}) << " to " << cell_text(l.to);
            }
        }
}

void check_backward(const Case& k, std::optional<Cell> cell) {
    const Lesson lesson = build_checked(k, LessonName::Backward, cell);
    // turn the kernel, turned, spread and pad delta^{l+1}, the zeros shown; then a step
    // per input cell.
    constexpr size_t kIntro = 4;
    check_element_steps(k, lesson, kIntro);
    if (cell) {
        EXPECT_EQ(lesson.first_step_of_cell, int(kIntro) + cell->row * k.W + cell->col);
    }

    // rot180 of the kernel the forward pass applied: rot180(w), or w in convolution mode.
    const ExtraGrid* rotated = extra_grid(lesson, GridId::RotatedKernel);
    const ExtraGrid* padded = extra_grid(lesson, GridId::PaddedUpstream);
    ASSERT_NE(rotated, nullptr);
    ASSERT_NE(padded, nullptr);
    ASSERT_EQ(rotated->values.rows(), k.kh);
    ASSERT_EQ(rotated->values.cols(), k.kw);
    for (int i = 0; i < k.kh; ++i)
        for (int j = 0; j < k.kw; ++j) {
            const double expected =
                k.conv ? k.scene.kernel(i, j) : k.scene.kernel(k.kh - 1 - i, k.kw - 1 - j);
            EXPECT_EQ(rotated->values(i, j), expected) << "rot180 at " << cell_text({i, j});
        }
    // delta^{l+1} spread by s and padded by d(k-1) on each side (plus the floor's rest):
    // the padded input's extent plus the dilated kernel's reach.
    const int top = k.d.rows * (k.kh - 1), left = k.d.cols * (k.kw - 1);
    ASSERT_EQ(padded->values.rows(), k.H + 2 * k.P.rows + top);
    ASSERT_EQ(padded->values.cols(), k.W + 2 * k.P.cols + left);
    ASSERT_EQ(padded->inserted_zero.size(), size_t(padded->values.size()));
    for (int r = 0; r < padded->values.rows(); ++r)
        for (int c = 0; c < padded->values.cols(); ++c) {
            const int pr = r - top, pc = c - left;
            const bool holds = pr >= 0 && pc >= 0 && pr % k.s.rows == 0 && pc % k.s.cols == 0 &&
                               pr / k.s.rows < k.Ho && pc / k.s.cols < k.Wo;
            const double expected = holds ? k.reference.upstream(pr / k.s.rows, pc / k.s.cols) : 0;
            EXPECT_TRUE(agree("padded upstream", padded->values(r, c), expected)) << cell_text({r, c});
            EXPECT_EQ(padded->is_inserted({r, c}), !holds) << "inserted zero at " << cell_text({r, c});
        }

    // The intro: the taps turn (tokens carry them), then delta^{l+1} spreads.
    ASSERT_GE(lesson.steps.size(), kIntro);
    for (size_t n = 0; n < 2; ++n) {
        const Step& step = lesson.steps[n];
        EXPECT_EQ(step.tokens.size(), size_t(k.kh * k.kw)) << "intro step " << n + 1;
        for (const Token& token : step.tokens) {
            const auto tap = tap_of_tag(token.tag_tex, k.scene.index_base);
            ASSERT_TRUE(tap.has_value()) << token.tag_tex;
            const Cell place = n == 0 || k.conv ? *tap : Cell{k.kh - 1 - tap->row, k.kw - 1 - tap->col};
            EXPECT_EQ(token.cell, place) << "token " << token.tag_tex << " in intro step " << n + 1;
        }
    }

    for (int m = 0; m < k.H; ++m)
        for (int n = 0; n < k.W; ++n) {
            const Step& step = lesson.steps[kIntro + size_t(m * k.W + n)];
            SCOPED_TRACE("backward step for " + cell_text({m, n}));
            ASSERT_TRUE(step.window.has_value());
            EXPECT_EQ(step.window->grid, GridId::PaddedUpstream);
            EXPECT_EQ(step.window->origin, (Cell{m + k.P.rows, n + k.P.cols}));
            EXPECT_EQ(step.window->spacing, (Cell{k.d.rows, k.d.cols}));
            ASSERT_EQ(step.terms.size(), size_t(k.kh * k.kw)) << "one product per tap";
            EXPECT_EQ(check_term_names(k, lesson, step), 2 * k.kh * k.kw) << "each term names two cells";
            for (int t = 0; t < int(step.terms.size()); ++t) {
                const auto on_rotated = term_marks_on(step, t, GridId::RotatedKernel);
                const auto on_padded = term_marks_on(step, t, GridId::PaddedUpstream);
                ASSERT_EQ(on_rotated.size(), 1u) << "term " << t;
                ASSERT_EQ(on_padded.size(), 1u) << "term " << t;
                const Cell tap = on_rotated[0]->cell;
                const Cell under{m + k.P.rows + k.d.rows * tap.row, n + k.P.cols + k.d.cols * tap.col};
                EXPECT_EQ(on_padded[0]->cell, under) << "term " << t;
                EXPECT_EQ(step.terms[size_t(t)].padding, padded->is_inserted(under)) << "term " << t;
                // The same product, read from DESIGN.md's scatter form: rotated position
                // (i', j') holds the stored tap (kh-i'+1, kw-j'+1) (itself in convolution
                // mode), whose window offset is what the gather slides past.
                EXPECT_TRUE(agree("gather term", step.terms[size_t(t)].value,
                                  padded->values(under.row, under.col) * rotated->values(tap.row, tap.col)));
            }
        }
}

void check_kernel_gradient(const Case& k, std::optional<Cell> cell) {
    const Lesson lesson = build_checked(k, LessonName::KernelGradient, cell);
    ASSERT_EQ(lesson.steps.size(), size_t(k.kh * k.kw)) << "one step per tap";
    if (cell) {
        EXPECT_EQ(lesson.first_step_of_cell, cell->row * k.kw + cell->col);
    }
    for (int i = 0; i < k.kh; ++i)
        for (int j = 0; j < k.kw; ++j) {
            const Step& step = lesson.steps[size_t(i * k.kw + j)];
            SCOPED_TRACE("kernel-gradient step for tap " + cell_text({i, j}));
            ASSERT_TRUE(step.about.has_value());
            EXPECT_TRUE(is_kernel_grid(step.about->grid));
            EXPECT_EQ(step.about->cell, (Cell{i, j}));
            ASSERT_TRUE(step.value.has_value());
            EXPECT_TRUE(agree("value vs engine", *step.value, k.results.grad_kernel(i, j)));
            EXPECT_TRUE(agree("value vs autodiff", *step.value, k.reference.grad_kernel(i, j)));
            EXPECT_TRUE(agree("sum of terms", term_sum(step), *step.value));
            EXPECT_TRUE(has_mark(step, GridId::GradKernel, {i, j}, MarkRole::Result));
            ASSERT_EQ(step.terms.size(), size_t(k.Ho * k.Wo)) << "one product per output";
            std::set<std::pair<int, int>> outputs;
            for (int t = 0; t < int(step.terms.size()); ++t) {
                const auto on_upstream = term_marks_on(step, t, GridId::Upstream);
                const auto on_input = term_marks(step, t, is_input_grid);
                ASSERT_EQ(on_upstream.size(), 1u) << "term " << t;
                ASSERT_EQ(on_input.size(), 1u) << "term " << t;
                const Cell pq = on_upstream[0]->cell;
                outputs.insert({pq.row, pq.col});
                const Cell under{k.s.rows * pq.row + k.d.rows * k.offset_row(i) - k.P.rows,
                                 k.s.cols * pq.col + k.d.cols * k.offset_col(j) - k.P.cols};
                EXPECT_EQ(on_input[0]->cell, under) << "term " << t;
                EXPECT_EQ(step.terms[size_t(t)].padding, !k.inside_input(under)) << "term " << t;
                EXPECT_TRUE(agree("term", step.terms[size_t(t)].value,
                                  k.reference.upstream(pq.row, pq.col) * k.activated_or_zero(under)));
            }
            EXPECT_EQ(outputs.size(), size_t(k.Ho * k.Wo)) << "every output once";
            EXPECT_EQ(check_term_names(k, lesson, step), 2 * k.Ho * k.Wo) << "each term names two cells";
        }
}

void check_equivalence(const Case& k, Cell e) {
    const Lesson lesson = build_checked(k, LessonName::Equivalence, e);
    ASSERT_EQ(lesson.steps.size(), size_t(k.kh * k.kw + 1)) << "one step per tap, then the sums";
    const Step& last = lesson.steps.back();
    ASSERT_TRUE(last.value.has_value());
    EXPECT_TRUE(agree("delta^l vs engine", *last.value, k.results.grad_input(e.row, e.col)));
    EXPECT_TRUE(agree("delta^l vs autodiff", *last.value, k.reference.grad_input(e.row, e.col)));
    ASSERT_EQ(last.readouts.size(), 2u) << "scatter and gather";
    for (const Readout& r : last.readouts) {
        EXPECT_TRUE(agree("readout", r.value, k.reference.grad_input(e.row, e.col))) << r.label_tex;
        EXPECT_TRUE(r.agrees) << r.label_tex;
    }
    for (size_t n = 0; n < lesson.steps.size(); ++n) {
        const Step& step = lesson.steps[n];
        SCOPED_TRACE("equivalence step " + std::to_string(n + 1));
        if (n + 1 < lesson.steps.size()) {
            // Tap n in row-major order: the taps so far, and this tap's two equal terms.
            const Cell tap{int(n) / k.kw, int(n) % k.kw};
            EXPECT_EQ(step.terms.size(), n + 1);
            for (const Readout& r : step.readouts)
                EXPECT_TRUE(agree("term readout", r.value, scatter_term(k, e, tap))) << r.label_tex;
        }
        for (int t = 0; t < int(step.terms.size()); ++t) {
            const auto on_kernel = term_marks_on(step, t, GridId::Kernel);
            const auto on_rotated = term_marks_on(step, t, GridId::RotatedKernel);
            if (on_kernel.size() != 1) continue;
            const Cell tap = on_kernel[0]->cell;
            EXPECT_TRUE(agree("scatter term", step.terms[size_t(t)].value, scatter_term(k, e, tap)))
                << "term " << t << ", tap " << cell_text(tap);
            // Matched one to one: tap (i,j) is rotated position (kh-i+1, kw-j+1), or (i,j)
            // itself in convolution mode, where the gather slides w unrotated.
            for (const Mark* m : on_rotated)
                EXPECT_EQ(m->cell, (k.conv ? tap : Cell{k.kh - 1 - tap.row, k.kw - 1 - tap.col}))
                    << "term " << t;
            const ExtraGrid* padded = extra_grid(lesson, GridId::PaddedUpstream);
            for (const Mark* m : term_marks_on(step, t, GridId::PaddedUpstream)) {
                if (on_rotated.size() != 1 || !padded) continue;
                const Cell r = on_rotated[0]->cell;
                EXPECT_EQ(m->cell, (Cell{e.row + k.P.rows + k.d.rows * r.row,
                                         e.col + k.P.cols + k.d.cols * r.col}))
                    << "term " << t;
                const ExtraGrid* rot = extra_grid(lesson, GridId::RotatedKernel);
                if (rot) {
                    EXPECT_TRUE(agree("gather term equals scatter term",
                                      padded->values(m->cell.row, m->cell.col) * rot->values(r.row, r.col),
                                      scatter_term(k, e, tap)));
                }
            }
        }
    }
}

bool contains_word(std::string text, const char* word) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text.find(word) != std::string::npos;
}

void check_derivation(const Case& k, Cell e) {
    const Lesson lesson = build_checked(k, LessonName::Derivation, e);
    // DERIVATION.md's six lines: 1, 2 and 6 correct, 3, 4, 5 the slip and its fallout.
    ASSERT_EQ(lesson.steps.size(), 6u);
    const Verdict expected[] = {Verdict::Correct, Verdict::Correct, Verdict::Wrong,
                                Verdict::Wrong,   Verdict::Wrong,   Verdict::Correct};
    for (size_t n = 0; n < 6; ++n) {
        EXPECT_EQ(lesson.steps[n].verdict, expected[n]) << "line " << n + 1;
        EXPECT_FALSE(lesson.steps[n].reason.empty()) << "line " << n + 1;
    }
    // The mistaken value: every reached delta^{l+1} times the whole kernel sum.
    const double kernel_sum = k.scene.kernel.sum();
    double mistaken = 0;
    for (int i = 0; i < k.kh; ++i)
        for (int j = 0; j < k.kw; ++j) {
            const TapLanding land = landing(k, e, {i, j});
            if (land.inside) mistaken += k.reference.upstream(land.cell->row, land.cell->col) * kernel_sum;
        }
    mistaken *= k.slope(e);
    const double truth = k.reference.grad_input(e.row, e.col);
    int with_readouts = 0;
    for (const Step& step : lesson.steps) {
        if (step.readouts.empty()) continue;
        ++with_readouts;
        ASSERT_EQ(step.readouts.size(), 4u);
        std::set<std::string> seen;
        for (const Readout& r : step.readouts) {
            SCOPED_TRACE(r.label_tex);
            if (contains_word(r.label_tex, "mistake")) {
                seen.insert("mistaken");
                EXPECT_TRUE(agree("mistaken", r.value, mistaken));
                EXPECT_EQ(r.agrees, close(mistaken, truth) || std::abs(mistaken - truth) <=
                                                                   1e-6 * std::max(1.0, std::abs(truth)));
            } else if (contains_word(r.label_tex, "chain")) {
                seen.insert("chain");
                EXPECT_TRUE(agree("chain rule vs engine", r.value, k.results.grad_input(e.row, e.col)));
                EXPECT_TRUE(agree("chain rule vs autodiff", r.value, truth));
                EXPECT_TRUE(r.agrees);
            } else if (contains_word(r.label_tex, "rot")) {
                seen.insert("rotated");
                EXPECT_TRUE(agree("rotated vs engine", r.value, k.results.grad_input_gather(e.row, e.col)));
                EXPECT_TRUE(agree("rotated vs autodiff", r.value, truth));
                EXPECT_TRUE(r.agrees);
            } else if (contains_word(r.label_tex, "finite")) {
                seen.insert("finite");
                // Central differences are blind at relu's kink, where f' is a convention.
                if (!is_kink(k.scene.activation, k.scene.input(e.row, e.col))) {
                    EXPECT_NEAR(r.value, truth, 1e-6 * std::max(1.0, std::abs(truth)));
                }
            }
        }
        EXPECT_EQ(seen.size(), 4u) << "mistaken, chain rule, rotated kernel, finite difference";
    }
    EXPECT_GT(with_readouts, 0) << "the four numbers are shown";
}

// [SECTION] The sweep

std::string describe(const Scene& s) {
    std::ostringstream o;
    o << s.title << " (" << scene_to_json(s) << ")";
    return o.str();
}

// What the sweep covered, so that a change to random_scene cannot hollow it out.
struct Coverage {
    std::set<int> modes, activations, bases, losses;
    int strided = 0, padded = 0, dilated = 0, arithmetic = 0;
};

void sweep_scene(const Scene& scene, std::uint32_t seed, Coverage* seen) {
    SCOPED_TRACE(describe(scene));
    const Case k(scene);
    seen->modes.insert(int(scene.spec.mode));
    seen->activations.insert(int(scene.activation));
    seen->bases.insert(scene.index_base);
    seen->losses.insert(int(ad::loss_choice(scene)));
    seen->strided += scene.spec.stride.rows > 1 || scene.spec.stride.cols > 1;
    seen->padded += scene.spec.padding.rows > 0 || scene.spec.padding.cols > 0;
    seen->dilated += scene.spec.dilation.rows > 1 || scene.spec.dilation.cols > 1;

    std::mt19937 rng(seed);
    auto pick = [&](int rows, int cols) {
        return Cell{std::uniform_int_distribution<int>(0, rows - 1)(rng),
                    std::uniform_int_distribution<int>(0, cols - 1)(rng)};
    };
    const Cell element = pick(k.H, k.W);
    const Cell output = pick(k.Ho, k.Wo);
    const Cell tap = pick(k.kh, k.kw);

    const int arithmetic_before = arithmetic_checked;
    for (LessonName name : kAllLessons) {
        switch (name) {
            case LessonName::Forward:
                check_forward(k, std::nullopt);
                check_forward(k, output);
                break;
            case LessonName::Influence:
                check_influence_all(k);
                check_influence_cell(k, element);
                break;
            case LessonName::Backward:
                check_backward(k, std::nullopt);
                check_backward(k, element);
                break;
            case LessonName::KernelGradient:
                check_kernel_gradient(k, std::nullopt);
                check_kernel_gradient(k, tap);
                break;
            case LessonName::Equivalence: check_equivalence(k, element); break;
            case LessonName::Derivation: check_derivation(k, element); break;
        }
    }
    seen->arithmetic += arithmetic_checked - arithmetic_before;
}

TEST(LessonSweep, EveryLessonAgreesWithTheEngineAndTheOracle) {
    Coverage seen;
    constexpr std::uint32_t kScenes = 30;
    for (std::uint32_t seed = 1; seed <= kScenes; ++seed)
        sweep_scene(ad::random_scene(7000 + seed, {5, 3, 3, 2, 2}), seed, &seen);
    EXPECT_EQ(seen.modes.size(), 2u);
    EXPECT_EQ(seen.activations.size(), 4u);
    EXPECT_EQ(seen.bases.size(), 2u);
    EXPECT_EQ(seen.losses.size(), 3u);
    EXPECT_GT(seen.strided, 0);
    EXPECT_GT(seen.padded, 0);
    EXPECT_GT(seen.dilated, 0);
    EXPECT_GT(seen.arithmetic, 0) << "the index substitutions were found and checked";
}

// The textbook scene and its neighbours by hand: the cases a student meets first.
TEST(LessonSweep, TextbookScenesAgreeWithTheEngine) {
    Coverage seen;
    Scene scene = default_scene();
    sweep_scene(scene, 1, &seen);
    scene.spec.stride = {2, 2};
    scene.upstream = matrix_from_rows({{1, -2}, {3, 1}});
    sweep_scene(scene, 2, &seen);
    scene = default_scene();
    scene.upstream.reset();
    scene.spec.padding = {1, 1};
    scene.activation = Activation::Relu;
    scene.index_base = 0;
    sweep_scene(scene, 3, &seen);
    EXPECT_GT(seen.arithmetic, 0);
}

// The substitution checker itself must be able to fail.
TEST(LessonSweep, IndexArithmeticCheckerCatchesAWrongSum) {
    EXPECT_EQ(Arithmetic("3-2+1").value(), 2.0);
    EXPECT_EQ(Arithmetic("2(2-1)+1(3-1)+1").value(), 5.0);
    EXPECT_EQ(Arithmetic("(4-1+0)/2+1").value(), 2.5);
    EXPECT_EQ(Arithmetic("(1+2 * 1-6)/3+1").value(), 0.0);
    EXPECT_NONFATAL_FAILURE(check_index_arithmetic("\\delta^{l+1}_{3-2+1 = 3}", "t"), "3-2+1 = 3");
    EXPECT_EQ(check_index_arithmetic("w_{2,2} = 1, p = 3-2+1 = 2", "t"), 1);
}

}  // namespace
}  // namespace convlens
