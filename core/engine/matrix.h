// The one matrix type convlens computes with, and the small index types around it.
// Matrices are row-major (unlike Eigen's default) because that is how scene files, the
// display list and every drawing loop walk them: row by row, as a student reads a grid.
#pragma once

#include <Eigen/Core>

namespace convlens {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// A (row, column) position, zero-based inside the engine; the scene's index base is
// applied only where text meets the user.
struct Cell {
    int row = 0;
    int col = 0;
    friend bool operator==(const Cell&, const Cell&) = default;
};

// Sum of the element-wise products: the <x, y> of the adjoint identity.
double inner_product(const Matrix& a, const Matrix& b);

}  // namespace convlens
