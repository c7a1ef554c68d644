// The per-format writers behind export_frames: each turns all frames into the bytes of
// one file (or, for MP4, runs ffmpeg on a temporary file). Internal to core/export.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "canvas/display_list.h"
#include "export/cairo_fonts.h"
#include "export/export_options.h"
#include "export/frame_fit.h"

namespace convlens {

// Called after each frame; throws ExportCancelled when the user asked to stop.
using FrameDone = std::function<void()>;

std::string pdf_document(const std::vector<DisplayList>& frames, const FrameFit& fit,
                         const ExportOptions& options, const CairoFonts& fonts, const FrameDone& done);

std::string gif_animation(const std::vector<DisplayList>& frames, const FrameFit& fit,
                          const ExportOptions& options, const CairoFonts& fonts, const FrameDone& done);

// Encodes into `temp_path` (removed on failure); the caller renames it into place.
void mp4_video(const std::vector<DisplayList>& frames, const FrameFit& fit,
               const ExportOptions& options, const CairoFonts& fonts, const std::string& temp_path,
               const FrameDone& done);

std::string tikz_document(const std::vector<DisplayList>& frames, const ExportOptions& options);

}  // namespace convlens
