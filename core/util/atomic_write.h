// Writing a file so that readers see either the old content or the whole new content,
// never a partial file: write a temporary beside it, flush, then rename over.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace convlens {

// Throws InputError naming the path when the file cannot be written. `sync` false skips
// the fsyncs (the file and its folder): for many files at once, which the caller then
// makes durable together (a folder of export frames: one syncfs at the end).
void write_file_atomically(const std::string& path, std::string_view content, bool sync = true);

// The same, for text made in pieces that never exists whole in memory (a scene of a
// million numbers): `produce` calls `write` with each piece in order. An exception from
// `produce` leaves the old file as it was and goes on to the caller.
using WritePiece = std::function<void(std::string_view)>;
void write_file_atomically(const std::string& path, const std::function<void(const WritePiece&)>& produce,
                           bool sync = true);

// Reads the whole file; throws InputError naming the path.
std::string read_file(const std::string& path);

}  // namespace convlens
