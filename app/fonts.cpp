#include "fonts.h"

#include <filesystem>
#include <system_error>

namespace convlens {
namespace {

constexpr const char* kSansPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* kBoldPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

// ImGui keeps a pointer to the ranges, so they live as long as the program.
// Latin-1 (×, ·, ±), spacing modifiers (ˡ), combining marks (the \tilde accent), Greek,
// punctuation (thin space, …), super/subscripts, arrows, math operators (∂ ∑ − ⋆),
// geometric shapes for legends, phonetic modifiers (ᵢ) and ⱼ.
constexpr ImWchar kTextRanges[] = {
    0x0020, 0x00FF, 0x02B0, 0x02FF, 0x0300, 0x036F, 0x0370, 0x03FF, 0x1D00, 0x1DBF,
    0x2000, 0x206F, 0x2070, 0x209F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF,
    0x2C60, 0x2C7F, 0,
};

// Canvas text is laid out in layout units and zoomed to fit, so it meets many pixel
// sizes; a ladder ~20% apart keeps every one within a small shrink of a baked size.
constexpr float kLadder[] = {9, 11, 13, 15, 18, 21, 25, 30, 36};

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

ImFont* FontSet::pick(FontFace face, float px) const {
    ImFont* best = nullptr;
    ImFont* largest = nullptr;
    for (const Baked& b : ladder) {
        if (b.face != face) continue;
        largest = b.font;
        if (!best && b.size >= px * 0.97f) best = b.font;
    }
    if (best) return best;
    if (largest) return largest;
    return ui ? ui : ImGui::GetFont();
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
    const bool has_bold = file_exists(kBoldPath);
    for (float size : kLadder) {
        const float px = size * scale;
        // Small sizes profit from horizontal oversampling; large ones do not need it.
        const int oversample = px < 16 ? 2 : 1;
        set.ladder.push_back({FontFace::Sans, px, add(kSansPath, px, kTextRanges, oversample)});
        set.ladder.push_back({FontFace::Bold, px,
                              add(has_bold ? kBoldPath : kSansPath, px, kTextRanges, oversample)});
    }
    io.FontDefault = set.ui;
    return set;
}

}  // namespace convlens
