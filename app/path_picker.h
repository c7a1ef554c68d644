// The path field and folder listing that File > Open, File > Save and File > Open Image
// share: type a path, or click through the entries of its folder; Enter, or a double-click
// on a file, confirms.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace convlens {

// Which files (by name) a listing offers beside the folders.
using FileFilter = std::function<bool(const std::string& name)>;

// The folders and kept files next to what has been typed and starting as its last part
// does, folders first, hidden ones left out, at most 500.
std::vector<std::filesystem::directory_entry> path_listing(const std::string& typed, const FileFilter& keep);

// The field (full width) and the listing under it, `rows` lines high. True when the user
// confirms the path.
bool path_picker(const char* id, std::string& path, const FileFilter& keep, float rows);

}  // namespace convlens
