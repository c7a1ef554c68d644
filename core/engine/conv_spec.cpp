#include "engine/conv_spec.h"

#include <string>

namespace convlens {
namespace {

void check_axis(const char* axis, int input, int kernel, int stride, int padding,
                int dilation) {
    if (stride < 1)
        throw InputError("key \"stride\": " + std::string(axis) + " stride " +
                         std::to_string(stride) + " is below 1");
    if (dilation < 1)
        throw InputError("key \"dilation\": " + std::string(axis) + " dilation " +
                         std::to_string(dilation) + " is below 1");
    if (padding < 0)
        throw InputError("key \"padding\": " + std::string(axis) + " padding " +
                         std::to_string(padding) + " is negative");
    if (output_extent(input, kernel, stride, padding, dilation) < 1) {
        const int span = dilation * (kernel - 1) + 1;
        throw InputError("key \"kernel\": along the " + std::string(axis) +
                         " the dilated kernel spans " + std::to_string(span) +
                         " but the padded input has only " + std::to_string(input + 2 * padding) +
                         ": no output");
    }
}

}  // namespace

int output_extent(int input, int kernel, int stride, int padding, int dilation) {
    const int room = input + 2 * padding - dilation * (kernel - 1) - 1;
    if (room < 0) return 0;
    return room / stride + 1;  // room >= 0: C++ division is the floor here
}

Shape output_shape(Shape input, Shape kernel, const ConvSpec& spec) {
    check_axis("rows", input.rows, kernel.rows, spec.stride.rows, spec.padding.rows,
               spec.dilation.rows);
    check_axis("columns", input.cols, kernel.cols, spec.stride.cols, spec.padding.cols,
               spec.dilation.cols);
    return {output_extent(input.rows, kernel.rows, spec.stride.rows, spec.padding.rows,
                          spec.dilation.rows),
            output_extent(input.cols, kernel.cols, spec.stride.cols, spec.padding.cols,
                          spec.dilation.cols)};
}

const char* mode_name(ConvMode mode) {
    return mode == ConvMode::Convolution ? "convolution" : "cross-correlation";
}

bool parse_mode(const std::string& name, ConvMode* mode) {
    if (name == "cross-correlation") *mode = ConvMode::CrossCorrelation;
    else if (name == "convolution") *mode = ConvMode::Convolution;
    else return false;
    return true;
}

}  // namespace convlens
