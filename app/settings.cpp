#include "settings.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <filesystem>
#include <system_error>

#include <nlohmann/json.hpp>

#include "engine/conv_spec.h"
#include "util/atomic_write.h"

namespace convlens {

std::string config_dir() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    if (xdg && *xdg) return (std::filesystem::path(xdg) / "convlens").string();
    const char* home = std::getenv("HOME");
    if (home && *home) return (std::filesystem::path(home) / ".config" / "convlens").string();
    return {};
}

std::string settings_path(const std::string& dir) {
    return (std::filesystem::path(dir) / "settings.json").string();
}

std::string autosave_path(const std::string& dir) {
    return (std::filesystem::path(dir) / "autosave.json").string();
}

std::string autosave_path(const std::string& dir, int window) {
    if (window <= 1) return autosave_path(dir);
    return (std::filesystem::path(dir) / ("autosave-" + std::to_string(window) + ".json")).string();
}

namespace {

using nlohmann::json;

// A JSON number is a double or a 64-bit integer, and casting one beyond the target type's
// range is undefined behaviour ("width": 1e300): every number goes through a finite
// double, clamped to the field's range; anything else gives the field's default.
std::optional<double> finite_number(const json& value) {
    if (!value.is_number()) return std::nullopt;
    const double v = value.get<double>();
    return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

int whole(const json& object, const char* key, int fallback, int low, int high) {
    const auto it = object.find(key);
    const auto v = it == object.end() ? std::nullopt : finite_number(*it);
    if (!v) return fallback;
    return static_cast<int>(std::clamp(std::round(*v), static_cast<double>(low), static_cast<double>(high)));
}

float fraction(const json& object, const char* key, float fallback, float low, float high) {
    const auto it = object.find(key);
    const auto v = it == object.end() ? std::nullopt : finite_number(*it);
    if (!v) return fallback;
    return static_cast<float>(std::clamp(*v, static_cast<double>(low), static_cast<double>(high)));
}

constexpr int kMaxCoordinate = 1 << 20;  // screen coordinates and lesson cells, steps

}  // namespace

Settings load_settings(const std::string& path, std::string* damage) {
    Settings s;
    std::error_code ec;
    if (path.empty() || !std::filesystem::exists(path, ec)) return s;
    try {
        const auto j = nlohmann::json::parse(read_file(path));
        if (!j.is_object()) throw InputError(path + ": not a JSON object");
        if (auto w = j.find("window"); w != j.end() && w->is_object()) {
            s.window.x = whole(*w, "x", 0, -kMaxCoordinate, kMaxCoordinate);
            s.window.y = whole(*w, "y", 0, -kMaxCoordinate, kMaxCoordinate);
            s.window.width = whole(*w, "width", 0, 0, 16384);
            s.window.height = whole(*w, "height", 0, 0, 16384);
            s.window.has_position = w->value("has_position", false);
            s.window.maximized = w->value("maximized", false);
        }
        s.last_scene = j.value("last_scene", std::string());
        if (auto r = j.find("recent"); r != j.end() && r->is_array())
            for (const auto& item : *r)
                if (item.is_string() && static_cast<int>(s.recent.size()) < kMaxRecent)
                    s.recent.push_back(item.get<std::string>());
        s.dark = j.value("theme", std::string("light")) == "dark";
        s.ui_scale = fraction(j, "ui_scale", 1.0f, 0.75f, 2.0f);
        s.influence_share = fraction(j, "influence_share", Settings{}.influence_share, 0.1f, 0.8f);
        if (auto l = j.find("lesson"); l != j.end() && l->is_object()) {
            s.lesson = l->value("name", std::string());
            if (auto c = l->find("cell"); c != l->end() && c->is_array() && c->size() == 2) {
                const json cell = {{"row", (*c)[0]}, {"col", (*c)[1]}};
                s.has_lesson_cell = true;
                s.lesson_cell_row = whole(cell, "row", 0, 0, kMaxCoordinate);
                s.lesson_cell_col = whole(cell, "col", 0, 0, kMaxCoordinate);
            }
            s.lesson_step = whole(*l, "step", 0, 0, kMaxCoordinate);
            s.lesson_speed = fraction(*l, "speed", 1.0f, 0.25f, 4.0f);
            s.reduce_motion = l->value("reduce_motion", false);
            s.lesson_share = fraction(*l, "share", Settings{}.lesson_share, 0.1f, 0.8f);
        }
    } catch (const nlohmann::json::parse_error&) {
        // A damaged settings file costs the user their window size, not the program.
        if (damage) *damage = path + ": not valid JSON";
        return Settings{};
    } catch (const nlohmann::json::exception&) {
        if (damage) *damage = path + ": a setting has a value of the wrong kind";
        return Settings{};
    } catch (const std::exception& e) {
        if (damage) *damage = e.what();  // InputError: cannot read it, and why
        return Settings{};
    }
    return s;
}

void save_settings(const Settings& s, const std::string& path) {
    nlohmann::json j;
    j["window"] = {{"x", s.window.x},
                   {"y", s.window.y},
                   {"width", s.window.width},
                   {"height", s.window.height},
                   {"has_position", s.window.has_position},
                   {"maximized", s.window.maximized}};
    j["last_scene"] = s.last_scene;
    j["recent"] = s.recent;
    j["theme"] = s.dark ? "dark" : "light";
    j["ui_scale"] = s.ui_scale;
    j["influence_share"] = s.influence_share;
    j["lesson"] = {{"name", s.lesson},
                   {"cell", s.has_lesson_cell ? nlohmann::json::array({s.lesson_cell_row, s.lesson_cell_col})
                                              : nlohmann::json()},
                   {"step", s.lesson_step},
                   {"speed", s.lesson_speed},
                   {"reduce_motion", s.reduce_motion},
                   {"share", s.lesson_share}};
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    if (ec) throw InputError(path + ": cannot create the config folder: " + ec.message());
    write_file_atomically(path, j.dump(2) + "\n");
}

void remember_recent(Settings& s, const std::string& path) {
    std::error_code ec;
    auto absolute = std::filesystem::absolute(path, ec);
    const std::string key = ec ? path : absolute.lexically_normal().string();
    s.recent.erase(std::remove(s.recent.begin(), s.recent.end(), key), s.recent.end());
    s.recent.insert(s.recent.begin(), key);
    if (static_cast<int>(s.recent.size()) > kMaxRecent) s.recent.resize(kMaxRecent);
}

}  // namespace convlens
