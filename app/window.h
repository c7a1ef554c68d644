// The window: GLFW + OpenGL 3.3 + Dear ImGui, live editing of a scene, the influence view.
#pragma once

#include <optional>
#include <string>

#include "engine/matrix.h"
#include "lesson/lesson.h"

namespace convlens {

struct WindowOptions {
    std::optional<std::string> scene_path;   // open this scene; else the last one, else default
    std::optional<std::string> screenshot;   // draw a few frames, write this PNG, exit
    std::optional<Cell> select;              // input element to select at start, given in
                                             // the loaded scene's index base (--select M,N)
    std::optional<LessonName> lesson;        // open on this lesson (--lesson NAME)
    std::optional<Cell> lesson_cell;         // its cell, in the scene's index base (--cell M,N)
    std::optional<int> lesson_step;          // its step, from 1 (--step K); else the cell's first
    std::string lesson_region;               // --region M1,N1,M2,N2 as typed (scene's base)
};

// Exit status of run_window for --cell or --step that do not fit the scene (one line).
inline constexpr int kUsageError = 2;

// Returns the process exit status.
int run_window(const WindowOptions& options);

}  // namespace convlens
