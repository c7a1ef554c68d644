#include "math_draw.h"

#include <algorithm>

#include <imgui_internal.h>

#include "canvas/draw_rules.h"

namespace convlens {
namespace {

// ImGui sizes a font by its whole line (ascender to descender), cairo by its em;
// DejaVu's line is (1901 + 483) / 2048 em. Scaling by it makes screen and slide agree.
constexpr float kLinePerEm = 2384.0f / 2048.0f;

float ascent_px(const ImFont* font, float size) { return font->Ascent * size / font->FontSize; }

}  // namespace

// Script sizes, shifts and stacking are the shared rules of canvas/draw_rules.h; only
// the measuring is ImGui's.
MathLayout layout_math(const FontSet& fonts, const MathText& text, float px, FontFace face) {
    const auto measure = [&](std::string_view run, float em, bool) {
        const float size = em * kLinePerEm;
        return fonts.pick(face, size)->CalcTextSizeA(size, 1e9f, 0, run.data(), run.data() + run.size()).x;
    };
    const MathGeometry geometry = place_math(text, px, face == FontFace::Bold, measure);
    MathLayout layout;
    for (std::size_t k = 0; k < geometry.runs.size(); ++k) {
        const PlacedRunGeometry& g = geometry.runs[k];
        const float size = g.size * kLinePerEm;
        layout.runs.push_back({text.runs[k].text, fonts.pick(face, size), size, g.x, g.baseline});
    }
    layout.width = geometry.width;
    layout.top = geometry.top;
    layout.bottom = geometry.bottom;
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
