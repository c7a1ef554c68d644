// One vector PDF page per frame: cairo embeds the DejaVu subsets and a ToUnicode map,
// so the text is selectable and pdftotext finds the numbers.
#include <cairo-pdf.h>

#include "engine/conv_spec.h"
#include "export/cairo_backend.h"
#include "export/export_writers.h"

namespace convlens {
namespace {

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::string pdf_document(const std::vector<DisplayList>& frames, const FrameFit& fit,
                         const ExportOptions& options, const CairoFonts& fonts, const FrameDone& done) {
    std::string bytes;
    // Device units are points here: a 1920x1080 frame is a 16:9 page, 26.7 x 15 inches,
    // which a slide program scales like any vector page.
    cairo_surface_t* surface =
        cairo_pdf_surface_create_for_stream(append_to_string, &bytes, fit.width, fit.height);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "convlens");
    if (!options.title.empty())
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, options.title.c_str());
    cairo_t* cr = cairo_create(surface);
    try {
        for (const DisplayList& list : frames) {
            paint_frame(cr, list, fit, options.transparent, fonts);
            cairo_show_page(cr);
            done();
        }
    } catch (...) {
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
        throw;
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    const cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS)
        throw InputError(std::string("cannot make the PDF: ") + cairo_status_to_string(status));
    return bytes;
}

}  // namespace convlens
