// The frames of a lesson for export: the scene computed, the lesson built, its grids laid
// out once and each chosen step drawn, exactly as the window draws them.
#pragma once

#include <optional>
#include <vector>

#include "canvas/display_list.h"
#include "canvas/theme.h"
#include "lesson/lesson.h"
#include "scene/scene.h"

namespace convlens {

struct LessonFrameRequest {
    LessonName lesson = LessonName::Forward;
    std::optional<Cell> cell;          // zero-based, as build_lesson takes it
    std::optional<CellRegion> region;  // zero-based, as build_lesson takes it; nullopt: its default
    int first_step = 0;                // zero-based, inclusive
    std::optional<int> last_step;      // zero-based, inclusive; nullopt: to the end
    bool dark = false;                 // theme
    bool caption = true;               // the equation and the step's caption under the grids
};

struct LessonFrames {
    std::vector<DisplayList> frames;   // one per step in the range
    int lesson_steps = 0;              // how many steps the whole lesson has
    std::string title;                 // "Forward pass", for metadata
};

// Throws InputError when the scene does not compute, the cell lies outside its grid, or
// the step range is empty or past the lesson's end (naming the lesson's step count).
LessonFrames lesson_frames(const Scene& scene, const LessonFrameRequest& request);

}  // namespace convlens
