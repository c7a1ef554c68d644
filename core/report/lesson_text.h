// A lesson as lines of text, for `convlens explain`: each step's caption and equation
// lines, ending with the finished sum and its value, as readable Unicode or as TeX source.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lesson/lesson.h"

namespace convlens {

// TeX-like source as readable Unicode text: Greek letters and operators as parse_math
// renders them, scripts as Unicode sub- and superscript characters ("\delta^{l}_{3,2}"
// -> "δˡ₃,₂"). A script with a character that has no such form (a '/' in "(m-i+1)/2")
// is kept readable as "_(...)" or "^(...)". A '-' between two letters stays a hyphen.
std::string plain_text(std::string_view tex);

struct ExplainRequest {
    std::optional<int> step;   // zero-based; nullopt: every step that concerns the cell
    bool latex = false;        // TeX source instead of Unicode text
};

// Whether a step belongs to the story of the lesson's cell: it is about nothing in
// particular, about the cell itself, or about a cell of another grid (a tap of the
// influence lesson's element). Every step does when the lesson has no cell.
bool step_concerns_cell(const Lesson& lesson, const Step& step);

// The indices (zero-based) of the steps explain prints: the requested one, or every
// step that concerns the lesson's cell. Throws InputError when the step is out of range.
std::vector<int> explained_steps(const Lesson& lesson, std::optional<int> step);

// What explain prints, one string per line: for each explained step a header
// "step k/n: caption", its equation lines and readouts, and as the very last line the
// finished sum with its value ("δˡ₃,₂ = 4"): the last step's Sum line with its left-hand
// side (a bare "= 1" after a line of values, the influence lesson's running sum, is
// joined to those values), or, when that step has no sum, the sum it leads to (the next
// step with a value, else the previous one). `scene` gives the index base of subscripts.
// Throws InputError when request.step is out of range.
std::vector<std::string> explain_lines(const Lesson& lesson, const Scene& scene,
                                       const ExplainRequest& request);

}  // namespace convlens
