// Scene files, version 1 of DESIGN.md: load with errors that name the key, row and
// column; save so that loading gives back the same scene.
#pragma once

#include <string>

#include "scene/scene.h"

namespace convlens {

// Parses and validates. `source` names the file in messages ("scene.json", "<stdin>").
// Throws InputError: "<source>: key \"kernel\", row 2, column 3: expected a number".
Scene parse_scene(const std::string& text, const std::string& source);

// Reads a file ("-" is standard input) and parses it; InputError when it cannot be read.
Scene load_scene(const std::string& path);

// Pretty JSON, keys in DESIGN.md's order, numbers that read back to the same double.
std::string scene_to_json(const Scene& scene);

// Writes atomically: the old file survives any failure.
void save_scene(const Scene& scene, const std::string& path);

}  // namespace convlens
