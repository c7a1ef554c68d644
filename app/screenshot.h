// `convlens --screenshot`: the pixels of the frame just drawn, written as a PNG, for tests,
// the README and anyone scripting pictures of the window.
#pragma once

#include <string>

namespace convlens {

// Reads width x height pixels of the bound framebuffer, puts the top row first (OpenGL
// starts at the bottom) and writes the PNG atomically. Throws InputError naming the path.
void write_framebuffer_png(const std::string& path, int width, int height);

}  // namespace convlens
