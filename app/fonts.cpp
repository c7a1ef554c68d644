#include "fonts.h"

#include <cmath>
#include <filesystem>
#include <system_error>

namespace convlens {
namespace {

constexpr const char* kSansPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

// ImGui keeps a pointer to the ranges, so they live as long as the program.
// Latin-1 (×, ·, ±), spacing modifiers (ˡ), combining marks (the \tilde accent), Greek,
// punctuation (thin space, …), super/subscripts, arrows, math operators (∂ ∑ − ⋆),
// geometric shapes for legends, phonetic modifiers (ᵢ) and ⱼ.
constexpr ImWchar kTextRanges[] = {
    0x0020, 0x00FF, 0x02B0, 0x02FF, 0x0300, 0x036F, 0x0370, 0x03FF, 0x1D00, 0x1DBF,
    0x2000, 0x206F, 0x2070, 0x209F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF,
    0x2C60, 0x2C7F, 0,
};

// The canvas ladder holds only what parse_math and format_number produce: ASCII, ½ ² ·
// ×, Greek, the accents, spaces and ′ ⋯, super/subscripts, → ↦, and the operators it
// names. Every size multiplies the atlas, so the whole blocks stay with the widgets' font.
constexpr ImWchar kCanvasRanges[] = {
    0x0020, 0x007E, 0x00B0, 0x00BD, 0x00D7, 0x00D7, 0x0302, 0x0304, 0x0391, 0x03C9,
    0x03D1, 0x03D1, 0x03D5, 0x03D5, 0x03F5, 0x03F5, 0x2002, 0x2009, 0x2026, 0x2026,
    0x2032, 0x2032, 0x2070, 0x209C, 0x2190, 0x2193, 0x21A6, 0x21A6, 0x2202, 0x2202,
    0x2207, 0x2208, 0x2211, 0x2212, 0x2217, 0x2218, 0x221E, 0x221E, 0x2248, 0x2248,
    0x2260, 0x2260, 0x2264, 0x2265, 0x22C5, 0x22C6, 0x22EF, 0x22EF, 0,
};

// Canvas text is laid out in layout units and zoomed to fit the window, so its pixel size
// follows the zoom, not the UI scale: rungs from 8 px, 22% apart, up to what the largest
// zoom needs at this scale. The atlas stays near 1024 x 2048.
constexpr float kSmallestRung = 8;
constexpr float kRungRatio = 1.22f;
constexpr float kLargestText = 40;  // pixels at scale 1

bool file_exists(const char* path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

ImFont* add(const char* path, float px, const ImWchar* ranges, int oversample) {
    ImFontConfig config;
    config.OversampleH = oversample;
    config.OversampleV = 1;
    config.PixelSnapH = false;
    return ImGui::GetIO().Fonts->AddFontFromFileTTF(path, px, &config, ranges);
}

}  // namespace

ImFont* FontSet::pick(float px) const {
    ImFont* best = nullptr;
    float best_distance = 0;
    for (const Baked& b : ladder) {
        const float distance = std::fabs(std::log(b.size / px));
        if (!best || distance < best_distance) {
            best = b.font;
            best_distance = distance;
        }
    }
    return best ? best : ui ? ui : ImGui::GetFont();
}

FontSet build_fonts(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    FontSet set;
    if (!file_exists(kSansPath)) {
        set.warning = std::string("font ") + kSansPath +
                      " not found (install fonts-dejavu-core): math symbols will show as '?'";
        ImFontConfig config;
        config.SizePixels = kUiFontSize * scale;
        set.ui = io.Fonts->AddFontDefault(&config);
        return set;
    }
    set.ui = add(kSansPath, kUiFontSize * scale, kTextRanges, 2);
    // Small sizes profit from horizontal oversampling; large ones do not need it.
    for (float px = kSmallestRung; px < kLargestText * scale * kRungRatio; px *= kRungRatio)
        set.ladder.push_back({px, add(kSansPath, px, kCanvasRanges, px < 16 ? 2 : 1)});
    io.FontDefault = set.ui;
    if (!io.Fonts->Build()) set.warning = "the font atlas could not be built";
    return set;
}

}  // namespace convlens
