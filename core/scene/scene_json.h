// Scene files, version 1 of DESIGN.md: load with errors that name the key, row and
// column; save so that loading gives back the same scene.
#pragma once

#include <string>

#include "scene/scene.h"
#include "util/atomic_write.h"  // WritePiece

namespace convlens {

// Parses and validates. `source` names the file in messages ("scene.json", "<stdin>").
// Throws InputError: "<source>: key \"kernel\", row 2, column 3: expected a number".
// An image input ("input": {"image": "photo.png", ...}) is read from base_dir (the
// scene file's folder; empty: the working directory).
Scene parse_scene(const std::string& text, const std::string& source,
                  const std::string& base_dir = {});

// Reads a file ("-" is standard input) and parses it; InputError when it cannot be read.
Scene load_scene(const std::string& path);

// Pretty JSON, keys in DESIGN.md's order, numbers that read back to the same double.
// An input that is still the image it was loaded from is written as that reference
// (relative to scene_path's folder when at most one folder up, else absolute), not as numbers.
std::string scene_to_json(const Scene& scene, const std::string& scene_path = {});
// The same text, handed to `write` in pieces of about 64 KB as it is made (the whole text
// of a 1024x1024 scene never exists at once); save_scene streams it into the file.
void write_scene_json(const Scene& scene, const std::string& scene_path, const WritePiece& write);

// Writes atomically: the old file survives any failure.
void save_scene(const Scene& scene, const std::string& path);

}  // namespace convlens
