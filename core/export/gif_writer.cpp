// An animated GIF that loops, one frame per step. One palette for the whole animation,
// median-cut (giflib) over pixels sampled from every frame, so the colour map stays
// smooth and the anti-aliased text keeps its greys; each frame after the first stores
// only the rectangle that changed, which keeps the file small.
#include <gif_lib.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <unordered_map>

#include "engine/conv_spec.h"
#include "export/cairo_backend.h"
#include "export/export_writers.h"

namespace convlens {
namespace {

constexpr int kSampleStep = 3;         // every third pixel of every third row
constexpr int kTransparentIndex = 255;

struct Pixel {
    std::uint8_t r, g, b, a;
};

// Straight RGBA of a cairo ARGB32 (premultiplied, native-endian) pixel.
Pixel unpremultiply(std::uint32_t p) {
    const unsigned a = p >> 24;
    const auto c = [a](unsigned v) { return static_cast<std::uint8_t>(a == 0 ? 0 : (v * 255 + a / 2) / a); };
    return {c((p >> 16) & 0xFF), c((p >> 8) & 0xFF), c(p & 0xFF), static_cast<std::uint8_t>(a)};
}

template <class F>
void for_each_pixel(cairo_surface_t* surface, int step, F&& f) {
    const unsigned char* data = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    const int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
    for (int y = 0; y < h; y += step) {
        const auto* row = reinterpret_cast<const std::uint32_t*>(data + y * stride);
        for (int x = 0; x < w; x += step) f(x, y, unpremultiply(row[x]));
    }
}

// Nearest palette colour, remembered per colour (16 M entries of two bytes): frames are
// mostly a few flat colours, so the cache answers nearly every pixel, and exact palette
// colours always map to themselves.
class PaletteMatcher {
public:
    PaletteMatcher(const std::vector<GifColorType>& palette) : palette_(palette), cache_(std::size_t{1} << 24, -1) {}
    std::uint8_t index(Pixel p) {
        const int key = p.r << 16 | p.g << 8 | p.b;
        std::int16_t& hit = cache_[static_cast<std::size_t>(key)];
        if (hit >= 0) return static_cast<std::uint8_t>(hit);
        int best = 0;
        long best_distance = -1;
        for (std::size_t k = 0; k < palette_.size(); ++k) {
            const long dr = p.r - palette_[k].Red, dg = p.g - palette_[k].Green, db = p.b - palette_[k].Blue;
            // Weighted like the eye: green counts most, blue least.
            const long d = 3 * dr * dr + 4 * dg * dg + 2 * db * db;
            if (best_distance < 0 || d < best_distance) {
                best_distance = d;
                best = static_cast<int>(k);
            }
        }
        hit = static_cast<std::int16_t>(best);
        return static_cast<std::uint8_t>(best);
    }

private:
    std::vector<GifColorType> palette_;
    std::vector<std::int16_t> cache_;
};

// The flat colours that cover much of the frames (background, cells, text) go into the
// palette exactly: median cut alone would average white with its pale neighbours into a
// grey background. The rest of the palette is median cut over the remaining pixels (the
// anti-aliased edges and the colour map's many shades).
std::vector<GifColorType> gif_palette(const std::vector<Pixel>& samples, int size) {
    constexpr std::size_t kMaxExact = 96;
    std::unordered_map<std::uint32_t, std::size_t> counts;
    const auto key = [](Pixel p) { return static_cast<std::uint32_t>(p.r) << 16 | p.g << 8 | p.b; };
    for (const Pixel& p : samples) ++counts[key(p)];
    std::vector<std::pair<std::size_t, std::uint32_t>> frequent;
    for (const auto& [color, count] : counts)
        if (count * 1000 >= samples.size()) frequent.push_back({count, color});
    // Most frequent first, ties by colour: the same frames give the same palette.
    std::sort(frequent.begin(), frequent.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    if (frequent.size() > kMaxExact) frequent.resize(kMaxExact);
    std::vector<GifColorType> palette;
    std::unordered_map<std::uint32_t, bool> exact;
    for (const auto& [count, color] : frequent) {
        palette.push_back({static_cast<GifByteType>(color >> 16), static_cast<GifByteType>(color >> 8 & 0xFF),
                           static_cast<GifByteType>(color & 0xFF)});
        exact[color] = true;
    }
    std::vector<GifByteType> reds, greens, blues;
    for (const Pixel& p : samples) {
        if (exact.count(key(p))) continue;
        reds.push_back(p.r);
        greens.push_back(p.g);
        blues.push_back(p.b);
    }
    int rest = size - static_cast<int>(palette.size());
    if (!reds.empty() && rest > 0) {
        std::vector<GifColorType> cut(256, GifColorType{0, 0, 0});
        std::vector<GifByteType> indices(reds.size());
        if (GifQuantizeBuffer(static_cast<unsigned>(reds.size()), 1, &rest, reds.data(), greens.data(),
                              blues.data(), indices.data(), cut.data()) == GIF_ERROR)
            throw InputError("cannot make the GIF: colour quantization failed");
        cut.resize(static_cast<std::size_t>(std::clamp(rest, 0, size - static_cast<int>(palette.size()))));
        palette.insert(palette.end(), cut.begin(), cut.end());
    }
    if (palette.empty()) palette.push_back({0, 0, 0});
    return palette;
}

int append_bytes(GifFileType* gif, const GifByteType* data, int length) {
    static_cast<std::string*>(gif->UserData)->append(reinterpret_cast<const char*>(data),
                                                     static_cast<std::size_t>(length));
    return length;
}

[[noreturn]] void gif_failed(int error) {
    throw InputError(std::string("cannot make the GIF: ") + GifErrorString(error));
}

// Closes the encoder on every path; a close after an error still frees it.
struct GifHandle {
    GifFileType* gif = nullptr;
    ~GifHandle() {
        int error = 0;
        if (gif) EGifCloseFile(gif, &error);
    }
    void check(int status) const {
        if (status == GIF_ERROR) gif_failed(gif->Error);
    }
};

}  // namespace

std::string gif_animation(const std::vector<DisplayList>& frames, const FrameFit& fit,
                          const ExportOptions& options, const CairoFonts& fonts, const FrameDone& done) {
    const int w = fit.width, h = fit.height;
    const bool transparent = options.transparent;

    // Pass 1: sample every frame's opaque pixels for the palette.
    std::vector<Pixel> samples;
    for (const DisplayList& list : frames) {
        cairo_surface_t* surface = render_surface(list, fit, transparent, fonts);
        for_each_pixel(surface, kSampleStep, [&](int, int, Pixel p) {
            if (!(transparent && p.a < 128)) samples.push_back(p);
        });
        cairo_surface_destroy(surface);
    }
    const std::vector<GifColorType> palette =
        gif_palette(samples, transparent ? kTransparentIndex : 256);
    PaletteMatcher matcher(palette);
    std::vector<GifColorType> color_map = palette;
    color_map.resize(256, GifColorType{0, 0, 0});  // GIF palettes come in powers of two

    std::string bytes;
    int error = 0;
    GifHandle handle;
    handle.gif = EGifOpen(&bytes, append_bytes, &error);
    if (!handle.gif) gif_failed(error);
    EGifSetGifVersion(handle.gif, true);
    ColorMapObject* map = GifMakeMapObject(256, color_map.data());
    if (!map) throw InputError("cannot make the GIF: out of memory");
    const int screen = EGifPutScreenDesc(handle.gif, w, h, 8, 0, map);
    GifFreeMapObject(map);  // the encoder keeps its own copy
    handle.check(screen);
    // NETSCAPE2.0 with loop count 0: play forever.
    const GifByteType loop[3] = {1, 0, 0};
    handle.check(EGifPutExtensionLeader(handle.gif, APPLICATION_EXT_FUNC_CODE));
    handle.check(EGifPutExtensionBlock(handle.gif, 11, "NETSCAPE2.0"));
    handle.check(EGifPutExtensionBlock(handle.gif, 3, loop));
    handle.check(EGifPutExtensionTrailer(handle.gif));

    // Pass 2: map each frame to the palette and store what changed.
    const int delay = std::max(1, static_cast<int>(std::lround(100.0 / options.fps)));
    std::vector<GifByteType> previous, current(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    for (const DisplayList& list : frames) {
        cairo_surface_t* surface = render_surface(list, fit, transparent, fonts);
        for_each_pixel(surface, 1, [&](int x, int y, Pixel p) {
            current[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)] =
                transparent && p.a < 128 ? static_cast<GifByteType>(kTransparentIndex) : matcher.index(p);
        });
        cairo_surface_destroy(surface);
        // The changed rectangle; the whole frame for the first one. With transparency
        // every frame is whole and replaces the last (disposal to background), since a
        // transparent pixel cannot overwrite an opaque one left from before.
        int x0 = 0, y0 = 0, x1 = w - 1, y1 = h - 1;
        if (!previous.empty() && !transparent) {
            x0 = w, y0 = h, x1 = -1, y1 = -1;
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x) {
                    const std::size_t k = static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x);
                    if (current[k] == previous[k]) continue;
                    x0 = std::min(x0, x);
                    x1 = std::max(x1, x);
                    y0 = std::min(y0, y);
                    y1 = std::max(y1, y);
                }
            if (x1 < 0) x0 = y0 = x1 = y1 = 0;  // an identical frame: one pixel keeps its delay
        }
        GraphicsControlBlock gcb;
        gcb.DisposalMode = transparent ? DISPOSE_BACKGROUND : DISPOSE_DO_NOT;
        gcb.UserInputFlag = false;
        gcb.DelayTime = delay;
        gcb.TransparentColor = transparent ? kTransparentIndex : NO_TRANSPARENT_COLOR;
        GifByteType extension[4];
        EGifGCBToExtension(&gcb, extension);
        handle.check(EGifPutExtension(handle.gif, GRAPHICS_EXT_FUNC_CODE, 4, extension));
        handle.check(EGifPutImageDesc(handle.gif, x0, y0, x1 - x0 + 1, y1 - y0 + 1, false, nullptr));
        for (int y = y0; y <= y1; ++y)
            handle.check(EGifPutLine(handle.gif, current.data() + static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + x0,
                                     x1 - x0 + 1));
        previous.swap(current);
        if (current.empty()) current.resize(previous.size());
        done();
    }
    const int closed = EGifCloseFile(handle.gif, &error);
    handle.gif = nullptr;
    if (closed == GIF_ERROR) gif_failed(error);
    return bytes;
}

}  // namespace convlens
