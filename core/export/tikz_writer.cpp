#include "engine/conv_spec.h"
#include "export/export_writers.h"

namespace convlens {

std::string tikz_document(const std::vector<DisplayList>&, const ExportOptions&) {
    throw InputError("TikZ export is not available yet");
}

}  // namespace convlens
