#include "math_draw.h"

#include <algorithm>
#include <string>
#include <vector>

#include <imgui_internal.h>

#include "canvas/draw_rules.h"
#include "layout_probe.h"

namespace convlens {
namespace {

// ImGui sizes a font by its whole line (ascender to descender), cairo by its em;
// DejaVu's line is (1901 + 483) / 2048 em. Scaling by it makes screen and slide agree.
constexpr float kLinePerEm = 2384.0f / 2048.0f;

float ascent_px(const ImFont* font, float size) { return font->Ascent * size / font->FontSize; }

bool is_combining_mark(unsigned c) { return c >= 0x0300 && c <= 0x036F; }

// ImGui draws a combining accent where the font puts it: just above a lowercase letter.
// Over a tall one (the tilde of delta-tilde) it would vanish into the letter's top, so
// each accent is drawn on its own, raised by as much as its letter outgrows an 'x'.
void add_text(ImDrawList* draw, ImFont* font, float size, ImVec2 pos, ImU32 color, const std::string& text) {
    const char* end = text.c_str() + text.size();
    if (std::none_of(text.begin(), text.end(), [](char c) { return c == '\xCC' || c == '\xCD'; })) {
        draw->AddText(font, size, pos, color, text.c_str(), end);
        return;
    }
    const float scale = size / font->FontSize;
    const ImFontGlyph* x_glyph = font->FindGlyph('x');
    std::string letters;
    float pen = 0;
    const ImFontGlyph* letter = nullptr;
    struct Accent {
        std::string text;
        float x, raise;
    };
    std::vector<Accent> accents;
    for (const char* s = text.c_str(); s < end;) {
        unsigned c = 0;
        const int length = std::max(1, ImTextCharFromUtf8(&c, s, end));
        const std::string bytes(s, static_cast<std::size_t>(std::min<std::ptrdiff_t>(length, end - s)));
        s += length;
        if (is_combining_mark(c)) {
            const float raise = letter && x_glyph ? std::max(0.0f, x_glyph->Y0 - letter->Y0) * scale : 0.0f;
            accents.push_back({bytes, pen, raise});
            continue;
        }
        letters += bytes;
        if (const ImFontGlyph* g = font->FindGlyph(static_cast<ImWchar>(c))) {
            pen += g->AdvanceX * scale;
            letter = g;
        }
    }
    draw->AddText(font, size, pos, color, letters.c_str(), letters.c_str() + letters.size());
    for (const Accent& a : accents)
        draw->AddText(font, size, ImVec2(pos.x + a.x, pos.y - a.raise), color, a.text.c_str(),
                      a.text.c_str() + a.text.size());
}

}  // namespace

// Script sizes, shifts and stacking are the shared rules of canvas/draw_rules.h; only
// the measuring is ImGui's.
MathLayout layout_math(const FontSet& fonts, const MathText& text, float px) {
    const auto measure = [&](std::string_view run, float em) {
        const float size = em * kLinePerEm;
        return fonts.pick(size)->CalcTextSizeA(size, 1e9f, 0, run.data(), run.data() + run.size()).x;
    };
    const MathGeometry geometry = place_math(text, px, measure);
    MathLayout layout;
    for (std::size_t k = 0; k < geometry.runs.size(); ++k) {
        const PlacedRunGeometry& g = geometry.runs[k];
        const float size = g.size * kLinePerEm;
        layout.runs.push_back({text.runs[k].text, fonts.pick(size), size, g.x, g.baseline});
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
        add_text(draw, r.font, r.size, pos, color, r.text);
    }
}

ImVec2 math_label(const FontSet& fonts, const std::string& tex, float px, ImU32 color) {
    if (px <= 0) px = ImGui::GetFontSize() / kLinePerEm;
    if (color == 0) color = ImGui::GetColorU32(ImGuiCol_Text);
    const MathText text = parse_math(tex);
    const MathLayout layout = layout_math(fonts, text, px);
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

float math_width(const FontSet& fonts, const std::string& tex, float px) {
    if (px <= 0) px = ImGui::GetFontSize() / kLinePerEm;
    return layout_math(fonts, parse_math(tex), px).width;
}

std::vector<std::string> break_math(const FontSet& fonts, const std::string& tex, float px,
                                    float width, const std::string& continuation) {
    // The parts: cut before every top-level operator " = ", " + ", " - ".
    std::vector<std::string> parts;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t k = 0; k < tex.size(); ++k) {
        const char c = tex[k];
        if (c == '{') ++depth;
        else if (c == '}') depth = std::max(0, depth - 1);
        const bool op = depth == 0 && c == ' ' && k + 2 < tex.size() && tex[k + 2] == ' ' &&
                        (tex[k + 1] == '=' || tex[k + 1] == '+' || tex[k + 1] == '-');
        // A remark set off by a wide space ("   (taps that reach no output add 0)").
        const bool remark = depth == 0 && c == ' ' && k + 1 < tex.size() && tex[k + 1] == ' ' &&
                            (k == 0 || tex[k - 1] != ' ');
        if ((op || remark) && k > start) {
            parts.push_back(tex.substr(start, k - start));
            start = k;
        }
    }
    parts.push_back(tex.substr(start));
    // A part wider than the line on its own (a long remark at a large interface size)
    // breaks between its words.
    std::vector<std::string> pieces;
    for (const std::string& part : parts) {
        if (math_width(fonts, part, px) <= width) {
            pieces.push_back(part);
            continue;
        }
        depth = 0;
        std::size_t from = 0;
        for (std::size_t k = 1; k < part.size(); ++k) {
            if (part[k] == '{') ++depth;
            else if (part[k] == '}') depth = std::max(0, depth - 1);
            else if (part[k] == ' ' && depth == 0 && part[k - 1] != ' ' && part[k - 1] != '\\') {
                pieces.push_back(part.substr(from, k - from));
                from = k;
            }
        }
        pieces.push_back(part.substr(from));
    }
    std::vector<std::string> lines;
    std::string line;
    for (const std::string& part : pieces) {
        const std::string candidate = line + part;
        if (!line.empty() && math_width(fonts, candidate, px) > width) {
            lines.push_back(line);
            // The part's leading space gives way to the indent.
            line = continuation + part.substr(part.find_first_not_of(' ') == std::string::npos
                                                   ? part.size()
                                                   : part.find_first_not_of(' '));
        } else {
            line = candidate;
        }
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
}

void wrapped_math_label(const FontSet& fonts, const std::string& tex, float px, const char* probe_name) {
    const float width = std::max(1.0f, ImGui::GetContentRegionAvail().x);
    for (const std::string& line : break_math(fonts, tex, px, width)) {
        math_label(fonts, line, px);
        if (probe_name) probe_item(probe_name);
    }
}

}  // namespace convlens
