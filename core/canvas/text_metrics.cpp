#include "canvas/text_metrics.h"

#include <algorithm>
#include <cstdint>

#include "util/utf8.h"

namespace convlens {
namespace {

// DejaVu Sans advances of ' ' .. '~' in thousandths of an em (hmtx at 2048 units/em):
// digits are 0.636 em, '=' '+' '<' 0.838, 'i' 0.278, 'm' 0.974; no one average fits all.
constexpr std::uint16_t kAsciiAdvance[95] = {
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,   //  !"#$%&'()*+,-./
    636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,   // 0-9 :;<=>?
    1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,  // @A-O
    603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,   // P-Z [\]^_
    500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,   // `a-o
    635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,        // p-z {|}~
};

// The code points parse_math and format_number emit beyond ASCII, in em.
float advance(char32_t c) {
    if (c >= 0x20 && c < 0x7F) return static_cast<float>(kAsciiAdvance[c - 0x20]) / 1000.0f;
    if (c >= 0x0300 && c < 0x0370) return 0;  // combining accents sit on the letter before
    switch (c) {
        case 0x00B7: return 0.318f;  // ·
        case 0x00BD: return 0.969f;  // ½
        case 0x2003: return 1.0f;    // \quad
        case 0x2005: return 0.25f;   // \; \:
        case 0x2009: return 0.2f;    // \,
        case 0x2026: case 0x22EF: return 1.0f;  // … ⋯
        case 0x2032: return 0.227f;  // ′
        case 0x2202: return 0.517f;  // ∂
        case 0x2207: return 0.669f;  // ∇
        case 0x2211: return 0.674f;  // ∑
        case 0x221E: return 0.833f;  // ∞
        case 0x22C6: case 0x2218: return 0.626f;  // ⋆ ∘
        case 0x2208: return 0.871f;  // ∈
        default: break;
    }
    if (c >= 0x00B0 && c <= 0x00B9) return 0.401f;   // ² ³ ¹ °
    if (c >= 0x2070 && c <= 0x209F) return 0.401f;   // superscript and subscript digits
    if (c >= 0x0391 && c <= 0x03A9) return 0.70f;    // Greek capitals: Δ 0.684, Θ 0.787
    if (c >= 0x03B1 && c <= 0x03FF) return 0.61f;    // Greek small: δ 0.612, α 0.659, ι 0.338
    if (c == 0x00D7 || c == 0x00B1 || (c >= 0x2190 && c <= 0x22FF)) return 0.838f;  // − × → ≤
    return 0.6f;
}


}  // namespace

float estimate_text_width(std::string_view utf8, float size) {
    float em = 0;
    for (size_t pos = 0; pos < utf8.size();) em += advance(next_code_point(utf8, pos));
    return em * size;
}

float estimate_math_width(const MathText& text, float size) {
    float x = 0, previous_start = 0;
    for (const TextRun& run : text.runs) {
        const float run_size = run.script == Script::Base ? size : size * kScriptScale;
        const float start = run.stacked ? previous_start : x;
        x = std::max(x, start + estimate_text_width(run.text, run_size));
        previous_start = start;
    }
    return x;
}

}  // namespace convlens
