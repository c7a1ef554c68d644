#include "math_draw.h"

#include <algorithm>

#include <imgui_internal.h>

#include "canvas/text_metrics.h"

namespace convlens {
namespace {

// ImGui sizes a font by its whole line (ascender to descender), cairo by its em;
// DejaVu's line is (1901 + 483) / 2048 em. Scaling by it makes screen and slide agree.
constexpr float kLinePerEm = 2384.0f / 2048.0f;
constexpr float kSuperRaise = 0.42f;  // em of the base size
constexpr float kSubDrop = 0.24f;

float ascent_px(const ImFont* font, float size) { return font->Ascent * size / font->FontSize; }
float descent_px(const ImFont* font, float size) { return -font->Descent * size / font->FontSize; }

}  // namespace

MathLayout layout_math(const FontSet& fonts, const MathText& text, float px, FontFace face) {
    MathLayout layout;
    float x = 0;
    float previous_start = 0;
    for (const TextRun& run : text.runs) {
        const bool script = run.script != Script::Base;
        const float em = script ? px * kScriptScale : px;
        const float size = em * kLinePerEm;
        ImFont* font = fonts.pick(face, size);
        const float baseline = run.script == Script::Super ? -kSuperRaise * px
                               : run.script == Script::Sub ? kSubDrop * px
                                                           : 0.0f;
        const float start = run.stacked ? previous_start : x;
        const float width =
            font->CalcTextSizeA(size, 1e9f, 0, run.text.c_str(), run.text.c_str() + run.text.size()).x;
        layout.runs.push_back({run.text, font, size, start, baseline});
        previous_start = start;
        x = std::max(x, start + width);
        layout.top = std::min(layout.top, baseline - ascent_px(font, size));
        layout.bottom = std::max(layout.bottom, baseline + descent_px(font, size));
    }
    layout.width = x;
    return layout;
}

void draw_math(ImDrawList* draw, const MathLayout& layout, ImVec2 origin, ImU32 color) {
    for (const PlacedRun& r : layout.runs) {
        // AddText places the top of the line box; the base line sits one ascent below it.
        const ImVec2 pos(origin.x + r.x, origin.y + r.baseline - ascent_px(r.font, r.size));
        draw->AddText(r.font, r.size, pos, color, r.text.c_str(), r.text.c_str() + r.text.size());
    }
}

ImVec2 math_label(const FontSet& fonts, const std::string& tex, float px, ImU32 color,
                  FontFace face) {
    if (px <= 0) px = ImGui::GetFontSize() / kLinePerEm;
    if (color == 0) color = ImGui::GetColorU32(ImGuiCol_Text);
    const MathText text = parse_math(tex);
    const MathLayout layout = layout_math(fonts, text, px, face);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    // Share the base line of ImGui text on the same line (AlignTextToFramePadding
    // included), unless a superscript needs more room above.
    const ImFont* ui = ImGui::GetFont();
    const float text_baseline = ImGui::GetCurrentWindow()->DC.CurrLineTextBaseOffset +
                                ui->Ascent * ImGui::GetFontSize() / ui->FontSize;
    const float baseline = std::max(text_baseline, -layout.top);
    draw_math(ImGui::GetWindowDrawList(), layout, ImVec2(at.x, at.y + baseline), color);
    const ImVec2 size(layout.width, std::max(ImGui::GetTextLineHeight(), baseline + layout.bottom));
    ImGui::Dummy(size);
    return size;
}

}  // namespace convlens
