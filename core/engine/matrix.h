// The one matrix type convlens computes with, and the small index types around it.
// Matrices are row-major (unlike Eigen's default) because that is how scene files, the
// display list and every drawing loop walk them: row by row, as a student reads a grid.
#pragma once

#include <initializer_list>

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

// A matrix written as rows, as in the textbook and in scene files: {{1, 2}, {3, 4}}.
// Every row must have the length of the first.
Matrix matrix_from_rows(std::initializer_list<std::initializer_list<double>> rows);

// Sum of the element-wise products: the <x, y> of the adjoint identity.
double inner_product(const Matrix& a, const Matrix& b);

}  // namespace convlens
