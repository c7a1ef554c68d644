// PNG files written by hand for the image tests: stored (uncompressed) deflate blocks and
// our own CRC-32 and Adler-32, so what the decoder reads does not come from any encoder
// that convlens itself uses.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace convlens::test_images {

inline std::uint32_t crc32(const std::string& bytes) {
    std::uint32_t crc = 0xffffffffu;
    for (unsigned char b : bytes) {
        crc ^= b;
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return crc ^ 0xffffffffu;
}

inline void put32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

inline std::string chunk(const std::string& kind, const std::string& data) {
    std::string out;
    put32(out, static_cast<std::uint32_t>(data.size()));
    const std::string body = kind + data;
    out += body;
    put32(out, crc32(body));
    return out;
}

// A zlib stream of stored blocks (at most 65535 bytes each).
inline std::string zlib_stored(const std::string& raw) {
    std::string out = "\x78\x01";
    std::size_t at = 0;
    do {
        const std::size_t n = std::min<std::size_t>(65535, raw.size() - at);
        const bool last = at + n == raw.size();
        out += static_cast<char>(last ? 1 : 0);
        out += static_cast<char>(n & 0xff);
        out += static_cast<char>(n >> 8);
        out += static_cast<char>(~n & 0xff);
        out += static_cast<char>((~n >> 8) & 0xff);
        out += raw.substr(at, n);
        at += n;
    } while (at < raw.size());
    std::uint32_t a = 1, b = 0;
    for (unsigned char c : raw) {
        a = (a + c) % 65521;
        b = (b + a) % 65521;
    }
    put32(out, (b << 16) | a);
    return out;
}

// color_type: 0 grey, 2 RGB, 4 grey+alpha, 6 RGBA. samples: rows*cols*channels values,
// each below 2^depth (depth 8 or 16), row by row.
inline std::string png(int rows, int cols, int color_type, int depth,
                       const std::vector<int>& samples) {
    std::string ihdr;
    put32(ihdr, static_cast<std::uint32_t>(cols));
    put32(ihdr, static_cast<std::uint32_t>(rows));
    ihdr += static_cast<char>(depth);
    ihdr += static_cast<char>(color_type);
    ihdr += std::string(3, '\0');  // deflate, adaptive filtering, no interlace
    const std::size_t per_row = samples.size() / static_cast<std::size_t>(rows > 0 ? rows : 1);
    std::string raw;
    for (int r = 0; r < rows; ++r) {
        raw += '\0';  // filter: none
        for (std::size_t k = 0; k < per_row; ++k) {
            const int v = samples[static_cast<std::size_t>(r) * per_row + k];
            if (depth == 16) raw += static_cast<char>(v >> 8);
            raw += static_cast<char>(v & 0xff);
        }
    }
    return "\x89PNG\r\n\x1a\n" + chunk("IHDR", ihdr) + chunk("IDAT", zlib_stored(raw)) +
           chunk("IEND", "");
}

inline std::string grey_png(int rows, int cols, const std::vector<int>& levels) {
    return png(rows, cols, 0, 8, levels);
}

}  // namespace convlens::test_images
