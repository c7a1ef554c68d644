// [SECTION] File > Export: a modal with the lesson, cell, step range, format, size, scale,
// theme, transparency and caption, a preview of the first frame, and the export itself on
// a worker thread (from a copy of the scene), polled each frame for its progress.
#include <glad/gl.h>

#include "export_panel.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <imgui.h>
#include <imgui_stdlib.h>
#include <nlohmann/json.hpp>

#include "export/export_frames.h"
#include "export/frame_fit.h"
#include "export/lesson_frames.h"
#include "gl_texture.h"
#include "panels.h"
#include "util/cli_numbers.h"

namespace convlens {

// What the worker reads and writes. The UI thread only reads `done`, `total` and
// `finished`; `error` and `written` are read after `finished` is seen true (acquire).
struct ExportJob {
    std::atomic<int> done{0}, total{0};
    std::atomic<bool> cancel{false}, finished{false};
    std::string error;
    std::size_t written = 0;
};

struct ExportPanel {
    // [SECTION] Choices (kept while the window lives)
    bool open_requested = false;
    bool initialised = false;
    int lesson = 0;                  // index into kAllLessons; kCurrentView: the canvas as it is
    std::string cell;                // "M,N" in the scene's base; "": the lesson's default
    int first_step = 1, last_step = 0;  // from 1; last 0: to the end
    int format = 0;                  // ExportFormat
    int size[2] = {1920, 1080};
    float scale = 1;
    bool dark = false, transparent = false, caption = true;
    float fps = 1;
    std::string out;
    std::string problem;             // why Export cannot start (shown in the dialog)

    // [SECTION] Preview of the first frame (GL texture; built on the UI thread)
    unsigned texture = 0;
    int preview_w = 0, preview_h = 0;
    std::string preview_key;         // the choices the texture shows
    int lesson_steps = 0;            // of the previewed lesson
    std::string preview_error;

    // [SECTION] The running export
    std::thread worker;
    std::shared_ptr<ExportJob> job;  // null when none has run since the dialog opened

    // [SECTION] Where the dialog's buttons were last drawn (screen pixels), for the test
    // hook to tell xdotool where to click; a zero size: not drawn in the last frame.
    ImVec2 export_min, export_max, cancel_min, cancel_max;
    bool dialog_open = false;

    ~ExportPanel() {
        if (job) job->cancel = true;
        if (worker.joinable()) worker.join();
        // The texture dies with the GL context, which is gone by now.
    }
};

namespace {

namespace fs = std::filesystem;

constexpr int kCurrentView = static_cast<int>(std::size(kAllLessons));
constexpr ExportFormat kFormats[] = {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf,
                                     ExportFormat::Gif, ExportFormat::Mp4, ExportFormat::Tikz};
constexpr int kPreviewWidth = 480;  // pixels of the preview, before the UI scale

ExportPanel& panel_of(AppState& s) {
    if (!s.export_panel) s.export_panel = std::make_shared<ExportPanel>();
    return *s.export_panel;
}

ExportFormat format_of(const ExportPanel& p) { return kFormats[p.format]; }

// The out path for a format: a folder for PNG and SVG, a file with its extension else.
std::string out_for(const std::string& current, ExportFormat format) {
    fs::path path = current;
    if (export_writes_folder(format)) return path.replace_extension().string();
    const char* ext = format == ExportFormat::Tikz ? ".tex" : "";
    return path.replace_extension(*ext ? std::string(ext) : std::string(".") + export_format_name(format))
        .string();
}

void initialise(AppState& s, ExportPanel& p) {
    if (p.initialised) return;
    p.initialised = true;
    p.lesson = kCurrentView;
    for (int i = 0; i < kCurrentView; ++i)
        if (s.lesson.name && kAllLessons[i] == *s.lesson.name) p.lesson = i;
    if (p.lesson == kCurrentView && !s.lesson.name) p.lesson = 0;  // forward by default
    const int base = s.scene.index_base;
    if (s.lesson.name && s.lesson.cell)
        p.cell = std::to_string(s.lesson.cell->row + base) + "," + std::to_string(s.lesson.cell->col + base);
    p.dark = s.settings.dark;
    std::error_code ec;
    const fs::path folder = s.scene_path.empty() ? fs::current_path(ec) : fs::path(s.scene_path).parent_path();
    p.out = (folder / "convlens-export").string();
}

// The request the choices make; nullopt (and why) when the cell does not parse.
std::optional<LessonFrameRequest> request_of(const AppState& s, const ExportPanel& p, std::string* problem) {
    LessonFrameRequest r;
    r.lesson = kAllLessons[std::min(p.lesson, kCurrentView - 1)];
    r.dark = p.dark;
    r.caption = p.caption;
    r.first_step = p.first_step - 1;
    if (p.last_step > 0) r.last_step = p.last_step - 1;
    if (!p.cell.empty()) {
        const auto mn = parse_number_pair(p.cell, ',');
        if (!mn) {
            *problem = "the cell expects M,N (two whole numbers), not \"" + p.cell + "\"";
            return std::nullopt;
        }
        r.cell = Cell{mn->first - s.scene.index_base, mn->second - s.scene.index_base};
    }
    // The region the user chose for the window's lesson, when it is this lesson's and holds
    // the cell; otherwise the lesson's default region around the cell.
    const std::optional<CellRegion>& region = s.lesson.region;
    const std::optional<GridId> grid = lesson_region_grid(r.lesson, r.cell.has_value());
    if (region && s.lesson.name == r.lesson && grid &&
        grid == lesson_region_grid(r.lesson, s.lesson.cell.has_value()) &&
        (!r.cell || lesson_cell_grid(r.lesson) != *grid || region->contains(*r.cell)))
        r.region = region;
    return r;
}

ExportOptions options_of(const ExportPanel& p) {
    ExportOptions o;
    o.format = format_of(p);
    o.out = p.out;
    o.width = p.size[0];
    o.height = p.size[1];
    o.scale = p.scale;
    o.transparent = p.transparent;
    o.fps = p.fps;
    return o;
}

// The first frame the choices export, rendered by core/export at preview size.
void refresh_preview(AppState& s, ExportPanel& p) {
    const std::string key = std::to_string(p.lesson) + "|" + p.cell + "|" + std::to_string(p.first_step) +
                            "|" + std::to_string(p.size[0]) + "x" + std::to_string(p.size[1]) + "|" +
                            std::to_string(p.dark) + std::to_string(p.transparent) +
                            std::to_string(p.caption) + "|" + std::to_string(s.display_generation);
    if (key == p.preview_key) return;
    p.preview_key = key;
    p.preview_error.clear();
    DisplayList frame;
    try {
        if (p.lesson == kCurrentView) {
            frame = s.display;
            p.lesson_steps = 1;
        } else {
            std::optional<LessonFrameRequest> r = request_of(s, p, &p.preview_error);
            if (!r) return;
            r->last_step = r->first_step;
            LessonFrames frames = lesson_frames(s.scene, *r);
            p.lesson_steps = frames.lesson_steps;
            frame = std::move(frames.frames.front());
        }
        if (p.size[0] <= 0 || p.size[1] <= 0) throw InputError("the size must be positive");
        const float preview_scale = static_cast<float>(kPreviewWidth) / static_cast<float>(p.size[0]);
        const FrameFit fit = fit_frame(frames_bounds({frame}), p.size[0], p.size[1], preview_scale);
        const RgbaImage image = render_rgba(frame, fit, p.transparent);
        if (!p.texture) p.texture = new_clamped_texture(GL_LINEAR);
        glBindTexture(GL_TEXTURE_2D, p.texture);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, image.width, image.height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     image.rgba.data());
        ++s.texture_uploads;
        p.preview_w = image.width;
        p.preview_h = image.height;
    } catch (const std::exception& e) {
        p.preview_error = e.what();
        p.preview_w = p.preview_h = 0;
    }
}

// Once a finished export is seen: its error on the window's error line, else a notice.
void collect_job(AppState& s, ExportPanel& p) {
    if (!p.job || !p.job->finished.load(std::memory_order_acquire) || !p.worker.joinable()) return;
    p.worker.join();
    if (!p.job->error.empty()) {
        s.error = p.job->error;
    } else {
        s.error.clear();
        s.notice = "Exported " + std::to_string(p.job->written) + " file" + (p.job->written == 1 ? "" : "s") +
                   " to " + p.out;
    }
    s.wants_frames = true;
}

// Starts the worker on copies of the scene (or of the current view) and the choices.
// False with p.problem when the choices do not make an export.
bool start_job(AppState& s, ExportPanel& p) {
    p.problem.clear();
    collect_job(s, p);
    if (p.worker.joinable()) {
        p.problem = "an export is still running";
        return false;
    }
    if (p.out.empty()) {
        p.problem = "choose where the export goes";
        return false;
    }
    if (!(p.scale > 0) || !(p.fps > 0) || p.fps > 120 || p.size[0] <= 0 || p.size[1] <= 0) {
        p.problem = "the size and scale must be positive and the frame rate in (0, 120]";
        return false;
    }
    std::optional<LessonFrameRequest> request;
    std::vector<DisplayList> view;
    if (p.lesson == kCurrentView) view.push_back(s.display);
    else if (!(request = request_of(s, p, &p.problem))) return false;
    ExportOptions options = options_of(p);
    options.title = p.lesson == kCurrentView ? "convlens" : lesson_title(request->lesson);
    auto job = std::make_shared<ExportJob>();
    p.job = job;
    p.worker = std::thread([job, scene = s.scene, request, view = std::move(view), options]() mutable {
        try {
            std::vector<DisplayList> frames =
                request ? lesson_frames(scene, *request).frames : std::move(view);
            job->total = static_cast<int>(frames.size());
            job->written = export_frames(frames, options, [&job](int done, int total) {
                job->done = done;
                job->total = total;
                return !job->cancel.load();
            }).size();
        } catch (const std::bad_alloc&) {
            job->error = "export: out of memory";
        } catch (const std::exception& e) {
            job->error = std::string("export: ") + e.what();
        }
        job->finished.store(true, std::memory_order_release);
    });
    return true;
}

void draw_choices(AppState& s, ExportPanel& p) {
    const float scale = ui_scale(s);
    const float field = 220 * scale;
    ImGui::SetNextItemWidth(field);
    const char* current = p.lesson == kCurrentView ? "the canvas as it is (one frame)"
                                                   : lesson_title(kAllLessons[p.lesson]);
    if (ImGui::BeginCombo("Lesson", current)) {
        for (int i = 0; i <= kCurrentView; ++i) {
            const char* label = i == kCurrentView ? "the canvas as it is (one frame)" : lesson_title(kAllLessons[i]);
            if (ImGui::Selectable(label, p.lesson == i)) p.lesson = i;
        }
        ImGui::EndCombo();
    }
    if (p.lesson != kCurrentView) {
        ImGui::SetNextItemWidth(field);
        ImGui::InputTextWithHint("Cell", "M,N (empty: the lesson's)", &p.cell);
        ImGui::SetNextItemWidth(field / 2);
        ImGui::InputInt("From step", &p.first_step);
        p.first_step = std::max(1, p.first_step);
        ImGui::SameLine();
        ImGui::SetNextItemWidth(field / 2);
        ImGui::InputInt("to (0: the end)", &p.last_step);
        p.last_step = std::max(0, p.last_step);
        if (p.lesson_steps > 0) ImGui::TextDisabled("the lesson has %d steps here", p.lesson_steps);
    }
    ImGui::SetNextItemWidth(field);
    if (ImGui::BeginCombo("Format", export_format_name(format_of(p)))) {
        for (int i = 0; i < static_cast<int>(std::size(kFormats)); ++i)
            if (ImGui::Selectable(export_format_name(kFormats[i]), p.format == i)) {
                p.format = i;
                p.out = out_for(p.out, kFormats[i]);
            }
        ImGui::EndCombo();
    }
    ImGui::SetNextItemWidth(field * 1.6f);  // a fixed width: -1 would grow the auto-sized modal
    ImGui::InputText("To", &p.out);
    ImGui::TextDisabled(export_writes_folder(format_of(p)) ? "a folder: one file per step"
                                                           : "one file for all the steps");
    ImGui::SetNextItemWidth(field);
    ImGui::InputInt2("Size (WxH)", p.size);
    ImGui::SetNextItemWidth(field);
    ImGui::InputFloat("Scale", &p.scale, 0.5f, 1.0f, "%.2f");
    ImGui::Checkbox("Dark theme", &p.dark);
    ImGui::SameLine();
    ImGui::Checkbox("Transparent", &p.transparent);
    ImGui::SameLine();
    ImGui::Checkbox("Caption", &p.caption);
    const ExportFormat f = format_of(p);
    if (f == ExportFormat::Gif || f == ExportFormat::Mp4) {
        ImGui::SetNextItemWidth(field);
        ImGui::InputFloat("Steps per second", &p.fps, 0.5f, 1.0f, "%.2f");
    }
}

}  // namespace

void request_export_dialog(AppState& s) {
    ExportPanel& p = panel_of(s);
    initialise(s, p);
    p.open_requested = true;
    p.preview_key.clear();  // the scene may have changed since
}

void open_export_dialog(AppState& s, ExportFormat format, const std::string& out, int width, int height) {
    ExportPanel& p = panel_of(s);
    request_export_dialog(s);
    for (int i = 0; i < static_cast<int>(std::size(kFormats)); ++i)
        if (kFormats[i] == format) p.format = i;
    p.out = out;
    p.size[0] = width;
    p.size[1] = height;
    s.wants_frames = true;
}

std::string export_dialog_json(const AppState& s) {
    nlohmann::json j;
    const ExportPanel* p = s.export_panel.get();
    const auto centre = [](ImVec2 a, ImVec2 b) {
        nlohmann::json c;
        if (b.x > a.x && b.y > a.y) {
            c["x"] = static_cast<int>(std::lround((a.x + b.x) / 2));
            c["y"] = static_cast<int>(std::lround((a.y + b.y) / 2));
        }
        return c;
    };
    j["open"] = p && p->dialog_open;
    j["running"] = export_running(s);
    j["done"] = p && p->job ? p->job->done.load() : 0;
    j["total"] = p && p->job ? p->job->total.load() : 0;
    j["export_button"] = p ? centre(p->export_min, p->export_max) : nlohmann::json::object();
    j["cancel_button"] = p ? centre(p->cancel_min, p->cancel_max) : nlohmann::json::object();
    j["error"] = s.error;
    return j.dump() + "\n";
}

// Until its result is collected (joined) on the UI thread.
bool export_running(const AppState& s) { return s.export_panel && s.export_panel->worker.joinable(); }

std::string cell_places_json(const AppState& s) {
    const auto places = [](const DisplayList& list, auto to_device) {
        nlohmann::json grids = nlohmann::json::array();
        for (const GridGeometry& g : list.grids) {
            const Point a = to_device(Point{g.cells.x, g.cells.y});
            const Point b = to_device(Point{g.cells.x + g.cell, g.cells.y});
            grids.push_back({{"grid", static_cast<int>(g.id)}, {"rows", g.rows}, {"cols", g.cols},
                             {"x", a.x}, {"y", a.y}, {"cell", b.x - a.x}});
        }
        return grids;
    };
    nlohmann::json j;
    j["window"] = places(s.display, [&](Point p) {
        const ImVec2 q = s.canvas.to_screen(p);
        return Point{q.x, q.y};
    });
    if (s.lesson.name) {
        LessonFrameRequest r;
        r.lesson = *s.lesson.name;
        r.cell = s.lesson.cell;
        r.first_step = s.lesson.step;
        r.last_step = s.lesson.step;
        r.dark = s.settings.dark;
        const LessonFrames frames = lesson_frames(s.scene, r);
        const FrameFit fit = fit_frame(frames_bounds(frames.frames), 1920, 1080, 1);
        j["export"] = places(frames.frames.front(), [&](Point p) { return fit.to_device(p); });
    }
    return j.dump(1) + "\n";
}

void start_export(AppState& s, ExportFormat format, const std::string& out) {
    ExportPanel& p = panel_of(s);
    initialise(s, p);
    for (int i = 0; i < static_cast<int>(std::size(kFormats)); ++i)
        if (kFormats[i] == format) p.format = i;
    p.out = out;
    if (!start_job(s, p)) s.error = "export: " + p.problem;
    s.wants_frames = true;
}

void draw_export_dialog(AppState& s) {
    if (!s.export_panel) return;
    ExportPanel& p = *s.export_panel;
    collect_job(s, p);
    const bool running = export_running(s);
    if (running) s.wants_frames = true;  // keep polling the progress; idle again once it ends
    const char* title = "Export";
    if (p.open_requested) {
        ImGui::OpenPopup(title);
        p.open_requested = false;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x / 2, vp->Pos.y + vp->Size.y / 2),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    p.dialog_open = false;
    p.export_min = p.export_max = p.cancel_min = p.cancel_max = ImVec2(0, 0);
    if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize))
        return;
    p.dialog_open = true;
    const float scale = ui_scale(s);
    ImGui::BeginDisabled(running);
    ImGui::BeginGroup();
    draw_choices(s, p);
    ImGui::EndGroup();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginGroup();
    refresh_preview(s, p);
    const float w = kPreviewWidth * scale;
    if (p.preview_w > 0) {
        const float h = w * static_cast<float>(p.preview_h) / static_cast<float>(p.preview_w);
        ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(p.texture)), ImVec2(w, h));
        ImGui::TextDisabled("the first frame");
    } else {
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
        ImGui::TextWrapped("no preview: %s", p.preview_error.c_str());
        ImGui::PopTextWrapPos();
    }
    ImGui::EndGroup();

    ImGui::Separator();
    if (running) {
        const int total = std::max(1, p.job->total.load());
        const int done = p.job->done.load();
        const std::string label = std::to_string(done) + " / " + std::to_string(total);
        ImGui::ProgressBar(static_cast<float>(done) / static_cast<float>(total), ImVec2(w, 0), label.c_str());
        ImGui::SameLine();
        if (ImGui::Button("Cancel", ImVec2(120 * scale, 0))) p.job->cancel = true;
        p.cancel_min = ImGui::GetItemRectMin();
        p.cancel_max = ImGui::GetItemRectMax();
    } else {
        if (!p.problem.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, to_imgui(s.theme.outside));
            ImGui::TextWrapped("%s", p.problem.c_str());
            ImGui::PopStyleColor();
        }
        if (p.job && p.job->finished) {
            if (p.job->error.empty()) ImGui::TextWrapped("%s", s.notice.c_str());
            else ImGui::TextWrapped("%s", p.job->error.c_str());
        }
        if (ImGui::Button("Export", ImVec2(120 * scale, 0))) start_job(s, p);
        p.export_min = ImGui::GetItemRectMin();
        p.export_max = ImGui::GetItemRectMax();
        ImGui::SameLine();
        if (ImGui::Button("Close", ImVec2(120 * scale, 0)) ||
            ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))
            ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace convlens
