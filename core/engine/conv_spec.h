// The geometry of one convolutional layer: stride, zero padding and dilation per axis,
// and whether the forward pass correlates or truly convolves.
#pragma once

#include <stdexcept>
#include <string>

namespace convlens {

// Bad user input (a scene, an index, a size): the message names what and where.
// The command line turns it into exit status 1 with the message on one line.
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A per-axis pair; rows first as everywhere in convlens.
struct AxisPair {
    int rows = 1;
    int cols = 1;
    friend bool operator==(const AxisPair&, const AxisPair&) = default;
};

enum class ConvMode {
    CrossCorrelation,  // what every framework calls "convolution": the kernel as stored
    Convolution,       // the textbook's: the kernel flipped by 180 degrees in the forward pass
};

struct ConvSpec {
    AxisPair stride{1, 1};    // >= 1
    AxisPair padding{0, 0};   // >= 0, zeros on both sides
    AxisPair dilation{1, 1};  // >= 1, 1 = taps next to each other
    ConvMode mode = ConvMode::CrossCorrelation;
    friend bool operator==(const ConvSpec&, const ConvSpec&) = default;
};

// Ho = floor((H + 2P - d(kh-1) - 1) / s) + 1 along one axis; 0 or less means no output.
int output_extent(int input, int kernel, int stride, int padding, int dilation);

struct Shape {
    int rows = 0;
    int cols = 0;
    friend bool operator==(const Shape&, const Shape&) = default;
};

// The output shape, or InputError naming the axis when the (dilated) kernel does not fit
// in the padded input, or a stride/dilation below 1, or negative padding.
Shape output_shape(Shape input, Shape kernel, const ConvSpec& spec);

const char* mode_name(ConvMode mode);             // "cross-correlation" | "convolution"
bool parse_mode(const std::string& name, ConvMode* mode);

}  // namespace convlens
