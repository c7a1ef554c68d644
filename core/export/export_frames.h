// Writes display lists (one per lesson step) as slides: PNG or SVG frames in a folder,
// one multi-page PDF, an animated GIF, an MP4 through ffmpeg, or a Beamer/TikZ file.
// Whole files or none: everything is written under a temporary name and renamed, and a
// failed or cancelled folder export removes the frames it had written.
#pragma once

#include <string>
#include <vector>

#include "canvas/display_list.h"
#include "engine/conv_spec.h"
#include "export/export_options.h"
#include "export/frame_fit.h"

namespace convlens {

// Thrown when the progress callback asks to stop; nothing of the export is left behind.
class ExportCancelled : public InputError {
public:
    ExportCancelled() : InputError("export cancelled") {}
};

// Every frame shares one fit (frames_bounds of them all), so grids stay put. Returns the
// paths written (the frames of a folder, or the one file). Throws InputError with one
// clear line: an unwritable place, a size out of range, a missing ffmpeg.
std::vector<std::string> export_frames(const std::vector<DisplayList>& frames,
                                       const ExportOptions& options,
                                       const ExportProgress& progress = {});

// The name of frame `index` (zero-based) of `total` in a folder export: step-001.png, ...
// numbered from 1 with enough digits (at least three) that names sort as frames do.
std::string frame_file_name(int index, int total, ExportFormat format);

// One frame in pixels, straight (not premultiplied) RGBA, row-major from the top: for
// tests, and for anything that wants the pixels rather than a file.
struct RgbaImage {
    int width = 0, height = 0;
    std::vector<unsigned char> rgba;
};
RgbaImage render_rgba(const DisplayList& list, const FrameFit& fit, bool transparent);

}  // namespace convlens
