#include "lesson/influence_step.h"

#include <algorithm>

#include "lesson/tex.h"

namespace convlens {
namespace {

// Past this many arrows single arrows merge into a solid wedge that hides the grids; one
// arrow to the middle of the cells reached says the same.
constexpr size_t kMaxArrows = 49;

constexpr GridId kInputFamily[] = {GridId::Input, GridId::Activated, GridId::GradInput};
constexpr GridId kOutputFamily[] = {GridId::Output, GridId::Upstream};
constexpr GridId kKernelFamily[] = {GridId::Kernel, GridId::GradKernel};

template <class Family>
bool in_family(const Family& family, GridId id) {
    return std::find(std::begin(family), std::end(family), id) != std::end(family);
}

void mark_all(Step& step, std::initializer_list<GridId> grids, const std::vector<Cell>& cells,
              MarkRole role) {
    for (GridId id : grids)
        for (const Cell& c : cells) step.marks.push_back({id, c, role, -1});
}

// The equation broken at its " = ": the first line "lhs = rhs", then "= ..." per step
// of the arithmetic.
std::vector<EquationLine> equation_lines(const std::string& tex) {
    std::vector<std::string> parts;
    const std::string sep = " = ";
    size_t start = 0;
    for (size_t at; (at = tex.find(sep, start)) != std::string::npos; start = at + sep.size())
        parts.push_back(tex.substr(start, at - start));
    parts.push_back(tex.substr(start));
    std::vector<EquationLine> lines;
    if (tex.empty()) return lines;
    if (parts.size() < 2) return {{LineKind::Text, {{tex, -1}}}};
    lines.push_back({LineKind::General, {{parts[0] + " = " + parts[1], -1}}});
    for (size_t k = 2; k < parts.size(); ++k)
        lines.push_back({k + 1 == parts.size() ? LineKind::Sum : LineKind::Values,
                         {{"= " + parts[k], -1}}});
    return lines;
}

void from_input(const Scene& scene, const InfluenceView& view, Cell element, Step& step) {
    for (GridId id : kInputFamily) step.marks.push_back({id, element, MarkRole::Focus, -1});
    const GridId source =
        scene.activation != Activation::Identity ? GridId::Activated : GridId::Input;
    const size_t arrows = static_cast<size_t>(std::count_if(
        view.rows.begin(), view.rows.end(),
        [](const InfluenceRow& row) { return row.output_position.has_value(); }));
    const int base = scene.index_base;
    if (arrows > kMaxArrows) {
        // A big kernel: what is reached, one arrow to its middle, no per-tap tags.
        int top = 0, left = 0, bottom = -1, right = -1;
        for (const InfluenceRow& row : view.rows) {
            if (row.tap.reach != TapReach::Inside || !row.tap.output) continue;
            const Cell c = *row.tap.output;
            step.marks.push_back({GridId::Kernel, row.tap.tap, MarkRole::Window, -1});
            for (GridId id : kOutputFamily) step.marks.push_back({id, c, MarkRole::Window, -1});
            if (bottom < 0) top = bottom = c.row, left = right = c.col;
            top = std::min(top, c.row);
            left = std::min(left, c.col);
            bottom = std::max(bottom, c.row);
            right = std::max(right, c.col);
        }
        if (bottom >= 0)
            step.links.push_back({source, element, GridId::Output,
                                  {(top + bottom) / 2, (left + right) / 2}, -1, false});
        return;
    }
    for (const InfluenceRow& row : view.rows) {
        const bool reaches = row.tap.reach == TapReach::Inside;
        const MarkRole role = reaches ? MarkRole::Window : MarkRole::Padding;
        step.marks.push_back({GridId::Kernel, row.tap.tap, role, -1});
        if (!row.output_position) continue;  // a stride gap has no cell to point at
        const Cell p = *row.output_position;
        for (GridId id : kOutputFamily) {
            step.marks.push_back({id, p, role, -1});
            // The tap that carries z^l_{m,n} into the cell, named in it.
            step.tags.push_back({id, p, "w" + tex_subscript(row.tap.tap, base)});
        }
        step.links.push_back({source, element, GridId::Output, p, -1, !reaches});
    }
}

}  // namespace

Step influence_step(const Scene& scene, const InfluenceView& view) {
    Step step;
    if (!view.focus) return step;
    const Focus focus = *view.focus;
    step.about = focus;
    if (in_family(kInputFamily, focus.grid)) {
        from_input(scene, view, focus.cell, step);
    } else if (in_family(kOutputFamily, focus.grid)) {
        for (GridId id : kOutputFamily) step.marks.push_back({id, focus.cell, MarkRole::Focus, -1});
        mark_all(step, {GridId::Input, GridId::Activated, GridId::GradInput}, view.input_cells,
                 MarkRole::Window);
        mark_all(step, {GridId::Kernel}, view.kernel_taps, MarkRole::Window);
    } else if (in_family(kKernelFamily, focus.grid)) {
        for (GridId id : kKernelFamily) step.marks.push_back({id, focus.cell, MarkRole::Focus, -1});
        // Blocks, not a mark per cell: the cost stays that of a 5 x 5 layer at 512 x 512.
        for (GridId id : {GridId::Input, GridId::Activated})
            step.mark_blocks.push_back(view.tap_pairs.inputs(id, MarkRole::Window));
        for (GridId id : {GridId::Output, GridId::Upstream})
            step.mark_blocks.push_back(view.tap_pairs.outputs(id, MarkRole::Window));
    }
    step.equation = equation_lines(view.equation_tex);
    step.value = view.focus && in_family(kInputFamily, focus.grid)
                     ? std::optional<double>(view.grad_input)
                     : std::nullopt;
    return step;
}

}  // namespace convlens
