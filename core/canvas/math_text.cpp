#include "canvas/math_text.h"

#include <algorithm>
#include <cctype>

namespace convlens {
namespace {

struct Symbol {
    std::string_view name;
    std::string_view text;
};

// TeX's own glyph choices (\phi is the closed form, \varphi the open one), so a label
// copied to LaTeX looks the same as on screen.
constexpr Symbol kSymbols[] = {
    {"alpha", "α"},   {"beta", "β"},    {"gamma", "γ"},     {"delta", "δ"},   {"epsilon", "ϵ"},
    {"varepsilon", "ε"}, {"zeta", "ζ"}, {"eta", "η"},       {"theta", "θ"},   {"iota", "ι"},
    {"kappa", "κ"},   {"lambda", "λ"},  {"mu", "μ"},        {"nu", "ν"},      {"xi", "ξ"},
    {"pi", "π"},      {"rho", "ρ"},     {"sigma", "σ"},     {"tau", "τ"},     {"upsilon", "υ"},
    {"phi", "ϕ"},     {"varphi", "φ"},  {"chi", "χ"},       {"psi", "ψ"},     {"omega", "ω"},
    {"Gamma", "Γ"},   {"Delta", "Δ"},   {"Theta", "Θ"},     {"Lambda", "Λ"},  {"Xi", "Ξ"},
    {"Pi", "Π"},      {"Sigma", "Σ"},   {"Phi", "Φ"},       {"Psi", "Ψ"},     {"Omega", "Ω"},
    {"partial", "∂"}, {"nabla", "∇"},   {"sum", "∑"},       {"prime", "′"},   {"infty", "∞"},
    {"cdots", "⋯"},   {"dots", "…"},    {"ldots", "…"},     {"quad", "\u2003"},
};

// Binary operators and relations: TeX spaces them at the base level.
constexpr Symbol kOperators[] = {
    {"cdot", "·"},  {"times", "×"}, {"star", "⋆"}, {"ast", "∗"},        {"circ", "∘"},
    {"leq", "≤"},   {"le", "≤"},    {"geq", "≥"},  {"ge", "≥"},         {"neq", "≠"},
    {"ne", "≠"},    {"in", "∈"},    {"to", "→"},   {"rightarrow", "→"}, {"approx", "≈"},
    {"pm", "±"},    {"mapsto", "↦"},
};

// Accents that become a combining mark after the first letter of their argument.
constexpr Symbol kAccents[] = {{"tilde", "\u0303"}, {"hat", "\u0302"}, {"bar", "\u0304"}};

// A hostile source of nested \tilde{\tilde{...}} must not exhaust the stack.
constexpr int kMaxDepth = 16;

const Symbol* find(const auto& table, std::string_view name) {
    for (const Symbol& s : table)
        if (s.name == name) return &s;
    return nullptr;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_letter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

size_t first_code_point_length(std::string_view s) {
    if (s.empty()) return 0;
    const auto lead = static_cast<unsigned char>(s[0]);
    const size_t n = std::min<size_t>(lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4, s.size());
    // A truncated sequence ends where the continuation bytes do.
    for (size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[k]) & 0xC0) != 0x80) return k;
    return n;
}

// Where a token lands: inside a script (TeX ignores spaces there, and so do we), or at
// the base level, with or without runs already emitted before the text being built.
enum class Level { Script, BaseStart, BaseAfterRuns };

bool wants_space(const std::string& dst, Level level) {
    if (level == Level::Script) return false;
    return dst.empty() ? level == Level::BaseAfterRuns : dst.back() != ' ';
}

class Translator {
public:
    // The raw source of one argument after a command or a script marker: a braced group
    // (up to its matching brace, or the end when unbalanced), a command, or one character.
    static std::string_view argument(std::string_view src, size_t& pos) {
        while (pos < src.size() && is_space(src[pos])) ++pos;
        if (pos >= src.size()) return {};
        const size_t start = pos;
        if (src[pos] == '{') {
            int depth = 0;
            for (; pos < src.size(); ++pos) {
                if (src[pos] == '\\') {
                    ++pos;  // an escaped brace does not count
                    continue;
                }
                if (src[pos] == '{') ++depth;
                if (src[pos] == '}' && --depth == 0) {
                    ++pos;
                    return src.substr(start + 1, pos - start - 2);
                }
            }
            pos = src.size();
            return src.substr(start + 1);
        }
        if (src[pos] == '\\') {
            ++pos;
            if (pos < src.size() && is_letter(src[pos])) {
                while (pos < src.size() && is_letter(src[pos])) ++pos;
            } else if (pos < src.size()) {
                pos += first_code_point_length(src.substr(pos));
            }
            return src.substr(start, pos - start);
        }
        pos += first_code_point_length(src.substr(pos));
        return src.substr(start, pos - start);
    }

    // Everything inside a script or accent argument: nested scripts and braces flatten.
    static std::string flat(std::string_view src, int depth) {
        std::string out;
        size_t pos = 0;
        while (pos < src.size()) {
            const char c = src[pos];
            if (c == '^' || c == '_' || c == '{' || c == '}') {
                ++pos;
                continue;
            }
            pos = token(src, pos, out, depth, Level::Script);
        }
        return out;
    }

    // Translates the token at pos (never ^, _ or a brace) onto dst; returns the next pos.
    static size_t token(std::string_view src, size_t pos, std::string& dst, int depth,
                        Level level) {
        const char c = src[pos];
        if (c == '\\') return command(src, pos + 1, dst, depth, level);
        if (is_space(c)) {
            while (pos < src.size() && is_space(src[pos])) ++pos;
            if (wants_space(dst, level)) dst += ' ';
            return pos;
        }
        if (c == '-') dst += "−";
        else if (c == '\'') dst += "′";
        else if (c == '~') dst += ' ';
        else if (c != '$') dst += c;  // math-mode delimiters are noise inside a label
        return pos + 1;
    }

private:
    static size_t command(std::string_view src, size_t pos, std::string& dst, int depth,
                          Level level) {
        if (pos >= src.size()) return pos;
        if (!is_letter(src[pos])) {
            const char c = src[pos];
            if (c == ',') dst += "\u2009";
            else if (c == ';' || c == ':') dst += "\u2005";
            else if (c == '\\' || c == ' ') dst += ' ';
            else if (c != '!') dst.append(src.substr(pos, first_code_point_length(src.substr(pos))));
            return pos + first_code_point_length(src.substr(pos));
        }
        const size_t start = pos;
        while (pos < src.size() && is_letter(src[pos])) ++pos;
        const std::string_view name = src.substr(start, pos - start);

        if (name == "text" || name == "mathrm" || name == "operatorname") {
            dst.append(argument(src, pos));
            return pos;
        }
        if (const Symbol* accent = find(kAccents, name)) {
            std::string arg = depth < kMaxDepth ? flat(argument(src, pos), depth + 1)
                                                : std::string(argument(src, pos));
            if (!arg.empty()) arg.insert(first_code_point_length(arg), accent->text);
            dst += arg;
            return pos;
        }
        // TeX ends a command name at the first non-letter and swallows the spaces after it.
        while (pos < src.size() && is_space(src[pos])) ++pos;
        if (const Symbol* op = find(kOperators, name)) {
            if (wants_space(dst, level)) dst += ' ';
            dst += op->text;
            if (level != Level::Script) dst += ' ';
        } else if (const Symbol* sym = find(kSymbols, name)) {
            dst += sym->text;
        } else {
            dst += name;  // \sin, \max, or a typo: shown, not lost
        }
        return pos;
    }
};

class Builder {
public:
    void add(Script script, std::string text) {
        if (text.empty()) return;
        bool stacked = false;
        if (script != Script::Base && !out_.runs.empty()) {
            const TextRun& last = out_.runs.back();
            stacked = last.script != Script::Base && last.script != script && !last.stacked;
        }
        if (!stacked && !out_.runs.empty() && out_.runs.back().script == script) {
            out_.runs.back().text += text;
            return;
        }
        out_.runs.push_back({std::move(text), script, stacked});
    }
    bool empty() const { return out_.runs.empty(); }
    MathText take() { return std::move(out_); }

private:
    MathText out_;
};

}  // namespace

std::string MathText::plain() const {
    std::string s;
    for (const TextRun& r : runs) s += r.text;
    return s;
}

MathText parse_math(std::string_view source) {
    Builder builder;
    std::string pending;  // base-level text not yet closed by a script
    size_t pos = 0;
    while (pos < source.size()) {
        const char c = source[pos];
        if (c == '^' || c == '_') {
            ++pos;
            builder.add(Script::Base, std::move(pending));
            pending.clear();
            const std::string_view arg = Translator::argument(source, pos);
            builder.add(c == '^' ? Script::Super : Script::Sub, Translator::flat(arg, 1));
            continue;
        }
        if (c == '{' || c == '}') {  // grouping only; an unbalanced brace is harmless
            ++pos;
            continue;
        }
        if (is_space(c)) {
            // "x^a _b" is still one stacked pair, as in TeX.
            size_t next = pos;
            while (next < source.size() && is_space(source[next])) ++next;
            if (next < source.size() && (source[next] == '^' || source[next] == '_')) {
                pos = next;
                continue;
            }
        }
        pos = Translator::token(source, pos, pending, 0,
                                builder.empty() ? Level::BaseStart : Level::BaseAfterRuns);
    }
    builder.add(Script::Base, std::move(pending));
    return builder.take();
}

}  // namespace convlens
