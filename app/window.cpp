// [SECTION] run_window: GLFW + OpenGL 3.3 + Dear ImGui, the frame loop that sleeps when
// nothing moves, the session kept in the config folder, and --screenshot.
#include <glad/gl.h>
#include <GLFW/glfw3.h>

#include "window.h"

#include <malloc.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "app_state.h"
#include "document.h"
#include "frame_signature.h"
#include "menu_image.h"
#include "layout_probe.h"
#include "panels.h"
#include "partial_frame.h"
#include "screenshot.h"
#include "termination_watch.h"
#include "test_hook.h"
#include "util/input_queue.h"

namespace convlens {
namespace {

constexpr int kDefaultWidth = 1400;   // screen coordinates at content scale 1
constexpr int kDefaultHeight = 900;
constexpr int kScreenshotFrames = 4;  // fonts upload, layout settles, hover-free final frame
// ImGui sees an input's consequences (hover, an opened menu) a frame or two later.
constexpr int kFramesAfterInput = 3;
// Blocks from this size up are mapped on their own and unmapped when freed (run_window).
constexpr int kMmapThreshold = 1 << 20;

int fail(const std::string& message) {
    std::fprintf(stderr, "convlens: %s\n", message.c_str());
    return 1;
}

std::string glfw_error() {
    const char* description = nullptr;
    glfwGetError(&description);
    return description ? description : "unknown GLFW error";
}

// What the GLFW callbacks reach through the window's user pointer.
struct WindowContext {
    AppState& state;
    InputQueue keyboard;  // keys and characters ImGui has not been given yet
    // The window's pixels may be gone or stale (exposed, resized, restored): the next
    // frame is drawn and swapped even when it equals the last one drawn.
    bool must_draw = true;
};

WindowContext& context_of(GLFWwindow* w) { return *static_cast<WindowContext*>(glfwGetWindowUserPointer(w)); }
AppState& state_of(GLFWwindow* w) { return context_of(w).state; }
void seen(GLFWwindow* w) { state_of(w).events_seen = true; }
void damaged(GLFWwindow* w) {
    context_of(w).must_draw = true;
    seen(w);
}

// [SECTION] Short key taps. ImGui 1.86's GLFW backend writes io.KeysDown from its callback
// and ImGui reads it once a frame, so a key pressed and released between two frames (a
// quick tap, xdotool's "key") was never seen pressed. These callbacks, installed over the
// backend's, queue every transition and character instead; feed_keyboard gives ImGui what
// one frame may see (util/input_queue.h), and the main loop keeps drawing frames until
// the queue is empty, so the release lands in a frame of its own.

void update_modifiers(ImGuiIO& io) {
    io.KeyCtrl = io.KeysDown[GLFW_KEY_LEFT_CONTROL] || io.KeysDown[GLFW_KEY_RIGHT_CONTROL];
    io.KeyShift = io.KeysDown[GLFW_KEY_LEFT_SHIFT] || io.KeysDown[GLFW_KEY_RIGHT_SHIFT];
    io.KeyAlt = io.KeysDown[GLFW_KEY_LEFT_ALT] || io.KeysDown[GLFW_KEY_RIGHT_ALT];
    io.KeySuper = io.KeysDown[GLFW_KEY_LEFT_SUPER] || io.KeysDown[GLFW_KEY_RIGHT_SUPER];
}

void queue_key(GLFWwindow* w, int key, int scancode, int action, int mods) {
    ImGuiIO& io = ImGui::GetIO();
    const bool queued = key >= 0 && key < IM_ARRAYSIZE(io.KeysDown) && action != GLFW_REPEAT;
    const bool before = queued && io.KeysDown[key];
    // The backend's callback chains to ours of install_callbacks (events_seen).
    ImGui_ImplGlfw_KeyCallback(w, key, scancode, action, mods);
    if (!queued) return;
    io.KeysDown[key] = before;  // the queue says when ImGui sees it
    update_modifiers(io);
    context_of(w).keyboard.push_key(key, action == GLFW_PRESS);
}

// Characters too, in order with the keys: "4", Backspace, "6" must read "6". The backend's
// char callback (which would hand them to ImGui at once) is not called.
void queue_character(GLFWwindow* w, unsigned c) {
    context_of(w).keyboard.push_character(static_cast<char32_t>(c));
    seen(w);
}

void install_key_queue(GLFWwindow* w) {
    glfwSetKeyCallback(w, queue_key);
    glfwSetCharCallback(w, queue_character);
}

// Before ImGui::NewFrame: this frame's share of the queue.
void feed_keyboard(InputQueue& keyboard) {
    if (keyboard.empty()) return;
    ImGuiIO& io = ImGui::GetIO();
    for (const InputEvent& e : keyboard.next_frame()) {
        if (e.kind == InputEvent::Kind::Character) io.AddInputCharacter(static_cast<unsigned>(e.character));
        else io.KeysDown[e.key] = e.down;
    }
    update_modifiers(io);
}

// Installed before ImGui's backend, which chains to these for the callbacks it also uses.
void install_callbacks(GLFWwindow* w) {
    glfwSetCursorPosCallback(w, [](GLFWwindow* win, double, double) { seen(win); });
    glfwSetMouseButtonCallback(w, [](GLFWwindow* win, int, int, int) { seen(win); });
    glfwSetScrollCallback(w, [](GLFWwindow* win, double, double) { seen(win); });
    glfwSetKeyCallback(w, [](GLFWwindow* win, int, int, int, int) { seen(win); });
    glfwSetCharCallback(w, [](GLFWwindow* win, unsigned) { seen(win); });
    glfwSetWindowFocusCallback(w, [](GLFWwindow* win, int focused) {
        if (!focused) context_of(win).keyboard.clear();  // ImGui lets every key go
        seen(win);
    });
    glfwSetCursorEnterCallback(w, [](GLFWwindow* win, int) { seen(win); });
    glfwSetWindowSizeCallback(w, [](GLFWwindow* win, int, int) { damaged(win); });
    glfwSetFramebufferSizeCallback(w, [](GLFWwindow* win, int, int) { damaged(win); });
    glfwSetWindowRefreshCallback(w, [](GLFWwindow* win) { damaged(win); });
    glfwSetWindowIconifyCallback(w, [](GLFWwindow* win, int) { damaged(win); });
    glfwSetDropCallback(w, [](GLFWwindow* win, int count, const char** paths) {
        for (int i = 0; i < count; ++i) state_of(win).dropped_paths.emplace_back(paths[i]);
        seen(win);
    });
    glfwSetWindowContentScaleCallback(w, [](GLFWwindow* win, float x, float) {
        AppState& s = state_of(win);
        if (!s.screenshot_mode && x > 0 && x != s.content_scale) {
            s.content_scale = x;
            s.fonts_dirty = true;
        }
        seen(win);
    });
}

bool on_some_monitor(int x, int y) {
    int count = 0;
    GLFWmonitor** monitors = glfwGetMonitors(&count);
    for (int i = 0; i < count; ++i) {
        int mx, my, mw, mh;
        glfwGetMonitorWorkarea(monitors[i], &mx, &my, &mw, &mh);
        // The title bar must be reachable: its left part lies on the monitor.
        if (x + 40 >= mx && x + 40 < mx + mw && y + 10 >= my && y + 10 < my + mh) return true;
    }
    return false;
}

// The default size grows with the monitor's scale but stays on its work area.
void default_size(int* width, int* height) {
    float sx = 1, sy = 1;
    GLFWmonitor* monitor = glfwGetPrimaryMonitor();
    if (monitor) glfwGetMonitorContentScale(monitor, &sx, &sy);
    *width = static_cast<int>(kDefaultWidth * std::max(1.0f, sx));
    *height = static_cast<int>(kDefaultHeight * std::max(1.0f, sy));
    if (monitor) {
        int mx, my, mw, mh;
        glfwGetMonitorWorkarea(monitor, &mx, &my, &mw, &mh);
        if (mw > 0 && mh > 0) {
            *width = std::min(*width, mw - 40);
            *height = std::min(*height, mh - 80);
        }
    }
}

// What the heatmaps' callbacks draw from, beyond their commands: each quad's textures,
// place and scale, and every upload (new values under the same texture name).
void add_heatmaps(FrameSignature& signature, const HeatmapTextures& heatmaps) {
    signature.add(heatmaps.counters().uploads);
    signature.add(heatmaps.broken());
    for (const HeatmapTextures::Quad& q : heatmaps.queued()) {
        for (unsigned name : {q.values, q.lut}) signature.add(name);
        for (float v : {q.min.x, q.min.y, q.max.x, q.max.y, q.inv_scale, q.missing.r, q.missing.g,
                        q.missing.b, q.missing.a})
            signature.add(v);
    }
}

void rebuild_fonts(AppState& s, bool texture_exists) {
    s.fonts = build_fonts(ui_scale(s));
    // Before the first frame the backend creates the texture itself.
    if (texture_exists) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    apply_theme(s);
    s.fonts_dirty = false;
}

void open_dropped(AppState& s) {
    if (s.dropped_paths.empty()) return;
    const std::string path = s.dropped_paths.front();
    const std::size_t count = s.dropped_paths.size();
    s.dropped_paths.clear();
    const bool opened = looks_like_image_path(path) ? open_dropped_image(s, path) : open_scene_file(s, path);
    if (opened && count > 1)
        s.notice += " (the first of " + std::to_string(count) + " dropped files)";
}

void draw_frame(AppState& s) {
    land_loaded_image(s);
    open_dropped(s);
    handle_shortcuts(s);
    if (!s.canvas_only) draw_menu_bar(s);  // presenting: the canvas alone
    const ImGuiIO& io = ImGui::GetIO();
    const float menu_h = ImGui::GetFrameHeight();
    const PanelLayout layout =
        compute_panel_layout(io.DisplaySize.x, io.DisplaySize.y, menu_h, ui_scale(s),
                             bottom_share(s), s.canvas_only, controls_min_width(s));
    if (!s.canvas_only) probe_panel_rect("menu", ImVec2(0, 0), ImVec2(io.DisplaySize.x, menu_h));
    const ScreenRect& c = layout.canvas;
    probe_panel_rect("canvas", ImVec2(c.x, c.y), ImVec2(c.x + c.w, c.y + c.h));
    // Controls first: their edits reach the canvas in this very frame.
    if (!s.canvas_only) draw_controls_panel(s, layout.controls);
    draw_canvas_panel(s, layout.canvas);
    if (!s.canvas_only) {
        if (s.lesson.name) draw_lesson_panel(s, layout.influence);
        else draw_influence_panel(s, layout.influence);
        draw_splitter(s, layout, layout.status.y - menu_h);
    }
    // In canvas-only the status line shows only while it has a message, over the canvas.
    if (!s.canvas_only || !s.error.empty() || !s.notice.empty()) draw_status_bar(s, layout.status);
    else s.redraw_due = -1;  // no message to fade
    draw_file_dialog(s);
    draw_export_dialog(s);
    draw_open_image_dialog(s);
}

void remember_geometry(AppState& s, GLFWwindow* window) {
    WindowGeometry& g = s.settings.window;
    g.maximized = glfwGetWindowAttrib(window, GLFW_MAXIMIZED) != 0;
    if (g.maximized || glfwGetWindowAttrib(window, GLFW_ICONIFIED)) return;
    glfwGetWindowPos(window, &g.x, &g.y);
    glfwGetWindowSize(window, &g.width, &g.height);
    g.has_position = true;
}

// Screenshots render into their own framebuffer: exactly the requested size whatever a
// window manager does, and no window flashes on a desktop.
struct Offscreen {
    GLuint fbo = 0, color = 0;
    bool create(int width, int height) {
        glGenFramebuffers(1, &fbo);
        glBindFramebuffer(GL_FRAMEBUFFER, fbo);
        glGenRenderbuffers(1, &color);
        glBindRenderbuffer(GL_RENDERBUFFER, color);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, color);
        return glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    }
    void destroy() {
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        if (color) glDeleteRenderbuffers(1, &color);
        if (fbo) glDeleteFramebuffers(1, &fbo);
    }
};

int main_loop(WindowContext& context, GLFWwindow* window, const WindowOptions& options,
              const TerminationWatch& termination) {
    AppState& s = context.state;
    Offscreen offscreen;
    if (s.screenshot_mode && !offscreen.create(kDefaultWidth, kDefaultHeight))
        return fail("cannot create an offscreen framebuffer for the screenshot");
    int status = 0;
    int frames_left = kFramesAfterInput;
    int frames_drawn = 0;
    std::string title;
    bool texture_exists = false;
    // A frame was drawn since the loop last slept. After a sleep ImGui still holds what
    // it derived in the frame before it (a text field that was closing still wants the
    // keyboard), so the first frame only brings that up to date and queued keys wait for
    // the next: a Ctrl+Q tapped after typing into a cell would be taken for text.
    bool awake = false;
    FrameSignature signature, shown;  // this frame's, the one on screen
    // On llvmpipe a frame is drawn and shown only where it differs from the screen
    // (partial_frame.h): the pieces of the frame on screen, and what else all its pixels
    // depend on (the background, textures uploaded); empty pieces: draw the next one whole.
    PartialFrames partial;
    if (!s.screenshot_mode) partial.init();
    FramePieces on_screen;
    FrameSignature whole, whole_on_screen;
    while (!glfwWindowShouldClose(window) && !s.quit_requested) {
        // Queued keys keep the loop busy: the frame that lets a tapped key go must be
        // drawn, or the window would sleep with the key still down for ImGui.
        // A live test script that waits (test_hook.h) sleeps as the user's window would.
        const bool scripted = !s.test_script.empty() && !test_hook_resting(s);
        const bool busy = s.screenshot_mode || frames_left > 0 || scripted || !context.keyboard.empty();
        // A playing lesson resting on a step sleeps until its next step is due.
        const double lesson_due = s.lesson.playing ? s.lesson.next_step_due : -1;
        double wake = lesson_due < 0 ? s.autosave_due
                      : s.autosave_due < 0 ? lesson_due
                                           : std::min(lesson_due, s.autosave_due);
        // A fading status message sleeps until its next shade (panel_status.cpp).
        const double message_due = s.redraw_due;
        if (message_due >= 0) wake = wake < 0 ? message_due : std::min(wake, message_due);
        if (const double hook_due = test_hook_wake(s); hook_due >= 0)
            wake = wake < 0 ? hook_due : std::min(wake, hook_due);
        if (busy) glfwPollEvents();
        else if (wake >= 0) glfwWaitEventsTimeout(std::max(0.0, wake - now_seconds()) + 0.001);
        else glfwWaitEvents();  // idle: no CPU until something happens
        if (!busy) awake = false;
        if (termination.requested()) break;  // quit as File > Quit does: settings are saved
        autosave_if_due(s);
        if (s.events_seen) {
            s.events_seen = false;
            frames_left = kFramesAfterInput;
        }
        if (lesson_due >= 0 && now_seconds() >= lesson_due) frames_left = std::max(frames_left, 1);
        if (message_due >= 0 && now_seconds() >= message_due) frames_left = std::max(frames_left, 1);
        if (s.recompute.finished()) frames_left = std::max(frames_left, 1);  // new numbers
        if (s.image_loader.finished()) frames_left = std::max(frames_left, 1);  // an image
        if (!context.keyboard.empty()) frames_left = std::max(frames_left, 2);
        const bool hook_ready = !s.test_script.empty() && !test_hook_resting(s);
        if (frames_left <= 0 && !s.screenshot_mode && !hook_ready) continue;
        --frames_left;
        s.frame_clock.frame_started(now_seconds());
        const std::uint64_t serial_before = s.results_serial;
        const std::uint64_t submitted_before = s.frame_clock.on() ? s.recompute.newest_submitted() : 0;

        if (s.fonts_dirty) {
            rebuild_fonts(s, texture_exists);
            context.must_draw = true;  // a new font texture, maybe under the same name
        }
        ImGui_ImplOpenGL3_NewFrame();
        texture_exists = true;
        ImGui_ImplGlfw_NewFrame();
        if (awake) feed_keyboard(context.keyboard);
        awake = true;
        ImGui::NewFrame();
        if (!s.test_script.empty()) status = std::max(status, run_next_test_command(s));
        begin_layout_probe();
        draw_frame(s);
        ImGui::Render();
        end_layout_probe(s);

        const std::string wanted = "convlens \xE2\x80\x94 " + document_title(s);
        if (wanted != title) {
            title = wanted;
            glfwSetWindowTitle(window, title.c_str());
        }
        int width = 0, height = 0;
        glfwGetFramebufferSize(window, &width, &height);
        // A frame that would draw exactly the pixels on screen is neither drawn nor
        // swapped: after every input the loop draws a few frames (kFramesAfterInput), and
        // a pointer moving inside one cell changes nothing. Pictures are always drawn.
        signature.clear();
        signature.add_draw_data(*ImGui::GetDrawData());
        add_heatmaps(signature, s.heatmaps);
        signature.add(s.texture_uploads);
        signature.add(width);
        signature.add(height);
        for (float v : {s.theme.background.r, s.theme.background.g, s.theme.background.b}) signature.add(v);
        whole.clear();  // what a frame drawn only in part must share with the one on screen
        whole.add(s.texture_uploads);
        whole.add(s.heatmaps.broken());
        for (float v : {s.theme.background.r, s.theme.background.g, s.theme.background.b}) whole.add(v);
        const bool same = signature == shown && !context.must_draw && !s.screenshot_mode && s.test_shot.empty();
        if (!same) {
            const bool was_must_draw = context.must_draw;
            context.must_draw = false;
            shown.swap(signature);
            if (s.screenshot_mode) {
                glBindFramebuffer(GL_FRAMEBUFFER, offscreen.fbo);
                width = kDefaultWidth;
                height = kDefaultHeight;
            }
            glViewport(0, 0, width, height);
            // The panels have no background of their own: this is it (panels.h).
            const Color bg = s.theme.background;
            glClearColor(bg.r, bg.g, bg.b, 1);
            ImDrawData& data = *ImGui::GetDrawData();
            // Only where this frame can differ from the one on screen, when that is known:
            // never for pictures (--screenshot, the hook's shot), after the window system
            // may have spoilt the window (must_draw), with new textures or another
            // background; frame_damage itself says when the size changed.
            std::optional<std::vector<PixelRect>> damage;
            if (partial.on()) {
                FramePieces pieces = frame_pieces(data, width, height, HeatmapTextures::describe);
                const bool plain = data.DisplayPos.x == 0 && data.DisplayPos.y == 0 &&
                                   data.FramebufferScale.x == 1 && data.FramebufferScale.y == 1;
                if (plain && !was_must_draw && s.test_shot.empty() && whole == whole_on_screen)
                    damage = frame_damage(on_screen, pieces);
                on_screen = plain ? std::move(pieces) : FramePieces{};
                whole_on_screen.swap(whole);
            }
            if (damage) {
                partial.draw(data, on_screen, *damage);
                long long pixels = 0;
                for (const PixelRect& r : *damage) pixels += r.area();
                s.frame_clock.frame_drawn(true, pixels);
            } else {
                glClear(GL_COLOR_BUFFER_BIT);
                ImGui_ImplOpenGL3_RenderDrawData(&data);
                s.frame_clock.frame_drawn(false, static_cast<long long>(width) * height);
            }

            if (s.screenshot_mode) {
                if (++frames_drawn < kScreenshotFrames) continue;
                try {
                    write_framebuffer_png(*options.screenshot, width, height);
                } catch (const std::exception& e) {
                    status = fail(e.what());
                }
                break;
            }
            if (!s.test_shot.empty()) {
                try {
                    write_framebuffer_png(s.test_shot, width, height);
                } catch (const std::exception& e) {
                    status = fail(e.what());
                }
                s.test_shot.clear();
            }
            // The back buffer must keep the whole picture for the next partial frame:
            // copied, not swapped (after a swap its contents are undefined).
            if (damage) partial.show(*damage, height);
            else if (partial.on()) partial.show({PixelRect{0, 0, width, height}}, height);
            else glfwSwapBuffers(window);
        }
        if (s.frame_clock.on()) {
            const ImVec2 moved = ImGui::GetIO().MouseDelta;
            const bool recomputed = s.results_serial != serial_before ||
                                    s.recompute.newest_submitted() != submitted_before;
            s.frame_clock.frame_shown(now_seconds(), s.results_generation, moved.x != 0 || moved.y != 0,
                                      recomputed, !same);
        }
        if (s.wants_frames) {
            s.wants_frames = false;
            frames_left = std::max(frames_left, 2);
        }
    }
    if (s.screenshot_mode) offscreen.destroy();
    return status;
}

// --lesson with its --cell and --step: checked against the scene before any window opens.
// A cell outside its grid or a step out of range is a usage error with one line.
int start_lesson(AppState& s, const WindowOptions& o) {
    const LessonName name = *o.lesson;
    std::optional<Cell> cell;
    const int base = s.scene.index_base;
    if (o.lesson_cell) cell = Cell{o.lesson_cell->row - base, o.lesson_cell->col - base};
    std::optional<CellRegion> region;  // its form was checked with the other options
    if (CellRegion r; !o.lesson_region.empty() && parse_region(o.lesson_region, base, &r)) region = r;
    Lesson lesson;
    try {
        lesson = build_lesson(name, s.scene, compute_layer(s.scene), cell, region);
    } catch (const InputError& e) {
        // The builder names the lesson and the cell ("lesson backward: cell 9,9 lies outside").
        std::fprintf(stderr, "convlens: %s\n", e.what());
        return kUsageError;
    }
    const int steps = static_cast<int>(lesson.steps.size());
    if (o.lesson_step && (*o.lesson_step < 1 || *o.lesson_step > steps)) {
        std::fprintf(stderr, "convlens: --step %d is out of range: the %s lesson has %d step%s here\n",
                     *o.lesson_step, lesson_name(name), steps, steps == 1 ? "" : "s");
        return kUsageError;
    }
    LessonPlayer& p = s.lesson;
    p.name = name;
    p.cell = cell;
    p.region = region;
    p.step = p.from_step = o.lesson_step ? *o.lesson_step - 1 : 0;
    p.to_cell_start = !o.lesson_step;
    p.playing = false;
    p.motion = 1;
    p.dirty = true;
    return 0;
}

}  // namespace

PanelLayout compute_panel_layout(float width, float height, float menu_height, float scale,
                                 float influence_share, bool canvas_only, float least_controls_width) {
    PanelLayout p;
    const float status_h = std::floor(menu_height + 4 * scale);
    const float top = menu_height;
    const float bottom = std::max(top + 1, height - status_h);
    p.status = {0, bottom, width, status_h};
    if (canvas_only) {  // no menu bar, no status bar (a message shows over the canvas)
        p.canvas = {0, 0, width, height};
        return p;
    }
    // The controls keep the width their rows need; beyond it they take up to 310 px (at
    // scale 1) or 30 % of the window, and never more than 60 % (a large interface size
    // in a small window scrolls them sideways instead).
    // Whole pixels: ImGui puts windows there, and the canvas must end where they begin.
    const float controls_w = std::floor(std::min(
        std::max(least_controls_width, std::min(310 * scale, width * 0.3f)), width * 0.6f));
    const float right_w = std::max(1.0f, width - controls_w);
    const float body_h = bottom - top;
    const float influence_h = std::floor(std::clamp(
        body_h * influence_share, std::min(body_h * 0.5f, 180 * scale), body_h * 0.8f));
    p.controls = {0, top, controls_w, body_h};
    p.canvas = {controls_w, top, right_w, body_h - influence_h};
    p.influence = {controls_w, top + body_h - influence_h, right_w, influence_h};
    return p;
}

int run_window(const WindowOptions& options) {
    // A 1024 x 1024 grid is 8 MB of doubles, and every edit frees and allocates several.
    // glibc raises its mmap threshold to the size of a freed mapped block (up to 32 MB), so
    // after the first edit such grids came from the heap and their pages stayed resident
    // once freed: a fixed threshold hands them back to the system (1024 x 1024 with an
    // 11 x 11 kernel: 377 MiB resident after four edits, 318 MiB with it).
    mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
    // First of all: AppState starts the recompute worker's thread, which must inherit the
    // blocked signals too, or SIGTERM lands there and kills the window unsaved.
    const TerminationWatch termination;
    AppState s;
    s.screenshot_mode = options.screenshot.has_value();
    if (!s.screenshot_mode) {
        s.config_dir = config_dir();
        load_settings_at_start(s);  // a damaged file is kept aside (document.h)
        if (const char* script = std::getenv(kTestScriptVariable)) s.test_script = script;
    }
    s.recompute_waits = s.screenshot_mode || !s.test_script.empty();
    // The scene comes first: a bad file ends here with one line, before any window opens.
    try {
        restore_session(s, options.scene_path);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    if (options.select) {
        const int base = s.scene.index_base;
        const Cell c{options.select->row - base, options.select->col - base};
        if (c.row < 0 || c.col < 0 || c.row >= s.scene.input.rows() || c.col >= s.scene.input.cols())
            return fail("--select " + std::to_string(options.select->row) + "," +
                        std::to_string(options.select->col) + " is outside the input z^l (" +
                        std::to_string(s.scene.input.rows()) + "x" + std::to_string(s.scene.input.cols()) +
                        ", indices from " + std::to_string(base) + ")");
        s.selection = Focus{GridId::Input, c};
    }
    if (!s.screenshot_mode) lesson_from_settings(s);  // the lesson of the last session
    if (options.lesson) {
        if (const int status = start_lesson(s, options)) return status;
    }

    if (!glfwInit()) return fail("cannot open a window: " + glfw_error());
    // Numbers computed off the UI thread wake the event loop to be drawn.
    s.recompute.set_finished([] { glfwPostEmptyEvent(); });
    s.image_loader.set_finished([] { glfwPostEmptyEvent(); });
    s.autosave_writer.set_finished([] { glfwPostEmptyEvent(); });
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);  // shown once placed, never for screenshots
    int width = kDefaultWidth, height = kDefaultHeight;
    if (!s.screenshot_mode) {
        if (s.settings.window.width > 0 && s.settings.window.height > 0) {
            width = s.settings.window.width;
            height = s.settings.window.height;
        } else {
            default_size(&width, &height);
        }
    }
    GLFWwindow* window = glfwCreateWindow(width, height, "convlens", nullptr, nullptr);
    if (!window) {
        const std::string why = glfw_error();
        glfwTerminate();
        return fail("cannot open a window: " + why);
    }
    WindowContext context{s, {}};
    glfwSetWindowUserPointer(window, &context);
    glfwMakeContextCurrent(window);
    const int gl = gladLoadGL(glfwGetProcAddress);
    if (!gl || GLAD_VERSION_MAJOR(gl) * 10 + GLAD_VERSION_MINOR(gl) < 33) {
        glfwDestroyWindow(window);
        glfwTerminate();
        return fail("OpenGL 3.3 is not available");
    }
    glfwSwapInterval(1);
    if (!s.screenshot_mode) {
        const WindowGeometry& g = s.settings.window;
        if (g.has_position && on_some_monitor(g.x, g.y)) glfwSetWindowPos(window, g.x, g.y);
        float sx = 1, sy = 1;
        glfwGetWindowContentScale(window, &sx, &sy);
        s.content_scale = sx > 0 ? sx : 1;  // screenshots stay at 1: the same picture anywhere
        glfwShowWindow(window);
        if (g.maximized) glfwMaximizeWindow(window);
    }

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // panels are placed by the program; nothing lands in the cwd
    io.LogFilename = nullptr;
    io.ConfigInputTextCursorBlink = false;  // a blinking caret would keep the loop awake
    install_callbacks(window);
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    install_key_queue(window);  // over the backend's key and char callbacks
    ImGui_ImplOpenGL3_Init("#version 330 core");

    int status = 0;
    try {
        status = main_loop(context, window, options, termination);
    } catch (const std::exception& e) {
        status = fail(e.what());
    }
    autosave_if_due(s, true);
    if (!s.screenshot_mode) {
        remember_geometry(s, window);
        s.settings.last_scene = s.scene_path;
        save_settings_now(s);
    }
    s.heatmaps.release();
    s.recompute.set_finished({});
    s.image_loader.set_finished({});
    s.autosave_writer.set_finished({});
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return status;
}

}  // namespace convlens
