#include "engine/activation.h"

#include <cmath>

namespace convlens {

double activate(Activation f, double z) {
    switch (f) {
        case Activation::Identity: return z;
        case Activation::Relu: return z > 0 ? z : 0.0;
        case Activation::Sigmoid: return 1.0 / (1.0 + std::exp(-z));
        case Activation::Tanh: return std::tanh(z);
    }
    return z;
}

double activation_derivative(Activation f, double z) {
    switch (f) {
        case Activation::Identity: return 1.0;
        case Activation::Relu: return z > 0 ? 1.0 : 0.0;
        case Activation::Sigmoid: {
            const double s = activate(f, z);
            return s * (1.0 - s);
        }
        case Activation::Tanh: {
            const double t = std::tanh(z);
            return 1.0 - t * t;
        }
    }
    return 1.0;
}

Matrix activate(Activation f, const Matrix& z) {
    return z.unaryExpr([f](double v) { return activate(f, v); });
}

Matrix activation_derivative(Activation f, const Matrix& z) {
    return z.unaryExpr([f](double v) { return activation_derivative(f, v); });
}

void activate_into(Activation f, const Matrix& z, Matrix* activated, Matrix* slope) {
    activated->resize(z.rows(), z.cols());
    slope->resize(z.rows(), z.cols());
    const double* in = z.data();
    double* a = activated->data();
    double* d = slope->data();
    const Eigen::Index n = z.size();
    switch (f) {
        case Activation::Identity:
            *activated = z;
            slope->setOnes();
            return;
        case Activation::Relu:
            for (Eigen::Index k = 0; k < n; ++k) {
                a[k] = in[k] > 0 ? in[k] : 0.0;
                d[k] = in[k] > 0 ? 1.0 : 0.0;
            }
            return;
        case Activation::Sigmoid:
            for (Eigen::Index k = 0; k < n; ++k) {
                const double s = 1.0 / (1.0 + std::exp(-in[k]));
                a[k] = s;
                d[k] = s * (1.0 - s);
            }
            return;
        case Activation::Tanh:
            for (Eigen::Index k = 0; k < n; ++k) {
                const double t = std::tanh(in[k]);
                a[k] = t;
                d[k] = 1.0 - t * t;
            }
            return;
    }
}

const char* activation_name(Activation f) {
    switch (f) {
        case Activation::Identity: return "identity";
        case Activation::Relu: return "relu";
        case Activation::Sigmoid: return "sigmoid";
        case Activation::Tanh: return "tanh";
    }
    return "identity";
}

bool parse_activation(const std::string& name, Activation* f) {
    for (Activation a : {Activation::Identity, Activation::Relu, Activation::Sigmoid,
                         Activation::Tanh}) {
        if (name == activation_name(a)) {
            *f = a;
            return true;
        }
    }
    return false;
}

bool is_kink(Activation f, double z) { return f == Activation::Relu && z == 0.0; }

}  // namespace convlens
