// Reading what `convlens explain` prints, for the command-line tests: its lines, its step
// headers and the number each equation line ends on.
#pragma once

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace convlens::cli {

inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
        const size_t end = text.find('\n', start);
        lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return lines;
}

// The lines that start a step ("step 3 of 29: ...").
inline int count_step_headers(const std::vector<std::string>& lines) {
    return int(std::count_if(lines.begin(), lines.end(),
                             [](const std::string& l) { return l.rfind("step ", 0) == 0; }));
}

// The number after the last '=' of a line, with the Unicode minus read as '-'.
inline std::optional<double> value_after_last_equals(std::string line) {
    const size_t eq = line.rfind('=');
    if (eq == std::string::npos) return std::nullopt;
    std::string number = line.substr(eq + 1);
    for (size_t pos; (pos = number.find("−")) != std::string::npos;) number.replace(pos, 3, "-");
    try {
        size_t used = 0;
        const double v = std::stod(number, &used);
        if (number.find_first_not_of(' ', used) != std::string::npos) return std::nullopt;
        return v;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace convlens::cli
