#include "engine/conv_spec.h"
#include "export/export_writers.h"

namespace convlens {

void mp4_video(const std::vector<DisplayList>&, const FrameFit&, const ExportOptions&,
               const CairoFonts&, const std::string&, const FrameDone&) {
    throw InputError("MP4 export is not available yet");
}

}  // namespace convlens
