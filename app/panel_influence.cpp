// [SECTION] The influence panel: for the focused z^l_{m,n}, the table of taps (index
// formula, substituted, weight, delta^{l+1}, product) whose sum is delta^l_{m,n}; for an
// output cell its receptive field, for a kernel tap the pairs that make dJ/dw_{i,j}.
#include <algorithm>
#include <string>
#include <vector>

#include <imgui.h>

#include "util/number_format.h"
#include "document.h"
#include "layout_probe.h"
#include "math_draw.h"
#include "lesson/tex.h"
#include "panels.h"

namespace convlens {
namespace {

// The equation, broken before " = " (or " + ") wherever a line would overflow the panel.
void wrapped_equation(const AppState& s, const std::string& tex, float px) {
    wrapped_math_label(s.fonts, tex, px, "equation");
}

// A plain row painted like a header: ImGui sizes columns by a header row's content only
// when it comes from TableHeader(), which cannot draw math.
void header_row(const AppState& s, const std::vector<std::string>& texs) {
    ImGui::TableNextRow();
    ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, ImGui::GetColorU32(ImGuiCol_TableHeaderBg));
    for (std::size_t c = 0; c < texs.size(); ++c) {
        ImGui::TableSetColumnIndex(static_cast<int>(c));
        math_label(s.fonts, texs[c]);
    }
}

void cell_tex(const AppState& s, int column, const std::string& tex, ImU32 color = 0) {
    ImGui::TableSetColumnIndex(column);
    math_label(s.fonts, tex, 0, color);
}

constexpr ImGuiTableFlags kTableFlags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                        ImGuiTableFlags_BordersOuterH |
                                        ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY;

// A table's rows are built only where they are in sight: a kernel tap of a 512 x 512 layer
// joins 250 000 pairs, which ImGui would otherwise lay out, number by number, every frame.
template <class Row>
void visible_rows(std::size_t count, Row&& row) {
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(count));
    while (clipper.Step())
        for (int k = clipper.DisplayStart; k < clipper.DisplayEnd; ++k) {
            ImGui::TableNextRow();
            ImGui::PushID(k);
            row(static_cast<std::size_t>(k));
            ImGui::PopID();
        }
}

// Leaves room under the table for the lines that sum it up.
ImVec2 table_size(int footer_lines) {
    const float footer = footer_lines * (ImGui::GetTextLineHeightWithSpacing() + 4);
    return ImVec2(0, std::max(ImGui::GetTextLineHeight() * 3, ImGui::GetContentRegionAvail().y - footer));
}

void input_focus(const AppState& s, const Focus& f) {
    const InfluenceView& v = s.view;
    const int base = s.computed_scene.index_base;
    const ImU32 muted = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const ImU32 outside = to_imgui(s.theme.outside);
    if (!ImGui::BeginTable("taps", 6, kTableFlags, table_size(1))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    // Every row shares the index formula, so it heads the column of substitutions.
    const std::string formula = v.rows.empty() ? std::string() : v.rows.front().formula;
    header_row(s, {"tap (i,j)", "p, q = " + formula, "reaches", "w_{i,j}", "\\delta^{l+1}_{p,q}",
                   "\\delta^{l+1}_{p,q} \\cdot w_{i,j}"});
    visible_rows(v.rows.size(), [&](std::size_t k) {
        const InfluenceRow& row = v.rows[k];
        const bool in = row.tap.reach == TapReach::Inside;
        const ImU32 color = in ? 0 : muted;
        cell_tex(s, 0, row.tap_label, color);
        cell_tex(s, 1, row.substituted, color);
        cell_tex(s, 2, row.output_label, in ? 0 : outside);
        cell_tex(s, 3, format_number(row.tap.weight), color);
        cell_tex(s, 4, in ? format_number(row.tap.upstream) : "0", color);
        cell_tex(s, 5, in ? format_number(row.tap.product) : "0", color);
    });
    ImGui::EndTable();
    probe_item("table");
    const std::string at = tex_subscript(f.cell, base);
    if (s.computed_scene.activation != Activation::Identity)
        wrapped_math_label(s.fonts, "\\sum\\, = " + format_number(v.sum) + "\\quad \\delta^l" + at + " = f'(z^l" + at +
                                ") \\cdot \\sum\\, = " + format_number(v.slope) + " \\cdot " +
                                format_number(v.sum) + " = " + format_number(v.grad_input));
    else
        wrapped_math_label(s.fonts, "\\delta^l" + at + " = \\sum\\, = " + format_number(v.grad_input) +
                                "   (f' = 1: the activation is the identity; taps that reach no output add 0)");
}

void output_focus(const AppState& s, const Focus& f) {
    const InfluenceView& v = s.view;
    const LayerResults& r = *s.results;
    const int base = s.computed_scene.index_base;
    const std::string a = s.computed_scene.activation == Activation::Identity ? "z^l" : "a^l";
    if (!ImGui::BeginTable("field", 5, kTableFlags, table_size(1))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    header_row(s, {"tap (i,j)", "input element", a + "_{m,n}", "w_{i,j}", a + "_{m,n} \\cdot w_{i,j}"});
    double sum = 0;
    for (const auto& [element, tap] : v.field_pairs)
        sum += r.activated(element.row, element.col) * s.computed_scene.kernel(tap.row, tap.col);
    visible_rows(v.field_pairs.size(), [&](std::size_t k) {
        const auto [element, tap] = v.field_pairs[k];
        const double x = r.activated(element.row, element.col);
        const double w = s.computed_scene.kernel(tap.row, tap.col);
        cell_tex(s, 0, index_label(tap, base));
        cell_tex(s, 1, index_label(element, base));
        cell_tex(s, 2, format_number(x));
        cell_tex(s, 3, format_number(w));
        cell_tex(s, 4, format_number(x * w));
    });
    ImGui::EndTable();
    probe_item("table");
    wrapped_math_label(s.fonts, "z^{l+1}" + tex_subscript(f.cell, base) + " = \\sum\\, = " + format_number(sum) +
                            "   (taps over the zero padding add 0)");
}

void tap_focus(const AppState& s, const Focus& f) {
    const InfluenceView& v = s.view;
    const LayerResults& r = *s.results;
    const int base = s.computed_scene.index_base;
    const std::string a = s.computed_scene.activation == Activation::Identity ? "z^l" : "a^l";
    if (!ImGui::BeginTable("pairs", 5, kTableFlags, table_size(1))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    header_row(s, {"input (m,n)", "output (p,q)", a + "_{m,n}", "\\delta^{l+1}_{p,q}",
                   "\\delta^{l+1}_{p,q} \\cdot " + a + "_{m,n}"});
    // The rows are the block's, made as they scroll into sight; their sum is the engine's.
    visible_rows(v.tap_pairs.size(), [&](std::size_t k) {
        const auto [element, out] = v.tap_pairs[k];
        const double x = r.activated(element.row, element.col);
        const double d = r.upstream(out.row, out.col);
        cell_tex(s, 0, index_label(element, base));
        cell_tex(s, 1, index_label(out, base));
        cell_tex(s, 2, format_number(x));
        cell_tex(s, 3, format_number(d));
        cell_tex(s, 4, format_number(x * d));
    });
    ImGui::EndTable();
    probe_item("table");
    wrapped_math_label(s.fonts, "\\partial J / \\partial w" + tex_subscript(f.cell, base) + " = \\sum\\, = " +
                            format_number(v.tap_sum));
}

// One legend entry: a small cell drawn as the canvas draws it, then its meaning.
void legend_item(const AppState& s, Color fill, Color stroke, bool dashed, const char* text) {
    const float side = ImGui::GetTextLineHeight();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 max(at.x + side, at.y + side);
    if (fill.a > 0) draw->AddRectFilled(at, max, to_imgui(fill));
    const float width = 2 * ui_scale(s);
    if (dashed) add_dashed_rect(draw, at, max, to_imgui(stroke), width, 3 * ui_scale(s));
    else draw->AddRect(at, max, to_imgui(stroke), 0, 0, width);
    ImGui::Dummy(ImVec2(side, side));
    ImGui::SameLine();
    ImGui::TextUnformatted(text);
}

// With nothing in focus the panel says what the canvas means and what to do with it.
void introduction(const AppState& s, float big) {
    ImGui::Spacing();
    // In the scene's own index expressions: at stride 2 the output is (m-i)/2+1.
    for (const std::string& line : influence_introduction_tex(s.computed_scene))
        wrapped_math_label(s.fonts, line, big);
    ImGui::Spacing();
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("Point at an output cell for its receptive field, at a kernel tap for the pairs "
                        "it joins. Click to keep the focus.");
    ImGui::PopTextWrapPos();
    ImGui::Spacing();
    const Theme& t = s.theme;
    const Color none{0, 0, 0, 0};
    if (!ImGui::BeginTable("legend", 2, ImGuiTableFlags_SizingStretchSame)) return;
    ImGui::TableNextColumn();
    legend_item(s, diverging_color(t, 1, 1), t.grid_line, false, "positive (the stronger, the larger)");
    legend_item(s, diverging_color(t, -1, 1), t.grid_line, false, "negative");
    legend_item(s, diverging_color(t, 0, 1), t.grid_line, false, "zero");
    legend_item(s, t.padding_cell, t.grid_line, true, "zero padding");
    ImGui::TableNextColumn();
    legend_item(s, none, t.highlight, false, "the element in focus");
    legend_item(s, none, t.influence, false, "what it feeds, the taps that carry it");
    legend_item(s, none, t.outside, true, "taps that reach no output");
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("editable: zˡ, w, a given δˡ⁺¹ (a target t: at the left)");
    ImGui::PopTextWrapPos();
    ImGui::EndTable();
}

}  // namespace

void draw_influence_panel(AppState& s, const ScreenRect& r) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
    if (ImGui::Begin("Influence", nullptr, kPanelFlags | ImGuiWindowFlags_NoTitleBar)) {
        probe_panel("bottom");
        const float big = ImGui::GetFontSize() * 1.1f / (2384.0f / 2048.0f);
        draw_lesson_picker(s);
        if (!s.results || !s.view.focus) {
            introduction(s, big);
        } else {
            const Focus f = *s.view.focus;
            wrapped_equation(s, s.view.equation_tex, big);
            // The label source is TeX already: a teacher pastes it straight into a slide,
            // one aligned block (general formula, indices, values, value).
            const bool copy = ImGui::SmallButton("Copy as LaTeX");
            probe_item("button");
            if (copy) copy_to_clipboard(s, s.view.equation_latex, "the equation");
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", s.view.equation_latex.c_str());
            if (s.notice.rfind("copied", 0) == 0) {  // until the notice fades
                ImGui::SameLine();
                ImGui::TextDisabled("copied");
            }
            ImGui::Spacing();
            switch (f.grid) {
                case GridId::Input:
                case GridId::Activated:
                case GridId::GradInput: input_focus(s, f); break;
                case GridId::Output:
                case GridId::Upstream: output_focus(s, f); break;
                case GridId::Kernel:
                case GridId::GradKernel: tap_focus(s, f); break;
                case GridId::RotatedKernel:
                case GridId::PaddedUpstream: break;  // lessons' grids: no hover table
            }
        }
    }
    ImGui::End();
}

}  // namespace convlens

namespace convlens {

void draw_splitter(AppState& s, const PanelLayout& layout, float body_height) {
    const float thickness = 6 * ui_scale(s);
    const ScreenRect& c = layout.canvas;
    ImGui::SetNextWindowPos(ImVec2(c.x, c.y + c.h - thickness / 2));
    ImGui::SetNextWindowSize(ImVec2(c.w, thickness));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, ImVec2(1, 1));
    ImGui::Begin("##splitter", nullptr,
                 kPanelFlags | ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground);
    ImGui::InvisibleButton("##drag", ImVec2(c.w, thickness));
    if (ImGui::IsItemHovered() || ImGui::IsItemActive()) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeNS);
    if (ImGui::IsItemActive() && body_height > 0) {
        const float delta = ImGui::GetIO().MouseDelta.y / body_height;
        float& share = s.lesson.name ? s.settings.lesson_share : s.settings.influence_share;
        share = std::clamp(share - delta, 0.1f, 0.8f);
    }
    if (ImGui::IsItemDeactivated()) save_settings_now(s);
    ImGui::End();
    ImGui::PopStyleVar(2);
}

}  // namespace convlens
