#include "engine/matrix.h"

namespace convlens {

double inner_product(const Matrix& a, const Matrix& b) { return a.cwiseProduct(b).sum(); }

}  // namespace convlens
