// [SECTION] The step's equation: its caption, then each line (general, substituted,
// values, sum) with every term in the colour its cells have on the canvas, padding terms
// boxed with dashes; the derivation's verdicts and its live numbers.
#include <algorithm>
#include <string>
#include <vector>

#include <imgui.h>

#include "layout_probe.h"
#include "math_draw.h"
#include "panels.h"
#include "util/number_format.h"

namespace convlens {
namespace {

constexpr float kLinePerEm = 2384.0f / 2048.0f;  // ImGui's font size is the line, not the em
constexpr float kSpaceEm = 651.0f / 2048.0f;     // DejaVu Sans' space advance

Color verdict_color(const Theme& t, bool good) {
    if (good) return t.dark ? Color{0.45f, 0.85f, 0.45f, 1} : Color{0.1f, 0.5f, 0.15f, 1};
    return t.outside;
}

struct PlacedPiece {
    MathLayout layout;
    float x = 0;
    ImU32 color = 0;
    bool padding = false;
};

// One equation line, broken between pieces wherever it would overflow the panel; pieces
// of one row share a base line, so a term with scripts does not lift its neighbours.
// `color` (when not 0) sets the whole line, as for a verdict.
void equation_line(const AppState& s, const Step& step, const EquationLine& line, float px,
                   ImU32 color = 0) {
    const float width = std::max(1.0f, ImGui::GetContentRegionAvail().x);
    const float indent = line.kind == LineKind::Text ? 0 : 2 * px;  // sentences wrap flush
    std::vector<std::vector<PlacedPiece>> rows(1);
    float x = 0;
    bool spaced_before = false;  // the previous piece ends in a space (an operator's)
    for (const EquationPiece& piece : line.pieces) {
        PlacedPiece placed;
        placed.layout = layout_math(s.fonts, parse_math(piece.tex), px);
        if (placed.layout.width <= 0) continue;
        // parse_math drops a leading space, as TeX would at the start of a formula; between
        // pieces it is the space before a " + ".
        const bool spaced = !piece.tex.empty() && piece.tex.front() == ' ';
        if (!rows.back().empty() && x + placed.layout.width > width) {
            rows.emplace_back();
            x = indent;
        } else if (spaced && !spaced_before && !rows.back().empty()) {
            x += kSpaceEm * px;
        }
        const std::string& last = placed.layout.runs.back().text;
        spaced_before = !last.empty() && last.back() == ' ';
        const bool term = piece.term >= 0;
        placed.x = x;
        placed.color = color ? color
                       : term ? to_imgui(term_color(s.theme, piece.term))
                              : ImGui::GetColorU32(ImGuiCol_Text);
        placed.padding = term && static_cast<std::size_t>(piece.term) < step.terms.size() &&
                         step.terms[static_cast<std::size_t>(piece.term)].padding;
        x += placed.layout.width;
        rows.back().push_back(std::move(placed));
    }
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float pad = 2 * ui_scale(s);
    for (const auto& row : rows) {
        if (row.empty()) continue;
        float top = 0, bottom = 0, right = 0;
        for (const PlacedPiece& p : row) {
            top = std::min(top, p.layout.top);
            bottom = std::max(bottom, p.layout.bottom);
            right = std::max(right, p.x + p.layout.width);
        }
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float baseline = at.y - top + pad;
        for (const PlacedPiece& p : row) {
            draw_math(draw, p.layout, ImVec2(at.x + p.x, baseline), p.color);
            if (p.padding)  // a zero of the padding: boxed like the padding ring on the canvas
                add_dashed_rect(draw, ImVec2(at.x + p.x - pad, baseline + p.layout.top - pad),
                                ImVec2(at.x + p.x + p.layout.width + pad, baseline + p.layout.bottom + pad),
                                to_imgui(s.theme.muted_text), 1.2f * ui_scale(s), 3 * ui_scale(s));
        }
        ImGui::Dummy(ImVec2(right, bottom - top + 2 * pad));
        probe_item("equation");
    }
}

// Captions are sentences with a little TeX in them ("z^{l+1}_{2,2}: the window ..."):
// set word by word so that they wrap like the equation lines.
EquationLine sentence(const std::string& text) {
    EquationLine line;
    for (std::size_t start = 0; start < text.size();) {
        const std::size_t space = text.find(' ', start + 1);
        line.pieces.push_back({text.substr(start, space == std::string::npos ? std::string::npos : space - start), -1});
        if (space == std::string::npos) break;
        start = space;
    }
    return line;
}

bool has_padding_term(const Step& step) {
    return std::any_of(step.terms.begin(), step.terms.end(), [](const Term& t) { return t.padding; });
}

}  // namespace

void draw_step_equation(const AppState& s, const Step& step) {
    const float px = ImGui::GetFontSize() * 1.1f / kLinePerEm;
    if (!step.caption.empty()) equation_line(s, step, sentence(step.caption), ImGui::GetFontSize() / kLinePerEm);
    // The verdict once, in its colour: on the derivation's line that gives the reason, else
    // a line of its own.
    const bool judged = step.verdict != Verdict::None;
    const ImU32 verdict = judged ? to_imgui(verdict_color(s.theme, step.verdict == Verdict::Correct)) : 0;
    const auto gives_reason = [&](const EquationLine& l) {
        return judged && !step.reason.empty() && l.tex().find(step.reason) != std::string::npos;
    };
    if (judged && std::none_of(step.equation.begin(), step.equation.end(), gives_reason)) {
        ImGui::PushStyleColor(ImGuiCol_Text, verdict);
        ImGui::PushTextWrapPos(0);
        const std::string text = std::string(step.verdict == Verdict::Correct ? "Correct" : "Wrong") +
                                 (step.reason.empty() ? "" : ": " + step.reason);
        ImGui::TextUnformatted(text.c_str());
        probe_item("verdict");
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
    for (const EquationLine& line : step.equation)
        equation_line(s, step, line, px, gives_reason(line) ? verdict : 0);
    if (has_padding_term(step)) {
        ImGui::PushTextWrapPos(0);
        ImGui::TextDisabled("dashed: a factor that is a zero of the padding (or a stride gap): the term adds 0");
        ImGui::PopTextWrapPos();
        probe_item("note");
    }
    // The live numbers on one line, green where they agree with the engine's delta^l.
    for (std::size_t k = 0; k < step.readouts.size(); ++k) {
        const Readout& r = step.readouts[k];
        const std::string tex = r.label_tex + " = " + format_number(r.value);
        // Side by side while they fit, else the next one on a line of its own.
        if (k > 0 && ImGui::GetItemRectMax().x + 2 * px + math_width(s.fonts, tex, px) <=
                         ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
            ImGui::SameLine(0, 2 * px);
        math_label(s.fonts, tex, px, to_imgui(verdict_color(s.theme, r.agrees)));
        probe_item("readout");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(r.agrees ? "agrees with the engine's delta^l" : "differs from the engine's delta^l");
    }
}

}  // namespace convlens
