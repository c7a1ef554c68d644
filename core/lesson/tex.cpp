#include "lesson/tex.h"

#include "util/number_format.h"

namespace convlens {

std::string tex_subscript(Cell c, int base) {
    return "_{" + std::to_string(c.row + base) + "," + std::to_string(c.col + base) + "}";
}

std::string tex_factor(double v) {
    const std::string s = format_number(v);
    return s.front() == '-' ? "(" + s + ")" : s;
}

std::string join_terms(std::size_t count, const std::function<std::string(std::size_t)>& term) {
    constexpr std::size_t kAllUpTo = 9, kHead = 4, kTail = 2;
    if (count == 0) return "0";
    std::string s;
    auto add = [&](const std::string& t) { s += s.empty() ? t : " + " + t; };
    if (count <= kAllUpTo) {
        for (std::size_t k = 0; k < count; ++k) add(term(k));
        return s;
    }
    for (std::size_t k = 0; k < kHead; ++k) add(term(k));
    add("\\cdots");
    for (std::size_t k = count - kTail; k < count; ++k) add(term(k));
    return s;
}

std::string aligned_block(const std::vector<std::string>& lines) {
    std::string body;
    for (const std::string& line : lines) {
        if (line.empty()) continue;
        std::string row = "&" + line;  // no '=' outside braces: it continues the line above
        int depth = 0;
        for (std::size_t k = 0; k < line.size(); ++k) {
            if (line[k] == '{') ++depth;
            else if (line[k] == '}') --depth;
            else if (line[k] == '=' && depth == 0) {
                row = line.substr(0, k) + "&" + line.substr(k);
                break;
            }
        }
        body += (body.empty() ? "" : " \\\\\n") + row;
    }
    return "\\begin{aligned}\n" + body + "\n\\end{aligned}";
}

}  // namespace convlens
