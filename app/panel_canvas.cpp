// [SECTION] The canvas: every grid of the layer, drawn from the display list, plus the
// mouse and keyboard that select, type into and scrub cells.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include "canvas/layer_layout.h"
#include "panels.h"
#include "util/cli_numbers.h"

namespace convlens {
namespace {

constexpr float kScrubPixelsPerStep = 8;  // at UI scale 1

std::string format_value(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

// Accepts what people type: "-1.5", "1e-3", "−2" (the minus sign), "0,5"; says why not.
bool parse_value(const std::string& text, double* out, std::string* why) {
    NumberTrouble trouble = NumberTrouble::None;
    const std::optional<double> v = parse_real_number(text, &trouble);
    if (!v) {
        *why = number_trouble_message(text, trouble);
        return false;
    }
    *out = *v;
    return true;
}

bool set_value(AppState& s, GridId grid, Cell cell, double value, const std::string& group) {
    Scene candidate = s.scene;
    double* slot = editable_value(candidate, grid, cell);
    if (!slot) return false;
    *slot = value;
    return apply_edit(s, std::move(candidate), group);
}

// The editor appears in the next frame: the characters that opened it were queued for
// this one, and an InputText activated now would insert them a second time.
void open_editor(AppState& s, const Focus& f, std::string text, bool select_all) {
    s.editor.active = true;
    s.editor.just_opened = true;
    s.editor.select_all = select_all;
    s.editor.opened_frame = ImGui::GetFrameCount();
    s.editor.grid = f.grid;
    s.editor.cell = f.cell;
    s.editor.text = std::move(text);
    s.wants_frames = true;
}

std::optional<Focus> hit_focus(const AppState& s, ImVec2 mouse) {
    if (!s.results) return std::nullopt;
    auto hit = s.display.hit(s.canvas.to_layout(mouse));
    if (!hit) return std::nullopt;
    return Focus{hit->first, hit->second};
}

// A click on the overview beside a lesson's crop of a big grid makes the real cell under it
// the lesson's cell (the crop then moves there).
bool overview_clicked(AppState& s, ImVec2 mouse) {
    const Point p = s.canvas.to_layout(mouse);
    for (const GridOverview& o : s.display.overviews)
        if (const std::optional<Cell> cell = o.hit(p)) return lesson_cell_clicked(s, Focus{o.id, *cell});
    return false;
}

// Zooms by factor keeping the layer point under `at` where it is.
void zoom_at(AppState& s, ImVec2 at, float factor) {
    const float zoom = std::clamp(s.canvas_zoom * factor, 0.25f, 12.0f);
    const Point p = s.canvas.to_layout(at);
    const float scale = s.canvas.scale * zoom / s.canvas_zoom;
    // origin' = at - p * scale', and the pan is what the fitted origin lacks of it.
    s.canvas_pan.x += (at.x - p.x * scale) - s.canvas.origin_x;
    s.canvas_pan.y += (at.y - p.y * scale) - s.canvas.origin_y;
    s.canvas_zoom = zoom;
    s.wants_frames = true;
}

void handle_mouse(AppState& s, const ScreenRect& rect) {
    ImGuiIO& io = ImGui::GetIO();
    // Panels and popups over the canvas keep their clicks: WantCaptureMouse says so.
    const bool free = !io.WantCaptureMouse && rect.contains(io.MousePos);

    if (s.scrub.active) {
        if (!io.MouseDown[s.scrub.button]) {
            s.scrub.active = false;
            end_edit_group(s);
            return;
        }
        ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
        const double step = io.KeyShift ? 0.1 : io.KeyCtrl ? 10 : 1;
        const float px = kScrubPixelsPerStep * ui_scale(s);
        const double steps = std::round((io.MousePos.x - s.scrub.start_x) / px);
        // Rounding to 1e-9 keeps 0.1-steps from printing as 0.30000000000000004.
        const double value = std::round((s.scrub.start_value + steps * step) * 1e9) / 1e9;
        set_value(s, s.scrub.grid, s.scrub.cell, value, "scrub#" + std::to_string(s.scrub.serial));
        return;
    }

    if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0) s.hover_paused = false;
    set_hover(s, free && !s.hover_paused ? hit_focus(s, io.MousePos) : std::nullopt);
    if (io.MouseDown[ImGuiMouseButton_Middle] && (free || ImGui::IsMouseDragging(ImGuiMouseButton_Middle))) {
        s.canvas_pan.x += io.MouseDelta.x;
        s.canvas_pan.y += io.MouseDelta.y;
    }
    if (!free) return;
    if (io.MouseWheel != 0) zoom_at(s, io.MousePos, std::pow(1.15f, io.MouseWheel));

    const bool left = ImGui::IsMouseClicked(ImGuiMouseButton_Left);
    const bool right = ImGui::IsMouseClicked(ImGuiMouseButton_Right);
    if (!left && !right) return;
    const std::optional<Focus> hit = hit_focus(s, io.MousePos);
    if (!hit) {
        if (left && overview_clicked(s, io.MousePos)) return;
        if (left) set_selection(s, std::nullopt);
        if (left && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) reset_canvas_view(s);
        return;
    }
    set_selection(s, hit);
    if (left) lesson_cell_clicked(s, *hit);  // a cell of the lesson's grid: its cell now
    double* value = editable_value(s.scene, hit->grid, hit->cell);
    if (value && (right || io.KeyAlt)) {
        s.scrub = {true, hit->grid, hit->cell, right ? 1 : 0, *value, io.MousePos.x,
                   s.scrub.serial + 1};
        end_edit_group(s);
    } else if (value && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
        open_editor(s, *hit, format_value(*value), true);
    }
}

void move_selection(AppState& s, int drow, int dcol) {
    const GridGeometry* g = s.display.grid(s.selection->grid);
    if (!g) return;
    Focus next = *s.selection;
    // Within the cells shown: a lesson on a big grid shows a crop (first, rows, cols).
    next.cell.row = std::clamp(next.cell.row + drow, g->first.row, g->first.row + g->rows - 1);
    next.cell.col = std::clamp(next.cell.col + dcol, g->first.col, g->first.col + g->cols - 1);
    set_selection(s, next);
    s.hover_paused = true;
    set_hover(s, std::nullopt);
}

void handle_keys(AppState& s) {
    ImGuiIO& io = ImGui::GetIO();
    if (io.WantCaptureKeyboard || s.editor.active) return;
    // A lesson takes Space, Left/Right and Home/End; Up/Down still move the selection.
    handle_lesson_keys(s);
    if (!s.selection) return;
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow))) move_selection(s, -1, 0);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow))) move_selection(s, 1, 0);
    if (!s.lesson.name && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) move_selection(s, 0, -1);
    if (!s.lesson.name && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) move_selection(s, 0, 1);
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
        set_selection(s, std::nullopt);
        return;
    }
    if (io.KeyCtrl || io.KeySuper) return;  // shortcuts, not values

    const Focus f = *s.selection;
    double* value = editable_value(s.scene, f.grid, f.cell);
    const bool typed_any = !io.InputQueueCharacters.empty();
    if (!value) {
        if (typed_any || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)))
            s.notice = "this grid is computed: type into zˡ, w or a given δˡ⁺¹";
        return;
    }
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter))) {
        open_editor(s, f, format_value(*value), true);
        return;
    }
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Delete)) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace))) {
        set_value(s, f.grid, f.cell, 0, {});
        return;
    }
    std::string typed;
    for (ImWchar c : io.InputQueueCharacters)
        if ((c >= '0' && c <= '9') || c == '-' || c == '.' || c == '+') typed += static_cast<char>(c);
    if (!typed.empty()) open_editor(s, f, typed, false);
}

int editor_callback(ImGuiInputTextCallbackData* data) {
    auto* editor = static_cast<CellEditor*>(data->UserData);
    // Opened by typing: go on after the typed characters; opened on a value: select it.
    if (editor->just_opened) {
        data->CursorPos = data->SelectionEnd = data->BufTextLen;
        data->SelectionStart = editor->select_all ? 0 : data->BufTextLen;
        editor->just_opened = false;
    }
    return 0;
}

void draw_editor(AppState& s) {
    const GridGeometry* g = s.display.grid(s.editor.grid);
    if (!g) {
        s.editor.active = false;
        return;
    }
    const Rect cell = g->cell_rect(s.editor.cell);
    const ImVec2 a = s.canvas.to_screen({cell.x, cell.y});
    const ImVec2 b = s.canvas.to_screen({cell.x + cell.w, cell.y + cell.h});
    const float width = std::max(b.x - a.x, 90 * ui_scale(s));
    const float height = ImGui::GetFrameHeight();
    ImGui::SetNextWindowPos(ImVec2((a.x + b.x - width) / 2, (a.y + b.y - height) / 2));
    ImGui::SetNextWindowSize(ImVec2(width, height));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
    // Over the canvas: a background of its own, unlike the panels (style.cpp), for the
    // dark theme's translucent text field.
    ImGui::PushStyleColor(ImGuiCol_WindowBg, to_imgui(s.theme.background));
    ImGui::Begin("##cell_editor", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoMove);
    ImGui::PopStyleColor();
    const bool opening = s.editor.just_opened;
    if (opening) ImGui::SetKeyboardFocusHere();
    // ImGui makes the field active two frames after it is asked to, and ignores the
    // characters of those frames: a fast typist's next keys (and Enter) would be lost.
    // Until the field is active they go into the text it will start from (replacing a
    // value that opened selected, as typing over a selection does).
    const bool live = ImGui::GetActiveID() == ImGui::GetID("##value");
    bool early_enter = false;
    if (!live) {
        ImGuiIO& io = ImGui::GetIO();
        std::string typed;
        for (ImWchar c : io.InputQueueCharacters)
            if (c >= 32 && c < 127) typed += static_cast<char>(c);
        io.InputQueueCharacters.resize(0);
        if (!typed.empty() && s.editor.select_all) {
            s.editor.text.clear();
            s.editor.select_all = false;
        }
        s.editor.text += typed;
        early_enter = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) ||
                      ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter));
    }
    ImGui::SetNextItemWidth(-1);
    const bool enter = ImGui::InputText("##value", &s.editor.text,
                                        ImGuiInputTextFlags_EnterReturnsTrue |
                                            ImGuiInputTextFlags_CallbackAlways,
                                        editor_callback, &s.editor);
    const bool escape = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
    const bool left = !opening && !ImGui::IsItemActive();
    ImGui::End();
    ImGui::PopStyleVar(2);
    if (!enter && !left && !early_enter) return;

    s.editor.active = false;
    s.wants_frames = true;
    if (escape) return;
    // Enter commits; clicking elsewhere commits too, as in a spreadsheet.
    if (!s.editor.text.empty()) commit_cell_text(s, s.editor.grid, s.editor.cell, s.editor.text);
}

CanvasTransform fit(const Rect& bounds, const ScreenRect& r, float scale) {
    CanvasTransform t;
    const float margin = 10 * scale;
    if (bounds.w <= 0 || bounds.h <= 0) return t;
    // Fit the whole layer; small scenes may grow, but not into cartoon-sized cells.
    t.scale = std::min({(r.w - 2 * margin) / bounds.w, (r.h - 2 * margin) / bounds.h,
                        1.8f * scale});
    t.scale = std::max(t.scale, 0.05f);
    t.origin_x = std::floor(r.x + (r.w - bounds.w * t.scale) / 2 - bounds.x * t.scale);
    t.origin_y = std::floor(r.y + (r.h - bounds.h * t.scale) / 2 - bounds.y * t.scale);
    return t;
}

// Never so far out that the numbers fall below a legible size (a small window, a large
// interface size): the layer then overflows the canvas from its top left (or stays
// centred along an axis where it still fits), and middle-drag and the wheel reach the rest.
void keep_legible(AppState& s, const ScreenRect& r) {
    const float least = legible_zoom(s.display, kMinLegibleDigitPx * ui_scale(s));
    if (least <= s.canvas.scale) return;
    const Rect& b = s.fit_bounds;
    const float margin = 10 * ui_scale(s);
    s.canvas.scale = least;
    const auto origin = [&](float start, float room, float lo, float extent) {
        const float centred = start + (room - extent * least) / 2 - lo * least;
        const float from_start = start + margin - lo * least;
        return std::floor(extent * least <= room - 2 * margin ? centred : from_start);
    };
    s.canvas.origin_x = origin(r.x, r.w, b.x, b.w);
    s.canvas.origin_y = origin(r.y, r.h, b.y, b.h);
    // What the user looks at stays in view: the lesson's cell, else the focus.
    std::optional<Focus> focus = current_focus(s);
    if (s.lesson.name) {
        const std::optional<Cell> cell = s.lesson.cell ? s.lesson.cell : s.lesson.lesson.cell;
        focus = cell ? std::optional<Focus>(Focus{lesson_cell_grid(*s.lesson.name), *cell}) : std::nullopt;
    }
    const GridGeometry* g = focus ? s.display.grid(focus->grid) : nullptr;
    if (!g) return;
    const Rect c = g->cell_rect(focus->cell);
    const auto shift = [&](float o, float start, float room, float lo, float extent) {
        const float end = o + (lo + extent) * least;
        if (end > start + room - margin) o -= end - (start + room - margin);
        const float begin = o + lo * least;
        if (begin < start + margin) o += start + margin - begin;
        return std::floor(o);
    };
    s.canvas.origin_x = shift(s.canvas.origin_x, r.x, r.w, c.x, c.w);
    s.canvas.origin_y = shift(s.canvas.origin_y, r.y, r.h, c.y, c.h);
}

void draw_focus_outline(AppState& s, ImDrawList* draw, const Focus& f, float width, ImU32 color) {
    const GridGeometry* g = s.display.grid(f.grid);
    if (!g || !g->shows(f.cell)) return;  // outside a lesson's crop of a big grid
    const Rect c = g->cell_rect(f.cell);
    const ImVec2 a = s.canvas.to_screen({c.x, c.y});
    const ImVec2 b = s.canvas.to_screen({c.x + c.w, c.y + c.h});
    draw->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(b.x + 1, b.y + 1), color, 0, 0, width);
}

}  // namespace

bool commit_cell_text(AppState& s, GridId grid, Cell cell, const std::string& text) {
    double value = 0;
    std::string why;
    if (!parse_value(text, &value, &why)) {
        s.error = why;
        s.wants_frames = true;
        return false;
    }
    return set_value(s, grid, cell, value, {});
}

void reset_canvas_view(AppState& s) {
    s.canvas_zoom = 1;
    s.canvas_pan = ImVec2(0, 0);
    s.wants_frames = true;
}

void draw_canvas_panel(AppState& s, const ScreenRect& r) {
    s.canvas_rect = r;
    // Screenshots show the scene and --select, never wherever a pointer happens to be.
    if (!s.screenshot_mode) {
        handle_mouse(s, r);
        handle_keys(s);
    }
    // The editor commits before the refresh, so its value is drawn in this very frame. It
    // is a window of its own, above the canvas whatever the order.
    if (s.editor.active && s.editor.opened_frame != ImGui::GetFrameCount()) draw_editor(s);
    refresh(s);
    if (s.bounds_generation != s.display_generation) {
        Rect ink = ink_bounds(s.display, s.fonts);
        const float top = std::min(ink.y, 0.0f);
        const float bottom = std::max(ink.y + ink.h, s.display.height);
        ink = {ink.x, top, ink.w, bottom - top};
        if (s.fit_reset) {
            s.fit_bounds = ink;
            s.fit_reset = false;
        } else {
            const float x0 = std::min(s.fit_bounds.x, ink.x);
            const float y0 = std::min(s.fit_bounds.y, ink.y);
            const float x1 = std::max(s.fit_bounds.x + s.fit_bounds.w, ink.x + ink.w);
            const float y1 = std::max(s.fit_bounds.y + s.fit_bounds.h, ink.y + ink.h);
            s.fit_bounds = {x0, y0, x1 - x0, y1 - y0};
        }
        s.bounds_generation = s.display_generation;
    }
    // The layout is in interface pixels already (its text_scale): the cap on growing is
    // the monitor's alone.
    s.canvas = fit(s.fit_bounds, r, s.content_scale);
    keep_legible(s, r);
    if (s.canvas_zoom != 1 || s.canvas_pan.x != 0 || s.canvas_pan.y != 0) {
        // Zoom about the fitted origin, then pan: zoom_at solves for the pan that keeps
        // the point under the mouse still.
        s.canvas.scale *= s.canvas_zoom;
        s.canvas.origin_x += s.canvas_pan.x;
        s.canvas.origin_y += s.canvas_pan.y;
    }

    // The canvas lives behind every panel, so clicks reach it only where no panel is.
    ImDrawList* draw = ImGui::GetBackgroundDrawList();
    draw->PushClipRect(ImVec2(r.x, r.y), ImVec2(r.x + r.w, r.y + r.h), false);
    // No background rectangle: the frame starts cleared to the theme's background.
    draw_display_list(draw, s.display, s.canvas, s.fonts, s.heatmaps);
    const float scale = ui_scale(s);
    if (s.lesson.name) {
        // The lesson marks its own focus; the selection only shows where typing goes.
        if (s.selection && editable_value(s.scene, s.selection->grid, s.selection->cell))
            draw_focus_outline(s, draw, *s.selection, 2 * scale, to_imgui(s.theme.muted_text));
    } else if (s.selection && s.selection->grid != GridId::Input) {
        draw_focus_outline(s, draw, *s.selection, 3 * scale, to_imgui(s.theme.highlight));
    }
    if (s.hover && editable_value(s.scene, s.hover->grid, s.hover->cell) && !(s.hover == s.selection))
        draw_focus_outline(s, draw, *s.hover, 1.5f * scale, to_imgui(s.theme.muted_text));
    draw->PopClipRect();
}

}  // namespace convlens
