#include "report/lesson_text.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "canvas/math_text.h"
#include "engine/conv_spec.h"
#include "lesson/tex.h"
#include "util/number_format.h"

namespace convlens {
namespace {

struct ScriptForm {
    std::string_view from;
    std::string_view to;
};

// Unicode has raised and lowered forms for the digits, + - = ( ) and most small Latin
// letters; the letters an index expression uses (i, j, m, n, p, l...) are all there
// except q in subscripts.
constexpr ScriptForm kSuperscripts[] = {
    {"0", "⁰"}, {"1", "¹"}, {"2", "²"}, {"3", "³"}, {"4", "⁴"}, {"5", "⁵"}, {"6", "⁶"},
    {"7", "⁷"}, {"8", "⁸"}, {"9", "⁹"}, {"+", "⁺"}, {"−", "⁻"}, {"-", "⁻"}, {"=", "⁼"},
    {"(", "⁽"}, {")", "⁾"}, {"a", "ᵃ"}, {"b", "ᵇ"}, {"c", "ᶜ"}, {"d", "ᵈ"}, {"e", "ᵉ"},
    {"f", "ᶠ"}, {"g", "ᵍ"}, {"h", "ʰ"}, {"i", "ⁱ"}, {"j", "ʲ"}, {"k", "ᵏ"}, {"l", "ˡ"},
    {"m", "ᵐ"}, {"n", "ⁿ"}, {"o", "ᵒ"}, {"p", "ᵖ"}, {"r", "ʳ"}, {"s", "ˢ"}, {"t", "ᵗ"},
    {"u", "ᵘ"}, {"v", "ᵛ"}, {"w", "ʷ"}, {"x", "ˣ"}, {"y", "ʸ"}, {"z", "ᶻ"}, {"T", "ᵀ"},
};
constexpr ScriptForm kSubscripts[] = {
    {"0", "₀"}, {"1", "₁"}, {"2", "₂"}, {"3", "₃"}, {"4", "₄"}, {"5", "₅"}, {"6", "₆"},
    {"7", "₇"}, {"8", "₈"}, {"9", "₉"}, {"+", "₊"}, {"−", "₋"}, {"-", "₋"}, {"=", "₌"},
    {"(", "₍"}, {")", "₎"}, {"a", "ₐ"}, {"e", "ₑ"}, {"h", "ₕ"}, {"i", "ᵢ"}, {"j", "ⱼ"},
    {"k", "ₖ"}, {"l", "ₗ"}, {"m", "ₘ"}, {"n", "ₙ"}, {"o", "ₒ"}, {"p", "ₚ"}, {"r", "ᵣ"},
    {"s", "ₛ"}, {"t", "ₜ"}, {"u", "ᵤ"}, {"v", "ᵥ"}, {"x", "ₓ"},
};
// Characters that read fine at either height: the comma between two indices, a prime,
// the thin space of "\,".
constexpr std::string_view kEitherHeight[] = {",", "′", "\u2009", " "};

size_t code_point_length(std::string_view s, size_t pos) {
    const auto lead = static_cast<unsigned char>(s[pos]);
    const size_t n = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    return std::min(n, s.size() - pos);
}

// The run in raised or lowered characters, or nullopt when one has no such form.
template <size_t N>
std::optional<std::string> script_form(std::string_view text, const ScriptForm (&table)[N]) {
    std::string out;
    for (size_t pos = 0; pos < text.size();) {
        const size_t len = code_point_length(text, pos);
        const std::string_view ch = text.substr(pos, len);
        pos += len;
        bool found = false;
        for (const ScriptForm& f : table) {
            if (f.from == ch) {
                out += f.to;
                found = true;
                break;
            }
        }
        if (found) continue;
        for (std::string_view either : kEitherHeight) {
            if (either == ch) {
                out += ch;
                found = true;
                break;
            }
        }
        if (!found) return std::nullopt;
    }
    return out;
}

bool is_ascii_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// parse_math writes every '-' as the minus sign; in words ("zero-padded") it is a hyphen.
std::string hyphens_in_words(std::string text) {
    const std::string minus = "−";
    for (size_t pos = text.find(minus); pos != std::string::npos; pos = text.find(minus, pos + 1)) {
        const size_t after = pos + minus.size();
        if (pos > 0 && after < text.size() && is_ascii_letter(text[pos - 1]) &&
            is_ascii_letter(text[after]) && (pos < 2 || is_ascii_letter(text[pos - 2]))) {
            text.replace(pos, minus.size(), "-");
        }
    }
    return text;
}

std::string trimmed(const std::string& s) {
    const size_t first = s.find_first_not_of(' ');
    if (first == std::string::npos) return {};
    const size_t last = s.find_last_not_of(' ');
    return s.substr(first, last - first + 1);
}

std::string render(const std::string& tex, bool latex) { return latex ? tex : plain_text(tex); }

const EquationLine* sum_line(const Step& step) {
    for (auto it = step.equation.rbegin(); it != step.equation.rend(); ++it)
        if (it->kind == LineKind::Sum) return &*it;
    return nullptr;
}

// The left-hand side a bare "= 4" belongs to: the lesson's own substituted line when it
// has one ("\delta^{l}_{3,2} = ..."), else the quantity the lesson computes for the
// step's cell, else the left-hand side of the general formula.
std::string left_hand_side(const Lesson& lesson, const Scene& scene, const Step& step) {
    for (const EquationLine& line : step.equation) {
        if (line.kind != LineKind::Substituted) continue;
        const std::string tex = line.tex();
        const size_t eq = tex.find('=');
        if (eq != std::string::npos && !trimmed(tex.substr(0, eq)).empty())
            return trimmed(tex.substr(0, eq));
    }
    std::optional<Cell> cell = lesson.cell;
    if (step.about) cell = step.about->cell;
    if (cell) {
        const std::string sub = tex_subscript(*cell, scene.index_base);
        switch (lesson.name) {
            case LessonName::Forward: return "z^{l+1}" + sub;
            case LessonName::KernelGradient: return "\\partial J / \\partial w" + sub;
            case LessonName::Influence:
            case LessonName::Backward:
            case LessonName::Equivalence:
            case LessonName::Derivation: return "\\delta^{l}" + sub;
        }
    }
    for (const EquationLine& line : step.equation) {
        const std::string tex = line.tex();
        const size_t eq = tex.find('=');
        if (eq != std::string::npos && !trimmed(tex.substr(0, eq)).empty())
            return trimmed(tex.substr(0, eq));
    }
    return "";
}

// A bare "= 1" that follows a line of values without an '=' ("so far: 1 \cdot 1")
// finishes that line: the running sum of the influence lesson's taps.
const EquationLine* values_before(const Step& step, const EquationLine* sum) {
    const EquationLine* before = nullptr;
    for (const EquationLine& line : step.equation) {
        if (&line == sum) break;
        before = &line;
    }
    if (!before || before->kind != LineKind::Values) return nullptr;
    return before->tex().find('=') == std::string::npos ? before : nullptr;
}

// "lhs = value" for a step that finishes a sum, from its Sum line when it has one.
std::string finished_sum(const Lesson& lesson, const Scene& scene, const Step& step) {
    if (const EquationLine* line = sum_line(step)) {
        const std::string tex = trimmed(line->tex());
        if (tex.empty() || tex.front() != '=') return tex;
        if (const EquationLine* values = values_before(step, line))
            return trimmed(values->tex()) + " " + tex;
        const std::string lhs = left_hand_side(lesson, scene, step);
        return lhs.empty() ? tex : lhs + " " + tex;
    }
    const std::string lhs = left_hand_side(lesson, scene, step);
    return (lhs.empty() ? std::string() : lhs + " = ") + format_number(step.value.value_or(0));
}

const char* verdict_word(Verdict verdict) {
    switch (verdict) {
        case Verdict::Correct: return "correct";
        case Verdict::Wrong: return "wrong";
        case Verdict::None: return "";
    }
    return "";
}

}  // namespace

std::string plain_text(std::string_view tex) {
    std::string out;
    for (const TextRun& run : parse_math(tex).runs) {
        if (run.script == Script::Base) {
            out += hyphens_in_words(run.text);
            continue;
        }
        const bool super = run.script == Script::Super;
        const std::optional<std::string> raised =
            super ? script_form(run.text, kSuperscripts) : script_form(run.text, kSubscripts);
        if (raised) out += *raised;
        else out += std::string(super ? "^(" : "_(") + run.text + ")";
    }
    return out;
}

bool step_concerns_cell(const Lesson& lesson, const Step& step) {
    if (!lesson.cell || !step.about) return true;
    // A step about another family's cell (forward's output cells for an input element)
    // concerns every cell of the lesson's.
    if (cell_family(step.about->grid) != cell_family(lesson_cell_grid(lesson.name))) return true;
    return step.about->cell == *lesson.cell;
}

std::vector<int> explained_steps(const Lesson& lesson, std::optional<int> step) {
    const int count = static_cast<int>(lesson.steps.size());
    if (step) {
        if (*step < 0 || *step >= count) {
            throw InputError(std::string("--step ") + std::to_string(*step + 1) + ": the " +
                             lesson_name(lesson.name) + " lesson has " + std::to_string(count) +
                             (count == 1 ? " step" : " steps") + " (1.." +
                             std::to_string(count) + ")");
        }
        return {*step};
    }
    std::vector<int> chosen;
    for (int k = 0; k < count; ++k)
        if (step_concerns_cell(lesson, lesson.steps[static_cast<size_t>(k)])) chosen.push_back(k);
    if (chosen.empty()) chosen.push_back(lesson.first_step_of_cell);
    return chosen;
}

std::vector<std::string> explain_lines(const Lesson& lesson, const Scene& scene,
                                       const ExplainRequest& request) {
    const std::vector<int> chosen = explained_steps(lesson, request.step);
    const bool latex = request.latex;
    const auto count = lesson.steps.size();
    std::vector<std::string> lines;
    for (size_t c = 0; c < chosen.size(); ++c) {
        const Step& step = lesson.steps[static_cast<size_t>(chosen[c])];
        const bool last = c + 1 == chosen.size();
        lines.push_back("step " + std::to_string(chosen[c] + 1) + "/" + std::to_string(count) +
                        ": " + render(step.caption, latex));
        // The last step's sum is printed once, as the closing line with its left side
        // (or with the values it adds up, which are then not printed on their own).
        const EquationLine* closing = last ? sum_line(step) : nullptr;
        const EquationLine* closing_values = closing ? values_before(step, closing) : nullptr;
        bool reason_shown = step.reason.empty();
        for (const EquationLine& line : step.equation) {
            if (&line == closing || &line == closing_values) continue;
            const std::string tex = line.tex();
            if (!reason_shown && tex.find(step.reason) != std::string::npos) reason_shown = true;
            lines.push_back("  " + render(tex, latex));
        }
        if (step.verdict != Verdict::None && !reason_shown)
            lines.push_back("  " + std::string(verdict_word(step.verdict)) + ": " +
                            render(step.reason, latex));
        for (const Readout& r : step.readouts) {
            lines.push_back("  " + render(r.label_tex, latex) + " = " +
                            render(format_number(r.value), latex) +
                            (r.agrees ? " (agrees)" : " (disagrees)"));
        }
    }

    // The closing line: the last step's own sum, or the sum it leads to.
    const int last = chosen.back();
    int source = -1;
    const Step& last_step = lesson.steps[static_cast<size_t>(last)];
    if (last_step.value || sum_line(last_step)) source = last;
    for (int k = last + 1; source < 0 && k < static_cast<int>(count); ++k)
        if (lesson.steps[static_cast<size_t>(k)].value) source = k;
    for (int k = last - 1; source < 0 && k >= 0; --k)
        if (lesson.steps[static_cast<size_t>(k)].value) source = k;
    if (source >= 0)
        lines.push_back(render(finished_sum(lesson, scene, lesson.steps[static_cast<size_t>(source)]),
                               latex));
    return lines;
}

}  // namespace convlens
