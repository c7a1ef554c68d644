// [SECTION] The status line: an error (until dismissed, the next good action, or it fades
// after a few seconds), else the last notice (fades sooner), else what the mouse and keys
// can do; the hovered value at right.
#include <algorithm>
#include <string>

#include <imgui.h>
#include <imgui_internal.h>

#include "canvas/layer_layout.h"
#include "layout_probe.h"
#include "util/number_format.h"
#include "math_draw.h"
#include "lesson/grid_values.h"
#include "document.h"
#include "lesson/tex.h"
#include "panels.h"

namespace convlens {
namespace {

const Matrix* grid_values(const AppState& s, GridId grid) {
    return s.results ? grid_values(s.computed_scene, *s.results, grid) : nullptr;
}

// Which symbol a grid's cell is called by, e.g. "\delta^{l+1}_{2,3}".
std::string cell_tex(const AppState& s, const Focus& f) {
    const int base = s.computed_scene.index_base;
    const std::string at = tex_subscript(f.cell, base);
    if (f.grid == GridId::GradKernel) return "\\partial J / \\partial w" + at;
    return grid_symbol_tex(f.grid) + at;
}

// One line of text in at most `width`: cut with an ellipsis when longer (the whole line
// in a tooltip), so that it never runs under the value shown at the right.
void fitted_text(const std::string& text, float width) {
    const char* begin = text.c_str();
    const char* end = begin + text.size();
    const ImVec2 size = ImGui::CalcTextSize(begin, end);
    if (size.x <= width) {
        ImGui::TextUnformatted(begin, end);
    } else {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const ImVec2 to(at.x + std::max(0.0f, width), at.y + size.y);
        ImGui::RenderTextEllipsis(ImGui::GetWindowDrawList(), at, to, to.x, to.x, begin, end, &size);
        ImGui::Dummy(ImVec2(std::max(0.0f, width), size.y));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text.c_str());
    }
    probe_item("message");
}

// A message holds for a while after it appears, then fades out and is gone: errors stay
// long enough to read a sentence, notices ("Saved ...", "copied ...") only a moment.
constexpr double kErrorSeconds = 8;
constexpr double kNoticeSeconds = 3;
constexpr double kFadeSeconds = 1;
constexpr double kFadeFrameSeconds = 1.0 / 30;

// How opaque the message is now; a message that has faded is cleared. Sets the time of
// the next frame the fade needs, so that an idle window still sleeps in between.
float message_alpha(AppState& s) {
    const bool is_error = !s.error.empty();
    const std::string& message = is_error ? s.error : s.notice;
    const double now = now_seconds();
    if (message != s.shown_message) {
        s.shown_message = message;
        s.shown_since = now;
    }
    if (message.empty() || s.screenshot_mode) {
        s.redraw_due = -1;
        return 1;
    }
    const double hold = is_error ? kErrorSeconds : kNoticeSeconds;
    const double age = now - s.shown_since;
    if (age < hold) {
        s.redraw_due = s.shown_since + hold;
        return 1;
    }
    if (age < hold + kFadeSeconds) {
        s.redraw_due = now + kFadeFrameSeconds;
        return static_cast<float>(1 - (age - hold) / kFadeSeconds);
    }
    // Gone; a notice older than the error it was hidden behind goes with it.
    s.error.clear();
    s.notice.clear();
    s.shown_message.clear();
    s.redraw_due = -1;
    s.wants_frames = true;
    return 0;
}

}  // namespace

void copy_to_clipboard(AppState& s, const std::string& text, const std::string& what) {
    ImGui::SetClipboardText(text.c_str());
    s.notice = "copied " + what + " to the clipboard";
    s.wants_frames = true;
}

void draw_status_bar(AppState& s, const ScreenRect& r) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding,
                        ImVec2(ImGui::GetStyle().WindowPadding.x, ImGui::GetStyle().FramePadding.y));
    // One line, lower than ImGui's least window height: kept to its rectangle, not past
    // the bottom of the window.
    ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, ImVec2(1, 1));
    // Windows have no background of their own (style.cpp); in canvas-only the line lies
    // over the canvas and needs one.
    if (s.canvas_only) ImGui::PushStyleColor(ImGuiCol_WindowBg, to_imgui(s.theme.background));
    const bool open = ImGui::Begin("##status", nullptr, kPanelFlags | ImGuiWindowFlags_NoDecoration);
    if (s.canvas_only) ImGui::PopStyleColor();
    ImGui::PopStyleVar(2);
    if (open) {
        probe_panel("status");
        // The value at the right is measured first: the message gets the room left of it.
        const std::optional<Focus> f = current_focus(s);
        const Matrix* values = f ? grid_values(s, f->grid) : nullptr;
        std::string readout;
        float readout_w = 0;
        if (values && f->cell.row < values->rows() && f->cell.col < values->cols()) {
            readout = cell_tex(s, *f) + " = " + format_number((*values)(f->cell.row, f->cell.col));
            readout_w = math_width(s.fonts, readout);
        }
        const float right = ImGui::GetWindowContentRegionMax().x;
        const float limit = right - (readout_w > 0 ? readout_w + 2 * ImGui::GetFontSize() : 0);
        const auto room = [&] { return limit - ImGui::GetCursorPosX(); };
        ImGui::PushStyleVar(ImGuiStyleVar_Alpha, message_alpha(s) * ImGui::GetStyle().Alpha);
        if (!s.error.empty()) {
            if (ImGui::SmallButton("\xC3\x97##dismiss")) s.error.clear();
            ImGui::SameLine();
            ImGui::PushStyleColor(ImGuiCol_Text, to_imgui(s.theme.outside));
            fitted_text(s.error, room());
            ImGui::PopStyleColor();
        } else if (!s.fonts.warning.empty()) {
            fitted_text(s.fonts.warning, room());
        } else if (!s.notice.empty()) {
            fitted_text(s.notice, room());
        } else {
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
            if (s.lesson.name)
                fitted_text("Space: play / pause   Left / Right: step   Home / End: first / last   "
                            "click a cell: the lesson's cell   type + Enter: set a value", room());
            else
                fitted_text("click: select   type + Enter: set   right-drag: scrub (Shift fine)   "
                            "arrows: move   Ctrl+Z / Ctrl+Shift+Z: undo / redo", room());
            ImGui::PopStyleColor();
        }
        ImGui::PopStyleVar();
        if (!readout.empty()) {
            ImGui::SameLine(std::max(0.0f, right - readout_w));
            math_label(s.fonts, readout);
            probe_item("readout");
        }
    }
    ImGui::End();
}

}  // namespace convlens
