// What a frame draws over the grids, each thing with its opacity and place (canvas-
// internal): draw_step fills it from one step, draw_motion from two, and one renderer
// turns it into the display list, so a still step and the motion look alike.
#pragma once

#include <functional>
#include <vector>

#include "canvas/canvas_grids.h"

namespace convlens {

template <class T>
struct Faded {
    T item;
    float alpha = 1;
};

// A token where it is at this moment: centred at `centre`, `side` across.
struct PlacedToken {
    const Token* token = nullptr;
    Point centre;
    float side = 0;
    float alpha = 1;
};

// The kernel window with its first frame at a fractional cell (it glides between cells).
struct PlacedWindow {
    KernelWindow window;
    float row = 0, col = 0;
    float alpha = 1;
};

struct Scenery {
    std::vector<Faded<Mark>> marks;
    std::vector<Faded<MarkBlock>> mark_blocks;  // drawn as their cells' marks would be
    std::vector<Faded<Link>> links;
    std::vector<Faded<Tag>> tags;
    std::vector<PlacedToken> tokens;
    std::vector<PlacedWindow> windows;
    // How visible a cell's number is, and a grid's inserted zeros; null: fully.
    std::function<float(GridId, Cell)> value_alpha;
    std::function<float(GridId)> inserted_alpha;
    // Caption, readouts and equation of these steps, each as opaque as its alpha.
    std::vector<Faded<const Step*>> texts;
};

// Whether `step` shows the number of `cell` of `grid`: not hidden, and, in a grid the
// lesson fills as it goes, computed by now (Done) or in this step (Result).
bool shows_value(const Step& step, GridId grid, Cell cell);
bool shows_inserted_zeros(const Step& step, GridId grid);

// The centre of a token's cell on the canvas, and its side; nullopt when its grid is not
// laid out.
std::optional<PlacedToken> place_token(const CanvasGrids::Impl& grids, const Token& token);

Scenery scenery_of(const Step& step, const CanvasGrids::Impl& grids);
// `spent_base`, when given, is grids.base taken over instead of copied (the grids are used
// for this one frame).
DisplayList render(const CanvasGrids::Impl& grids, const Scenery& scenery, const Theme& theme,
                   DisplayList* spent_base = nullptr);

}  // namespace convlens
