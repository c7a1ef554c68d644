// The window: GLFW + OpenGL 3.3 + Dear ImGui, live editing of a scene, the influence view.
#pragma once

#include <optional>
#include <string>

#include "engine/matrix.h"

namespace convlens {

struct WindowOptions {
    std::optional<std::string> scene_path;   // open this scene; else the last one, else default
    std::optional<std::string> screenshot;   // draw a few frames, write this PNG, exit
    std::optional<Cell> select;              // input element to select at start, given in
                                             // the loaded scene's index base (--select M,N)
};

// Returns the process exit status.
int run_window(const WindowOptions& options);

}  // namespace convlens
