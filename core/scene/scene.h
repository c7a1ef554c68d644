// The document the user edits: one input, one kernel, the layer's geometry and where
// the error comes from. Plain data; JSON lives in scene_json.h, numbers in engine/.
#pragma once

#include <optional>
#include <string>

#include "engine/activation.h"
#include "engine/conv_spec.h"
#include "engine/matrix.h"
#include "scene/image_input.h"

namespace convlens {

// Documented caps: big enough for a photograph as z^l, small enough that every view
// stays interactive and a hostile file cannot exhaust memory (1024x1024 doubles: 8 MB).
inline constexpr int kMaxInputExtent = 1024;  // H, W
inline constexpr int kMaxKernelExtent = 32;   // kh, kw
inline constexpr int kMaxStride = 32;
inline constexpr int kMaxPadding = 32;
inline constexpr int kMaxDilation = 32;

struct Scene {
    std::string title;                 // optional, "" when absent
    Matrix input;                      // z^l, H x W
    std::optional<ImageInput> input_image;  // the image z^l was loaded from, if any
    Matrix kernel;                     // w (the layer's w^{l+1}), kh x kw
    std::optional<Matrix> upstream;    // delta^{l+1}, the output's shape
    std::optional<Matrix> target;      // used only when upstream is absent
    ConvSpec spec;
    Activation activation = Activation::Identity;
    int index_base = 1;                // 1 (textbook) or 0

    // Compares shapes before values: Eigen's == asserts (or reads past the end) on
    // matrices of different shapes, which every resize produces.
    friend bool operator==(const Scene& a, const Scene& b);
};

// The textbook setting: 5x5 input, 3x3 kernel, 3x3 upstream error of small integers,
// one-based indices. The program works from it without any file.
Scene default_scene();

// The image the input still is: input_image when the input has not been edited since it
// was loaded (its fingerprint still matches), else nullptr. Saving writes this reference
// in place of the numbers.
const ImageInput* current_image(const Scene& scene);

// Throws InputError (naming the key) when the scene cannot be computed: shapes, caps,
// stride/dilation below 1, negative padding, upstream/target of the wrong shape.
void validate_scene(const Scene& scene);

}  // namespace convlens
