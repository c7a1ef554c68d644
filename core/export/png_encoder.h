// PNG encoding tuned for slides. cairo's own encoder (libpng and zlib) spends nine tenths
// of a frame's time choosing filters and deflating 8 MB of RGBA; frames are large flat
// areas with sharp edges, so every row gets the "up" filter (flat areas become zeros) and
// a zlib stream of runs (copies of the byte or pixel before, literals otherwise; one
// fixed-Huffman block) codes the result many times faster, for somewhat larger files
// (libdeflate supplies the CRC-32 and Adler-32). Opaque frames are RGB. The
// container (signature, IHDR, IDAT, IEND with their CRCs) is written here; the same
// pixels give the same bytes. Internal to core/export (it names cairo types).
#pragma once

#include <cairo.h>

#include <string>

namespace convlens {

// `keep_alpha`: RGBA (straight alpha, for --transparent); otherwise RGB.
std::string encode_png_fast(cairo_surface_t* surface, bool keep_alpha);

}  // namespace convlens
