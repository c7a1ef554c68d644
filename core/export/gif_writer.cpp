#include "engine/conv_spec.h"
#include "export/export_writers.h"

namespace convlens {

std::string gif_animation(const std::vector<DisplayList>&, const FrameFit&, const ExportOptions&,
                          const CairoFonts&, const FrameDone&) {
    throw InputError("GIF export is not available yet");
}

}  // namespace convlens
