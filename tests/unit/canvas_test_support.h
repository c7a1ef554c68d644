// Fixtures shared by the canvas tests: a small scene with values of both signs and a
// fraction, and the items of one kind in a display list.
#pragma once

#include <variant>
#include <vector>

#include "canvas/display_list.h"
#include "scene/scene.h"

namespace convlens::canvas_test {

// 5x5 input and 3x3 kernel, no upstream error: values of both signs, a zero, 0.25 and -1.5.
inline Scene small_scene() {
    Scene s;
    s.input = Matrix(5, 5);
    s.input << 1, -1.5, 0, 2, 3,  //
        0.25, 2, -1, 0, 1,         //
        3, 1, -2, 1, 0,            //
        -1, 0, 2, 1, 4,            //
        2, 1, 0, -3, 1;
    s.kernel = Matrix(3, 3);
    s.kernel << 1, 0, -1, 2, 1, 0, 0, -1, 3;
    return s;
}

template <class T>
std::vector<T> items_of(const DisplayList& list) {
    std::vector<T> out;
    for (const DrawItem& item : list.items)
        if (const T* t = std::get_if<T>(&item)) out.push_back(*t);
    return out;
}

}  // namespace convlens::canvas_test
