#include "canvas/arrow_routes.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>

namespace convlens {
namespace {

// Lanes around a grid's block run this far outside it: inside the gap to the next block
// (28 units and more), clear of both.
constexpr float kLaneMargin = 8;
// What a unit of route between a grid's cells costs, against 1 between grids.
constexpr float kInsideCost = 1.6f;

Rect inflate(Rect r, float by) { return {r.x - by, r.y - by, r.w + 2 * by, r.h + 2 * by}; }

std::vector<float> sorted_lanes(std::vector<float> v) {
    std::sort(v.begin(), v.end());
    std::vector<float> out;
    for (float x : v)
        if (out.empty() || x - out.back() > 0.5f) out.push_back(x);
    return out;
}

// Liang-Barsky: does the segment a-b pass through r (its inside, not only its edge)?
bool crosses(Point a, Point b, const Rect& r) {
    float t0 = 0, t1 = 1;
    const float d[2] = {b.x - a.x, b.y - a.y};
    const float lo[2] = {r.x - a.x, r.y - a.y}, hi[2] = {r.x + r.w - a.x, r.y + r.h - a.y};
    for (int k = 0; k < 2; ++k) {
        if (d[k] == 0) {
            if (lo[k] >= 0 || hi[k] <= 0) return false;
            continue;
        }
        float near = lo[k] / d[k], far = hi[k] / d[k];
        if (near > far) std::swap(near, far);
        t0 = std::max(t0, near);
        t1 = std::min(t1, far);
        if (t0 >= t1) return false;
    }
    return true;
}

std::optional<size_t> lane_of(const std::vector<float>& lanes, float v) {
    const auto it = std::lower_bound(lanes.begin(), lanes.end(), v - 0.3f);
    if (it == lanes.end() || std::abs(*it - v) > 0.3f) return std::nullopt;
    return static_cast<size_t>(it - lanes.begin());
}

}  // namespace

ArrowRouter::ArrowRouter(const std::vector<RouteGrid>& grids, std::vector<Rect> obstacles) {
    std::vector<float> xs, ys;
    for (const RouteGrid& g : grids) {
        if (g.cell > 0) {
            const int across = static_cast<int>(std::lround(g.lattice.w / g.cell));
            const int down = static_cast<int>(std::lround(g.lattice.h / g.cell));
            for (int k = 0; k <= across; ++k) xs.push_back(g.lattice.x + static_cast<float>(k) * g.cell);
            for (int k = 0; k <= down; ++k) ys.push_back(g.lattice.y + static_cast<float>(k) * g.cell);
        }
        xs.push_back(g.block.x - kLaneMargin);
        xs.push_back(g.block.x + g.block.w + kLaneMargin);
        ys.push_back(g.block.y - kLaneMargin);
        ys.push_back(g.block.y + g.block.h + kLaneMargin);
    }
    xs_ = sorted_lanes(std::move(xs));
    ys_ = sorted_lanes(std::move(ys));
    obstacles_.reserve(obstacles.size());
    for (const Rect& r : obstacles)
        if (r.w > 0 && r.h > 0) obstacles_.push_back(inflate(r, kArrowClearance));

    const size_t nx = xs_.size(), ny = ys_.size();
    right_open_.assign(nx * ny, 1);
    down_open_.assign(nx * ny, 1);
    // Pieces between the cells of a grid cost more than pieces between grids: routes leave
    // the source grid by one line and share the gaps, instead of running parallel through
    // the grid (which reads like a frame around its cells).
    right_cost_.assign(nx * ny, 1);
    down_cost_.assign(nx * ny, 1);
    for (const RouteGrid& g : grids) {
        const Rect& l = g.lattice;
        for (size_t j = 0; j < ny; ++j)
            for (size_t i = 0; i + 1 < nx; ++i) {
                const float y = ys_[j], x = (xs_[i] + xs_[i + 1]) / 2;
                if (y > l.y + 0.5f && y < l.y + l.h - 0.5f && x > l.x && x < l.x + l.w)
                    right_cost_[j * nx + i] = kInsideCost;
            }
        for (size_t i = 0; i < nx; ++i)
            for (size_t j = 0; j + 1 < ny; ++j) {
                const float x = xs_[i], y = (ys_[j] + ys_[j + 1]) / 2;
                if (x > l.x + 0.5f && x < l.x + l.w - 0.5f && y > l.y && y < l.y + l.h)
                    down_cost_[j * nx + i] = kInsideCost;
            }
    }
    // Each lane against the texts it meets: a piece is shut where one of them covers it.
    for (size_t j = 0; j < ny; ++j) {
        const float y = ys_[j];
        for (const Rect& r : obstacles_) {
            if (!(y > r.y && y < r.y + r.h)) continue;
            for (size_t i = 0; i + 1 < nx; ++i)
                if (xs_[i + 1] > r.x && xs_[i] < r.x + r.w) right_open_[j * nx + i] = 0;
        }
    }
    for (size_t i = 0; i < nx; ++i) {
        const float x = xs_[i];
        for (const Rect& r : obstacles_) {
            if (!(x > r.x && x < r.x + r.w)) continue;
            for (size_t j = 0; j + 1 < ny; ++j)
                if (ys_[j + 1] > r.y && ys_[j] < r.y + r.h) down_open_[j * nx + i] = 0;
        }
    }
}

std::optional<size_t> ArrowRouter::node(Point p) const {
    const auto i = lane_of(xs_, p.x), j = lane_of(ys_, p.y);
    if (!i || !j) return std::nullopt;
    return *j * xs_.size() + *i;
}

std::optional<ArrowRoute> ArrowRouter::route(Rect from_cell, Rect to_cell, float cell,
                                             const std::vector<Rect>& own) const {
    const size_t nx = xs_.size(), ny = ys_.size();
    if (nx == 0 || ny == 0) return std::nullopt;
    const auto corners = [](Rect r) {
        return std::array<Point, 4>{Point{r.x, r.y}, Point{r.x + r.w, r.y}, Point{r.x, r.y + r.h},
                                    Point{r.x + r.w, r.y + r.h}};
    };
    // Targets: corners whose head reaches into the cell without crossing a text; one that
    // touches the link's own tag only when no other corner is free.
    struct Target {
        size_t node;
        Point tip;
        float extra;
    };
    std::vector<Target> targets;
    const float inset = kHeadInset * cell;
    std::vector<Rect> near;  // the texts the head could touch: those over the target cell
    for (const Rect& r : obstacles_)
        if (r.x < to_cell.x + to_cell.w && r.x + r.w > to_cell.x && r.y < to_cell.y + to_cell.h &&
            r.y + r.h > to_cell.y)
            near.push_back(r);
    std::vector<Rect> own_near;
    for (const Rect& r : own) own_near.push_back(inflate(r, kArrowClearance));
    auto head_clear = [&](Point a, Point b, bool allow_own) {
        for (const Rect& r : near) {
            if (!crosses(a, b, r)) continue;
            const bool mine = allow_own && std::any_of(own_near.begin(), own_near.end(), [&](const Rect& o) {
                return std::abs(o.x - r.x) < 1e-3f && std::abs(o.y - r.y) < 1e-3f &&
                       std::abs(o.w - r.w) < 1e-3f && std::abs(o.h - r.h) < 1e-3f;
            });
            if (!mine) return false;
        }
        return true;
    };
    for (const Point& c : corners(to_cell)) {
        const auto n = node(c);
        if (!n) continue;
        const Point centre = to_cell.center();
        const Point tip{c.x + (centre.x > c.x ? inset : -inset), c.y + (centre.y > c.y ? inset : -inset)};
        if (head_clear(c, tip, false)) targets.push_back({*n, tip, 0});
        else if (head_clear(c, tip, true)) targets.push_back({*n, tip, 4 * cell});
    }
    if (targets.empty()) return std::nullopt;

    // Dijkstra (A*) over (node, axis of arrival): length plus a cost per bend. Turning back
    // on the same axis never pays, so the axis is all a bend needs.
    constexpr size_t kDirs = 3;  // along x, along y, none (a start)
    const float bend = 0.5f * cell;
    const size_t states = nx * ny * kDirs;
    if (stamp_.size() != states) {
        stamp_.assign(states, 0);
        dist_.resize(states);
        parent_.resize(states);
        generation_ = 0;
    }
    ++generation_;
    auto dist = [&](size_t st) -> float {
        return stamp_[st] == generation_ ? dist_[st] : std::numeric_limits<float>::infinity();
    };
    auto set = [&](size_t st, float d, size_t from) {
        stamp_[st] = generation_;
        dist_[st] = d;
        parent_[st] = from;
    };
    using Entry = std::pair<float, size_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    // A*: the distance to the nearest target corner never overestimates what is left.
    auto left = [&](size_t n) {
        const float x = xs_[n % nx], y = ys_[n / nx];
        float h = std::numeric_limits<float>::infinity();
        for (const Target& t : targets) h = std::min(h, std::abs(xs_[t.node % nx] - x) + std::abs(ys_[t.node / nx] - y));
        return h;
    };
    for (const Point& c : corners(from_cell)) {
        const auto n = node(c);
        if (!n) continue;
        const size_t st = *n * kDirs + 2;
        set(st, 0, states);
        queue.push({left(*n), st});
    }
    size_t found = states;
    const Target* reached = nullptr;
    float best = std::numeric_limits<float>::infinity();
    while (!queue.empty()) {
        const auto [estimate, st] = queue.top();
        queue.pop();
        if (estimate >= best) break;
        const size_t n = st / kDirs;
        const float d = dist(st);
        if (estimate > d + left(n) + 1e-3f) continue;  // a stale entry
        const size_t axis = st % kDirs;
        for (const Target& t : targets)
            if (t.node == n && d + t.extra < best) {
                best = d + t.extra;
                found = st;
                reached = &t;
            }
        const size_t i = n % nx, j = n / nx;
        const size_t from = st;  // a lambda may not name a structured binding (clang 14)
        auto relax = [&](bool open, size_t m, size_t to_axis, float length) {
            if (!open) return;
            const float cost = d + length + (axis != 2 && axis != to_axis ? bend : 0);
            const size_t t = m * kDirs + to_axis;
            if (cost < dist(t)) {
                set(t, cost, from);
                queue.push({cost + left(m), t});
            }
        };
        if (i + 1 < nx) relax(right_open_[n], n + 1, 0, right_cost_[n] * (xs_[i + 1] - xs_[i]));
        if (i > 0) relax(right_open_[n - 1], n - 1, 0, right_cost_[n - 1] * (xs_[i] - xs_[i - 1]));
        if (j + 1 < ny) relax(down_open_[n], n + nx, 1, down_cost_[n] * (ys_[j + 1] - ys_[j]));
        if (j > 0) relax(down_open_[n - nx], n - nx, 1, down_cost_[n - nx] * (ys_[j] - ys_[j - 1]));
    }
    if (found == states) return std::nullopt;

    ArrowRoute route;
    route.head_tip = reached->tip;
    std::vector<Point> points;
    for (size_t st = found; st != states; st = parent_[st]) {
        const size_t n = st / kDirs;
        points.push_back({xs_[n % nx], ys_[n / nx]});
    }
    std::reverse(points.begin(), points.end());
    // Only the bends: points in the middle of a straight run say nothing.
    for (const Point& p : points) {
        const size_t k = route.path.size();
        if (k >= 2) {
            const Point a = route.path[k - 2], b = route.path[k - 1];
            if ((a.x == b.x && b.x == p.x) || (a.y == b.y && b.y == p.y)) {
                route.path.back() = p;
                continue;
            }
        }
        route.path.push_back(p);
    }
    if (route.path.size() == 1) route.path.push_back(route.path.front());
    return route;
}

}  // namespace convlens
