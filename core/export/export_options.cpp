#include "export/export_options.h"

namespace convlens {
namespace {

constexpr ExportFormat kFormats[] = {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf,
                                     ExportFormat::Gif, ExportFormat::Mp4, ExportFormat::Tikz};

}  // namespace

const char* export_format_name(ExportFormat format) {
    switch (format) {
        case ExportFormat::Png: return "png";
        case ExportFormat::Svg: return "svg";
        case ExportFormat::Pdf: return "pdf";
        case ExportFormat::Gif: return "gif";
        case ExportFormat::Mp4: return "mp4";
        case ExportFormat::Tikz: return "tikz";
    }
    return "png";
}

bool parse_export_format(const std::string& text, ExportFormat* format) {
    for (ExportFormat f : kFormats)
        if (text == export_format_name(f)) {
            *format = f;
            return true;
        }
    return false;
}

bool export_writes_folder(ExportFormat format) {
    return format == ExportFormat::Png || format == ExportFormat::Svg;
}

}  // namespace convlens
