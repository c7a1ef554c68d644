#include "export/export_frames.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <functional>
#include <thread>
#include <system_error>

#include "export/cairo_backend.h"
#include "export/export_writers.h"
#include "export/frame_worker.h"
#include "export/ordered_frames.h"
#include "export/png_encoder.h"
#include "export/svg_frame.h"
#include "util/atomic_write.h"

namespace convlens {
namespace {

namespace fs = std::filesystem;

// The folder of a PNG or SVG export, made if missing; on failure the frames written so
// far go, and the folder too when this export made it.
class FrameFolder {
public:
    explicit FrameFolder(const std::string& path) : path_(path) {
        std::error_code ec;
        const fs::file_status status = fs::status(path, ec);
        if (fs::exists(status)) {
            if (!fs::is_directory(status))
                throw InputError("cannot write frames into " + path + ": not a folder");
        } else {
            if (!fs::create_directory(path, ec) || ec)
                throw InputError("cannot create folder " + path + ": " +
                                 (ec ? ec.message() : std::string("failed")));
            created_ = true;
        }
    }
    ~FrameFolder() {
        if (done_) return;
        std::error_code ec;
        for (const std::string& file : written_) fs::remove(file, ec);
        if (created_) fs::remove(path_, ec);
    }
    std::string path_of(const std::string& name) const { return (fs::path(path_) / name).string(); }
    void wrote(const std::string& file) { written_.push_back(file); }
    // Frames are written without a sync each (two fsyncs a frame cost more than drawing
    // it); one syncfs makes them all durable before the export reports success.
    std::vector<std::string> finish() {
        const int fd = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0) {
            (void)::syncfs(fd);
            ::close(fd);
        }
        done_ = true;
        return written_;
    }

private:
    std::string path_;
    bool created_ = false;
    bool done_ = false;
    std::vector<std::string> written_;
};

// A single output file must land in an existing folder; say which, before any work.
void check_file_target(const std::string& path) {
    if (path.empty()) throw InputError("--out is empty");
    std::error_code ec;
    if (fs::is_directory(path, ec)) throw InputError("cannot write " + path + ": it is a folder");
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw InputError("cannot write " + path + ": folder " + parent.string() + " does not exist");
}

// Paints a frame over whatever a reused surface held before.
void repaint(cairo_surface_t* surface, const DisplayList& list, const FrameFit& fit,
             bool transparent, const CairoFonts& fonts) {
    cairo_t* cr = cairo_create(surface);
    if (transparent) {
        cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
        cairo_paint(cr);
        cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
    }
    paint_frame(cr, list, fit, transparent, fonts);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
}

}  // namespace

std::string frame_file_name(int index, int total, ExportFormat format) {
    const int digits = std::max(3, static_cast<int>(std::to_string(std::max(total, 1)).size()));
    std::string number = std::to_string(index + 1);
    if (static_cast<int>(number.size()) < digits)
        number.insert(0, static_cast<std::size_t>(digits) - number.size(), '0');
    return "step-" + number + "." + export_format_name(format);
}

RgbaImage render_rgba(const DisplayList& list, const FrameFit& fit, bool transparent) {
    const CairoFonts fonts;
    cairo_surface_t* surface = render_surface(list, fit, transparent, fonts);
    RgbaImage image;
    image.width = fit.width;
    image.height = fit.height;
    image.rgba.resize(static_cast<std::size_t>(fit.width) * static_cast<std::size_t>(fit.height) * 4);
    const unsigned char* data = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    std::size_t k = 0;
    for (int y = 0; y < fit.height; ++y) {
        const auto* row = reinterpret_cast<const std::uint32_t*>(data + y * stride);
        for (int x = 0; x < fit.width; ++x) {
            const std::uint32_t p = row[x];  // premultiplied ARGB in native order
            const unsigned a = p >> 24;
            const auto straight = [a](unsigned v) {
                return static_cast<unsigned char>(a == 0 ? 0 : (v * 255 + a / 2) / a);
            };
            image.rgba[k++] = straight((p >> 16) & 0xFF);
            image.rgba[k++] = straight((p >> 8) & 0xFF);
            image.rgba[k++] = straight(p & 0xFF);
            image.rgba[k++] = static_cast<unsigned char>(a);
        }
    }
    cairo_surface_destroy(surface);
    return image;
}

std::vector<std::string> export_frames(const std::vector<DisplayList>& frames,
                                       const ExportOptions& options, const ExportProgress& progress) {
    if (frames.empty()) throw InputError("nothing to export: no frames");
    if (!(options.fps > 0) || options.fps > 120) throw InputError("--fps must be in (0, 120]");
    const FrameFit fit = fit_frame(frames_bounds(frames), options.width, options.height, options.scale);
    const int total = static_cast<int>(frames.size());
    int done_count = 0;
    const FrameDone done = [&] {
        ++done_count;
        if (progress && !progress(done_count, total)) throw ExportCancelled();
    };
    const CairoFonts fonts;

    if (export_writes_folder(options.format)) {
        if (options.out.empty()) throw InputError("--out is empty");
        FrameFolder folder(options.out);
        const int threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
        const auto encode = [&](int k, FrameWorker& worker) {
            const DisplayList& list = frames[static_cast<std::size_t>(k)];
            if (options.format == ExportFormat::Svg)
                return svg_frame(list, fit, options.transparent, worker.fonts, options.title);
            if (!worker.surface) worker.surface = render_surface(list, fit, options.transparent, worker.fonts);
            else repaint(worker.surface, list, fit, options.transparent, worker.fonts);
            return encode_png_fast(worker.surface, options.transparent);
        };
        OrderedFrames encoded(total, threads, encode);
        for (int k = 0; k < total; ++k) {
            const std::string path = folder.path_of(frame_file_name(k, total, options.format));
            write_file_atomically(path, encoded.next(), false);
            folder.wrote(path);
            done();
        }
        return folder.finish();
    }

    check_file_target(options.out);
    switch (options.format) {
        case ExportFormat::Pdf:
            write_file_atomically(options.out, pdf_document(frames, fit, options, fonts, done));
            break;
        case ExportFormat::Gif:
            write_file_atomically(options.out, gif_animation(frames, fit, options, fonts, done));
            break;
        case ExportFormat::Tikz:
            write_file_atomically(options.out, tikz_document(frames, options));
            break;
        case ExportFormat::Mp4: {
            const fs::path target(options.out);
            const std::string temp =
                (target.parent_path() / ("." + target.filename().string() + ".tmp-" +
                                         std::to_string(::getpid()) + ".mp4"))
                    .string();
            mp4_video(frames, fit, options, fonts, temp, done);
            std::error_code ec;
            fs::rename(temp, options.out, ec);
            if (ec) {
                fs::remove(temp, ec);
                throw InputError("cannot write " + options.out + ": " + ec.message());
            }
            break;
        }
        case ExportFormat::Png:
        case ExportFormat::Svg: break;
    }
    return {options.out};
}

}  // namespace convlens
