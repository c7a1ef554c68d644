// Fuzz target: the bytes of an image file (a dropped file, a scene's "image") through
// decode_image. The first byte picks resizing (bit 0) and the [-1, 1] range (bit 1), the
// next two the size to resize to; the rest is the file.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "scene/image_input.h"
#include "scene/scene.h"

namespace {

[[noreturn]] void broken(const std::string& why) {
    std::fprintf(stderr, "contract broken: %s\n", why.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    const bool resize = data[0] & 1;
    const double low = data[0] & 2 ? -1.0 : 0.0;
    std::optional<convlens::Shape> shape;
    if (resize) shape = convlens::Shape{1 + data[1] % 64, 1 + data[2] % 64};
    const std::string_view bytes(reinterpret_cast<const char*>(data) + 3, size - 3);
    const std::string name = "fuzz.png";
    // Decoding takes time in proportion to the pixels a header claims, whatever the file
    // holds (a JPEG's missing data decodes as grey): up to the 25 megapixels allowed that
    // is about a second in a release build but many under the fuzzer's sanitizers. Larger
    // claims are left to the header checks, which image_extent runs without decoding.
    try {
        const convlens::Shape claimed = convlens::image_extent(bytes, name);
        if (static_cast<long long>(claimed.rows) * claimed.cols > 2'000'000) return 0;
    } catch (const convlens::InputError&) {
        // decode_image below refuses it again and its message is checked there
    }
    convlens::Matrix m;
    try {
        m = convlens::decode_image(bytes, name, shape, low, 1.0);
    } catch (const convlens::InputError& e) {
        // One line that names the file first.
        const std::string message = e.what();
        if (message.rfind(name + ": ", 0) != 0) broken("the message does not start with the file: " + message);
        if (message.find('\n') != std::string::npos) broken("the message spans lines: " + message);
        if (message.size() <= name.size() + 2) broken("the message says nothing");
        return 0;
    }
    if (m.rows() < 1 || m.cols() < 1 || m.rows() > convlens::kMaxInputExtent ||
        m.cols() > convlens::kMaxInputExtent)
        broken("the matrix is outside the input caps");
    if (shape && (m.rows() != shape->rows || m.cols() != shape->cols)) broken("not the size asked for");
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        const double v = m.data()[i];
        if (!std::isfinite(v) || v < low || v > 1.0) broken("a grey level outside the range");
    }
    return 0;
}
