#include "lesson/lesson_region.h"

#include <algorithm>
#include <climits>
#include <cstddef>
#include <sstream>
#include <string_view>
#include <vector>

#include "lesson/grid_values.h"
#include "lesson/lesson_common.h"
#include "util/cli_numbers.h"

namespace convlens {

std::optional<GridId> lesson_region_grid(LessonName name, bool has_cell) {
    switch (name) {
        case LessonName::Forward:
        case LessonName::KernelGradient: return GridId::Output;
        case LessonName::Backward: return GridId::Input;
        case LessonName::Influence:
            if (has_cell) return std::nullopt;
            return GridId::Input;
        case LessonName::Equivalence:
        case LessonName::Derivation: return std::nullopt;
    }
    return std::nullopt;
}

CellRegion whole_grid(Shape grid) { return {{0, 0}, {grid.rows - 1, grid.cols - 1}}; }

namespace {

// [first, first + length) around `centre` within 0..extent-1, as long as the axis allows.
int axis_start(int centre, int length, int extent) {
    length = std::min(length, extent);
    const int start = centre - (length - 1) / 2;
    return std::clamp(start, 0, extent - length);
}

}  // namespace

CellRegion centred_region(Cell centre, int size, Shape grid) {
    size = std::max(size, 1);
    const int rows = std::min(size, grid.rows), cols = std::min(size, grid.cols);
    const Cell first{axis_start(centre.row, rows, grid.rows), axis_start(centre.col, cols, grid.cols)};
    return {first, {first.row + rows - 1, first.col + cols - 1}};
}

std::optional<CellRegion> default_lesson_region(LessonName name, const Scene& scene,
                                                const LayerResults& results,
                                                std::optional<Cell> cell) {
    const std::optional<GridId> grid = lesson_region_grid(name, cell.has_value());
    if (!grid) return std::nullopt;
    const Shape shape = grid_shape(scene, results, *grid);
    // Every walked cell (for kernel-gradient: every output position) brings one term per tap.
    const std::size_t cells = std::size_t(shape.rows) * std::size_t(shape.cols);
    const std::size_t terms = cells * std::size_t(scene.kernel.size());
    if (cells <= std::size_t(kMaxWalkedCells) && terms <= kMaxLessonTerms) return std::nullopt;
    const bool cell_in_grid = cell && lesson_cell_grid(name) == *grid;
    const Cell centre = cell_in_grid ? *cell : Cell{shape.rows / 2, shape.cols / 2};
    return centred_region(centre, kDefaultRegionSize, shape);
}

int largest_region_side(const Scene& scene) {
    int side = 1;
    const std::size_t taps = std::max<std::size_t>(1, std::size_t(scene.kernel.size()));
    while (side < 24 && std::size_t(side + 1) * std::size_t(side + 1) <= std::size_t(kMaxWalkedCells) &&
           std::size_t(side + 1) * std::size_t(side + 1) * taps <= kMaxLessonTerms)
        ++side;
    return side;
}

const char* region_grid_words(GridId grid) {
    return grid == GridId::Output ? "output z^{l+1}" : "input z^{l}";
}

void check_region(LessonName name, const CellRegion& region, GridId grid, Shape shape, int base) {
    const std::string what = std::string("lesson ") + lesson_name(name) + ": region " +
                             region_text(region, base);
    const std::string size = std::to_string(shape.rows) + "x" + std::to_string(shape.cols);
    if (region.first.row > region.last.row || region.first.col > region.last.col)
        throw InputError(what + " is reversed: give the top-left corner M1,N1 first and the "
                                "bottom-right M2,N2 second (M1 <= M2, N1 <= N2)");
    const bool inside = region.first.row >= 0 && region.first.col >= 0 &&
                        region.last.row < shape.rows && region.last.col < shape.cols;
    if (!inside)
        throw InputError(what + " reaches outside the " + region_grid_words(grid) + ", which is " +
                         size + " (indices from " + std::to_string(base) + " to " +
                         std::to_string(shape.rows - 1 + base) + "," +
                         std::to_string(shape.cols - 1 + base) + ")");
}

std::string region_words(const CellRegion& region, Shape grid, int base) {
    return "rows " + index_range_words(region.first.row, region.rows(), 1, base) + ", columns " +
           index_range_words(region.first.col, region.cols(), 1, base) + " of " +
           std::to_string(grid.rows) + "×" + std::to_string(grid.cols);
}

std::string region_text(const CellRegion& region, int base) {
    // In 64 bits: a corner typed as -2147483647 in base 0 or 1 prints as typed.
    auto label = [base](int v) { return std::to_string(static_cast<long long>(v) + base); };
    return label(region.first.row) + "," + label(region.first.col) + "," + label(region.last.row) +
           "," + label(region.last.col);
}

bool parse_region(const std::string& text, int base, CellRegion* region) {
    std::vector<int> values;
    std::string_view rest = text;
    while (true) {
        const std::size_t comma = rest.find(',');
        const std::optional<int> v = parse_whole_number(rest.substr(0, comma));
        if (!v) return false;
        // Kept within int after the base comes off: INT_MIN in base 1 is outside any grid anyway.
        values.push_back(std::max(*v, INT_MIN + 1) - base);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    if (values.size() != 4) return false;
    *region = {{values[0], values[1]}, {values[2], values[3]}};
    return true;
}

}  // namespace convlens
