// Every TeX string the lessons write, on the shipped scenes and a few random ones, is
// one a slide can use and the screen can draw: balanced braces, no dangling script
// marker, and only commands parse_math (core/canvas/math_text.h) understands plus the few
// a copied LaTeX block may add. Pure string checks: pdflatex is not needed (nor called).
// Also how explain renders that source as plain text (core/report/lesson_text.h).
//
// [SECTION] What a lesson's TeX may contain
// [SECTION] Every string of every lesson
// [SECTION] Plain text for explain

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "engine/layer_results.h"
#include "lesson/lesson.h"
#include "report/lesson_text.h"
#include "scene/scene_json.h"
#include "unit/autodiff.h"

namespace convlens {
namespace {

// [SECTION] What a lesson's TeX may contain

// The commands parse_math renders (Greek letters, operators, accents, text) and those a
// copied LaTeX block may add around them.
const std::set<std::string>& known_commands() {
    static const std::set<std::string> known = {
        // Greek, as math_text.cpp's table
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
        "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon",
        "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi",
        "Sigma", "Phi", "Psi", "Omega",
        // symbols
        "partial", "nabla", "sum", "prime", "infty", "cdots", "dots", "ldots", "quad",
        // operators and relations
        "cdot", "times", "star", "ast", "circ", "leq", "le", "geq", "ge", "neq", "ne", "in",
        "to", "rightarrow", "approx", "pm", "mapsto",
        // accents and text
        "tilde", "hat", "bar", "text", "mathrm", "operatorname",
        // a copied block's frame
        "begin", "end",
    };
    return known;
}

// One line per problem, empty when the string is fine.
std::string tex_problems(const std::string& tex) {
    std::string problems;
    int depth = 0;
    for (size_t pos = 0; pos < tex.size(); ++pos) {
        const char c = tex[pos];
        if (c == '\\') {
            ++pos;
            if (pos >= tex.size()) {
                problems += "ends with a backslash; ";
                break;
            }
            if (!std::isalpha(static_cast<unsigned char>(tex[pos]))) {
                // \, \; \: \! \\ \{ \} and "\ ": spacing, line breaks, literal braces.
                if (std::string(",;:!\\{} ").find(tex[pos]) == std::string::npos)
                    problems += std::string("unknown command \\") + tex[pos] + "; ";
                continue;
            }
            const size_t start = pos;
            while (pos < tex.size() && std::isalpha(static_cast<unsigned char>(tex[pos]))) ++pos;
            const std::string name = tex.substr(start, pos - start);
            if (!known_commands().count(name)) problems += "unknown command \\" + name + "; ";
            if ((name == "begin" || name == "end") && tex.compare(pos, 9, "{aligned}") != 0)
                problems += "\\" + name + " of something else than aligned; ";
            --pos;
            continue;
        }
        if (c == '{') ++depth;
        if (c == '}' && --depth < 0) {
            problems += "a '}' closes nothing; ";
            depth = 0;
        }
        if (c == '^' || c == '_') {
            size_t next = pos + 1;
            while (next < tex.size() && tex[next] == ' ') ++next;
            if (next >= tex.size() || tex[next] == '}' || tex[next] == '^' || tex[next] == '_')
                problems += std::string("'") + c + "' without an argument; ";
        }
        if (c == '$') problems += "a '$' inside the source; ";
    }
    if (depth > 0) problems += std::to_string(depth) + " '{' never closed; ";
    return problems;
}

TEST(LessonLatex, CheckerCatchesWhatItMust) {
    EXPECT_EQ(tex_problems("\\delta^{l+1}_{m-i+1,n-j+1} \\cdot w_{i,j}"), "");
    EXPECT_EQ(tex_problems("\\text{chain rule}\\, \\tilde{\\delta}"), "");
    EXPECT_EQ(tex_problems("\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}"), "");
    EXPECT_NE(tex_problems("\\delta^{l+1_{m,n}"), "");
    EXPECT_NE(tex_problems("w_{i,j}}"), "");
    EXPECT_NE(tex_problems("\\frac{a}{b}"), "");
    EXPECT_NE(tex_problems("\\left( x \\right)"), "");
    EXPECT_NE(tex_problems("x^"), "");
    EXPECT_NE(tex_problems("$x$"), "");
    EXPECT_NE(tex_problems("\\begin{matrix}"), "");
}

// [SECTION] Every string of every lesson

struct TexString {
    std::string where;
    std::string tex;
};

void collect(const Lesson& lesson, std::vector<TexString>* out) {
    const std::string name = lesson_name(lesson.name);
    for (const ExtraGrid& e : lesson.extra_grids) {
        out->push_back({name + " extra grid title", e.title_tex});
        out->push_back({name + " extra grid caption", e.caption});
    }
    for (size_t n = 0; n < lesson.steps.size(); ++n) {
        const Step& s = lesson.steps[n];
        const std::string at = name + " step " + std::to_string(n + 1) + " ";
        out->push_back({at + "caption", s.caption});
        out->push_back({at + "reason", s.reason});
        for (const EquationLine& line : s.equation) {
            out->push_back({at + "equation line", line.tex()});
            for (const EquationPiece& p : line.pieces) out->push_back({at + "equation piece", p.tex});
        }
        for (const Term& t : s.terms) {
            out->push_back({at + "term", t.symbolic});
            out->push_back({at + "term numbers", t.numeric});
        }
        for (const Tag& t : s.tags) out->push_back({at + "tag", t.tex});
        for (const Token& t : s.tokens) {
            out->push_back({at + "token tag", t.tag_tex});
            out->push_back({at + "token value", t.value_tex});
        }
        for (const Readout& r : s.readouts) out->push_back({at + "readout label", r.label_tex});
    }
}

std::vector<Scene> scenes_to_check() {
    std::vector<Scene> scenes;
    for (const auto& entry : std::filesystem::directory_iterator(CONVLENS_ASSET_DIR "/scenes"))
        if (entry.path().extension() == ".json") scenes.push_back(load_scene(entry.path().string()));
    for (std::uint32_t seed = 1; seed <= 5; ++seed)
        scenes.push_back(ad::random_scene(9100 + seed, {5, 3, 3, 2, 2}));
    return scenes;
}

TEST(LessonLatex, EveryStringIsBalancedAndUsesKnownCommands) {
    const std::vector<Scene> scenes = scenes_to_check();
    ASSERT_GE(scenes.size(), 8u);
    size_t checked = 0;
    for (const Scene& scene : scenes) {
        SCOPED_TRACE(scene.title);
        const LayerResults results = compute_layer(scene);
        for (LessonName name : kAllLessons) {
            for (bool with_cell : {false, true}) {
                std::optional<Cell> cell;
                if (with_cell) cell = Cell{0, 0};
                std::vector<TexString> strings;
                collect(build_lesson(name, scene, results, cell), &strings);
                for (const TexString& s : strings) {
                    const std::string problems = tex_problems(s.tex);
                    EXPECT_EQ(problems, "") << s.where << ": " << s.tex;
                    ++checked;
                }
            }
        }
    }
    EXPECT_GT(checked, 1000u);
}

// [SECTION] Plain text for explain

TEST(LessonText, ScriptsBecomeUnicodeSubAndSuperscripts) {
    EXPECT_EQ(plain_text("\\delta^{l}_{3,2} = 4"), "δˡ₃,₂ = 4");
    EXPECT_EQ(plain_text("z^{l+1}_{m-i+1,n-j+1}"), "zˡ⁺¹ₘ₋ᵢ₊₁,ₙ₋ⱼ₊₁");
    EXPECT_EQ(plain_text("f'(z^{l}_{2,3})"), "f′(zˡ₂,₃)");
    EXPECT_EQ(plain_text("\\tilde{\\delta}_{5,4} \\cdot w_{1,1}"), "δ̃₅,₄ · w₁,₁");
}

TEST(LessonText, ScriptsWithoutUnicodeFormsStayReadable) {
    // q has no subscript form and '/' none at all: the run keeps its letters in brackets
    // rather than mixing heights.
    EXPECT_EQ(plain_text("\\delta^{l+1}_{p,q}"), "δˡ⁺¹_(p,q)");
    EXPECT_EQ(plain_text("z_{(m-i+1)/2+1}"), "z_((m−i+1)/2+1)");
}

TEST(LessonText, HyphensInWordsStayHyphens) {
    EXPECT_EQ(plain_text("the zero-padded error, 3-2+1 = 2"), "the zero-padded error, 3−2+1 = 2");
}

// A lesson made by hand, so the expected lines are known without any builder.
Lesson hand_made_lesson() {
    Lesson lesson;
    lesson.name = LessonName::Influence;
    lesson.cell = Cell{2, 1};
    Step tap;
    tap.caption = "w_{1,1}: p = 3-1+1 = 3";
    tap.about = Focus{GridId::Input, {2, 1}};
    tap.equation = {{LineKind::General, {{"\\delta^{l}_{m,n} = \\sum_i \\sum_j \\delta^{l+1}_{m-i+1,n-j+1} w_{i,j}", -1}}},
                    {LineKind::Values, {{"\\text{so far: } 1 \\cdot 1", 0}}},
                    {LineKind::Sum, {{"= 1", -1}}}};
    Step elsewhere = tap;
    elsewhere.about = Focus{GridId::Input, {0, 0}};
    elsewhere.caption = "another element";
    Step last;
    last.caption = "times f'";
    last.about = Focus{GridId::Input, {2, 1}};
    last.value = 4;
    last.equation = {{LineKind::Values, {{"= 1 \\cdot 4", -1}}}, {LineKind::Sum, {{"= 4", -1}}}};
    lesson.steps = {tap, elsewhere, last};
    return lesson;
}

TEST(LessonText, ExplainPrintsTheCellsStepsAndEndsWithTheFinishedSum) {
    const Lesson lesson = hand_made_lesson();
    Scene scene = default_scene();
    const std::vector<std::string> lines = explain_lines(lesson, scene, {});
    const std::vector<std::string> expected = {
        "step 1/3: w₁,₁: p = 3−1+1 = 3",
        "  δˡₘ,ₙ = ∑ᵢ ∑ⱼ δˡ⁺¹ₘ₋ᵢ₊₁,ₙ₋ⱼ₊₁ wᵢ,ⱼ",
        "  so far: 1 · 1",
        "  = 1",
        "step 3/3: times f′",
        "  = 1 · 4",
        "δˡ₃,₂ = 4",  // the bare "= 4" gets the left side of the step's cell, base 1
    };
    EXPECT_EQ(lines, expected);

    scene.index_base = 0;
    ExplainRequest latex;
    latex.latex = true;
    EXPECT_EQ(explain_lines(lesson, scene, latex).back(), "\\delta^{l}_{2,1} = 4");
}

TEST(LessonText, OneStepEndsWithItsOwnSumOrTheSumItLeadsTo) {
    const Lesson lesson = hand_made_lesson();
    const Scene scene = default_scene();
    ExplainRequest first;
    first.step = 0;
    // A running sum closes the line of values it adds up.
    EXPECT_EQ(explain_lines(lesson, scene, first).back(), "so far: 1 · 1 = 1");

    Lesson no_sums = lesson;
    no_sums.steps[0].equation.pop_back();  // no Sum line, no value: leads to step 3
    EXPECT_EQ(explain_lines(no_sums, scene, first).back(), "δˡ₃,₂ = 4");

    ExplainRequest beyond;
    beyond.step = 3;
    EXPECT_THROW(explain_lines(lesson, scene, beyond), InputError);
    beyond.step = -1;
    EXPECT_THROW(explain_lines(lesson, scene, beyond), InputError);
}

}  // namespace
}  // namespace convlens
