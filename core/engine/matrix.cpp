#include "engine/matrix.h"

namespace convlens {

Matrix matrix_from_rows(std::initializer_list<std::initializer_list<double>> rows) {
    const Eigen::Index cols = rows.size() == 0 ? 0 : Eigen::Index(rows.begin()->size());
    Matrix m(Eigen::Index(rows.size()), cols);
    Eigen::Index r = 0;
    for (const auto& row : rows) {
        Eigen::Index c = 0;
        for (double v : row) m(r, c++) = v;
        ++r;
    }
    return m;
}

double inner_product(const Matrix& a, const Matrix& b) { return a.cwiseProduct(b).sum(); }

}  // namespace convlens
