// A photograph as z^l: PNG and JPEG files read as grey levels scaled to a chosen range,
// optionally resized, and the reference a scene keeps to the image it came from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/conv_spec.h"
#include "engine/matrix.h"

namespace convlens {

// A file is refused before decoding when it is larger than this, or when its header
// claims more pixels than kMaxImageSourcePixels (a small file can claim a huge image).
// Only a resize may bring a picture larger than the input cap down to it.
inline constexpr std::size_t kMaxImageFileBytes = std::size_t{64} << 20;
inline constexpr long long kMaxImageSourcePixels = 25'000'000;
inline constexpr int kMaxImageSourceExtent = 16384;
// The grey range's ends stay small enough that high - low cannot overflow.
inline constexpr double kMaxImageRangeMagnitude = 1e6;

// Where an input came from, beside the matrix it gave. Saving writes this reference
// instead of the numbers as long as the input still has `fingerprint`; any edit of a
// pixel (or a resize) makes the input a plain matrix again, and undoing the edit brings
// the reference back.
struct ImageInput {
    std::string path;               // absolute and normalised, so scenes compare equal
    std::optional<Shape> size;      // rows x columns to resize to; none: the image's own
    double low = 0;                 // black
    double high = 1;                // white
    std::uint64_t fingerprint = 0;  // image_fingerprint of the matrix the image gave
    friend bool operator==(const ImageInput&, const ImageInput&) = default;
};

// Grey levels of a PNG or JPEG held in `bytes`: luminance Y = 0.299 R + 0.587 G + 0.114 B
// of the stored (gamma-encoded) values, as most image tools define grey; alpha is ignored.
// 0 (black) maps to low and full white to high. With `size` the grey image is resized
// (an area average when shrinking, bilinear when growing). Throws InputError starting
// with `name`: not a PNG or JPEG, damaged or truncated, zero-sized, larger than the caps.
Matrix decode_image(std::string_view bytes, const std::string& name,
                    const std::optional<Shape>& size = std::nullopt, double low = 0,
                    double high = 1);

// The image's rows and columns from its header, without decoding it (the window's Open
// Image dialog proposes a size from it). Throws InputError like decode_image.
Shape image_extent(std::string_view bytes, const std::string& name);

// Reads a whole image file with the checks an image needs (exists, a regular file, not
// empty, at most kMaxImageFileBytes). Throws InputError starting with `name`.
std::string read_image_file(const std::string& path, const std::string& name);

// Reads and decodes `path` (`name` in messages, the path itself when empty) and returns
// the matrix with its reference filled in (absolute path, fingerprint).
struct LoadedImage {
    Matrix pixels;
    ImageInput source;
};
LoadedImage load_image(const std::string& path, const std::optional<Shape>& size = std::nullopt,
                       double low = 0, double high = 1, const std::string& name = {});

// Checks a grey range: finite ends, low < high, both within kMaxImageRangeMagnitude.
// Throws InputError without a prefix (the caller says where).
void check_image_range(double low, double high);

// The largest shape with the image's aspect ratio that fits max_extent on both sides
// (the image's own shape when it already fits). Never below 1x1.
Shape fit_within(Shape image, int max_extent);

// Stands for the matrix's shape and every bit of every value: equal matrices give equal
// fingerprints, and an edited one (almost surely) a different one.
std::uint64_t image_fingerprint(const Matrix& m);

// True for file names ending in .png, .jpg or .jpeg (any case): what a dropped file or
// a command-line argument is taken for.
bool looks_like_image_path(const std::string& path);

}  // namespace convlens
