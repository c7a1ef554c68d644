// The whole lesson as one Beamer frame of TikZ: one overlay per step (\only<k>), grids as
// rectangles, arrows with arrows.meta heads shaped by the shared rules, text as LaTeX
// (math from each label's TeX source), colours as named \definecolor entries a teacher
// can restyle. Items that open every frame identically (the grids drawn before any step's
// marks) are written once, before the overlays, so the file stays readable.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <variant>

#include "canvas/draw_rules.h"
#include "canvas/heatmap_colors.h"
#include "engine/conv_spec.h"
#include "export/export_writers.h"
#include "util/utf8.h"

namespace convlens {
namespace {

// Room for the picture on a 16:9 Beamer slide (160 x 90 mm) under a frame title.
constexpr float kRoomWidthPt = 412;   // 145 mm
constexpr float kRoomHeightPt = 190;  // 67 mm

std::string num(float v) {
    if (std::abs(v) < 0.0005f) return "0";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3f", static_cast<double>(v));
    std::string s = buffer;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}


// What LaTeX should print for a code point convlens' labels use beyond ASCII.
std::string unicode_meaning(char32_t c) {
    static const char* const kGreekSmall[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta",
                                              "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "o",
                                              "pi", "rho", "varsigma", "sigma", "tau", "upsilon", "phi",
                                              "chi", "psi", "omega"};
    static const std::map<char32_t, const char*> kGreekCapital = {
        {0x0393, "Gamma"}, {0x0394, "Delta"}, {0x0398, "Theta"}, {0x039B, "Lambda"}, {0x039E, "Xi"},
        {0x03A0, "Pi"},    {0x03A3, "Sigma"}, {0x03A6, "Phi"},   {0x03A8, "Psi"},    {0x03A9, "Omega"}};
    if (c >= 0x03B1 && c <= 0x03C9) {
        const std::string name = kGreekSmall[c - 0x03B1];
        return name == "o" ? "o" : "\\ensuremath{\\" + name + "}";
    }
    if (auto it = kGreekCapital.find(c); it != kGreekCapital.end())
        return std::string("\\ensuremath{\\") + it->second + "}";
    switch (c) {
        case 0x00A0: return "~";
        case 0x00B0: return "\\ensuremath{^\\circ}";
        case 0x00B1: return "\\ensuremath{\\pm}";
        case 0x00B2: return "\\ensuremath{^2}";
        case 0x00B3: return "\\ensuremath{^3}";
        case 0x00B7: return "\\ensuremath{\\cdot}";
        case 0x00B9: return "\\ensuremath{^1}";
        case 0x00BD: return "\\ensuremath{\\tfrac12}";
        case 0x00D7: return "\\ensuremath{\\times}";
        case 0x2003: return "\\quad{}";
        case 0x2005: return "\\;";
        case 0x2009: return "\\,";
        case 0x2013: return "--";
        case 0x2014: return "---";
        case 0x2018: return "`";
        case 0x2019: return "'";
        case 0x201C: return "``";
        case 0x201D: return "''";
        case 0x2026: return "\\ensuremath{\\dots}";
        case 0x2032: return "\\ensuremath{'}";
        case 0x2190: return "\\ensuremath{\\leftarrow}";
        case 0x2192: return "\\ensuremath{\\rightarrow}";
        case 0x21A6: return "\\ensuremath{\\mapsto}";
        case 0x2202: return "\\ensuremath{\\partial}";
        case 0x2207: return "\\ensuremath{\\nabla}";
        case 0x2208: return "\\ensuremath{\\in}";
        case 0x2211: return "\\ensuremath{\\sum}";
        case 0x2212: return "\\ensuremath{-}";
        case 0x2218: return "\\ensuremath{\\circ}";
        case 0x221E: return "\\ensuremath{\\infty}";
        case 0x2248: return "\\ensuremath{\\approx}";
        case 0x2260: return "\\ensuremath{\\neq}";
        case 0x2264: return "\\ensuremath{\\leq}";
        case 0x2265: return "\\ensuremath{\\geq}";
        case 0x22C5: return "\\ensuremath{\\cdot}";
        case 0x22C6: return "\\ensuremath{\\star}";
        case 0x22EF: return "\\ensuremath{\\cdots}";
        case 0x2713: return "\\ensuremath{\\checkmark}";
        case 0x2717: return "\\ensuremath{\\times}";
        default: return "?";
    }
}

// Plain text with LaTeX's special characters escaped; non-ASCII stays UTF-8 and is
// declared in the preamble. Records the code points it met.
std::string escape_text(const std::string& text, std::set<char32_t>& seen) {
    std::string out;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t start = pos;
        const char32_t c = next_code_point(text, pos);
        switch (c) {
            case '\\': out += "\\textbackslash{}"; break;
            case '{': out += "\\{"; break;
            case '}': out += "\\}"; break;
            case '#': out += "\\#"; break;
            case '$': out += "\\$"; break;
            case '%': out += "\\%"; break;
            case '&': out += "\\&"; break;
            case '_': out += "\\_"; break;
            case '~': out += "\\textasciitilde{}"; break;
            case '^': out += "\\textasciicircum{}"; break;
            default:
                if (c >= 0x80) seen.insert(c);
                out.append(text, start, pos - start);
        }
    }
    return out;
}

// A label's TeX source for math mode: its own commands, with any non-ASCII declared.
std::string math_source(const std::string& source, std::set<char32_t>& seen) {
    std::string out;
    for (std::size_t pos = 0; pos < source.size();) {
        const std::size_t start = pos;
        const char32_t c = next_code_point(source, pos);
        if (c == '$') continue;  // labels may carry their own; the node adds one pair
        if (c == '%' || c == '#' || c == '&') {
            out += '\\';
            out += static_cast<char>(c);
            continue;
        }
        if (c >= 0x80) seen.insert(c);
        out.append(source, start, pos - start);
    }
    return out;
}

class TikzWriter {
public:
    TikzWriter(const Rect& bounds) : bounds_(bounds) {
        k_ = std::min(kRoomWidthPt / std::max(bounds.w, 1.0f), kRoomHeightPt / std::max(bounds.h, 1.0f));
    }

    std::string item(const DrawItem& item) {
        return std::visit([this](const auto& x) { return draw(x); }, item);
    }

    std::string preamble_colors() const {
        std::string out;
        for (const auto& [rgb, name] : colors_) out += "\\definecolor{" + name + "}{HTML}{" + rgb + "}\n";
        return out;
    }
    std::string preamble_unicode() const {
        std::string out;
        for (char32_t c : unicode_) {
            if (c < 0xA0) continue;
            char hex[16];
            std::snprintf(hex, sizeof hex, "%04X", static_cast<unsigned>(c));
            out += "\\DeclareUnicodeCharacter{" + std::string(hex) + "}{" + unicode_meaning(c) + "}\n";
        }
        return out;
    }
    float scale() const { return k_; }
    std::string text(const std::string& plain) { return escape_text(plain, unicode_); }
    std::string color(Color c) {
        const auto byte = [](float v) { return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255)); };
        char rgb[8];
        std::snprintf(rgb, sizeof rgb, "%02X%02X%02X", byte(c.r), byte(c.g), byte(c.b));
        auto it = colors_.find(rgb);
        if (it == colors_.end()) it = colors_.emplace(rgb, "cl" + std::to_string(colors_.size() + 1)).first;
        return it->second;
    }

private:
    std::string x(float v) const { return num((v - bounds_.x) * k_); }
    std::string y(float v) const { return num((v - bounds_.y) * k_); }
    std::string at(Point p) const { return "(" + x(p.x) + "," + y(p.y) + ")"; }
    std::string pt(float v) const { return num(v * k_) + "pt"; }
    // Hairlines stay at least 0.2 pt, as on screen they stay a pixel.
    std::string width(float w) const { return num(std::max(0.2f, w * k_)) + "pt"; }
    std::string opacity(const char* what, Color c) const {
        return c.a < 1 ? std::string(", ") + what + " opacity=" + num(c.a) : std::string();
    }
    std::string dashes(float dash) const {
        const float d = std::max(dash, kMinDash) * k_;
        return ", dash pattern=on " + num(d) + "pt off " + num(d * kGapPerDash) + "pt";
    }

    std::string draw(const DrawRect& r) {
        std::string out;
        const std::string box = at({r.rect.x, r.rect.y}) + " rectangle " + at({r.rect.x + r.rect.w, r.rect.y + r.rect.h});
        if (r.fill.a > 0) out += "\\fill[" + color(r.fill) + opacity("fill", r.fill) + "] " + box + ";\n";
        if (r.stroke.a > 0)
            out += "\\draw[" + color(r.stroke) + opacity("draw", r.stroke) + ", line width=" + width(r.stroke_width) +
                   (r.dashed ? dashes(kRectDash) : "") + "] " + box + ";\n";
        return out;
    }
    std::string draw(const DrawLine& l) {
        return "\\draw[" + color(l.color) + opacity("draw", l.color) + ", line width=" + width(l.width) + "] " +
               at(l.from) + " -- " + at(l.to) + ";\n";
    }
    std::string draw(const DrawArrow& a) {
        const ArrowGeometry g = arrow_geometry(a.from, a.to, a.head);
        if (!g.visible) return "";
        const float head = std::hypot(g.tip.x - g.neck.x, g.tip.y - g.neck.y);
        const float base = std::hypot(g.left.x - g.right.x, g.left.y - g.right.y);
        return "\\draw[" + color(a.color) + opacity("draw", a.color) + ", line width=" + width(a.width) +
               (a.dashed ? dashes(kArrowDash) : "") + ", -{Triangle[length=" + pt(head) + ", width=" + pt(base) +
               ", sep=0pt]}] " + at(a.from) + " -- " + at(a.to) + ";\n";
    }
    std::string draw(const DrawText& t) {
        if (t.text.runs.empty()) return "";
        const bool plain = t.text.runs.size() == 1 && t.text.runs[0].text == t.source;
        const std::string body = t.source.empty() || plain ? escape_text(t.text.plain(), unicode_)
                                                           : "$" + math_source(t.source, unicode_) + "$";
        const float mid = t.box.y + t.box.h / 2;
        Point anchor_at{t.box.x + t.box.w / 2, mid};
        const char* anchor = "center";
        if (t.align == HAlign::Left) {
            anchor_at.x = t.box.x;
            anchor = "west";
        } else if (t.align == HAlign::Right) {
            anchor_at.x = t.box.x + t.box.w;
            anchor = "east";
        }
        const std::string size = num(t.size * k_);
        return "\\node[anchor=" + std::string(anchor) + ", inner sep=0pt, text=" + color(t.color) +
               opacity("text", t.color) + ", font=\\fontsize{" + size + "}{" + size + "}\\selectfont" +
               "] at " + at(anchor_at) + " {" + body + "};\n";
    }
    std::string draw(const DrawHeatmap& h) {
        const std::vector<Color> colors = heatmap_cell_colors(h);
        if (colors.empty()) return "";
        std::string out;
        const float cw = h.rect.w / h.cols, ch = h.rect.h / h.rows;
        for (int r = 0; r < h.rows; ++r)
            for (int c = 0; c < h.cols; ++c) {
                const Color& k = colors[static_cast<std::size_t>(r * h.cols + c)];
                out += "\\fill[" + color(k) + opacity("fill", k) + "] " + at({h.rect.x + c * cw, h.rect.y + r * ch}) +
                       " rectangle " + at({h.rect.x + (c + 1) * cw, h.rect.y + (r + 1) * ch}) + ";\n";
            }
        return out;
    }

    Rect bounds_;
    float k_ = 1;                               // pt per layout unit
    std::map<std::string, std::string> colors_;  // RRGGBB -> clN
    std::set<char32_t> unicode_;
};

// One entry of the merged drawing: a TikZ command and the steps that draw it.
struct MergedItem {
    std::string tikz;
    std::vector<bool> steps;
};

// Merges `items` (step `step`'s commands, back to front) into `merged` so that every
// step's commands keep their order: a longest common subsequence decides which ones
// are already there. Grids drawn by every step thus appear once.
void merge_step(std::vector<MergedItem>& merged, const std::vector<std::string>& items, std::size_t step,
                std::size_t steps) {
    const std::size_t m = merged.size(), n = items.size();
    std::vector<std::uint32_t> lcs((m + 1) * (n + 1), 0);
    const auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (n + 1) + j]; };
    for (std::size_t i = m; i-- > 0;)
        for (std::size_t j = n; j-- > 0;)
            at(i, j) = merged[i].tikz == items[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
    std::vector<MergedItem> out;
    out.reserve(m + n);
    std::size_t i = 0, j = 0;
    while (i < m || j < n) {
        if (i < m && j < n && merged[i].tikz == items[j]) {
            out.push_back(std::move(merged[i]));
            out.back().steps[step] = true;
            ++i;
            ++j;
        } else if (j == n || (i < m && at(i + 1, j) >= at(i, j + 1))) {
            out.push_back(std::move(merged[i++]));
        } else {
            MergedItem added{items[j++], std::vector<bool>(steps, false)};
            added.steps[step] = true;
            out.push_back(std::move(added));
        }
    }
    merged = std::move(out);
}

// Beamer's overlay specification for a set of steps: "1-3,7".
std::string overlay(const std::vector<bool>& steps) {
    std::string spec;
    for (std::size_t k = 0; k < steps.size();) {
        if (!steps[k]) {
            ++k;
            continue;
        }
        std::size_t end = k;
        while (end + 1 < steps.size() && steps[end + 1]) ++end;
        if (!spec.empty()) spec += ",";
        spec += std::to_string(k + 1);
        if (end > k) spec += "-" + std::to_string(end + 1);
        k = end + 1;
    }
    return spec;
}

}  // namespace

std::string tikz_document(const std::vector<DisplayList>& frames, const ExportOptions& options) {
    TikzWriter writer(frames_bounds(frames));
    std::vector<MergedItem> merged;
    for (std::size_t f = 0; f < frames.size(); ++f) {
        std::vector<std::string> items;
        for (const DrawItem& item : frames[f].items) {
            std::string tikz = writer.item(item);
            if (!tikz.empty()) items.push_back(std::move(tikz));
        }
        merge_step(merged, items, f, frames.size());
    }
    const std::string background = options.transparent ? "" : writer.color(frames.front().background);

    std::string body;
    body += "\\begin{tikzpicture}[x=1pt, y=-1pt]\n";
    // Runs of commands drawn by the same steps share one \only.
    for (std::size_t k = 0; k < merged.size();) {
        std::size_t end = k;
        while (end < merged.size() && merged[end].steps == merged[k].steps) ++end;
        const bool always = std::all_of(merged[k].steps.begin(), merged[k].steps.end(), [](bool b) { return b; });
        if (!always) body += "\\only<" + overlay(merged[k].steps) + ">{%\n";
        for (std::size_t i = k; i < end; ++i) body += merged[i].tikz;
        if (!always) body += "}%\n";
        k = end;
    }
    body += "\\end{tikzpicture}\n";

    const std::string title = writer.text(options.title);
    std::string doc;
    doc += "% convlens: " + title + ", " + std::to_string(frames.size()) +
           " steps as one Beamer frame, one overlay per step.\n"
           "% Compile with pdflatex; colours are named cl1, cl2, ... below for restyling.\n";
    doc += "\\documentclass[aspectratio=169]{beamer}\n\\usepackage[utf8]{inputenc}\n"
           "\\usepackage{amsmath,amssymb}\n\\usepackage{tikz}\n\\usetikzlibrary{arrows.meta}\n";
    doc += writer.preamble_unicode();
    doc += writer.preamble_colors();
    doc += "\\setbeamertemplate{navigation symbols}{}\n";
    if (!background.empty()) doc += "\\setbeamercolor{background canvas}{bg=" + background + "}\n";
    doc += "\\begin{document}\n\\begin{frame}[t]{" + title + "}\n\\centering\n";
    doc += body;
    doc += "\\end{frame}\n\\end{document}\n";
    return doc;
}

}  // namespace convlens
