// The lesson being played in the window: which lesson, about which cell, at which step,
// and the glide from the previous step. Rebuilt from the scene only when something changes.
#pragma once

#include <optional>
#include <string>

#include "canvas/display_list.h"
#include "canvas/step_canvas.h"
#include "lesson/lesson.h"
#include "lesson/lesson_region.h"

namespace convlens {

struct AppState;

struct LessonPlayer {
    // [SECTION] What the user chose (kept in settings.json)
    std::optional<LessonName> name;  // none: the hover view
    std::optional<Cell> cell;        // zero-based, in lesson_cell_grid(*name); none: all
    int step = 0;                    // index into lesson.steps
    bool playing = false;
    float speed = 1;                 // steps per second, kMinSpeed..kMaxSpeed
    bool reduce_motion = false;      // jump from step to step, no glide
    // The cells walked on a big grid, zero-based in lesson_region_grid; none: the default
    // around the cell (lesson_region.h). Kept while the grid keeps its shape.
    std::optional<CellRegion> region;

    // [SECTION] Derived, rebuilt by refresh_lesson only when dirty
    bool dirty = true;               // lesson, cell, scene or theme changed
    bool to_cell_start = false;      // after the rebuild, go to the cell's first step
    Lesson lesson;
    CanvasGrids grids;
    int from_step = 0;               // the glide starts at this step
    float motion = 1;                // 0..1 of the glide; 1: settled on `step`
    double motion_start = 0;         // now_seconds() when the glide began
    double next_step_due = -1;       // playing: when the next step begins; < 0: never
    int drawn_step = -1;             // what the display list shows: step and glide
    float drawn_motion = -1;
    std::string cell_field;          // the timeline's cell field while it is typed into
};

inline constexpr float kMinSpeed = 0.25f;
inline constexpr float kMaxSpeed = 4.0f;

// [SECTION] Choices: each marks the player dirty or starts a glide, never draws.

// Picks a lesson (none: back to the hover view) at its first step, paused. The cell is
// kept when the new lesson's cell lives in the same grid.
void choose_lesson(AppState& state, std::optional<LessonName> name);
// The cell the lesson is about (zero-based); the timeline goes to that cell's first step.
void choose_lesson_cell(AppState& state, std::optional<Cell> cell);
// Goes to step k (clamped), gliding there unless reduce_motion or `glide` is false.
void go_to_step(AppState& state, int k, bool glide = true);
void toggle_playing(AppState& state);
void set_playing(AppState& state, bool playing);
// A click on the canvas: when it hits the lesson's cell grid (or a grid of the same
// cells, such as delta^l for z^l), that cell becomes the lesson's; when it hits the grid
// of the lesson's region (kernel-gradient: z^{l+1} or delta^{l+1}), the region moves to
// centre on it, keeping its size. True when it did either.
bool lesson_cell_clicked(AppState& state, const Focus& hit);
// The walked region becomes `size` x `size` cells around its present centre.
void resize_lesson_region(AppState& state, int size);

// [SECTION] Each frame

// Rebuilds the lesson and its grids when dirty, moves the glide and the playing timeline
// on, and redraws state.display when what it shows changed. Requests frames only while
// something moves; a playing timeline between glides wakes the loop at next_step_due.
void refresh_lesson(AppState& state);

// [SECTION] Text of a step

// The step's equation as one aligned block: general \\ &= substituted \\ &= values \\ &= sum.
std::string step_latex(const Step& step);
// Every step of a lesson (the derivation): each block after its caption and verdict as
// TeX comments.
std::string lesson_latex(const Lesson& lesson);
// The cell as printed in the scene's base, "3,2".
std::string cell_text(Cell cell, int base);

// The smallest cell value on the canvas in screen pixels: DrawText with digits, times
// the canvas scale. 0 when the list shows no values.
float smallest_value_pixels(const DisplayList& list, float scale);

// [SECTION] Settings: the lesson, cell, step, speed and reduce_motion survive a restart.
void lesson_to_settings(AppState& state);
void lesson_from_settings(AppState& state);

}  // namespace convlens
