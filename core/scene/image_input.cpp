#include "scene/image_input.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <system_error>
#include <vector>

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>

#include "scene/scene.h"

namespace convlens {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& name, const std::string& what) {
    throw InputError(name + ": " + what);
}

bool starts_with(std::string_view bytes, std::string_view magic) {
    return bytes.size() >= magic.size() && bytes.substr(0, magic.size()) == magic;
}

const char* format_of(std::string_view bytes) {
    if (starts_with(bytes, "\x89PNG\r\n\x1a\n")) return "PNG";
    if (starts_with(bytes, "\xff\xd8\xff")) return "JPEG";
    return nullptr;
}

std::string extent_text(int rows, int cols) {
    return std::to_string(rows) + " rows by " + std::to_string(cols) + " columns";
}

const stbi_uc* data_of(std::string_view bytes) {
    return reinterpret_cast<const stbi_uc*>(bytes.data());
}

// stb_image's reason, for the reader who wants to know what was wrong inside the file.
// It can quote bytes of the file (an unknown PNG chunk's type): only printable ASCII is
// kept, so the message stays one readable line.
std::string stb_reason() {
    const char* reason = stbi_failure_reason();
    if (!reason) return {};
    std::string text;
    for (const char* c = reason; *c && text.size() < 60; ++c)
        text += *c >= 0x20 && *c < 0x7f ? *c : '?';
    return " (" + text + ")";
}

// Debian's stb_image (2022-09) trusts a JPEG's Huffman table sizes: a table that claims
// more than 256 codes is written past the end of its arrays (found by tests/fuzz
// image_fuzz; newer stb_image refuses it). stb_image finds markers after junk and between
// scans in ways hard to follow exactly, so every FF C4 (DHT) anywhere in the file is read
// as it would read it, bytes past the end as 0: true when no such table is too large.
// Entropy-coded data never holds FF C4 (an FF there is followed by 00 or a marker), so
// only a JPEG with such bytes inside other segments could be refused needlessly.
bool jpeg_tables_fit(std::string_view bytes) {
    const auto at = [&](std::size_t i) {
        return i < bytes.size() ? static_cast<unsigned char>(bytes[i]) : 0u;
    };
    for (std::size_t pos = 0; pos + 1 < bytes.size(); ++pos) {
        if (at(pos) != 0xff || at(pos + 1) != 0xc4) continue;
        long remaining = static_cast<long>((at(pos + 2) << 8) | at(pos + 3)) - 2;
        std::size_t t = pos + 4;
        while (remaining > 0 && t < bytes.size()) {
            std::size_t codes = 0;
            for (std::size_t i = 1; i <= 16; ++i) codes += at(t + i);
            if (codes > 256) return false;
            remaining -= static_cast<long>(17 + codes);
            t += 17 + codes;
        }
    }
    return true;
}

// A PNG's empty IDAT chunks, which the format allows, make Debian's stb_image copy zero
// bytes from a null pointer (undefined behaviour, found by fuzz_image): the bytes without
// them, or nothing when there are none (the usual case: no copy).
std::optional<std::string> without_empty_idat(std::string_view bytes) {
    const auto be32 = [&](std::size_t i) {
        return (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 24) |
               (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 16) |
               (std::uint32_t{static_cast<unsigned char>(bytes[i + 2])} << 8) |
               std::uint32_t{static_cast<unsigned char>(bytes[i + 3])};
    };
    std::optional<std::string> kept;
    std::size_t pos = 8, copied = 0;
    while (pos + 12 <= bytes.size()) {
        const std::size_t length = be32(pos);
        if (length > bytes.size() - pos - 12) break;  // truncated: stb_image reports it
        if (length == 0 && bytes.substr(pos + 4, 4) == "IDAT") {
            if (!kept) kept.emplace();
            kept->append(bytes.substr(copied, pos - copied));
            copied = pos + 12;
        }
        pos += 12 + length;
    }
    if (kept) kept->append(bytes.substr(copied));
    return kept;
}

// The checks before any pixel is decoded: what the file is and what its header claims.
Shape checked_extent(std::string_view bytes, const std::string& name) {
    if (bytes.empty()) fail(name, "the file is empty, not an image");
    const char* format = format_of(bytes);
    if (!format) fail(name, "not a PNG or JPEG image");
    if (format == std::string_view("JPEG") && !jpeg_tables_fit(bytes))
        fail(name, "the JPEG image is damaged (a Huffman table holds more than 256 codes)");
    if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        fail(name, "the file is too large to be an image convlens reads");
    int w = 0, h = 0, channels = 0;
    if (!stbi_info_from_memory(data_of(bytes), static_cast<int>(bytes.size()), &w, &h, &channels))
        fail(name, std::string("the ") + format + " image is damaged or truncated" + stb_reason());
    if (w <= 0 || h <= 0) fail(name, std::string("the ") + format + " image has no pixels");
    if (w > kMaxImageSourceExtent || h > kMaxImageSourceExtent ||
        static_cast<long long>(w) * h > kMaxImageSourcePixels)
        fail(name, "the image has " + extent_text(h, w) + ", more than the " +
                       std::to_string(kMaxImageSourcePixels / 1'000'000) +
                       " megapixels convlens decodes");
    return {h, w};
}

// Luminance in [0, 1] of `channels` interleaved samples per pixel, each at most `full`.
template <typename Sample>
std::vector<double> grey_levels(const Sample* pixels, int rows, int cols, int channels, double full) {
    std::vector<double> grey(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
    for (std::size_t i = 0; i < grey.size(); ++i) {
        const Sample* p = pixels + i * static_cast<std::size_t>(channels);
        // Grey and grey+alpha images are their first sample; RGB(A) mixes three, in
        // thousandths so that the sums are exact and white is exactly 1.
        if (channels >= 3)
            grey[i] = (299.0 * p[0] + 587.0 * p[1] + 114.0 * p[2]) / (1000.0 * full);
        else
            grey[i] = p[0] / full;
    }
    return grey;
}

struct StbFree {
    void operator()(void* p) const { stbi_image_free(p); }
};

std::vector<double> decode_grey(std::string_view bytes, const std::string& name, Shape extent) {
    const char* format = format_of(bytes);
    const int length = static_cast<int>(bytes.size());
    int w = 0, h = 0, channels = 0;
    std::vector<double> grey;
    if (stbi_is_16_bit_from_memory(data_of(bytes), length)) {
        std::unique_ptr<stbi_us, StbFree> pixels(
            stbi_load_16_from_memory(data_of(bytes), length, &w, &h, &channels, 0));
        if (!pixels)
            fail(name, std::string("the ") + format + " image is damaged or truncated" + stb_reason());
        if (h != extent.rows || w != extent.cols || channels < 1 || channels > 4)
            fail(name, std::string("the ") + format + " image is damaged (its size changed while decoding)");
        grey = grey_levels(pixels.get(), h, w, channels, 65535.0);
    } else {
        std::unique_ptr<stbi_uc, StbFree> pixels(
            stbi_load_from_memory(data_of(bytes), length, &w, &h, &channels, 0));
        if (!pixels)
            fail(name, std::string("the ") + format + " image is damaged or truncated" + stb_reason());
        if (h != extent.rows || w != extent.cols || channels < 1 || channels > 4)
            fail(name, std::string("the ") + format + " image is damaged (its size changed while decoding)");
        grey = grey_levels(pixels.get(), h, w, channels, 255.0);
    }
    return grey;
}

// Shrinking averages the pixels each output cell covers (a box filter: exact means for
// whole-number ratios), which keeps edges crisp without aliasing; growing interpolates
// linearly. Both filters only mix neighbours, so the result stays within [0, 1] save
// for float rounding, which the caller clamps. stb_image_resize works in float: the
// resized levels carry float precision (about 7 digits), unresized ones full doubles.
std::vector<double> resize_grey(const std::vector<double>& grey_in, Shape from, Shape to,
                                const std::string& name) {
    const std::vector<float> grey(grey_in.begin(), grey_in.end());
    std::vector<float> out(static_cast<std::size_t>(to.rows) * static_cast<std::size_t>(to.cols));
    const bool shrinking = to.rows <= from.rows && to.cols <= from.cols;
    const stbir_filter filter = shrinking ? STBIR_FILTER_BOX : STBIR_FILTER_TRIANGLE;
    if (!stbir_resize_float_generic(grey.data(), from.cols, from.rows, 0, out.data(), to.cols,
                                    to.rows, 0, 1, STBIR_ALPHA_CHANNEL_NONE, 0, STBIR_EDGE_CLAMP,
                                    filter, STBIR_COLORSPACE_LINEAR, nullptr))
        fail(name, "the image could not be resized (out of memory)");
    return std::vector<double>(out.begin(), out.end());
}

void check_size(const std::optional<Shape>& size, const std::string& name) {
    if (!size) return;
    if (size->rows < 1 || size->cols < 1 || size->rows > kMaxInputExtent ||
        size->cols > kMaxInputExtent)
        fail(name, "size " + std::to_string(size->rows) + "x" + std::to_string(size->cols) +
                       " is outside 1x1 to " + std::to_string(kMaxInputExtent) + "x" +
                       std::to_string(kMaxInputExtent));
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

void check_image_range(double low, double high) {
    if (!std::isfinite(low) || !std::isfinite(high))
        throw InputError("the range's ends must be finite numbers");
    if (std::fabs(low) > kMaxImageRangeMagnitude || std::fabs(high) > kMaxImageRangeMagnitude)
        throw InputError("the range's ends must lie within -1e6 to 1e6");
    if (!(low < high))
        throw InputError("the range [low, high] needs low below high, e.g. [0, 1] or [-1, 1]");
}

Shape image_extent(std::string_view bytes, const std::string& name) {
    return checked_extent(bytes, name);
}

Matrix decode_image(std::string_view file, const std::string& name,
                    const std::optional<Shape>& size, double low, double high) {
    const char* format = format_of(file);
    const std::optional<std::string> cleaned =
        format && std::string_view(format) == "PNG" ? without_empty_idat(file) : std::nullopt;
    const std::string_view bytes = cleaned ? std::string_view(*cleaned) : file;
    try {
        check_image_range(low, high);
    } catch (const InputError& e) {
        fail(name, e.what());
    }
    check_size(size, name);
    const Shape extent = checked_extent(bytes, name);
    if (!size && (extent.rows > kMaxInputExtent || extent.cols > kMaxInputExtent))
        fail(name, "the image has " + extent_text(extent.rows, extent.cols) +
                       ", more than the " + std::to_string(kMaxInputExtent) + "x" +
                       std::to_string(kMaxInputExtent) + " an input may have; give a size to scale it");
    std::vector<double> grey = decode_grey(bytes, name, extent);
    Shape shape = extent;
    if (size && !(*size == extent)) {
        grey = resize_grey(grey, extent, *size, name);
        shape = *size;
    }
    Matrix m(shape.rows, shape.cols);
    const double span = high - low;
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        const double g = std::clamp(grey[static_cast<std::size_t>(i)], 0.0, 1.0);
        m.data()[i] = low + span * g;
    }
    return m;
}

std::string read_image_file(const std::string& path, const std::string& name) {
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) fail(name, "no such file");
    if (fs::is_directory(status)) fail(name, "is a folder, not an image");
    if (!fs::is_regular_file(status)) fail(name, "not a regular file, not an image");
    const std::uintmax_t bytes = fs::file_size(path, ec);
    if (ec) fail(name, "cannot read: " + ec.message());
    if (bytes == 0) fail(name, "the file is empty, not an image");
    if (bytes > kMaxImageFileBytes)
        fail(name, "the file has " + std::to_string(bytes >> 20) + " MB, more than the " +
                       std::to_string(kMaxImageFileBytes >> 20) + " MB an image may have");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(name, std::string("cannot read: ") + std::strerror(errno));
    std::string content(static_cast<std::size_t>(bytes), '\0');
    in.read(content.data(), static_cast<std::streamsize>(content.size()));
    content.resize(static_cast<std::size_t>(in.gcount()));
    if (in.bad()) fail(name, "cannot read: an error while reading");
    return content;
}

LoadedImage load_image(const std::string& path, const std::optional<Shape>& size, double low,
                       double high, const std::string& name) {
    const std::string shown = name.empty() ? path : name;
    LoadedImage loaded;
    loaded.pixels = decode_image(read_image_file(path, shown), shown, size, low, high);
    std::error_code ec;
    fs::path absolute = fs::absolute(path, ec);
    loaded.source.path = (ec ? fs::path(path) : absolute).lexically_normal().string();
    loaded.source.size = size;
    loaded.source.low = low;
    loaded.source.high = high;
    loaded.source.fingerprint = image_fingerprint(loaded.pixels);
    return loaded;
}

Shape fit_within(Shape image, int max_extent) {
    const int longest = std::max(image.rows, image.cols);
    if (longest <= max_extent) return image;
    const double scale = static_cast<double>(max_extent) / longest;
    const auto side = [&](int n) {
        return std::clamp(static_cast<int>(std::lround(n * scale)), 1, max_extent);
    };
    return {side(image.rows), side(image.cols)};
}

std::uint64_t image_fingerprint(const Matrix& m) {
    // Multiply-xorshift over 64-bit words, then a final avalanche (splitmix64's). The
    // shift brings high bits (a value's sign) down where the next multiply spreads them:
    // without it two sign changes would cancel.
    std::uint64_t h = 0xcbf29ce484222325ULL;
    const auto mix = [&h](std::uint64_t word) {
        h ^= word;
        h *= 0x9e3779b97f4a7c15ULL;
        h ^= h >> 32;
    };
    mix(static_cast<std::uint64_t>(m.rows()));
    mix(static_cast<std::uint64_t>(m.cols()));
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, m.data() + i, sizeof bits);
        mix(bits);
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

bool looks_like_image_path(const std::string& path) {
    const std::string ext = lower(fs::path(path).extension().string());
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

}  // namespace convlens
