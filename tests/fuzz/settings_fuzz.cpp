// Fuzz target: the settings file (app/settings.cpp, compiled alone: it has no window
// code). Contract: a damaged file never stops the program, every value lands in its
// documented range, and what is saved loads back the same.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "settings.h"
#include "util/atomic_write.h"

namespace {

[[noreturn]] void broken(const std::string& why) {
    std::fprintf(stderr, "contract broken: %s\n", why.c_str());
    std::abort();
}

const std::string& folder() {
    static const std::string dir = [] {
        std::string pattern = "/tmp/convlens-fuzz-settings-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) std::abort();
        return pattern;
    }();
    return dir;
}

bool within(float v, float low, float high) { return v >= low && v <= high; }

void check_ranges(const convlens::Settings& s) {
    if (s.window.width < 0 || s.window.width > 16384) broken("window width out of range");
    if (s.window.height < 0 || s.window.height > 16384) broken("window height out of range");
    if (static_cast<int>(s.recent.size()) > convlens::kMaxRecent) broken("too many recent files");
    if (!within(s.ui_scale, 0.75f, 2.0f)) broken("ui_scale out of range");
    if (!within(s.influence_share, 0.1f, 0.8f)) broken("influence_share out of range");
    if (!within(s.lesson_share, 0.1f, 0.8f)) broken("lesson_share out of range");
    if (!within(s.lesson_speed, 0.25f, 4.0f)) broken("lesson speed out of range");
    if (s.lesson_step < 0) broken("negative lesson step");
    if (s.lesson_cell_row < 0 || s.lesson_cell_col < 0) broken("negative lesson cell");
}

bool same(const convlens::Settings& a, const convlens::Settings& b) {
    const auto& wa = a.window;
    const auto& wb = b.window;
    return wa.x == wb.x && wa.y == wb.y && wa.width == wb.width && wa.height == wb.height &&
           wa.has_position == wb.has_position && wa.maximized == wb.maximized &&
           a.last_scene == b.last_scene && a.recent == b.recent && a.dark == b.dark &&
           a.ui_scale == b.ui_scale && a.influence_share == b.influence_share &&
           a.lesson == b.lesson &&
           a.has_lesson_cell == b.has_lesson_cell && a.lesson_cell_row == b.lesson_cell_row &&
           a.lesson_cell_col == b.lesson_cell_col && a.lesson_step == b.lesson_step &&
           a.lesson_speed == b.lesson_speed && a.reduce_motion == b.reduce_motion &&
           a.lesson_share == b.lesson_share;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = folder() + "/settings.json";
    convlens::write_file_atomically(
        path, std::string_view(reinterpret_cast<const char*>(data), size));
    convlens::Settings loaded;
    try {
        loaded = convlens::load_settings(path);
    } catch (...) {
        broken("load_settings threw: a damaged settings file must give the defaults");
    }
    check_ranges(loaded);
    convlens::save_settings(loaded, path);
    if (!same(convlens::load_settings(path), loaded))
        broken("saved settings load back different");
    return 0;
}
