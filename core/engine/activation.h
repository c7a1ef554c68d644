// The activation a^l = f(z^l) applied before the layer, and its derivative f'(z^l)
// that multiplies the backward sum.
#pragma once

#include <string>

#include "engine/matrix.h"

namespace convlens {

enum class Activation { Identity, Relu, Sigmoid, Tanh };

double activate(Activation f, double z);
// relu'(0) is taken as 0, as PyTorch and TensorFlow do.
double activation_derivative(Activation f, double z);
Matrix activate(Activation f, const Matrix& z);
Matrix activation_derivative(Activation f, const Matrix& z);
// Both at once, into matrices the caller keeps between edits (resized only when the shape
// differs): one pass over z instead of two, no fresh allocation, and for the identity a
// copy and a fill of ones instead of a call per element.
void activate_into(Activation f, const Matrix& z, Matrix* activated, Matrix* slope);

const char* activation_name(Activation f);  // "identity" | "relu" | "sigmoid" | "tanh"
bool parse_activation(const std::string& name, Activation* f);
// True where f is not differentiable at z (relu at 0): finite differences skip it.
bool is_kink(Activation f, double z);

}  // namespace convlens
