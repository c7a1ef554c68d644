// [SECTION] The timeline: which lesson, about which cell, play/pause, step, scrub, speed,
// reduce motion, Copy as LaTeX; the step's equation under it. Keys drive it too.
#include <algorithm>
#include <cstdio>
#include <string>

#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include "document.h"
#include "layout_probe.h"
#include "panels.h"
#include "util/cli_numbers.h"

namespace convlens {
namespace {

const char* kNoLesson = "none (hover)";


// Puts the next item, `width` wide, on the current line when it fits there, else starts a
// new line: at a large interface size the timeline's rows wrap instead of running off.
void same_line_if_fits(float width) {
    const float end = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width;
    if (end <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}

float button_width(const char* label) {
    return ImGui::CalcTextSize(label, nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x;
}

float cell_field_width() {
    return ImGui::CalcTextSize("000,000").x + ImGui::GetStyle().FramePadding.x * 2;
}

// "3,2" or "3 2" in the scene's base; empty: the lesson walks every cell.
bool parse_cell(const std::string& text, int base, std::optional<Cell>* cell) {
    if (text.find_first_not_of(" \t") == std::string::npos) {
        cell->reset();
        return true;
    }
    auto pair = parse_number_pair(text, ',');
    if (!pair) pair = parse_number_pair(text, ' ');
    if (!pair) return false;
    *cell = Cell{pair->first - base, pair->second - base};
    return true;
}

// What the cell names in this lesson, for the field's tooltip.
const char* cell_meaning(LessonName name) {
    switch (lesson_cell_grid(name)) {
        case GridId::Output: return "the output cell (p,q) whose sum the lesson shows";
        case GridId::Kernel: return "the tap (i,j) whose gradient the lesson builds";
        default: return "the input element (m,n) the lesson is about";
    }
}

void cell_field(AppState& s) {
    LessonPlayer& p = s.lesson;
    const int base = s.computed_scene.index_base;
    // The field shows the lesson's cell except while it is being typed into. With none
    // chosen, equivalence and derivation are still about one cell (the middle of the
    // input): the built lesson's; the lessons that walk every cell have none ("all").
    const ImGuiID id = ImGui::GetID("##cell");
    const bool built = !p.dirty && p.lesson.name == *p.name;
    const std::optional<Cell> shown = p.cell ? p.cell : built ? p.lesson.cell : std::nullopt;
    if (ImGui::GetActiveID() != id) p.cell_field = shown ? cell_text(*shown, base) : std::string();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("cell");
    probe_item("label");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(cell_field_width());
    const bool enter = ImGui::InputTextWithHint("##cell", "all", &p.cell_field,
                                                ImGuiInputTextFlags_EnterReturnsTrue |
                                                    ImGuiInputTextFlags_AutoSelectAll);
    probe_item("cell field", ImGui::GetItemRectSize().x);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s, as M,N (indices from %d); empty: %s. Or click it on the canvas.",
                          cell_meaning(*p.name), base,
                          *p.name == LessonName::Equivalence || *p.name == LessonName::Derivation
                              ? "the middle of the input"
                              : "every cell in turn");
    if (!enter && !ImGui::IsItemDeactivatedAfterEdit()) return;
    std::optional<Cell> cell;
    if (!parse_cell(p.cell_field, base, &cell)) {
        s.error = "cell: \"" + p.cell_field + "\" is not M,N (two integers)";
        return;
    }
    if (cell) {
        const Focus f{lesson_cell_grid(*p.name), *cell};
        if (!lesson_cell_clicked(s, f)) {
            s.error = "cell " + p.cell_field + " is outside the grid the lesson is about";
            return;
        }
    } else {
        choose_lesson_cell(s, std::nullopt);
    }
    s.error.clear();
}

// On a big grid: which cells the lesson walks, and how many; a click on the canvas moves it.
void region_controls(AppState& s) {
    LessonPlayer& p = s.lesson;
    if (!p.name || !p.lesson.region || !s.results) return;
    const std::optional<GridId> grid = lesson_region_grid(*p.name, p.cell.has_value());
    if (!grid) return;
    const CellRegion& region = *p.lesson.region;
    const std::string words =
        "walks " + region_words(region, grid_shape(s.computed_scene, *s.results, *grid),
                                s.computed_scene.index_base);
    same_line_if_fits(ImGui::CalcTextSize(words.c_str()).x);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(words.c_str());
    probe_item("label");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("The grid is too big to walk cell by cell: the lesson walks this region.\n"
                          "Click a cell of %s on the canvas to move it there.",
                          *grid == GridId::Output ? "z^{l+1} or delta^{l+1}" : "z^l or delta^l");
    const float slider = ImGui::CalcTextSize("size 00").x + ImGui::GetFrameHeight() * 2;
    same_line_if_fits(slider);
    int size = std::max(region.rows(), region.cols());
    ImGui::SetNextItemWidth(slider);
    if (ImGui::SliderInt("##region size", &size, 1, largest_region_side(s.computed_scene), "size %d",
                         ImGuiSliderFlags_AlwaysClamp))
        resize_lesson_region(s, size);
    probe_item("region size");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("rows and columns of the walked region");
}

void copy(AppState& s, const std::string& text, const char* what) {
    ImGui::SetClipboardText(text.c_str());
    s.notice = std::string("copied ") + what + " to the clipboard";
}

void transport(AppState& s) {
    LessonPlayer& p = s.lesson;
    const int n = static_cast<int>(p.lesson.steps.size());
    const bool first = ImGui::Button("|<");
    probe_item("button");
    if (first) go_to_step(s, 0);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("first step (Home)");
    ImGui::SameLine();
    const bool previous = ImGui::Button("<");
    probe_item("button");
    if (previous) go_to_step(s, p.step - 1);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("previous step (Left)");
    ImGui::SameLine();
    const float play_w = ImGui::CalcTextSize("Pause").x + ImGui::GetStyle().FramePadding.x * 2;
    const bool play = ImGui::Button(p.playing ? "Pause" : "Play", ImVec2(play_w, 0));
    probe_item("button");
    if (play) toggle_playing(s);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("play / pause (Space)");
    ImGui::SameLine();
    const bool next = ImGui::Button(">");
    probe_item("button");
    if (next) go_to_step(s, p.step + 1);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("next step (Right)");
    ImGui::SameLine();
    const bool last = ImGui::Button(">|");
    probe_item("button");
    if (last) go_to_step(s, n - 1);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("last step (End)");

    // The step bar takes what the speed and reduce motion leave on the line, and no less
    // than "step 00 of 00"; what does not fit goes on the next line.
    const ImGuiStyle& st = ImGui::GetStyle();
    const float speed_w = ImGui::CalcTextSize("0.25 steps/s").x + st.FramePadding.x * 4;
    const float speed_total = speed_w + st.ItemInnerSpacing.x + ImGui::CalcTextSize("speed").x;
    const float motion_total = ImGui::GetFrameHeight() + st.ItemInnerSpacing.x + ImGui::CalcTextSize("reduce motion").x;
    char format[64];
    std::snprintf(format, sizeof format, "step %%d of %d", n);
    char widest[64];
    std::snprintf(widest, sizeof widest, "step %d of %d", n, n);
    const float least_bar = std::max(120 * ui_scale(s), ImGui::CalcTextSize(widest).x + 4 * st.FramePadding.x);
    same_line_if_fits(least_bar);
    const float line_end = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    const float after = speed_total + motion_total + 2 * st.ItemSpacing.x;
    const float bar_room = line_end - ImGui::GetCursorScreenPos().x;
    const float bar_w = bar_room - after >= least_bar ? bar_room - after : std::max(least_bar, bar_room);
    ImGui::SetNextItemWidth(bar_w);
    int shown = p.step + 1;
    // Scrubbing jumps: a glide per dragged step would only lag behind the hand.
    const bool scrubbed = ImGui::SliderInt("##step", &shown, 1, std::max(1, n), format, ImGuiSliderFlags_AlwaysClamp);
    probe_item("step bar");
    if (scrubbed) go_to_step(s, shown - 1, false);
    same_line_if_fits(speed_total);
    ImGui::SetNextItemWidth(speed_w);
    const bool sped = ImGui::SliderFloat("speed", &p.speed, kMinSpeed, kMaxSpeed, "%.2g steps/s",
                                         ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_Logarithmic);
    probe_item("speed");
    if (sped && p.playing) p.next_step_due = std::min(p.next_step_due, now_seconds() + 1.0 / p.speed);
    same_line_if_fits(motion_total);
    const bool reduce = ImGui::Checkbox("reduce motion", &p.reduce_motion);
    probe_item("checkbox");
    if (reduce && p.reduce_motion) p.motion = 1;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("jump from step to step instead of gliding");
}

}  // namespace

void draw_lesson_picker(AppState& s) {
    const std::optional<LessonName> current = s.lesson.name;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Lesson");
    probe_item("label");
    ImGui::SameLine();
    float widest = ImGui::CalcTextSize(kNoLesson).x;
    for (LessonName name : kAllLessons) widest = std::max(widest, ImGui::CalcTextSize(lesson_title(name)).x);
    // Its longest title, unless the panel is narrower (a small window at a large size).
    ImGui::SetNextItemWidth(std::min(widest + ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 2,
                                     ImGui::GetContentRegionAvail().x));
    const bool open = ImGui::BeginCombo("##lesson", current ? lesson_title(*current) : kNoLesson);
    probe_item("lesson picker");
    if (!open) return;
    if (ImGui::Selectable(kNoLesson, !current)) choose_lesson(s, std::nullopt);
    for (LessonName name : kAllLessons)
        if (ImGui::Selectable(lesson_title(name), current == name)) choose_lesson(s, name);
    ImGui::EndCombo();
}

void draw_lesson_panel(AppState& s, const ScreenRect& r) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
    if (ImGui::Begin("Lesson", nullptr, kPanelFlags | ImGuiWindowFlags_NoTitleBar) && s.lesson.name) {
        probe_panel("bottom");
        LessonPlayer& p = s.lesson;
        draw_lesson_picker(s);
        if (p.name) {
            same_line_if_fits(ImGui::CalcTextSize("cell").x + ImGui::GetStyle().ItemSpacing.x + cell_field_width());
            cell_field(s);
            if (!p.dirty) region_controls(s);
        }
        const bool built = p.name && !p.dirty && !p.lesson.steps.empty();
        if (built) {
            const Step& step = p.lesson.steps[static_cast<std::size_t>(
                std::clamp(p.step, 0, static_cast<int>(p.lesson.steps.size()) - 1))];
            same_line_if_fits(button_width("Copy as LaTeX"));
            const bool copy_step = ImGui::Button("Copy as LaTeX");
            probe_item("button");
            if (copy_step) copy(s, step_latex(step), "the step's equation");
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", step_latex(step).c_str());
            if (*p.name == LessonName::Derivation) {
                same_line_if_fits(button_width("Copy derivation"));
                const bool copy_all = ImGui::Button("Copy derivation");
                probe_item("button");
                if (copy_all) copy(s, lesson_latex(p.lesson), "the whole derivation");
            }
            transport(s);
            ImGui::Separator();
            if (ImGui::BeginChild("##equation", ImVec2(0, 0), false)) draw_step_equation(s, step);
            ImGui::EndChild();
        }
    }
    ImGui::End();
}

void handle_lesson_keys(AppState& s) {
    LessonPlayer& p = s.lesson;
    if (!p.name) return;
    const auto pressed = [](ImGuiKey key, bool repeat) {
        return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key), repeat);
    };
    if (pressed(ImGuiKey_Space, false)) toggle_playing(s);
    if (pressed(ImGuiKey_RightArrow, true)) go_to_step(s, p.step + 1);
    if (pressed(ImGuiKey_LeftArrow, true)) go_to_step(s, p.step - 1);
    if (pressed(ImGuiKey_Home, false)) go_to_step(s, 0);
    if (pressed(ImGuiKey_End, false)) go_to_step(s, static_cast<int>(p.lesson.steps.size()) - 1);
}

}  // namespace convlens
