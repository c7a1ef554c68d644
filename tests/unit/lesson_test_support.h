// Small readers of a lesson step shared by the lesson tests: find a mark, sum the terms,
// check TeX braces. They only read steps; every expected number comes from the test.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "engine/layer_results.h"
#include "lesson/lesson.h"
#include "scene/scene.h"

namespace convlens::lesson_test {

inline bool has_mark(const Step& step, GridId grid, Cell cell, MarkRole role, int term = -2) {
    return std::any_of(step.marks.begin(), step.marks.end(), [&](const Mark& m) {
        return m.grid == grid && m.cell == cell && m.role == role && (term == -2 || m.term == term);
    });
}

inline std::vector<Mark> marks_of(const Step& step, GridId grid, MarkRole role) {
    std::vector<Mark> found;
    for (const Mark& m : step.marks)
        if (m.grid == grid && m.role == role) found.push_back(m);
    return found;
}

inline double term_sum(const Step& step) {
    double sum = 0;
    for (const Term& t : step.terms) sum += t.value;
    return sum;
}

inline const EquationLine* line_of(const Step& step, LineKind kind) {
    for (const EquationLine& line : step.equation)
        if (line.kind == kind) return &line;
    return nullptr;
}

inline std::string line_tex(const Step& step, LineKind kind) {
    const EquationLine* line = line_of(step, kind);
    return line ? line->tex() : std::string("<no line>");
}

// Braces balance and never close before they open.
inline bool braces_balance(const std::string& tex) {
    int depth = 0;
    for (char c : tex) {
        if (c == '{') ++depth;
        if (c == '}' && --depth < 0) return false;
    }
    return depth == 0;
}

// Every TeX string of a step: the equation lines, the terms, the tags, the caption.
inline std::vector<std::string> all_tex(const Step& step) {
    std::vector<std::string> texts{step.caption};
    for (const EquationLine& line : step.equation) texts.push_back(line.tex());
    for (const Term& t : step.terms) {
        texts.push_back(t.symbolic);
        texts.push_back(t.numeric);
    }
    for (const Tag& t : step.tags) texts.push_back(t.tex);
    return texts;
}

}  // namespace convlens::lesson_test
