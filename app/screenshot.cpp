#include <glad/gl.h>

#include "screenshot.h"

#include <cstring>
#include <string>
#include <vector>

// The one place that holds stb_image_write's code; static, so it cannot clash with the
// copy inside libstb that ImGui's pkg-config entry links.
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

#include "engine/conv_spec.h"
#include "util/atomic_write.h"

namespace convlens {
namespace {

void append(void* context, void* data, int size) {
    auto* out = static_cast<std::string*>(context);
    out->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

}  // namespace

void write_framebuffer_png(const std::string& path, int width, int height) {
    if (width <= 0 || height <= 0) throw InputError(path + ": the window has no pixels to save");
    const std::size_t row = static_cast<std::size_t>(width) * 3;
    std::vector<unsigned char> pixels(row * static_cast<std::size_t>(height));
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    if (glGetError() != GL_NO_ERROR) throw InputError(path + ": cannot read the framebuffer");
    std::vector<unsigned char> flipped(pixels.size());
    for (int y = 0; y < height; ++y)
        std::memcpy(&flipped[static_cast<std::size_t>(y) * row],
                    &pixels[static_cast<std::size_t>(height - 1 - y) * row], row);
    std::string png;
    if (!stbi_write_png_to_func(append, &png, width, height, 3, flipped.data(), static_cast<int>(row)))
        throw InputError(path + ": cannot encode the PNG");
    write_file_atomically(path, png);
}

}  // namespace convlens
