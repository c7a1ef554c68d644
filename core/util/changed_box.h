// The box of cells in which two row-major grids of one shape differ bit for bit: what an
// edit changed, found by the engine's update, the hover view's value swap and the window's
// texture upload alike.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace convlens {

struct CellRect {
    int row = 0, col = 0, rows = 0, cols = 0;
    bool empty() const { return rows <= 0 || cols <= 0; }
    long area() const { return empty() ? 0 : static_cast<long>(rows) * cols; }
    bool contains(int r, int c) const { return r >= row && r < row + rows && c >= col && c < col + cols; }
};

// Bit for bit, so NaN equals NaN and -0 differs from 0 (a needless redraw, never a missed
// one). Equal rows cost one memcmp each; a row that differs is searched from both ends only
// as far as the box does not reach yet.
template <class T>
CellRect changed_box(const T* was, const T* now, int rows, int cols) {
    const std::size_t width = static_cast<std::size_t>(cols);
    const auto same = [](const T* a, const T* b) { return std::memcmp(a, b, sizeof(T)) == 0; };
    int row0 = -1, row1 = -1, col0 = cols, col1 = -1;
    for (int r = 0; r < rows; ++r) {
        const T* a = was + static_cast<std::size_t>(r) * width;
        const T* b = now + static_cast<std::size_t>(r) * width;
        if (std::memcmp(a, b, width * sizeof(T)) == 0) continue;
        if (row0 < 0) row0 = r;
        row1 = r;
        int first = 0;
        while (first < col0 && same(a + first, b + first)) ++first;
        col0 = std::min(col0, first);
        int last = cols - 1;
        while (last > col1 && same(a + last, b + last)) --last;
        col1 = std::max(col1, last);
    }
    if (row0 < 0) return {};
    return {row0, col0, row1 - row0 + 1, col1 - col0 + 1};
}

}  // namespace convlens
