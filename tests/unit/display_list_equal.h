// Whether two display lists draw the same thing, item by item and field by field (a
// heatmap's values compared bit for bit): for tests that hold a fast path to the slow one.
#pragma once

#include <cstring>
#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "canvas/display_list.h"

namespace convlens::list_equal {

inline bool same(const Rect& a, const Rect& b) { return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h; }
inline bool same(const Point& a, const Point& b) { return a.x == b.x && a.y == b.y; }

inline bool same_values(const DrawHeatmap& a, const DrawHeatmap& b) {
    if (!a.values || !b.values) return a.values == b.values;
    return a.values->size() == b.values->size() &&
           std::memcmp(a.values->data(), b.values->data(), a.values->size() * sizeof(float)) == 0;
}

// "" when equal, else what differs first.
inline std::string difference(const DrawItem& x, const DrawItem& y) {
    if (x.index() != y.index()) return "another kind of item";
    if (const auto* a = std::get_if<DrawRect>(&x)) {
        const auto& b = std::get<DrawRect>(y);
        if (!same(a->rect, b.rect)) return "rect";
        if (!(a->fill == b.fill) || !(a->stroke == b.stroke)) return "rect colour";
        if (a->stroke_width != b.stroke_width || a->dashed != b.dashed) return "rect outline";
    } else if (const auto* t = std::get_if<DrawText>(&x)) {
        const auto& u = std::get<DrawText>(y);
        if (t->source != u.source) return "text '" + t->source + "' vs '" + u.source + "'";
        if (!same(t->box, u.box) || t->size != u.size || t->align != u.align) return "text place of " + t->source;
        if (!(t->color == u.color) || t->monospace_digits != u.monospace_digits) return "text colour of " + t->source;
    } else if (const auto* arrow = std::get_if<DrawArrow>(&x)) {
        const auto& other = std::get<DrawArrow>(y);
        if (!same(arrow->from, other.from) || !same(arrow->to, other.to) || !(arrow->color == other.color) ||
            arrow->width != other.width || arrow->head != other.head || arrow->dashed != other.dashed)
            return "arrow";
    } else if (const auto* line = std::get_if<DrawLine>(&x)) {
        const auto& other = std::get<DrawLine>(y);
        if (!same(line->from, other.from) || !same(line->to, other.to) || !(line->color == other.color) ||
            line->width != other.width)
            return "line";
    } else {
        const auto& map = std::get<DrawHeatmap>(x);
        const auto& other = std::get<DrawHeatmap>(y);
        if (!same(map.rect, other.rect) || map.rows != other.rows || map.cols != other.cols || map.grid != other.grid)
            return "heatmap place";
        if (map.scale != other.scale || !(map.map == other.map) || !(map.missing == other.missing))
            return "heatmap range";
        if (!same_values(map, other)) return "heatmap values";
    }
    return "";
}

inline void expect_same_list(const DisplayList& a, const DisplayList& b) {
    EXPECT_EQ(a.width, b.width);
    EXPECT_EQ(a.height, b.height);
    EXPECT_TRUE(a.background == b.background);
    ASSERT_EQ(a.grids.size(), b.grids.size());
    for (std::size_t k = 0; k < a.grids.size(); ++k) {
        EXPECT_EQ(a.grids[k].id, b.grids[k].id);
        EXPECT_TRUE(same(a.grids[k].cells, b.grids[k].cells)) << "grid " << k;
        EXPECT_EQ(a.grids[k].rows, b.grids[k].rows);
        EXPECT_EQ(a.grids[k].cols, b.grids[k].cols);
    }
    ASSERT_EQ(a.items.size(), b.items.size());
    int reported = 0;
    for (std::size_t k = 0; k < a.items.size() && reported < 5; ++k) {
        const std::string d = difference(a.items[k], b.items[k]);
        if (!d.empty()) {
            ADD_FAILURE() << "item " << k << ": " << d;
            ++reported;
        }
    }
}

}  // namespace convlens::list_equal
