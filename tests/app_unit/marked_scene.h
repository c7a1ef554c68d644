// The app unit tests' scene told apart by one number: a size x size input of 0.5 whose
// corner z_{1,1} is `corner`, under a 3x3 kernel of ones (so z^{l+1}_{1,1} = corner + 8 * 0.5
// and every output away from the corner is 9 * 0.5). `size` makes its JSON long enough
// for a write to take a while.
#pragma once

#include "scene/scene.h"

namespace convlens::test_support {

inline Scene marked_scene(double corner, int size = 5) {
    Scene s;
    s.input = Matrix::Constant(size, size, 0.5);
    s.input(0, 0) = corner;
    s.kernel = Matrix::Constant(3, 3, 1.0);
    return s;
}

}  // namespace convlens::test_support
