#include "export/png_encoder.h"

#include <libdeflate.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/conv_spec.h"

namespace convlens {
namespace {

void put32(std::string& out, std::uint32_t v) {
    out += static_cast<char>(v >> 24);
    out += static_cast<char>(v >> 16 & 0xFF);
    out += static_cast<char>(v >> 8 & 0xFF);
    out += static_cast<char>(v & 0xFF);
}

// A chunk: length, type, data, CRC-32 of type and data.
void chunk(std::string& out, const char type[4], const unsigned char* data, std::size_t size) {
    put32(out, static_cast<std::uint32_t>(size));
    const std::size_t start = out.size();
    out.append(type, 4);
    out.append(reinterpret_cast<const char*>(data), size);
    put32(out, libdeflate_crc32(0, out.data() + start, size + 4));
}

// [SECTION] A zlib stream that codes only runs: one fixed-Huffman deflate block of literals
// and copies of the byte or the pixel before. Up-filtered slide frames are mostly such
// runs (flat fills, rows like the row above, edges), and deflating with libdeflate's
// fastest level was two thirds of a PNG frame's time.

// The fixed code of a literal/length symbol (RFC 1951 3.2.6), bits reversed for an
// LSB-first writer, and its length in bits.
struct FixedCode {
    std::uint16_t bits = 0;
    std::uint8_t length = 0;
};

std::array<FixedCode, 288> fixed_codes() {
    std::array<FixedCode, 288> table{};
    for (int symbol = 0; symbol < 288; ++symbol) {
        unsigned code = 0, length = 0;
        if (symbol < 144) code = 0x30 + symbol, length = 8;
        else if (symbol < 256) code = 0x190 + (symbol - 144), length = 9;
        else if (symbol < 280) code = symbol - 256, length = 7;
        else code = 0xC0 + (symbol - 280), length = 8;
        unsigned reversed = 0;
        for (unsigned k = 0; k < length; ++k) reversed |= ((code >> k) & 1u) << (length - 1 - k);
        table[static_cast<std::size_t>(symbol)] = {static_cast<std::uint16_t>(reversed), static_cast<std::uint8_t>(length)};
    }
    return table;
}

// For each match length 3..258: its symbol (257..285), extra bits and their value.
struct LengthCode {
    std::uint16_t symbol = 0;
    std::uint8_t extra_bits = 0;
    std::uint8_t extra = 0;
};

std::array<LengthCode, 259> length_codes() {
    constexpr int kBase[] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                             31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    constexpr int kExtra[] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                              2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    std::array<LengthCode, 259> table{};
    for (int code = 0; code < 29; ++code) {
        const int last = code == 28 ? 258 : kBase[code] + (1 << kExtra[code]) - 1;
        for (int length = kBase[code]; length <= last && length <= 258; ++length)
            table[static_cast<std::size_t>(length)] = {static_cast<std::uint16_t>(257 + code),
                                                       static_cast<std::uint8_t>(kExtra[code]),
                                                       static_cast<std::uint8_t>(length - kBase[code])};
    }
    return table;
}

class BitWriter {
public:
    explicit BitWriter(std::size_t reserve) { out_.reserve(reserve); }
    void put(std::uint32_t bits, int count) {  // count <= 32, LSB first
        buffer_ |= static_cast<std::uint64_t>(bits) << filled_;
        filled_ += count;
        while (filled_ >= 8) {
            out_ += static_cast<char>(buffer_ & 0xFF);
            buffer_ >>= 8;
            filled_ -= 8;
        }
    }
    std::string finish() {
        if (filled_ > 0) out_ += static_cast<char>(buffer_ & 0xFF);
        buffer_ = 0;
        filled_ = 0;
        return std::move(out_);
    }
    std::string& bytes() { return out_; }

private:
    std::string out_;
    std::uint64_t buffer_ = 0;
    int filled_ = 0;
};

std::string run_length_zlib(const unsigned char* data, std::size_t size) {
    static const std::array<FixedCode, 288> codes = fixed_codes();
    static const std::array<LengthCode, 259> lengths = length_codes();
    BitWriter w(size / 4 + 64);
    w.put(0x78, 8);  // zlib: deflate, 32 KiB window
    w.put(0x01, 8);  // fastest compression, no dictionary; 0x7801 is a multiple of 31
    w.put(1, 1);     // the final block
    w.put(1, 2);     // fixed Huffman codes
    const auto symbol = [&](unsigned s) { w.put(codes[s].bits, codes[s].length); };
    // Greedy: at each byte, the longer of two copies, of the byte before (a run of one
    // byte: flat fills, rows like the row above) and of the pixel before (three bytes
    // back: a horizontal edge's row, each pixel the same difference); else a literal.
    // Eight bytes at a time: the first differing byte is the lowest set byte of the XOR
    // (on a little-endian machine; the highest on a big-endian one).
    const auto copy_length = [&](std::size_t at, std::size_t distance) {
        const std::size_t limit = std::min<std::size_t>(258, size - at);
        // Most of a frame is whole runs (rows like the one above filter to zeros): one
        // vectorised memcmp settles those.
        if (limit == 258 && std::memcmp(data + at, data + at - distance, 258) == 0) return limit;
        std::size_t n = 0;
        for (; n + 8 <= limit; n += 8) {
            std::uint64_t here = 0, back = 0;
            std::memcpy(&here, data + at + n, 8);
            std::memcpy(&back, data + at + n - distance, 8);
            if (const std::uint64_t differ = here ^ back) {
                const int bit = std::endian::native == std::endian::little ? std::countr_zero(differ)
                                                                           : std::countl_zero(differ);
                return n + static_cast<std::size_t>(bit / 8);
            }
        }
        while (n < limit && data[at + n] == data[at + n - distance]) ++n;
        return n;
    };
    std::size_t i = 0;
    while (i < size) {
        std::size_t length = i >= 1 ? copy_length(i, 1) : 0;
        std::uint32_t distance_code = 0;  // 0: distance 1; 2: distance 3 (5 bits, reversed 8)
        if (i >= 3 && length < 258) {
            const std::size_t pixel = copy_length(i, 3);
            if (pixel > length) {
                length = pixel;
                distance_code = 8;
            }
        }
        if (length >= 3) {
            const LengthCode& c = lengths[length];
            symbol(c.symbol);
            if (c.extra_bits) w.put(c.extra, c.extra_bits);
            w.put(distance_code, 5);
            i += length;
        } else {
            symbol(data[i]);
            ++i;
        }
    }
    symbol(256);  // end of block
    std::string out = w.finish();
    const std::uint32_t adler = libdeflate_adler32(1, data, size);
    put32(out, adler);
    return out;
}

}  // namespace

std::string encode_png_fast(cairo_surface_t* surface, bool keep_alpha) {
    cairo_surface_flush(surface);
    const int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    const unsigned char* data = cairo_image_surface_get_data(surface);
    const std::size_t channels = keep_alpha ? 4 : 3;
    const std::size_t row_bytes = static_cast<std::size_t>(w) * channels;

    // Filtered rows: a filter byte (2, "up") then each byte minus the one above it. Opaque
    // frames are filtered straight from the surface's rows in one pass (no straightening
    // needed): this loop is a fifth of a frame's time.
    const std::size_t filtered_size = (row_bytes + 1) * static_cast<std::size_t>(h);
    std::unique_ptr<unsigned char[]> filtered(new unsigned char[filtered_size]);
    const auto row_of = [&](int y) {
        return reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * static_cast<std::size_t>(stride));
    };
    if (!keep_alpha) {
        for (int y = 0; y < h; ++y) {
            const std::uint32_t* here = row_of(y);
            const std::uint32_t* above = y > 0 ? row_of(y - 1) : nullptr;
            unsigned char* out = filtered.get() + static_cast<std::size_t>(y) * (row_bytes + 1);
            *out++ = 2;
            // A slide frame is mostly rows, and runs of pixels, equal to those above
            // (here 96 % of pixels): those filter to zeros without the byte arithmetic.
            const auto difference = [&](int x) {
                const std::uint32_t p = here[x], q = above ? above[x] : 0;
                *out++ = static_cast<unsigned char>((p >> 16) - (q >> 16));
                *out++ = static_cast<unsigned char>((p >> 8) - (q >> 8));
                *out++ = static_cast<unsigned char>(p - q);
            };
            if (above && std::memcmp(here, above, static_cast<std::size_t>(w) * 4) == 0) {
                std::memset(out, 0, row_bytes);
                continue;
            }
            int x = 0;
            for (; above && x + 4 <= w; x += 4) {
                std::uint64_t a[2], b[2];
                std::memcpy(a, here + x, 16);
                std::memcpy(b, above + x, 16);
                if (a[0] == b[0] && a[1] == b[1]) {
                    std::memset(out, 0, 12);
                    out += 12;
                } else {
                    for (int k = 0; k < 4; ++k) difference(x + k);
                }
            }
            for (; x < w; ++x) difference(x);
        }
    } else {
        std::vector<unsigned char> previous(row_bytes, 0), current(row_bytes);
        for (int y = 0; y < h; ++y) {
            const std::uint32_t* source = row_of(y);
            unsigned char* out = current.data();
            for (int x = 0; x < w; ++x) {
                const std::uint32_t p = source[x];  // premultiplied ARGB, native order
                const unsigned a = p >> 24;
                const auto straight = [a](unsigned v) {
                    return static_cast<unsigned char>(a == 255 ? v : a == 0 ? 0 : (v * 255 + a / 2) / a);
                };
                *out++ = straight((p >> 16) & 0xFF);
                *out++ = straight((p >> 8) & 0xFF);
                *out++ = straight(p & 0xFF);
                *out++ = static_cast<unsigned char>(a);
            }
            unsigned char* line = filtered.get() + static_cast<std::size_t>(y) * (row_bytes + 1);
            line[0] = 2;
            const unsigned char* up = previous.data();
            const unsigned char* now = current.data();
            for (std::size_t k = 0; k < row_bytes; ++k) line[k + 1] = static_cast<unsigned char>(now[k] - up[k]);
            previous.swap(current);
        }
    }

    const std::string compressed = run_length_zlib(filtered.get(), filtered_size);

    std::string png("\x89PNG\r\n\x1a\n", 8);
    unsigned char header[13];
    const auto be = [&](int at, std::uint32_t v) {
        header[at] = static_cast<unsigned char>(v >> 24);
        header[at + 1] = static_cast<unsigned char>(v >> 16 & 0xFF);
        header[at + 2] = static_cast<unsigned char>(v >> 8 & 0xFF);
        header[at + 3] = static_cast<unsigned char>(v & 0xFF);
    };
    be(0, static_cast<std::uint32_t>(w));
    be(4, static_cast<std::uint32_t>(h));
    header[8] = 8;                        // bits per channel
    header[9] = keep_alpha ? 6 : 2;       // RGBA or RGB
    header[10] = header[11] = header[12] = 0;  // deflate, adaptive filtering, no interlace
    chunk(png, "IHDR", header, sizeof header);
    chunk(png, "IDAT", reinterpret_cast<const unsigned char*>(compressed.data()), compressed.size());
    chunk(png, "IEND", nullptr, 0);
    return png;
}

}  // namespace convlens
