#include "scene/scene.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

namespace convlens {
namespace {

// Messages always count rows and columns from one, whatever the scene's index_base:
// they speak about the file, where a reader counts lines of a matrix from the top.
[[noreturn]] void fail(const char* key, const std::string& what) {
    throw InputError("key \"" + std::string(key) + "\": " + what);
}

std::string shape_text(Eigen::Index rows, Eigen::Index cols) {
    return std::to_string(rows) + "x" + std::to_string(cols);
}

void check_matrix(const char* key, const Matrix& m, int max_extent) {
    if (m.rows() == 0 || m.cols() == 0) fail(key, "the matrix is empty");
    if (m.rows() > max_extent || m.cols() > max_extent)
        fail(key, "shape " + shape_text(m.rows(), m.cols()) + " exceeds the maximum of " +
                      shape_text(max_extent, max_extent));
}

void check_finite(const char* key, const Matrix& m) {
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (Eigen::Index c = 0; c < m.cols(); ++c)
            if (!std::isfinite(m(r, c)))
                throw InputError("key \"" + std::string(key) + "\", row " +
                                 std::to_string(r + 1) + ", column " + std::to_string(c + 1) +
                                 ": expected a finite number, got " + std::to_string(m(r, c)));
}

// Bounds come before output_shape so that its arithmetic never sees a value that could
// overflow an int.
void check_range(const char* key, AxisPair pair, int low, int high) {
    for (auto [axis, value] : {std::pair{"rows", pair.rows}, std::pair{"columns", pair.cols}}) {
        if (value < low)
            fail(key, std::string(axis) + ": " + std::to_string(value) +
                          (low == 0 ? " is negative" : " is below " + std::to_string(low)));
        if (value > high)
            fail(key, std::string(axis) + ": " + std::to_string(value) +
                          " is above the maximum of " + std::to_string(high));
    }
}

void check_output_shaped(const char* key, const std::optional<Matrix>& m, Shape output) {
    if (!m) return;
    if (m->rows() != output.rows || m->cols() != output.cols)
        fail(key, "shape " + shape_text(m->rows(), m->cols()) + " does not match the output's " +
                      shape_text(output.rows, output.cols));
    check_finite(key, *m);
}

}  // namespace

Scene default_scene() {
    Scene scene;
    scene.title = "The textbook layer";
    // Mixed signs and no symmetry anywhere: rot180 of the kernel visibly differs from the
    // kernel, and no two taps of one input element carry the same product by accident.
    scene.input = matrix_from_rows({{1, 2, 0, -1, 3},
                           {0, -2, 1, 2, 1},
                           {3, 1, -1, 0, 2},
                           {-1, 0, 2, 1, -2},
                           {2, 1, 0, -3, 1}});
    scene.kernel = matrix_from_rows({{1, 0, -1},
                            {2, 1, 0},
                            {0, -1, 3}});
    scene.upstream = matrix_from_rows({{1, -1, 2},
                              {0, 2, -1},
                              {-2, 1, 1}});
    return scene;
}

const ImageInput* current_image(const Scene& scene) {
    if (!scene.input_image || image_fingerprint(scene.input) != scene.input_image->fingerprint)
        return nullptr;
    return &*scene.input_image;
}

void validate_scene(const Scene& scene) {
    check_matrix("input", scene.input, kMaxInputExtent);
    check_finite("input", scene.input);
    check_matrix("kernel", scene.kernel, kMaxKernelExtent);
    check_finite("kernel", scene.kernel);
    check_range("stride", scene.spec.stride, 1, kMaxStride);
    check_range("padding", scene.spec.padding, 0, kMaxPadding);
    check_range("dilation", scene.spec.dilation, 1, kMaxDilation);
    if (scene.index_base != 0 && scene.index_base != 1)
        fail("index_base", "expected 1 or 0, got " + std::to_string(scene.index_base));

    const Shape output = output_shape(
        {static_cast<int>(scene.input.rows()), static_cast<int>(scene.input.cols())},
        {static_cast<int>(scene.kernel.rows()), static_cast<int>(scene.kernel.cols())},
        scene.spec);
    check_output_shaped("upstream", scene.upstream, output);
    check_output_shaped("target", scene.target, output);
}

namespace {

bool same_matrix(const Matrix& a, const Matrix& b) {
    // Element by element, stopping at the first difference (Eigen's == scans all of a
    // 1024 x 1024 input, and every edit asks whether it changed anything).
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::equal(a.data(), a.data() + a.size(), b.data());
}

bool same_optional(const std::optional<Matrix>& a, const std::optional<Matrix>& b) {
    if (a.has_value() != b.has_value()) return false;
    return !a || same_matrix(*a, *b);
}

}  // namespace

bool operator==(const Scene& a, const Scene& b) {
    // Only a reference that still holds counts: a scene whose pixel was edited equals the
    // same numbers loaded back from the matrix scene it saves as.
    const auto same_image = [&] {
        const ImageInput* image_a = current_image(a);
        const ImageInput* image_b = current_image(b);
        return image_a && image_b ? *image_a == *image_b : image_a == image_b;
    };
    return a.title == b.title && same_matrix(a.input, b.input) && same_image() &&
           same_matrix(a.kernel, b.kernel) && same_optional(a.upstream, b.upstream) &&
           same_optional(a.target, b.target) && a.spec == b.spec &&
           a.activation == b.activation && a.index_base == b.index_base;
}

}  // namespace convlens
