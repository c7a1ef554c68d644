// [SECTION] The lesson player: choices, the glide and the playing timeline, the display
// list of the step shown, the step's LaTeX, and what settings.json keeps of it.
#include "lesson_player.h"

#include <algorithm>
#include <cmath>

#include "app_state.h"
#include "document.h"

namespace convlens {
namespace {

// A glide takes at most half a second, and never more than 0.7 of a step's time, so a
// playing lesson rests a moment on every step.
double glide_seconds(const LessonPlayer& p) { return std::min(0.5, 0.7 / p.speed); }

float ease(float t) { return t * t * (3 - 2 * t); }  // starts and stops gently

int last_step(const LessonPlayer& p) { return std::max(0, static_cast<int>(p.lesson.steps.size()) - 1); }

// A shape change may leave the cell outside its grid: pull it back to the edge.
std::optional<Cell> clamped_cell(const AppState& s, LessonName name, std::optional<Cell> cell) {
    if (!cell) return cell;
    const Shape shape = shown_shape(s, lesson_cell_grid(name));
    if (shape.rows <= 0 || shape.cols <= 0) return std::nullopt;
    return Cell{std::clamp(cell->row, 0, shape.rows - 1), std::clamp(cell->col, 0, shape.cols - 1)};
}

// The chosen region after an edit or a new cell: dropped when its grid changed shape or
// the lesson walks none, moved to centre on a cell it no longer holds.
std::optional<CellRegion> kept_region(const AppState& s, LessonName name, std::optional<Cell> cell,
                                      std::optional<CellRegion> region) {
    if (!region) return region;
    const std::optional<GridId> grid = lesson_region_grid(name, cell.has_value());
    if (!grid) return std::nullopt;
    const Shape shape = grid_shape(s.computed_scene, *s.results, *grid);
    if (region->first.row < 0 || region->first.col < 0 || region->last.row >= shape.rows ||
        region->last.col >= shape.cols)
        return std::nullopt;
    if (cell && lesson_cell_grid(name) == *grid && !region->contains(*cell))
        return centred_region(*cell, std::max(region->rows(), region->cols()), shape);
    return region;
}

void rebuild(AppState& s) {
    LessonPlayer& p = s.lesson;
    p.dirty = false;
    p.cell = clamped_cell(s, *p.name, p.cell);
    p.region = kept_region(s, *p.name, p.cell, p.region);
    try {
        Lesson lesson = build_lesson(*p.name, s.computed_scene, *s.results, p.cell, p.region);
        LayoutOptions options = window_lesson_layout_options();
        options.text_scale = s.settings.ui_scale;  // canvas text grows with the interface size
        CanvasGrids grids = layout_grids(s.computed_scene, *s.results, lesson.grids,
                                         lesson.extra_grids, s.theme, options, lesson.steps);
        if (lesson.steps.empty()) throw InputError("lesson " + std::string(lesson_name(*p.name)) + " has no steps");
        p.lesson = std::move(lesson);
        p.grids = std::move(grids);
    } catch (const std::exception& e) {
        // Back to the hover view, which every valid scene can show.
        s.error = std::string("lesson: ") + e.what();
        p.name.reset();
        p.playing = false;
        s.view_dirty = true;
        return;
    }
    if (p.to_cell_start) {
        p.step = p.lesson.first_step_of_cell;
        p.motion = 1;
        p.to_cell_start = false;
    }
    p.step = std::clamp(p.step, 0, last_step(p));
    p.from_step = std::clamp(p.from_step, 0, last_step(p));
    p.drawn_step = -1;
    s.fit_reset = true;
}

// "\delta^l_{3,2} = \sum ..." -> "\delta^l_{3,2} &= \sum ...": aligned at the first '='
// outside braces; a line that starts with '=' continues the one above; a line without any
// continues it too ("&= 4").
std::string aligned(const std::string& tex) {
    int depth = 0;
    for (std::size_t k = 0; k < tex.size(); ++k) {
        if (tex[k] == '{') ++depth;
        else if (tex[k] == '}') --depth;
        else if (tex[k] == '=' && depth == 0) return tex.substr(0, k) + "&" + tex.substr(k);
    }
    return "&= " + tex;
}

std::string one_line(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

}  // namespace

void choose_lesson(AppState& s, std::optional<LessonName> name) {
    LessonPlayer& p = s.lesson;
    if (name == p.name) return;
    if (name) {
        const int family = cell_family(lesson_cell_grid(*name));
        // A selected cell of the right grid is what the user is looking at: start there.
        if (s.selection && cell_family(s.selection->grid) == family) p.cell = s.selection->cell;
        else if (!p.name || cell_family(lesson_cell_grid(*p.name)) != family) p.cell.reset();
    }
    // A region lives in one lesson's grid: another lesson starts from its own default.
    if (!name || !p.name || lesson_region_grid(*name, true) != lesson_region_grid(*p.name, true))
        p.region.reset();
    p.name = name;
    p.step = 0;
    p.from_step = 0;
    p.motion = 1;
    p.playing = false;
    p.next_step_due = -1;
    p.to_cell_start = true;
    p.dirty = true;
    s.view_dirty = true;  // leaving a lesson draws the hover view again
    s.fit_reset = true;
    s.wants_frames = true;
}

void choose_lesson_cell(AppState& s, std::optional<Cell> cell) {
    LessonPlayer& p = s.lesson;
    p.cell = cell;
    p.to_cell_start = true;
    p.dirty = true;
    s.wants_frames = true;
}

void go_to_step(AppState& s, int k, bool glide) {
    LessonPlayer& p = s.lesson;
    k = std::clamp(k, 0, last_step(p));
    const double now = now_seconds();
    if (p.playing) {
        p.next_step_due = now + 1.0 / p.speed;
        if (k == last_step(p)) {  // playing stops at the last step
            p.playing = false;
            p.next_step_due = -1;
        }
    }
    if (k == p.step) return;
    p.from_step = p.step;
    p.step = k;
    p.motion = glide && !p.reduce_motion && !s.screenshot_mode ? 0.0f : 1.0f;
    p.motion_start = now;
    s.wants_frames = true;
}

void set_playing(AppState& s, bool playing) {
    LessonPlayer& p = s.lesson;
    if (playing == p.playing) return;
    if (playing && p.step >= last_step(p)) go_to_step(s, 0, false);  // play again from the top
    p.playing = playing && last_step(p) > 0;
    p.next_step_due = p.playing ? now_seconds() : -1;  // the first move starts at once
    s.wants_frames = true;
}

void toggle_playing(AppState& s) { set_playing(s, !s.lesson.playing); }

bool lesson_cell_clicked(AppState& s, const Focus& hit) {
    LessonPlayer& p = s.lesson;
    if (!p.name) return false;
    const GridId grid = lesson_cell_grid(*p.name);
    // kernel-gradient: a click on an output position moves the region of positions written out.
    const std::optional<GridId> region_grid = lesson_region_grid(*p.name, p.cell.has_value());
    if (region_grid && p.lesson.region && cell_family(*region_grid) != cell_family(grid) &&
        cell_family(hit.grid) == cell_family(*region_grid)) {
        const Shape shape = shown_shape(s, *region_grid);
        if (!inside(shape, hit.cell)) return false;
        p.region = centred_region(hit.cell, std::max(p.lesson.region->rows(), p.lesson.region->cols()), shape);
        p.dirty = true;
        s.wants_frames = true;
        return true;
    }
    if (cell_family(hit.grid) < 0 || cell_family(hit.grid) != cell_family(grid)) return false;
    const Shape shape = shown_shape(s, grid);
    if (!inside(shape, hit.cell)) return false;
    choose_lesson_cell(s, hit.cell);
    return true;
}

void resize_lesson_region(AppState& s, int size) {
    LessonPlayer& p = s.lesson;
    if (!p.name || !p.lesson.region || !s.results) return;
    const std::optional<GridId> grid = lesson_region_grid(*p.name, p.cell.has_value());
    if (!grid) return;
    const CellRegion& now = *p.lesson.region;
    const Cell centre{(now.first.row + now.last.row) / 2, (now.first.col + now.last.col) / 2};
    const bool about_cell = p.cell && lesson_cell_grid(*p.name) == *grid;
    p.region = centred_region(about_cell ? *p.cell : centre, size, shown_shape(s, *grid));
    p.to_cell_start = p.cell.has_value();  // the cell's step again; else the step stays
    p.dirty = true;
    s.wants_frames = true;
}

void refresh_lesson(AppState& s) {
    LessonPlayer& p = s.lesson;
    if (!p.name || !s.results) return;
    if (p.dirty) rebuild(s);
    if (!p.name) return;  // the rebuild failed

    const double now = now_seconds();
    if (p.motion < 1) {
        const double d = glide_seconds(p);
        p.motion = d <= 0 ? 1.0f : static_cast<float>(std::min(1.0, (now - p.motion_start) / d));
    }
    if (p.playing && p.next_step_due >= 0 && now >= p.next_step_due) go_to_step(s, p.step + 1);
    if (p.motion < 1) s.wants_frames = true;

    if (p.drawn_step == p.step && p.drawn_motion == p.motion) return;
    const Step& to = p.lesson.steps[static_cast<std::size_t>(p.step)];
    if (p.motion < 1)
        s.display = draw_motion(p.grids, p.lesson.steps[static_cast<std::size_t>(p.from_step)], to,
                                ease(p.motion), s.theme);
    else
        s.display = draw_step(p.grids, to, s.theme);
    ++s.display_generation;
    p.drawn_step = p.step;
    p.drawn_motion = p.motion;
}

std::string step_latex(const Step& step) {
    std::string body;
    bool first = true;
    for (const EquationLine& line : step.equation) {
        if (line.kind == LineKind::Text) continue;
        std::string tex = line.tex();
        tex.erase(0, tex.find_first_not_of(' '));
        if (tex.empty()) continue;
        if (!first) body += " \\\\\n";
        body += aligned(tex);
        first = false;
    }
    if (body.empty()) return {};
    return "\\begin{aligned}\n" + body + "\n\\end{aligned}";
}

std::string lesson_latex(const Lesson& lesson) {
    std::string out;
    for (std::size_t k = 0; k < lesson.steps.size(); ++k) {
        const Step& step = lesson.steps[k];
        out += "% " + std::to_string(k + 1) + ". " + one_line(step.caption) + "\n";
        bool reason_said = step.reason.empty();
        for (const EquationLine& line : step.equation) {
            if (line.kind != LineKind::Text) continue;
            out += "% " + one_line(line.tex()) + "\n";
            reason_said = reason_said || line.tex().find(step.reason) != std::string::npos;
        }
        if (step.verdict != Verdict::None && !reason_said)
            out += std::string("% ") + (step.verdict == Verdict::Correct ? "correct" : "wrong") + ": " +
                   one_line(step.reason) + "\n";
        const std::string block = step_latex(step);
        if (!block.empty()) out += block + "\n";
        out += "\n";
    }
    return out;
}

std::string cell_text(Cell c, int base) {
    return std::to_string(c.row + base) + "," + std::to_string(c.col + base);
}

float smallest_value_pixels(const DisplayList& list, float scale) {
    float smallest = 0;
    for (const DrawItem& item : list.items) {
        const auto* text = std::get_if<DrawText>(&item);
        if (!text || !text->monospace_digits) continue;
        if (smallest == 0 || text->size < smallest) smallest = text->size;
    }
    return smallest * scale;
}

void lesson_to_settings(AppState& s) {
    const LessonPlayer& p = s.lesson;
    Settings& t = s.settings;
    t.lesson = p.name ? lesson_name(*p.name) : "";
    t.has_lesson_cell = p.cell.has_value();
    t.lesson_cell_row = p.cell ? p.cell->row : 0;
    t.lesson_cell_col = p.cell ? p.cell->col : 0;
    t.lesson_step = p.step;
    t.lesson_speed = p.speed;
    t.reduce_motion = p.reduce_motion;
}

void lesson_from_settings(AppState& s) {
    LessonPlayer& p = s.lesson;
    const Settings& t = s.settings;
    LessonName name{};
    if (!t.lesson.empty() && parse_lesson_name(t.lesson, &name)) p.name = name;
    else p.name.reset();
    p.cell = t.has_lesson_cell ? std::optional<Cell>(Cell{t.lesson_cell_row, t.lesson_cell_col})
                               : std::nullopt;
    p.step = p.from_step = std::max(0, t.lesson_step);
    p.speed = std::clamp(t.lesson_speed, kMinSpeed, kMaxSpeed);
    p.reduce_motion = t.reduce_motion;
    p.to_cell_start = false;
    p.dirty = true;
}

}  // namespace convlens
