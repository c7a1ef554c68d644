#include "scene/scene_json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/atomic_write.h"

namespace convlens {
namespace {

// ordered_json keeps the document's key order, so the first unknown key reported is the
// first one in the file, not the alphabetically first.
using Json = nlohmann::ordered_json;

constexpr int kFormatVersion = 1;
constexpr const char* kKnownKeys[] = {"convlens", "title",  "input",    "kernel",
                                      "upstream", "target", "stride",   "padding",
                                      "dilation", "mode",   "activation", "index_base"};

// A JSON string or key quoted for a one-line message: escaped to ASCII (no newline can
// split the message) and cut short, since it only has to be recognisable.
std::string json_quoted(const std::string& s) {
    std::string q = Json(s).dump(-1, ' ', true, Json::error_handler_t::replace);
    constexpr std::size_t kMax = 40;
    if (q.size() > kMax) q = q.substr(0, kMax - 4) + "...\"";
    return q;
}

// Where a message points. Rows and columns are always one-based here, whatever the
// scene's index_base: they count the rows of the matrix as written in the file.
struct Where {
    std::string key;
    int row = 0;       // 0: the whole key
    int column = 0;    // 0: the whole row
    std::string part;  // "rows" or "columns" of a per-axis pair

    Where(std::string key_, int row_ = 0, int column_ = 0, std::string part_ = {})
        : key(std::move(key_)), row(row_), column(column_), part(std::move(part_)) {}

    std::string text() const {
        std::string s = "key " + json_quoted(key);
        if (row > 0) s += ", row " + std::to_string(row);
        if (column > 0) s += ", column " + std::to_string(column);
        if (!part.empty()) s += ", " + part;
        return s;
    }
};

[[noreturn]] void fail(const Where& where, const std::string& what) {
    throw InputError(where.text() + ": " + what);
}

std::string describe(const Json& v) {
    switch (v.type()) {
        case Json::value_t::null: return "null";
        case Json::value_t::boolean:
            return std::string("boolean ") + (v.get<bool>() ? "true" : "false");
        case Json::value_t::string: return "string " + json_quoted(v.get<std::string>());
        case Json::value_t::array: return "an array";
        case Json::value_t::object: return "an object";
        case Json::value_t::number_float:
            if (!std::isfinite(v.get<double>())) return "a number too large for a double";
            return "number " + v.dump();
        default: return "number " + v.dump();
    }
}

// Overflowing literals (1e999) never get here: SceneSax reports them with their place.
double read_number(const Json& v, const Where& where) {
    if (!v.is_number() || !std::isfinite(v.get<double>()))
        fail(where, "expected a finite number, got " + describe(v));
    return v.get<double>();
}

// Whole numbers written as 2.0 are accepted: other tools write every number as a float.
int read_int(const Json& v, const Where& where) {
    constexpr double kLimit = std::numeric_limits<int>::max();
    if (v.is_number_integer() || v.is_number_unsigned() || v.is_number_float()) {
        const double d = v.get<double>();
        if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) <= kLimit)
            return static_cast<int>(d);
        if (std::isfinite(d) && std::trunc(d) == d)
            fail(where, "expected a whole number, got " + describe(v) + " (out of range)");
    }
    fail(where, "expected a whole number, got " + describe(v));
}

std::string entries(std::size_t n) {
    return std::to_string(n) + (n == 1 ? " entry" : " entries");
}

Matrix read_matrix(const Json& v, const std::string& key) {
    const char* hint = "; a matrix is an array of rows, e.g. [[1, 2], [3, 4]]";
    if (!v.is_array()) fail({key}, "expected an array of rows, got " + describe(v) + hint);
    if (v.empty()) fail({key}, std::string("the matrix is empty") + hint);

    std::size_t cols = 0;
    for (std::size_t r = 0; r < v.size(); ++r) {
        const Where row{key, static_cast<int>(r + 1)};
        const Json& json_row = v[r];
        if (!json_row.is_array())
            fail(row, "expected an array of numbers, got " + describe(json_row) + hint);
        if (json_row.empty()) fail(row, "the row is empty");
        if (r == 0) cols = json_row.size();
        else if (json_row.size() != cols)
            fail(row, "has " + entries(json_row.size()) + " but row 1 has " + entries(cols));
    }

    // Oversize matrices are refused by validate_scene with the caps in its message;
    // nlohmann has already paid for the text, so the copy here is not the risk.
    Matrix m(static_cast<Eigen::Index>(v.size()), static_cast<Eigen::Index>(cols));
    for (std::size_t r = 0; r < v.size(); ++r)
        for (std::size_t c = 0; c < cols; ++c)
            m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) =
                read_number(v[r][c], {key, static_cast<int>(r + 1), static_cast<int>(c + 1)});
    return m;
}

AxisPair read_pair(const Json& v, const std::string& key) {
    if (v.is_array()) {
        if (v.size() != 2)
            fail({key}, "expected a whole number or [rows, columns], got an array of " +
                            std::to_string(v.size()));
        return {read_int(v[0], {key, 0, 0, "rows"}), read_int(v[1], {key, 0, 0, "columns"})};
    }
    if (!v.is_number())
        fail({key}, "expected a whole number or [rows, columns], got " + describe(v));
    const int n = read_int(v, {key});
    return {n, n};
}

std::string read_string(const Json& v, const std::string& key) {
    if (!v.is_string()) fail({key}, "expected a string, got " + describe(v));
    return v.get<std::string>();
}

// The token around a parse error, to recognise the NaN and Infinity that Python and
// JavaScript write but JSON does not have.
bool near_non_finite_literal(const std::string& text, std::size_t byte) {
    if (text.empty()) return false;
    const auto in_token = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
    };
    std::size_t at = std::min(byte > 0 ? byte - 1 : 0, text.size() - 1);
    std::size_t begin = at, end = at;
    while (begin > 0 && in_token(text[begin - 1])) --begin;
    while (end < text.size() && in_token(text[end])) ++end;
    std::string token;
    for (std::size_t i = begin; i < end; ++i)
        token += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    while (!token.empty() && (token[0] == '+' || token[0] == '-')) token.erase(0, 1);
    return token == "nan" || token == "inf" || token == "infinity";
}

bool is_matrix_key(const std::string& key) {
    return key == "input" || key == "kernel" || key == "upstream" || key == "target";
}

bool is_pair_key(const std::string& key) {
    return key == "stride" || key == "padding" || key == "dilation";
}

// Builds the document like nlohmann's own DOM parser, and also knows where it is, which
// nlohmann does not tell: its "number overflow" error for 1e999 has no position at all,
// and a matrix entry should be reported by key, row and column. It also refuses a key
// given twice, which nlohmann would silently resolve to the last one.
class SceneSax final : public nlohmann::json_sax<Json> {
public:
    explicit SceneSax(const std::string& text) : text_(text) {}

    Json& document() { return root_; }
    const std::string& error() const { return error_; }

    bool null() override { return add(nullptr); }
    bool boolean(bool v) override { return add(v); }
    bool number_integer(number_integer_t v) override { return add(v); }
    bool number_unsigned(number_unsigned_t v) override { return add(v); }
    bool number_float(number_float_t v, const string_t&) override { return add(v); }
    bool string(string_t& v) override { return add(std::move(v)); }
    bool binary(binary_t&) override { return add(nullptr); }  // JSON text has none

    bool start_object(std::size_t) override {
        Json* object = place(Json::object());
        open_.push_back({object, {}, {}});
        return true;
    }
    bool key(string_t& k) override {
        Open& top = open_.back();
        if (!top.keys.insert(k).second) {
            error_ = "key " + json_quoted(k) + " appears twice";
            return false;
        }
        top.key = k;
        return true;
    }
    bool end_object() override {
        open_.pop_back();
        return true;
    }
    bool start_array(std::size_t) override {
        Json* array = place(Json::array());
        open_.push_back({array, {}, {}});
        return true;
    }
    bool end_array() override {
        open_.pop_back();
        return true;
    }

    bool parse_error(std::size_t byte, const std::string& token,
                     const nlohmann::detail::exception& e) override {
        if (e.id == 406) {  // out_of_range: a number beyond the range of a double
            error_ = overflow_message(token);
            return false;
        }
        // The message is built from the position and the token alone: nlohmann's own
        // wording (e.what()) changes between versions and is not ours to show.
        const std::string at = place_of(byte);
        error_ = "invalid JSON " + at + ": " + unexpected(byte);
        if (near_non_finite_literal(text_, byte)) {
            // Python and JavaScript write these; name the entry like any other bad number.
            const std::optional<Where> where = current_where();
            error_ = where ? where->text() + ": expected a finite number; NaN and Infinity are "
                                             "not JSON (" + at + ")"
                           : error_ + " (NaN and Infinity are not JSON; a scene holds finite "
                                      "numbers only)";
        }
        return false;
    }

private:
    // nlohmann reports how many bytes it had read; the last of them is where it stopped.
    std::size_t stop_index(std::size_t byte) const {
        return std::min(byte > 0 ? byte - 1 : 0, text_.size());
    }

    // "at line 3, column 12", both counted from one, columns in bytes.
    std::string place_of(std::size_t byte) const {
        const std::size_t stop = stop_index(byte);
        const std::size_t line_start = stop == 0 ? 0 : text_.rfind('\n', stop - 1);
        const std::size_t column = line_start == std::string::npos || stop == 0
                                       ? stop + 1
                                       : stop - line_start;
        const auto lines = std::count(text_.begin(),
                                      text_.begin() + static_cast<std::ptrdiff_t>(stop), '\n');
        return "at line " + std::to_string(lines + 1) + ", column " + std::to_string(column);
    }

    // The character where the parser stopped, read from the text itself (nlohmann's
    // token string can span several tokens).
    std::string unexpected(std::size_t byte) const {
        const std::size_t stop = stop_index(byte);
        if (stop >= text_.size()) return "the text ends in the middle of the JSON";
        const auto c = static_cast<unsigned char>(text_[stop]);
        if (c >= 0x20 && c < 0x7f) return "unexpected " + json_quoted(std::string(1, char(c)));
        constexpr const char* kHex = "0123456789abcdef";
        return std::string("unexpected byte 0x") + kHex[c >> 4] + kHex[c & 15];
    }

    struct Open {
        Json* value;                  // the object or array being filled
        std::string key;              // for an object: the key of the value in progress
        std::set<std::string> keys;   // for an object: the keys seen so far
    };

    // Pointers into the document stay valid: a value is only ever appended to the
    // innermost open container, never to one whose elements are still open.
    Json* place(Json v) {
        if (open_.empty()) {
            root_ = std::move(v);
            return &root_;
        }
        Json& top = *open_.back().value;
        if (top.is_array()) {
            top.push_back(std::move(v));
            return &top.back();
        }
        Json& slot = top[open_.back().key];
        slot = std::move(v);
        return &slot;
    }
    bool add(Json v) {
        place(std::move(v));
        return true;
    }

    // Where the value being read sits, in the words read_matrix and read_pair use;
    // nullopt at the top level, where there is no key to name.
    std::optional<Where> current_where() const {
        if (open_.empty() || !open_[0].value->is_object()) return std::nullopt;
        Where where(open_[0].key);
        // The array element in progress at an outer level was placed when it opened, so
        // it is the last; at the innermost level the failing value was never placed.
        const auto index = [&](std::size_t level) {
            const std::size_t size = open_[level].value->size();
            return static_cast<int>(level + 1 < open_.size() ? size : size + 1);  // one-based
        };
        const bool in_array = open_.size() >= 2 && open_[1].value->is_array();
        if (is_matrix_key(where.key)) {
            if (in_array) where.row = index(1);
            if (open_.size() >= 3 && open_[2].value->is_array()) where.column = index(2);
        } else if (is_pair_key(where.key) && in_array) {
            where.part = index(1) == 1 ? "rows" : "columns";
        }
        return where;
    }

    std::string overflow_message(const std::string& token) const {
        const std::string got = "got " + token + ", which is too large for a double";
        const std::optional<Where> where = current_where();
        if (!where) return "number " + token + " is too large for a double";
        if (is_matrix_key(where->key)) return where->text() + ": expected a finite number, " + got;
        if (is_pair_key(where->key) || where->key == "index_base" || where->key == "convlens")
            return where->text() + ": expected a whole number, " + got;
        return where->text() + ": " + got;
    }

    const std::string& text_;
    Json root_;
    std::vector<Open> open_;
    std::string error_;
};

Json parse_json(const std::string& text) {
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        throw InputError("the file is empty; a scene is a JSON object");
    SceneSax sax(text);
    if (!Json::sax_parse(text, &sax)) throw InputError(sax.error());
    return std::move(sax.document());
}

// "input": {"image": "photo.png", "size": [H, W], "range": [0, 1]}: the image file,
// relative to the scene's folder, read as grey levels. Messages name the file as found.
void read_image_input(const Json& v, const std::string& base_dir, Scene& scene) {
    try {
        for (const auto& [key, value] : v.items())
            if (key != "image" && key != "size" && key != "range")
                throw InputError("key " + json_quoted(key) +
                                 ": unknown key; an image input has image, size and range");
        const auto image = v.find("image");
        if (image == v.end())
            throw InputError("key \"image\": missing; an image input names its file, e.g. "
                             "{\"image\": \"photo.png\"}");
        const std::string written = read_string(*image, "image");
        if (written.empty()) fail({"image"}, "the file name is empty");
        if (written.find('\0') != std::string::npos) fail({"image"}, "the file name holds a NUL byte");
        std::optional<Shape> size;
        if (const auto it = v.find("size"); it != v.end()) {
            if (!it->is_array() || it->size() != 2)
                fail({"size"}, "expected [rows, columns], got " + describe(*it));
            const AxisPair pair = read_pair(*it, "size");
            size = Shape{pair.rows, pair.cols};
        }
        double low = 0, high = 1;
        if (const auto it = v.find("range"); it != v.end()) {
            if (!it->is_array() || it->size() != 2)
                fail({"range"}, "expected [low, high] such as [0, 1] or [-1, 1], got " + describe(*it));
            low = read_number((*it)[0], {"range", 0, 0, "low"});
            high = read_number((*it)[1], {"range", 0, 0, "high"});
            try {
                check_image_range(low, high);
            } catch (const InputError& e) {
                fail({"range"}, e.what());
            }
        }
        const std::filesystem::path path = std::filesystem::path(written).is_absolute() || base_dir.empty()
                                               ? std::filesystem::path(written)
                                               : std::filesystem::path(base_dir) / written;
        const std::string file = path.lexically_normal().string();
        LoadedImage loaded = load_image(file, size, low, high, file);
        scene.input = std::move(loaded.pixels);
        scene.input_image = std::move(loaded.source);
    } catch (const InputError& e) {
        throw InputError(std::string("key \"input\": ") + e.what());
    }
}

Scene scene_from_json(const Json& root, const std::string& base_dir) {
    if (!root.is_object())
        throw InputError("expected a JSON object at the top level, got " + describe(root));

    // The version comes first: a newer file's new keys should not be reported as unknown.
    const auto version = root.find("convlens");
    if (version == root.end())
        fail({"convlens"}, "missing; a scene file starts with \"convlens\": 1");
    if (!version->is_number_integer() && !version->is_number_unsigned())
        fail({"convlens"}, "expected the format version 1, got " + describe(*version));
    if (*version != kFormatVersion)
        fail({"convlens"}, "format version " + version->dump() +
                               " is not supported; this convlens reads version 1");

    for (const auto& [key, value] : root.items()) {
        bool known = false;
        for (const char* k : kKnownKeys) known = known || key == k;
        if (!known) {
            std::string list;
            for (const char* k : kKnownKeys) list += (list.empty() ? "" : ", ") + std::string(k);
            throw InputError("key " + json_quoted(key) +
                             ": unknown key; a version 1 scene has " + list);
        }
    }

    const auto required = [&](const char* key) -> const Json& {
        const auto it = root.find(key);
        if (it == root.end()) fail({key}, "missing; every scene needs an input and a kernel");
        return *it;
    };

    Scene scene;
    if (const auto it = root.find("title"); it != root.end())
        scene.title = read_string(*it, "title");
    if (const Json& input = required("input"); input.is_object())
        read_image_input(input, base_dir, scene);
    else
        scene.input = read_matrix(input, "input");
    scene.kernel = read_matrix(required("kernel"), "kernel");
    if (const auto it = root.find("upstream"); it != root.end())
        scene.upstream = read_matrix(*it, "upstream");
    if (const auto it = root.find("target"); it != root.end())
        scene.target = read_matrix(*it, "target");
    if (const auto it = root.find("stride"); it != root.end())
        scene.spec.stride = read_pair(*it, "stride");
    if (const auto it = root.find("padding"); it != root.end())
        scene.spec.padding = read_pair(*it, "padding");
    if (const auto it = root.find("dilation"); it != root.end())
        scene.spec.dilation = read_pair(*it, "dilation");
    if (const auto it = root.find("mode"); it != root.end()) {
        const std::string name = read_string(*it, "mode");
        if (!parse_mode(name, &scene.spec.mode))
            fail({"mode"}, "unknown mode " + json_quoted(name) +
                               "; expected \"cross-correlation\" or \"convolution\"");
    }
    if (const auto it = root.find("activation"); it != root.end()) {
        const std::string name = read_string(*it, "activation");
        if (!parse_activation(name, &scene.activation))
            fail({"activation"}, "unknown activation " + json_quoted(name) +
                                     "; expected \"identity\", \"relu\", \"sigmoid\" or \"tanh\"");
    }
    if (const auto it = root.find("index_base"); it != root.end()) {
        if (!it->is_number()) fail({"index_base"}, "expected 1 or 0, got " + describe(*it));
        scene.index_base = read_int(*it, {"index_base"});
        if (scene.index_base != 0 && scene.index_base != 1)
            fail({"index_base"}, "expected 1 or 0, got " + it->dump());
    }
    validate_scene(scene);
    return scene;
}

// Integral values are written as integers (3, not 3.0) so files stay readable; up to
// 2^53 every integer is exactly a double, so "3" reads back as the same 3.0. -0.0 stays
// a float: written "-0.0" it reads back with its sign.
Json number_json(double v) {
    constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
    if (std::trunc(v) == v && std::fabs(v) <= kExactIntegers && !(v == 0 && std::signbit(v)))
        return static_cast<std::int64_t>(v);
    return v;
}

// The text number_json(v).dump() gives, written into `buffer` without a Json value or a
// string per number (a million of them at 1024x1024): the same integer test, and for a
// float the very routine nlohmann's serializer calls (its shortest round-trip digits).
// Returns the length; the matrix is validated finite, and a buffer of 64 is the size the
// serializer itself uses.
using NumberText = std::array<char, 64>;
std::size_t number_text(double v, NumberText& buffer) {
    constexpr double kExactIntegers = 9007199254740992.0;  // 2^53, as number_json
    char* const begin = buffer.data();
    char* end = nullptr;
    if (std::trunc(v) == v && std::fabs(v) <= kExactIntegers && !(v == 0 && std::signbit(v)))
        end = std::to_chars(begin, begin + buffer.size(), static_cast<std::int64_t>(v)).ptr;
    else
        end = nlohmann::detail::to_chars(begin, begin + buffer.size(), v);
    return static_cast<std::size_t>(end - begin);
}

// Collects the text in pieces of about kPieceBytes for `write`, so a scene is never held
// whole as text (save_scene streams it into the file).
class PieceWriter {
public:
    static constexpr std::size_t kPieceBytes = std::size_t{64} << 10;
    explicit PieceWriter(const WritePiece& write) : write_(write) { text_.reserve(kPieceBytes + 256); }
    ~PieceWriter() = default;
    PieceWriter(const PieceWriter&) = delete;
    PieceWriter& operator=(const PieceWriter&) = delete;

    PieceWriter& operator<<(std::string_view s) {
        text_ += s;
        if (text_.size() >= kPieceBytes) flush();
        return *this;
    }
    void spaces(std::size_t n) { text_.append(n, ' '); }
    // Everything so far goes to write (at the end: the rest).
    void flush() {
        if (text_.empty()) return;
        write_(text_);
        text_.clear();
    }

private:
    const WritePiece& write_;
    std::string text_;
};

// A matrix row per line, columns right-aligned: a 5x5 grid stays a 5x5 block of text
// that a teacher can edit by hand (nlohmann's pretty printer puts every number on its
// own line). Two passes over the numbers: the first measures each column's width, the
// second writes, so only one number's text exists at a time.
void append_matrix(PieceWriter& out, const char* key, const Matrix& m) {
    NumberText number{};
    std::vector<std::size_t> width(static_cast<std::size_t>(m.cols()), 0);
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (Eigen::Index c = 0; c < m.cols(); ++c) {
            auto& w = width[static_cast<std::size_t>(c)];
            w = std::max(w, number_text(m(r, c), number));
        }
    out << "  \"" << key << "\": [\n";
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        out << "    [";
        for (Eigen::Index c = 0; c < m.cols(); ++c) {
            const std::size_t length = number_text(m(r, c), number);
            if (c > 0) out << ", ";
            out.spaces(width[static_cast<std::size_t>(c)] - length);
            out << std::string_view(number.data(), length);
        }
        out << (r + 1 < m.rows() ? "],\n" : "]\n");
    }
    out << "  ],\n";
}

// The image as a scene at scene_path names it: relative to the scene's folder when the
// two are close (the image in that folder, below it, or beside it: at most one folder
// up), so a folder of scenes and images can move as a whole; else absolute. Without a
// scene path, relative to the working directory.
std::string image_reference(const std::string& image, const std::string& scene_path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path folder = scene_path.empty() ? fs::current_path(ec) : fs::absolute(scene_path, ec).parent_path();
    if (ec) return image;
    const fs::path relative = fs::path(image).lexically_relative(folder.lexically_normal());
    if (relative.empty()) return image;
    int up = 0;
    for (const fs::path& part : relative) up += part == "..";
    return up <= 1 ? relative.generic_string() : image;
}

std::string pair_text(AxisPair p) {
    if (p.rows == p.cols) return std::to_string(p.rows);
    return "[" + std::to_string(p.rows) + ", " + std::to_string(p.cols) + "]";
}

}  // namespace

Scene parse_scene(const std::string& text, const std::string& source, const std::string& base_dir) {
    try {
        return scene_from_json(parse_json(text), base_dir);
    } catch (const InputError& e) {
        throw InputError(source + ": " + e.what());
    }
}

Scene load_scene(const std::string& path) {
    if (path == "-") {
        std::string text{std::istreambuf_iterator<char>(std::cin),
                         std::istreambuf_iterator<char>()};
        if (std::cin.bad()) throw InputError("cannot read <stdin>");
        return parse_scene(text, "<stdin>");
    }
    return parse_scene(read_file(path), path, std::filesystem::path(path).parent_path().string());
}

void write_scene_json(const Scene& scene, const std::string& scene_path, const WritePiece& write) {
    const auto scalar = [](const Json& v) {
        return v.dump(-1, ' ', false, Json::error_handler_t::replace);
    };
    PieceWriter out(write);
    out << "{\n";
    out << "  \"convlens\": " << std::to_string(kFormatVersion) << ",\n";
    if (!scene.title.empty()) out << "  \"title\": " << scalar(scene.title) << ",\n";
    if (const ImageInput* image = current_image(scene)) {
        out << "  \"input\": {\"image\": " << scalar(image_reference(image->path, scene_path));
        if (image->size)
            out << ", \"size\": [" << std::to_string(image->size->rows) << ", "
                << std::to_string(image->size->cols) << "]";
        out << ", \"range\": [" << number_json(image->low).dump() << ", "
            << number_json(image->high).dump() << "]},\n";
    } else {
        append_matrix(out, "input", scene.input);
    }
    append_matrix(out, "kernel", scene.kernel);
    if (scene.upstream) append_matrix(out, "upstream", *scene.upstream);
    if (scene.target) append_matrix(out, "target", *scene.target);
    out << "  \"stride\": " << pair_text(scene.spec.stride) << ",\n";
    out << "  \"padding\": " << pair_text(scene.spec.padding) << ",\n";
    out << "  \"dilation\": " << pair_text(scene.spec.dilation) << ",\n";
    out << "  \"mode\": " << scalar(mode_name(scene.spec.mode)) << ",\n";
    out << "  \"activation\": " << scalar(activation_name(scene.activation)) << ",\n";
    out << "  \"index_base\": " << std::to_string(scene.index_base) << "\n";
    out << "}\n";
    out.flush();
}

std::string scene_to_json(const Scene& scene, const std::string& scene_path) {
    std::string text;
    write_scene_json(scene, scene_path, [&text](std::string_view piece) { text += piece; });
    return text;
}

void save_scene(const Scene& scene, const std::string& path) {
    // A file that would not load again is not worth writing: refuse before touching disk.
    validate_scene(scene);
    if (path == "-") {
        write_scene_json(scene, {}, [](std::string_view piece) { std::cout << piece; });
        std::cout << std::flush;
        if (!std::cout) throw InputError("cannot write <stdout>");
        return;
    }
    // Streamed into the file: at 1024x1024 the text alone would be ~10 MB more to hold.
    write_file_atomically(path, [&](const WritePiece& write) { write_scene_json(scene, path, write); });
}

}  // namespace convlens
