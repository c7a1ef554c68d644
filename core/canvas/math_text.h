// Labels are written once as TeX-like source (\delta^{l+1}_{m-i+1,n-j+1}) and rendered
// from it: Greek letters and operators become Unicode (DejaVu has them), '-' becomes the
// minus sign, and ^{...}/_{...} become raised or lowered runs in a smaller size.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace convlens {

enum class Script { Base, Super, Sub };

struct TextRun {
    std::string text;            // UTF-8
    Script script = Script::Base;
    // A sub right after a super (or the reverse) on the same base stacks under it
    // instead of following it: \delta^{l+1}_{m,n}.
    bool stacked = false;
    friend bool operator==(const TextRun&, const TextRun&) = default;
};

struct MathText {
    std::vector<TextRun> runs;
    friend bool operator==(const MathText&, const MathText&) = default;
    std::string plain() const;   // runs concatenated, for tests and tooltips
};

// Understands: ^x _x ^{..} _{..} (one level of nesting is flattened), \text{..} (kept
// verbatim), Greek letters (\delta, \Delta, \alpha...), \partial \sum \cdot \times \star
// \ast \circ \nabla \leq \geq \neq \in \to \rightarrow \prime \tilde (as a combining mark),
// \, (thin space), \{ \}. Unknown commands are kept as their name so nothing is lost.
// Also: \cdots \dots \ldots \infty \pm \approx \mapsto \le \ge \ne \quad, \hat and
// \bar (combining marks), \mathrm{..} and \operatorname{..} (verbatim), ' as a prime,
// '$' ignored. As in TeX, spaces after a command name are swallowed and spaces inside
// scripts ignored; binary operators get one space each side at the base level.
MathText parse_math(std::string_view source);

}  // namespace convlens
