// [SECTION] The status line: an error (stays until dismissed or the next good action),
// else the last notice, else what the mouse and keys can do; the hovered value at right.
#include <string>

#include <imgui.h>

#include "canvas/layer_layout.h"
#include "util/number_format.h"
#include "math_draw.h"
#include "lesson/grid_values.h"
#include "panels.h"

namespace convlens {
namespace {

const Matrix* grid_values(const AppState& s, GridId grid) {
    return s.results ? grid_values(s.computed_scene, *s.results, grid) : nullptr;
}

// Which symbol a grid's cell is called by, e.g. "\delta^{l+1}_{2,3}".
std::string cell_tex(const AppState& s, const Focus& f) {
    const int base = s.computed_scene.index_base;
    const std::string at = "_{" + std::to_string(f.cell.row + base) + "," +
                           std::to_string(f.cell.col + base) + "}";
    if (f.grid == GridId::GradKernel) return "\\partial J / \\partial w" + at;
    return grid_symbol_tex(f.grid) + at;
}

}  // namespace

void draw_status_bar(AppState& s, const ScreenRect& r) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding,
                        ImVec2(ImGui::GetStyle().WindowPadding.x, ImGui::GetStyle().FramePadding.y));
    const bool open = ImGui::Begin("##status", nullptr,
                                   kPanelFlags | ImGuiWindowFlags_NoDecoration);
    ImGui::PopStyleVar();
    if (open) {
        if (!s.error.empty()) {
            if (ImGui::SmallButton("\xC3\x97##dismiss")) s.error.clear();
            ImGui::SameLine();
            ImGui::PushStyleColor(ImGuiCol_Text, to_imgui(s.theme.outside));
            ImGui::TextUnformatted(s.error.c_str());
            ImGui::PopStyleColor();
        } else if (!s.fonts.warning.empty()) {
            ImGui::TextUnformatted(s.fonts.warning.c_str());
        } else if (!s.notice.empty()) {
            ImGui::TextUnformatted(s.notice.c_str());
        } else if (s.lesson.name) {
            ImGui::TextDisabled("Space: play / pause   Left / Right: step   Home / End: first / last   "
                                "click a cell: the lesson's cell   type + Enter: set a value");
        } else {
            ImGui::TextDisabled("click: select   type + Enter: set   right-drag: scrub (Shift fine)   "
                                "arrows: move   Ctrl+Z / Ctrl+Shift+Z: undo / redo");
        }
        const std::optional<Focus> f = current_focus(s);
        const Matrix* values = f ? grid_values(s, f->grid) : nullptr;
        if (values && f->cell.row < values->rows() && f->cell.col < values->cols()) {
            const std::string tex = cell_tex(s, *f) + " = " +
                                    format_number((*values)(f->cell.row, f->cell.col));
            const MathLayout layout = layout_math(s.fonts, parse_math(tex), ImGui::GetFontSize() / 1.164f,
                                                  FontFace::Sans);
            ImGui::SameLine(std::max(0.0f, ImGui::GetWindowContentRegionMax().x - layout.width));
            math_label(s.fonts, tex);
        }
    }
    ImGui::End();
}

}  // namespace convlens
