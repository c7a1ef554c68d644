// Walking UTF-8 text one code point at a time, for measuring and converting labels.
#pragma once

#include <cstddef>
#include <string_view>

namespace convlens {

// The code point at pos, advancing pos past it. Decodes leniently: a broken sequence
// counts as one character rather than vanishing. pos must be < s.size().
inline char32_t next_code_point(std::string_view s, std::size_t& pos) {
    const auto lead = static_cast<unsigned char>(s[pos++]);
    const int extra = lead < 0xC0 ? 0 : lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3;
    char32_t c = extra == 0 ? lead : lead & (0x3F >> extra);
    for (int k = 0; k < extra && pos < s.size(); ++k) {
        const auto byte = static_cast<unsigned char>(s[pos]);
        if ((byte & 0xC0) != 0x80) break;
        c = (c << 6) | (byte & 0x3F);
        ++pos;
    }
    return c;
}

}  // namespace convlens
