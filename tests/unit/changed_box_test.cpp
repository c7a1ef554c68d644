// changed_box: the box around the cells in which two grids differ, worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "util/changed_box.h"

namespace convlens {
namespace {

TEST(ChangedBox, BoxAroundEveryChangedCell) {
    std::vector<double> was(4 * 5, 1.0), now = was;
    now[1 * 5 + 3] = 2;  // row 1, column 3
    now[2 * 5 + 1] = 3;  // row 2, column 1: widens the box to the left
    const CellRect box = changed_box(was.data(), now.data(), 4, 5);
    EXPECT_EQ(box.row, 1);
    EXPECT_EQ(box.col, 1);
    EXPECT_EQ(box.rows, 2);
    EXPECT_EQ(box.cols, 3);
    EXPECT_EQ(box.area(), 6);
    EXPECT_TRUE(box.contains(1, 3));
    EXPECT_TRUE(box.contains(2, 1));
    EXPECT_TRUE(box.contains(1, 2));   // unchanged, but inside the box
    EXPECT_FALSE(box.contains(0, 3));
    EXPECT_FALSE(box.contains(1, 4));
}

TEST(ChangedBox, LaterRowsWidenTheBoxBothWays) {
    std::vector<float> was(3 * 6, 0.5f), now = was;
    now[0 * 6 + 2] = 1;
    now[2 * 6 + 0] = 1;
    now[2 * 6 + 5] = 1;
    const CellRect box = changed_box(was.data(), now.data(), 3, 6);
    EXPECT_EQ(box.row, 0);
    EXPECT_EQ(box.col, 0);
    EXPECT_EQ(box.rows, 3);
    EXPECT_EQ(box.cols, 6);
}

TEST(ChangedBox, BitForBit) {
    std::vector<double> was{std::nan(""), 0.0, 1.0, 1.0}, now = was;
    EXPECT_TRUE(changed_box(was.data(), now.data(), 2, 2).empty());  // NaN equals NaN
    now[1] = -0.0;  // prints as 0, differs in its bits
    const CellRect box = changed_box(was.data(), now.data(), 2, 2);
    EXPECT_EQ(box.row, 0);
    EXPECT_EQ(box.col, 1);
    EXPECT_EQ(box.rows, 1);
    EXPECT_EQ(box.cols, 1);
}

}  // namespace
}  // namespace convlens
