#include "frame_signature.h"

#include <algorithm>
#include <cmath>

namespace convlens {

void FrameSignature::add_bytes(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    bytes_.insert(bytes_.end(), p, p + size);
}

void FrameSignature::add_draw_data(const ImDrawData& data) {
    add(data.Valid);
    add(data.CmdListsCount);
    add(data.DisplayPos.x);
    add(data.DisplayPos.y);
    add(data.DisplaySize.x);
    add(data.DisplaySize.y);
    add(data.FramebufferScale.x);
    add(data.FramebufferScale.y);
    for (int i = 0; i < data.CmdListsCount; ++i) {
        const ImDrawList& list = *data.CmdLists[i];
        add(list.VtxBuffer.Size);
        add(list.IdxBuffer.Size);
        add(list.CmdBuffer.Size);
        // ImDrawVert is three packed fields (pos, uv, col) with no padding between them.
        static_assert(sizeof(ImDrawVert) == sizeof(ImVec2) * 2 + sizeof(ImU32));
        add_bytes(list.VtxBuffer.Data, sizeof(ImDrawVert) * static_cast<std::size_t>(list.VtxBuffer.Size));
        add_bytes(list.IdxBuffer.Data, sizeof(ImDrawIdx) * static_cast<std::size_t>(list.IdxBuffer.Size));
        for (const ImDrawCmd& c : list.CmdBuffer) {
            add(c.ClipRect.x);
            add(c.ClipRect.y);
            add(c.ClipRect.z);
            add(c.ClipRect.w);
            add(c.TextureId);
            add(c.VtxOffset);
            add(c.IdxOffset);
            add(c.ElemCount);
            add(c.UserCallback);
            add(c.UserCallbackData);
        }
    }
}

}  // namespace convlens

// [SECTION] Pieces and damage

namespace convlens {
namespace {

// A 64-bit mix of words: pieces are compared by hash, so it must spread every bit.
struct Hasher {
    std::uint64_t h = 0x243F6A8885A308D3ull;
    void word(std::uint64_t w) {
        h ^= w + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
        h *= 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    void real(float f) {
        std::uint32_t bits;
        std::memcpy(&bits, &f, sizeof bits);
        word(bits);
    }
    void rect(const PixelRect& r) {
        word(static_cast<std::uint32_t>(r.x0) | static_cast<std::uint64_t>(static_cast<std::uint32_t>(r.y0)) << 32);
        word(static_cast<std::uint32_t>(r.x1) | static_cast<std::uint64_t>(static_cast<std::uint32_t>(r.y1)) << 32);
    }
};

std::uint64_t name_hash(const char* name) {
    Hasher h;
    for (const char* c = name; c && *c; ++c) h.word(static_cast<unsigned char>(*c));
    return h.h;
}

// Every pixel a shape between these screen points can cover, with a pixel to spare on each
// side (the rasteriser snaps vertices to its subpixel grid).
PixelRect outward(float x0, float y0, float x1, float y1) {
    const auto lo = [](float v) { return static_cast<int>(std::max(-1e6f, std::floor(v))) - 1; };
    const auto hi = [](float v) { return static_cast<int>(std::min(1e6f, std::ceil(v))) + 1; };
    return {lo(x0), lo(y0), hi(x1), hi(y1)};
}

// Marks a[i] and b[j] that one longest common subsequence pairs, if it needs at most
// max_edits insertions and deletions (Myers' O((n + m) d) greedy diff); false otherwise.
bool match_in_order(const std::uint64_t* a, int n, const std::uint64_t* b, int m, int max_edits,
                    std::vector<char>& a_matched, std::vector<char>& b_matched) {
    const int most = std::min(n + m, max_edits);
    const int offset = most + 1;
    std::vector<int> v(static_cast<std::size_t>(2 * most + 3), 0);
    // v[-d-1 .. d+1] as step d found it: all that step reads.
    std::vector<std::vector<int>> trace;
    for (int d = 0; d <= most; ++d) {
        trace.emplace_back(v.begin() + (offset - d - 1), v.begin() + (offset + d + 2));
        for (int k = -d; k <= d; k += 2) {
            const bool down = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]);
            int x = down ? v[offset + k + 1] : v[offset + k - 1] + 1;
            int y = x - k;
            while (x < n && y < m && a[x] == b[y]) ++x, ++y;
            v[offset + k] = x;
            if (x < n || y < m) continue;
            // Found: walk back through the steps, marking the diagonals (equal pieces).
            for (int e = d; e > 0; --e) {
                const std::vector<int>& was = trace[static_cast<std::size_t>(e)];
                const auto before = [&](int diagonal) { return was[static_cast<std::size_t>(diagonal + e + 1)]; };
                const int kk = x - y;
                const bool came_down = kk == -e || (kk != e && before(kk - 1) < before(kk + 1));
                const int prev_k = came_down ? kk + 1 : kk - 1;
                const int prev_x = before(prev_k), prev_y = prev_x - prev_k;
                while (x > prev_x && y > prev_y) --x, --y, a_matched[x] = b_matched[y] = 1;
                x = prev_x;
                y = prev_y;
            }
            while (x > 0 && y > 0) --x, --y, a_matched[x] = b_matched[y] = 1;
            return true;
        }
    }
    return false;
}

// Pieces of `a` and `b` left unmatched by an in-order matching of equal hashes: the common
// ends first, then Myers' diff on the middle within a budget; beyond it the whole middle.
void unmatched(const std::vector<FramePieces::Piece>& a, const std::vector<FramePieces::Piece>& b,
               const std::function<void(const PixelRect&)>& mark) {
    std::size_t head = 0;
    while (head < a.size() && head < b.size() && a[head].hash == b[head].hash) ++head;
    std::size_t tail = 0;
    while (tail < a.size() - head && tail < b.size() - head &&
           a[a.size() - 1 - tail].hash == b[b.size() - 1 - tail].hash)
        ++tail;
    const int n = static_cast<int>(a.size() - head - tail), m = static_cast<int>(b.size() - head - tail);
    std::vector<char> a_matched(static_cast<std::size_t>(n), 0), b_matched(static_cast<std::size_t>(m), 0);
    if (n > 0 && m > 0) {
        std::vector<std::uint64_t> ha(static_cast<std::size_t>(n)), hb(static_cast<std::size_t>(m));
        for (int i = 0; i < n; ++i) ha[static_cast<std::size_t>(i)] = a[head + static_cast<std::size_t>(i)].hash;
        for (int j = 0; j < m; ++j) hb[static_cast<std::size_t>(j)] = b[head + static_cast<std::size_t>(j)].hash;
        // About four million steps at most: a millisecond or two.
        const int budget = std::max(16, std::min(1024, 4'000'000 / (n + m)));
        if (!match_in_order(ha.data(), n, hb.data(), m, budget, a_matched, b_matched)) {
            std::fill(a_matched.begin(), a_matched.end(), 0);
            std::fill(b_matched.begin(), b_matched.end(), 0);
        }
    }
    for (int i = 0; i < n; ++i)
        if (!a_matched[static_cast<std::size_t>(i)]) mark(a[head + static_cast<std::size_t>(i)].rect);
    for (int j = 0; j < m; ++j)
        if (!b_matched[static_cast<std::size_t>(j)]) mark(b[head + static_cast<std::size_t>(j)].rect);
    // Matched pieces pair up in order (the k-th matched of a with the k-th of b); a pair
    // whose texture contents differ is damaged where they changed, or all over.
    const auto contents = [&mark](const FramePieces::Piece& was, const FramePieces::Piece& now) {
        if (was.contents == now.contents) return;
        mark(was.contents == now.contents_was ? now.changed : now.rect);
    };
    for (std::size_t k = 0; k < head; ++k) contents(a[k], b[k]);
    for (std::size_t k = 0; k < tail; ++k) contents(a[a.size() - 1 - k], b[b.size() - 1 - k]);
    for (int i = 0, j = 0;; ++i, ++j) {
        while (i < n && !a_matched[static_cast<std::size_t>(i)]) ++i;
        while (j < m && !b_matched[static_cast<std::size_t>(j)]) ++j;
        if (i >= n || j >= m) break;
        contents(a[head + static_cast<std::size_t>(i)], b[head + static_cast<std::size_t>(j)]);
    }
}

bool overlap(const PixelRect& a, const PixelRect& b) { return !intersect(a, b).empty(); }
PixelRect unite(const PixelRect& a, const PixelRect& b) {
    return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

// Disjoint rectangles covering the marked tiles: each 4-connected group's bounding box,
// boxes that overlap merged, then the two whose union adds least merged while too many.
std::vector<PixelRect> tile_rects(std::vector<char> marked, int columns, int rows, std::size_t max_rects) {
    std::vector<PixelRect> boxes;  // in tiles
    std::vector<int> stack;
    for (int start = 0; start < columns * rows; ++start) {
        if (!marked[static_cast<std::size_t>(start)]) continue;
        PixelRect box{start % columns, start / columns, start % columns + 1, start / columns + 1};
        marked[static_cast<std::size_t>(start)] = 0;
        stack.assign(1, start);
        while (!stack.empty()) {
            const int t = stack.back();
            stack.pop_back();
            const int x = t % columns, y = t / columns;
            box = unite(box, {x, y, x + 1, y + 1});
            const int next[4][2] = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
            for (const auto& [nx, ny] : next) {
                if (nx < 0 || ny < 0 || nx >= columns || ny >= rows) continue;
                const std::size_t i = static_cast<std::size_t>(ny * columns + nx);
                if (marked[i]) marked[i] = 0, stack.push_back(ny * columns + nx);
            }
        }
        boxes.push_back(box);
    }
    for (bool merged = true; merged;) {
        merged = false;
        for (std::size_t i = 0; i < boxes.size() && !merged; ++i)
            for (std::size_t j = i + 1; j < boxes.size() && !merged; ++j)
                if (overlap(boxes[i], boxes[j]) || boxes.size() > max_rects) {
                    if (!overlap(boxes[i], boxes[j])) {  // too many: the cheapest union anywhere
                        long long best = -1;
                        for (std::size_t p = 0; p < boxes.size(); ++p)
                            for (std::size_t q = p + 1; q < boxes.size(); ++q) {
                                const long long cost = unite(boxes[p], boxes[q]).area() - boxes[p].area() -
                                                       boxes[q].area();
                                if (best < 0 || cost < best) best = cost, i = p, j = q;
                            }
                    }
                    boxes[i] = unite(boxes[i], boxes[j]);
                    boxes.erase(boxes.begin() + static_cast<std::ptrdiff_t>(j));
                    merged = true;
                }
    }
    return boxes;
}

}  // namespace

PixelRect intersect(const PixelRect& a, const PixelRect& b) {
    return {std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1), std::min(a.y1, b.y1)};
}

PixelRect scissor_of(const ImVec4& clip, int height) {
    // imgui_impl_opengl3.cpp: skipped when max <= min, else
    // glScissor((int)min.x, (int)(fb_height - max.y), (int)(max.x - min.x), (int)(max.y - min.y))
    if (clip.z <= clip.x || clip.w <= clip.y) return {};
    const int x = static_cast<int>(clip.x), w = static_cast<int>(clip.z - clip.x);
    const int gl_y = static_cast<int>(static_cast<float>(height) - clip.w), h = static_cast<int>(clip.w - clip.y);
    // GL rows [gl_y, gl_y + h) counted from the bottom are these rows from the top.
    return {x, height - (gl_y + h), x + w, height - gl_y};
}

ImVec4 clip_of(const PixelRect& r) {
    return ImVec4(static_cast<float>(r.x0), static_cast<float>(r.y0), static_cast<float>(r.x1),
                  static_cast<float>(r.y1));
}

FramePieces frame_pieces(const ImDrawData& data, int width, int height, const DescribeCallback& describe) {
    FramePieces frame;
    frame.width = width;
    frame.height = height;
    frame.complete = true;
    const PixelRect screen{0, 0, width, height};
    for (int l = 0; l < data.CmdListsCount; ++l) {
        const ImDrawList& list = *data.CmdLists[l];
        FramePieces::List& out = frame.lists.emplace_back();
        out.name = name_hash(list._OwnerName);
        for (int c = 0; c < list.CmdBuffer.Size; ++c) {
            const ImDrawCmd& cmd = list.CmdBuffer[c];
            const PixelRect scissor = intersect(scissor_of(cmd.ClipRect, height), screen);
            if (cmd.UserCallback) {
                if (cmd.UserCallback == ImDrawCallback_ResetRenderState) continue;
                CallbackPiece what;
                if (!describe || !describe(cmd, &what)) {
                    frame.complete = false;
                    continue;
                }
                const ImVec4& r = what.rect;
                const PixelRect rect = intersect(scissor, outward(r.x, r.y, r.z, r.w));
                if (rect.empty()) continue;
                Hasher h;
                h.word(1);
                h.word(what.hash);
                h.rect(scissor);
                const ImVec4& d = what.changed;
                out.pieces.push_back({h.h, rect, c, 0, 0, what.contents, what.contents_was,
                                      intersect(rect, outward(d.x, d.y, d.z, d.w))});
                continue;
            }
            if (scissor.empty()) continue;
            const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
            const ImDrawVert* vtx = list.VtxBuffer.Data + cmd.VtxOffset;
            for (unsigned start = 0; start + 3 <= cmd.ElemCount;) {
                // A primitive: triangles until one uses only vertices outside the range the
                // others used (after or, in a table's merged columns, before it).
                unsigned lo = std::min({idx[start], idx[start + 1], idx[start + 2]});
                unsigned hi = std::max({idx[start], idx[start + 1], idx[start + 2]});
                unsigned end = start + 3;
                for (; end + 3 <= cmd.ElemCount; end += 3) {
                    const unsigned t_lo = std::min({idx[end], idx[end + 1], idx[end + 2]});
                    const unsigned t_hi = std::max({idx[end], idx[end + 1], idx[end + 2]});
                    if (t_lo > hi || t_hi < lo) break;
                    lo = std::min(lo, t_lo);
                    hi = std::max(hi, t_hi);
                }
                Hasher h;
                h.word(2);
                h.word(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(cmd.TextureId)));
                h.rect(scissor);
                for (unsigned k = start; k < end; ++k) h.word(idx[k] - lo);
                float x0 = vtx[lo].pos.x, y0 = vtx[lo].pos.y, x1 = x0, y1 = y0;
                for (unsigned v = lo; v <= hi; ++v) {
                    const ImDrawVert& p = vtx[v];
                    h.real(p.pos.x);
                    h.real(p.pos.y);
                    h.real(p.uv.x);
                    h.real(p.uv.y);
                    h.word(p.col);
                    x0 = std::min(x0, p.pos.x), x1 = std::max(x1, p.pos.x);
                    y0 = std::min(y0, p.pos.y), y1 = std::max(y1, p.pos.y);
                }
                const PixelRect rect = intersect(scissor, outward(x0, y0, x1, y1));
                if (!rect.empty()) out.pieces.push_back({h.h, rect, c, cmd.IdxOffset + start, end - start, 0, 0, {}});
                start = end;
            }
        }
    }
    return frame;
}

std::optional<std::vector<PixelRect>> frame_damage(const FramePieces& before, const FramePieces& after, int tile,
                                                    int max_rects, double max_share) {
    if (before.width != after.width || before.height != after.height || !before.complete || !after.complete ||
        after.width <= 0 || after.height <= 0 || tile <= 0)
        return std::nullopt;
    const int columns = (after.width + tile - 1) / tile, rows = (after.height + tile - 1) / tile;
    std::vector<char> marked(static_cast<std::size_t>(columns * rows), 0);
    const auto mark = [&](const PixelRect& r) {
        if (r.empty()) return;
        for (int y = r.y0 / tile; y <= (r.y1 - 1) / tile; ++y)
            for (int x = r.x0 / tile; x <= (r.x1 - 1) / tile; ++x)
                marked[static_cast<std::size_t>(y * columns + x)] = 1;
    };
    // Windows (draw lists) paired by name, in order (a longest common subsequence of the
    // names: a tooltip that comes or goes leaves the others paired); a list without a
    // partner is damage all over.
    const std::size_t n = before.lists.size(), m = after.lists.size();
    std::vector<std::size_t> longest((n + 1) * (m + 1), 0);  // of before[i..] and after[j..]
    const auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return longest[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;)
        for (std::size_t j = m; j-- > 0;)
            at(i, j) = before.lists[i].name == after.lists[j].name ? at(i + 1, j + 1) + 1
                                                                     : std::max(at(i + 1, j), at(i, j + 1));
    // Lists left between two pairs (a child window whose name holds the hovered cell) are
    // paired in order: pieces are matched in the same order either way.
    const std::vector<FramePieces::Piece> none;
    std::vector<std::size_t> old_left, new_left;
    const auto pair_left = [&] {
        for (std::size_t k = 0; k < std::max(old_left.size(), new_left.size()); ++k)
            unmatched(k < old_left.size() ? before.lists[old_left[k]].pieces : none,
                      k < new_left.size() ? after.lists[new_left[k]].pieces : none, mark);
        old_left.clear();
        new_left.clear();
    };
    for (std::size_t i = 0, j = 0; i < n || j < m;) {
        if (i < n && j < m && before.lists[i].name == after.lists[j].name) {
            pair_left();
            unmatched(before.lists[i++].pieces, after.lists[j++].pieces, mark);
        } else if (j == m || (i < n && at(i + 1, j) >= at(i, j + 1))) {
            old_left.push_back(i++);
        } else {
            new_left.push_back(j++);
        }
    }
    pair_left();
    std::vector<PixelRect> rects = tile_rects(std::move(marked), columns, rows, static_cast<std::size_t>(max_rects));
    long long area = 0;
    const PixelRect screen{0, 0, after.width, after.height};
    for (PixelRect& r : rects) {
        r = intersect(screen, {r.x0 * tile, r.y0 * tile, r.x1 * tile, r.y1 * tile});
        area += r.area();
    }
    if (static_cast<double>(area) > max_share * static_cast<double>(screen.area())) return std::nullopt;
    return rects;
}

}  // namespace convlens
