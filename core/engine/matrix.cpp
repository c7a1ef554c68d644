#include "engine/matrix.h"

namespace convlens {

// Eigen 3.4's initializer-list constructor does the work (and asserts equal rows).
Matrix matrix_from_rows(std::initializer_list<std::initializer_list<double>> rows) {
    return Matrix(rows);
}

double inner_product(const Matrix& a, const Matrix& b) { return a.cwiseProduct(b).sum(); }

}  // namespace convlens
