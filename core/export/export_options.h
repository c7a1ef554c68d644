// What `convlens export` and File > Export ask for: the format, where it goes, the frame
// size and scale, transparency and frame rate. The frames themselves are display lists.
#pragma once

#include <functional>
#include <string>

namespace convlens {

enum class ExportFormat { Png, Svg, Pdf, Gif, Mp4, Tikz };

const char* export_format_name(ExportFormat format);  // "png", "svg", ...
bool parse_export_format(const std::string& text, ExportFormat* format);
// PNG and SVG go into a folder, one file per frame; the others into one file.
bool export_writes_folder(ExportFormat format);

struct ExportOptions {
    ExportFormat format = ExportFormat::Png;
    std::string out;                 // a folder for PNG and SVG, a file otherwise
    int width = 1920, height = 1080; // the frame before scaling (pixels; points in a PDF)
    float scale = 1;                 // multiplies width and height: 2 gives 3840x2160
    bool transparent = false;        // no background (PNG, SVG, PDF, GIF, TikZ)
    double fps = 1;                  // steps per second in a GIF or an MP4
    std::string title;               // PDF and SVG metadata, TikZ frame title
};

// Called after each frame is written with (done, total); returning false cancels the
// export, which then removes what it wrote and throws ExportCancelled.
using ExportProgress = std::function<bool(int done, int total)>;

}  // namespace convlens
