#include "test_hook.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <nlohmann/json.hpp>

#include "document.h"
#include "layout_probe.h"
#include "panels.h"
#include "scene/scene_json.h"
#include "util/atomic_write.h"
#include "util/cli_numbers.h"

namespace convlens {
namespace {

// The file the script waits for ("wait_file"): the shell creates it once its real X
// events are sent. File-local because only this hook ever waits.
std::string waiting_for;
// Set by "export" and "wait_export": no command runs until the window's export has ended.
bool waiting_for_export = false;
// "live": the window runs as for a user (edits do not wait for their numbers, a waiting
// script lets the loop sleep) and its frame clock records (frame_clock.h).
bool live = false;
// "wait_results": no command runs until the newest edit's numbers are on screen.
bool waiting_for_results = false;

std::string next_command(std::string& script) {
    const std::size_t semi = script.find(';');
    std::string command = script.substr(0, semi);
    script = semi == std::string::npos ? std::string() : script.substr(semi + 1);
    return command;
}

bool parse_grid(const std::string& name, GridId* grid) {
    if (name == "input") *grid = GridId::Input;
    else if (name == "kernel") *grid = GridId::Kernel;
    else if (name == "upstream") *grid = GridId::Upstream;
    else if (name == "output") *grid = GridId::Output;
    else return false;
    return true;
}

// Every grid the canvas may draw, lessons' grids included (for "cell_at").
bool parse_any_grid(const std::string& name, GridId* grid) {
    if (parse_grid(name, grid)) return true;
    if (name == "activated") *grid = GridId::Activated;
    else if (name == "grad_input") *grid = GridId::GradInput;
    else if (name == "grad_kernel") *grid = GridId::GradKernel;
    else if (name == "rotated_kernel") *grid = GridId::RotatedKernel;
    else if (name == "padded_upstream") *grid = GridId::PaddedUpstream;
    else return false;
    return true;
}

// What the timeline shows now, and the canvas's smallest cell value in screen pixels.
std::string lesson_state_json(const AppState& s) {
    const LessonPlayer& p = s.lesson;
    const int base = s.computed_scene.index_base;
    nlohmann::json j;
    j["lesson"] = p.name ? lesson_name(*p.name) : "none";
    j["cell"] = p.cell ? nlohmann::json::array({p.cell->row + base, p.cell->col + base}) : nlohmann::json();
    j["cell_field"] = p.cell_field;  // what the timeline's cell field shows
    j["step"] = p.step + 1;
    j["steps"] = p.lesson.steps.size();
    j["playing"] = p.playing;
    j["settled"] = p.motion >= 1;
    j["smallest_value_px"] = smallest_value_pixels(s.display, s.canvas.scale);
    const bool built = !p.dirty && p.step < static_cast<int>(p.lesson.steps.size());
    const Step* step = built ? &p.lesson.steps[static_cast<std::size_t>(p.step)] : nullptr;
    j["value"] = step && step->value ? nlohmann::json(*step->value) : nlohmann::json();
    j["about"] = step && step->about ? nlohmann::json::array({step->about->cell.row + base, step->about->cell.col + base})
                                     : nlohmann::json();
    return j.dump(2) + "\n";
}

void run_lesson_command(AppState& s, const std::string& verb, std::istringstream& in) {
    const int base = s.scene.index_base;
    if (verb == "lesson") {
        std::string name_text;
        if (!(in >> name_text)) throw InputError("\"lesson\" needs a name or none");
        if (name_text == "none") {
            choose_lesson(s, std::nullopt);
            return;
        }
        LessonName name{};
        if (!parse_lesson_name(name_text, &name)) throw InputError("unknown lesson \"" + name_text + "\"");
        choose_lesson(s, name);
        int m = 0, n = 0;
        if (in >> m >> n) choose_lesson_cell(s, Cell{m - base, n - base});
        return;
    }
    if (!s.lesson.name) throw InputError("\"" + verb + "\" needs a lesson");
    const int steps = static_cast<int>(s.lesson.lesson.steps.size());
    if (verb == "step") {
        int k = 0;
        if (!(in >> k) || k < 1 || k > steps)
            throw InputError("\"step\" needs K from 1 to " + std::to_string(steps));
        go_to_step(s, k - 1);
    } else if (verb == "next") {
        go_to_step(s, s.lesson.step + 1);
    } else if (verb == "prev") {
        go_to_step(s, s.lesson.step - 1);
    } else if (verb == "play") {
        set_playing(s, true);
    } else if (verb == "pause") {
        set_playing(s, false);
    }
}

// A key press as the GLFW backend reports one: down now, seen as pressed by the next
// frame's ImGui::NewFrame, released by run_next_test_command the frame after.
void press_key(AppState& s, const std::string& name) {
    const ImGuiKey key = name == "space"   ? ImGuiKey_Space
                         : name == "left"  ? ImGuiKey_LeftArrow
                         : name == "right" ? ImGuiKey_RightArrow
                         : name == "home"  ? ImGuiKey_Home
                         : name == "end"   ? ImGuiKey_End
                                           : ImGuiKey_COUNT;
    if (name == "f11") {  // no ImGuiKey in 1.86: the GLFW key code, as the backend sets it
        s.test_key_down = GLFW_KEY_F11;
        ImGui::GetIO().KeysDown[s.test_key_down] = true;
        return;
    }
    if (key == ImGuiKey_COUNT) throw InputError("\"key\" knows space, left, right, home, end, f11, not \"" + name + "\"");
    s.test_key_down = ImGui::GetKeyIndex(key);
    ImGui::GetIO().KeysDown[s.test_key_down] = true;
}

void run(AppState& s, const std::string& command) {
    std::istringstream in(command);
    std::string verb;
    if (!(in >> verb)) return;
    const int base = s.scene.index_base;
    if (verb == "set" || verb == "select") {
        std::string grid_name;
        int m = 0, n = 0;
        double value = 0;
        in >> grid_name >> m >> n;
        if (verb == "set") in >> value;
        if (!in) throw InputError("cannot read \"" + command + "\"");
        const Cell cell{m - base, n - base};
        if (verb == "set" && grid_name == "target") {
            Scene candidate = s.scene;
            if (!candidate.target || cell.row < 0 || cell.col < 0 ||
                cell.row >= candidate.target->rows() || cell.col >= candidate.target->cols())
                throw InputError("no target cell at " + std::to_string(m) + "," + std::to_string(n));
            (*candidate.target)(cell.row, cell.col) = value;
            if (!apply_edit(s, candidate)) throw InputError(s.error);
            return;
        }
        GridId grid;
        if (!parse_grid(grid_name, &grid)) throw InputError("unknown grid \"" + grid_name + "\"");
        if (verb == "select") {  // as a click does: in a lesson, it may pick the lesson's cell
            set_selection(s, Focus{grid, cell});
            lesson_cell_clicked(s, Focus{grid, cell});
            return;
        }
        Scene candidate = s.scene;
        double* slot = editable_value(candidate, grid, cell);
        if (!slot) throw InputError("no editable cell " + grid_name + " " + std::to_string(m) + "," + std::to_string(n));
        *slot = value;
        if (!apply_edit(s, candidate)) throw InputError(s.error);
    } else if (verb == "resize") {
        std::string grid_name;
        int rows = 0, cols = 0;
        if (!(in >> grid_name >> rows >> cols)) throw InputError("cannot read \"" + command + "\"");
        Scene candidate = grid_name == "input"    ? with_input_shape(s.scene, rows, cols)
                          : grid_name == "kernel" ? with_kernel_shape(s.scene, rows, cols)
                                                  : throw InputError("resize input or kernel, not " + grid_name);
        apply_edit(s, candidate);  // a refused size is reported in the window, as for the user
    } else if (verb == "undo") {
        undo(s);
    } else if (verb == "redo") {
        redo(s);
    } else if (verb == "sleep") {
        double seconds = 0;
        if (!(in >> seconds)) throw InputError("\"sleep\" needs seconds");
        s.test_sleep_until = now_seconds() + seconds;
    } else if (verb == "shot") {
        std::getline(in >> std::ws, s.test_shot);
        if (s.test_shot.empty()) throw InputError("\"shot\" needs a path");
    } else if (verb == "lesson" || verb == "step" || verb == "next" || verb == "prev" ||
               verb == "play" || verb == "pause") {
        run_lesson_command(s, verb, in);
    } else if (verb == "key") {
        std::string name;
        in >> name;
        press_key(s, name);
    } else if (verb == "type") {  // as typing TEXT into the cell's editor and Enter
        std::string grid_name, text;
        int m = 0, n = 0;
        if (!(in >> grid_name >> m >> n)) throw InputError("cannot read \"" + command + "\"");
        std::getline(in >> std::ws, text);
        GridId grid;
        if (!parse_grid(grid_name, &grid)) throw InputError("unknown grid \"" + grid_name + "\"");
        commit_cell_text(s, grid, Cell{m - base, n - base}, text);  // refused: the error line says why
    } else if (verb == "status") {
        std::string path;
        std::getline(in >> std::ws, path);
        if (path.empty()) throw InputError("\"status\" needs a path");
        nlohmann::json j;
        j["error"] = s.error;
        j["notice"] = s.notice;
        j["canvas_only"] = s.canvas_only;
        j["fading"] = s.redraw_due >= 0;  // a message waits for its next shade
        j["frames_drawn_full"] = s.frame_clock.frames_drawn_full();  // app/partial_frame.h
        j["frames_drawn_partial"] = s.frame_clock.frames_drawn_partial();
        const HeatmapTextures::Counters& textures = s.heatmaps.counters();
        j["heatmap_uploads"] = textures.uploads;
        j["heatmap_values_uploaded"] = textures.values_uploaded;
        j["heatmap_uploads_compared"] = textures.compared;
        j["heatmap_uploads_hinted"] = textures.hinted;
        write_file_atomically(path, j.dump() + "\n");
    } else if (verb == "fresh_textures") {
        // Between frames: the last frame's quads are drawn, this one's not yet queued.
        s.heatmaps.release();
    } else if (verb == "latex" && !s.lesson.name) {  // the hover view's Copy as LaTeX
        std::string path;
        std::getline(in >> std::ws, path);
        if (path.empty()) throw InputError("\"latex\" needs a path");
        write_file_atomically(path, s.view.equation_latex + "\n");
    } else if (verb == "latex") {
        std::string path;
        std::getline(in >> std::ws, path);
        if (path.empty()) throw InputError("\"latex\" needs a path");
        const LessonPlayer& p = s.lesson;
        if (!p.name || p.lesson.steps.empty()) throw InputError("\"latex\" needs a lesson");
        // What Copy as LaTeX (and, in the derivation, Copy derivation) put on the clipboard.
        std::string text = step_latex(p.lesson.steps[static_cast<std::size_t>(p.step)]) + "\n";
        if (*p.name == LessonName::Derivation) text += "%% derivation\n" + lesson_latex(p.lesson);
        write_file_atomically(path, text);
    } else if (verb == "lesson_state") {
        std::string path;
        std::getline(in >> std::ws, path);
        if (path.empty()) throw InputError("\"lesson_state\" needs a path");
        write_file_atomically(path, lesson_state_json(s));
    } else if (verb == "cells") {
        std::string path;
        std::getline(in >> std::ws, path);
        if (path.empty()) throw InputError("\"cells\" needs a path");
        write_file_atomically(path, cell_places_json(s));
    } else if (verb == "export") {  // as File > Export does; the script waits until it ends
        std::string format_text, path;
        in >> format_text;
        std::getline(in >> std::ws, path);
        ExportFormat format{};
        if (!parse_export_format(format_text, &format) || path.empty())
            throw InputError("\"export\" needs FORMAT (png, svg, pdf, gif, mp4, tikz) and PATH");
        start_export(s, format, path);
        waiting_for_export = true;
    } else if (verb == "export_dialog") {  // opens it; the export starts with a click on Export
        std::string format_text, path, size;
        in >> format_text >> path >> size;
        ExportFormat format{};
        const auto wh = parse_number_pair(size, 'x');
        if (!parse_export_format(format_text, &format) || path.empty() || !wh)
            throw InputError("\"export_dialog\" needs FORMAT PATH WxH");
        open_export_dialog(s, format, path, wh->first, wh->second);
    } else if (verb == "export_dialog_state") {
        std::string path;
        std::getline(in >> std::ws, path);
        if (path.empty()) throw InputError("\"export_dialog_state\" needs a path");
        write_file_atomically(path, export_dialog_json(s));
    } else if (verb == "wait_export") {  // until the export the dialog runs has ended
        waiting_for_export = true;
    } else if (verb == "cell_at") {
        // Where a cell is on the screen now, for xdotool to click it: its centre in window
        // pixels, from the display list the canvas drew and the transform it drew it with.
        std::string grid_name, path;
        int m = 0, n = 0;
        in >> grid_name >> m >> n;
        std::getline(in >> std::ws, path);
        GridId grid;
        if (path.empty() || !parse_any_grid(grid_name, &grid))
            throw InputError("\"cell_at\" needs GRID M N PATH (GRID: input, activated, kernel, output, "
                             "upstream, grad_input, grad_kernel, rotated_kernel, padded_upstream)");
        const GridGeometry* g = s.display.grid(grid);
        const Cell cell{m - base, n - base};
        if (!g || !g->shows(cell))  // a lesson's crop shows real indices from g->first on
            throw InputError("no cell " + grid_name + " " + std::to_string(m) + "," + std::to_string(n) + " on the canvas");
        const Rect r = g->cell_rect(cell);
        const ImVec2 a = s.canvas.to_screen({r.x, r.y});
        const ImVec2 b = s.canvas.to_screen({r.x + r.w, r.y + r.h});
        nlohmann::json j;
        j["x"] = static_cast<int>(std::lround((a.x + b.x) / 2));
        j["y"] = static_cast<int>(std::lround((a.y + b.y) / 2));
        j["width"] = b.x - a.x;
        j["height"] = b.y - a.y;
        write_file_atomically(path, j.dump() + "\n");
    } else if (verb == "layout") {  // written after the next frame is drawn (layout_probe.h)
        std::string path;
        std::getline(in >> std::ws, path);
        if (path.empty()) throw InputError("\"layout\" needs a path");
        request_layout_probe(path);
    } else if (verb == "wait_file") {
        std::getline(in >> std::ws, waiting_for);
        if (waiting_for.empty()) throw InputError("\"wait_file\" needs a path");
    } else if (verb == "source") {  // the file's commands run next, then the rest
        std::string path;
        std::getline(in >> std::ws, path);
        std::ifstream file(path);
        if (path.empty() || !file) throw InputError("\"source\" needs a readable file, not \"" + path + "\"");
        std::stringstream text;
        text << file.rdbuf();
        std::string commands = text.str();
        std::replace(commands.begin(), commands.end(), '\n', ';');
        s.test_script = commands + ";" + s.test_script;
    } else if (verb == "live") {
        live = true;
        s.recompute_waits = false;
        s.frame_clock.turn_on();
    } else if (verb == "wait_results") {
        waiting_for_results = true;
    } else if (verb == "timings") {
        std::string path;
        std::getline(in >> std::ws, path);
        if (path.empty()) throw InputError("\"timings\" needs a path");
        if (!s.frame_clock.on()) throw InputError("\"timings\" needs \"live\" first");
        write_file_atomically(path, s.frame_clock.json());
    } else if (verb == "quit") {
        s.quit_requested = true;
    } else if (verb == "drop") {
        std::string path;
        std::getline(in >> std::ws, path);
        s.dropped_paths.push_back(path);  // as the GLFW drop callback does
    } else if (verb == "open" || verb == "save" || verb == "dump" || verb == "error") {
        std::string path;
        std::getline(in >> std::ws, path);
        if (path.empty()) throw InputError("\"" + verb + "\" needs a path");
        // A file that fails to open is reported in the window, as for the user: the script
        // goes on and can dump the scene to show it was left untouched.
        if (verb == "open") open_scene_file(s, path);
        if (verb == "save" && !save_document(s, path)) throw InputError(s.error);
        if (verb == "dump") write_file_atomically(path, scene_to_json(s.scene));
        if (verb == "error") write_file_atomically(path, s.error + "\n");
    } else {
        throw InputError("unknown command \"" + verb + "\"");
    }
}

}  // namespace

bool test_hook_resting(const AppState& s) {
    if (!live || s.test_script.empty()) return false;
    if (now_seconds() < s.test_sleep_until) return true;
    if (!waiting_for.empty() && !std::filesystem::exists(waiting_for)) return true;
    // The engine and the image loader wake the loop when they finish.
    if (waiting_for_results && (s.recompute.busy() || s.scene_dirty)) return true;
    return s.image_loader.busy();
}

double test_hook_wake(const AppState& s) {
    if (!test_hook_resting(s)) return -1;
    if (now_seconds() < s.test_sleep_until) return s.test_sleep_until;
    if (!waiting_for.empty()) return now_seconds() + kFilePollSeconds;
    return -1;
}

int run_next_test_command(AppState& s) {
    if (s.test_key_down >= 0) {  // the key was seen pressed in this frame: let it go
        ImGui::GetIO().KeysDown[s.test_key_down] = false;
        s.test_key_down = -1;
        s.wants_frames = true;
        return 0;
    }
    if (!waiting_for.empty()) {
        if (!std::filesystem::exists(waiting_for)) return 0;
        waiting_for.clear();
    }
    if (waiting_for_export && !export_running(s)) waiting_for_export = false;
    if (waiting_for_results && !s.recompute.busy() && !s.scene_dirty) waiting_for_results = false;
    // A dropped image lands before the next command (a script's "drop" then "dump").
    if (now_seconds() < s.test_sleep_until || waiting_for_export || waiting_for_results ||
        s.image_loader.busy())
        return 0;
    while (!s.test_script.empty()) {
        const std::string command = next_command(s.test_script);
        if (command.find_first_not_of(" \t") == std::string::npos) continue;
        s.wants_frames = true;
        try {
            run(s, command);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "convlens: %s: %s\n", kTestScriptVariable, e.what());
            s.quit_requested = true;
            return 1;
        }
        return 0;
    }
    return 0;
}

}  // namespace convlens
