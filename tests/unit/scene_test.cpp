// Scene documents: the default, validation, the JSON format of DESIGN.md (every error a
// user can make must name the key, row and column), round trips, and atomic writes.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scene/scene.h"
#include "scene/scene_json.h"
#include "util/atomic_write.h"
#include "scratch_dir.h"

namespace convlens {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

const fs::path kSceneDir = fs::path(CONVLENS_ASSET_DIR) / "scenes";

// Bit-for-bit, so that -0.0 and the last digit of 1/3 count. Shapes are compared first:
// Scene's defaulted operator== hands matrices of different shapes to Eigen, which
// asserts (or, with NDEBUG, reads out of bounds).
::testing::AssertionResult same_matrix(const Matrix& a, const Matrix& b) {
    if (a.rows() != b.rows() || a.cols() != b.cols())
        return ::testing::AssertionFailure()
               << "shape " << a.rows() << "x" << a.cols() << " vs " << b.rows() << "x" << b.cols();
    for (Eigen::Index r = 0; r < a.rows(); ++r)
        for (Eigen::Index c = 0; c < a.cols(); ++c)
            if (std::memcmp(&a(r, c), &b(r, c), sizeof(double)) != 0)
                return ::testing::AssertionFailure()
                       << "(" << r << ", " << c << "): " << a(r, c) << " vs " << b(r, c);
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult same_optional(const std::optional<Matrix>& a,
                                         const std::optional<Matrix>& b) {
    if (a.has_value() != b.has_value()) return ::testing::AssertionFailure() << "presence differs";
    return a ? same_matrix(*a, *b) : ::testing::AssertionSuccess();
}

::testing::AssertionResult same_scene(const Scene& a, const Scene& b) {
    if (a.title != b.title) return ::testing::AssertionFailure() << "title";
    if (auto r = same_matrix(a.input, b.input); !r) return r << " in input";
    if (auto r = same_matrix(a.kernel, b.kernel); !r) return r << " in kernel";
    if (auto r = same_optional(a.upstream, b.upstream); !r) return r << " in upstream";
    if (auto r = same_optional(a.target, b.target); !r) return r << " in target";
    if (!(a.spec == b.spec)) return ::testing::AssertionFailure() << "spec";
    if (a.activation != b.activation) return ::testing::AssertionFailure() << "activation";
    if (a.index_base != b.index_base) return ::testing::AssertionFailure() << "index_base";
    return ::testing::AssertionSuccess();
}

std::string error_of(const std::string& text, const std::string& source = "s.json") {
    try {
        parse_scene(text, source);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

// The message must be one line, start with the source and contain every fragment.
void expect_error(const std::string& text, const std::vector<std::string>& fragments) {
    const std::string message = error_of(text);
    SCOPED_TRACE(text);
    EXPECT_EQ(message.rfind("s.json: ", 0), 0u) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    for (const auto& fragment : fragments)
        EXPECT_NE(message.find(fragment), std::string::npos)
            << "missing \"" << fragment << "\" in: " << message;
}

// A valid scene with 4x4 input and 2x2 kernel (output 3x3), to break one key at a time.
Json base_json() {
    return Json{{"convlens", 1},
                {"input", {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}, {13, 14, 15, 16}}},
                {"kernel", {{1, 0}, {0, -1}}}};
}

std::string with(const char* key, const Json& value) {
    Json j = base_json();
    j[key] = value;
    return j.dump();
}

using convlens::matrix_from_rows;

// A scratch folder for each test.
struct TempDir : test_support::ScratchDir {
    TempDir() : ScratchDir("convlens-scene") {}
};

std::vector<fs::path> example_scenes() {
    std::vector<fs::path> out;
    for (const auto& entry : fs::directory_iterator(kSceneDir))
        if (entry.path().extension() == ".json") out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

// --- the default scene -------------------------------------------------------------

TEST(SceneDefault, IsTheTextbookLayer) {
    const Scene s = default_scene();
    EXPECT_FALSE(s.title.empty());
    EXPECT_EQ(s.input.rows(), 5);
    EXPECT_EQ(s.input.cols(), 5);
    EXPECT_EQ(s.kernel.rows(), 3);
    EXPECT_EQ(s.kernel.cols(), 3);
    ASSERT_TRUE(s.upstream.has_value());
    EXPECT_EQ(s.upstream->rows(), 3);
    EXPECT_EQ(s.upstream->cols(), 3);
    EXPECT_FALSE(s.target.has_value());
    EXPECT_EQ(s.spec, ConvSpec{});
    EXPECT_EQ(s.activation, Activation::Identity);
    EXPECT_EQ(s.index_base, 1);
    for (const Matrix* m : {&s.input, &s.kernel, &*s.upstream}) {
        EXPECT_LT(m->minCoeff(), 0) << "mixed signs";
        EXPECT_GT(m->maxCoeff(), 0) << "mixed signs";
        EXPECT_LE(m->cwiseAbs().maxCoeff(), 9) << "small integers";
        EXPECT_TRUE((m->array() == m->array().round()).all()) << "integers";
    }
    // A symmetric kernel would hide the 180-degree rotation the lesson is about.
    EXPECT_FALSE(same_matrix(s.kernel, s.kernel.reverse()));
    EXPECT_NO_THROW(validate_scene(s));
}

TEST(SceneDefault, AssetFileIsTheDefaultScene) {
    const fs::path file = kSceneDir / "default.json";
    EXPECT_TRUE(same_scene(load_scene(file.string()), default_scene()));
    EXPECT_EQ(read_file(file.string()), scene_to_json(default_scene()))
        << "regenerate assets/scenes/default.json from scene_to_json(default_scene())";
}

// --- example scenes ----------------------------------------------------------------

TEST(SceneAssets, EveryExampleLoadsValidatesAndHasATitle) {
    const auto files = example_scenes();
    ASSERT_GE(files.size(), 5u);
    for (const char* name : {"default.json", "stride2.json", "padding_dilation.json",
                             "edge_detector.json", "zero_based.json"})
        EXPECT_TRUE(fs::exists(kSceneDir / name)) << name;
    for (const auto& file : files) {
        SCOPED_TRACE(file.string());
        Scene s;
        ASSERT_NO_THROW(s = load_scene(file.string()));
        EXPECT_NO_THROW(validate_scene(s));
        EXPECT_FALSE(s.title.empty());
    }
}

TEST(SceneAssets, ExamplesCoverWhatTheyAreNamedFor) {
    const auto load = [](const char* name) { return load_scene((kSceneDir / name).string()); };
    EXPECT_EQ(load("stride2.json").spec.stride, (AxisPair{2, 2}));
    const Scene pd = load("padding_dilation.json");
    EXPECT_GT(pd.spec.padding.rows, 0);
    EXPECT_GT(pd.spec.dilation.rows, 1);
    const Scene edge = load("edge_detector.json");
    EXPECT_TRUE(edge.target.has_value());
    EXPECT_FALSE(edge.upstream.has_value());
    EXPECT_EQ(load("zero_based.json").index_base, 0);
    if (fs::exists(kSceneDir / "relu.json")) {
        EXPECT_EQ(load("relu.json").activation, Activation::Relu);
    }
    if (fs::exists(kSceneDir / "convolution_mode.json")) {
        EXPECT_EQ(load("convolution_mode.json").spec.mode, ConvMode::Convolution);
    }
}

// --- defaults and accepted forms ---------------------------------------------------

TEST(SceneJson, OmittedKeysTakeTheDefaults) {
    const Scene s = parse_scene(base_json().dump(), "s.json");
    EXPECT_EQ(s.title, "");
    EXPECT_FALSE(s.upstream.has_value());
    EXPECT_FALSE(s.target.has_value());
    EXPECT_EQ(s.spec.stride, (AxisPair{1, 1}));
    EXPECT_EQ(s.spec.padding, (AxisPair{0, 0}));
    EXPECT_EQ(s.spec.dilation, (AxisPair{1, 1}));
    EXPECT_EQ(s.spec.mode, ConvMode::CrossCorrelation);
    EXPECT_EQ(s.activation, Activation::Identity);
    EXPECT_EQ(s.index_base, 1);
    EXPECT_TRUE(same_matrix(s.kernel, matrix_from_rows({{1, 0}, {0, -1}})));
}

TEST(SceneJson, ReadsEveryKey) {
    Json j = base_json();
    j["title"] = "Ünïcode — title";
    j["stride"] = Json::array({1, 2});
    j["padding"] = Json::array({2, 1});
    j["dilation"] = 2;
    j["mode"] = "convolution";
    j["activation"] = "tanh";
    j["index_base"] = 0;
    // 4 + 4 - 2 - 1 = 5 -> 6 rows; 4 + 2 - 2 - 1 = 3, /2 -> 2 columns
    j["upstream"] = Json::array();
    for (int r = 0; r < 6; ++r) j["upstream"].push_back({r, -r});
    j["target"] = j["upstream"];
    const Scene s = parse_scene(j.dump(), "s.json");
    EXPECT_EQ(s.title, "Ünïcode — title");
    EXPECT_EQ(s.spec.stride, (AxisPair{1, 2}));
    EXPECT_EQ(s.spec.padding, (AxisPair{2, 1}));
    EXPECT_EQ(s.spec.dilation, (AxisPair{2, 2}));
    EXPECT_EQ(s.spec.mode, ConvMode::Convolution);
    EXPECT_EQ(s.activation, Activation::Tanh);
    EXPECT_EQ(s.index_base, 0);
    ASSERT_TRUE(s.upstream && s.target);
    EXPECT_EQ(s.upstream->rows(), 6);
    EXPECT_EQ((*s.target)(5, 1), -5);
}

TEST(SceneJson, ReadsEveryActivationAndMode) {
    for (auto [name, f] : {std::pair{"identity", Activation::Identity},
                           std::pair{"relu", Activation::Relu},
                           std::pair{"sigmoid", Activation::Sigmoid},
                           std::pair{"tanh", Activation::Tanh}})
        EXPECT_EQ(parse_scene(with("activation", name), "s.json").activation, f) << name;
    EXPECT_EQ(parse_scene(with("mode", "cross-correlation"), "s.json").spec.mode,
              ConvMode::CrossCorrelation);
}

TEST(SceneJson, WholeNumbersWrittenAsFloatsAreAccepted) {
    // Python's json module writes 2.0 for a float 2; that is still a stride of 2.
    EXPECT_EQ(parse_scene(with("stride", 2.0), "s.json").spec.stride, (AxisPair{2, 2}));
    EXPECT_EQ(parse_scene(with("index_base", 0.0), "s.json").index_base, 0);
}

// --- errors: JSON syntax -----------------------------------------------------------

TEST(SceneErrors, InvalidJsonNamesLineAndColumn) {
    expect_error("{\n  \"convlens\": 1,\n  \"input\": [[1, 2]],,\n}", {"invalid JSON", "line 3"});
    expect_error("{\"convlens\": 1", {"invalid JSON", "line 1", "column"});
    EXPECT_EQ(error_of("{\"convlens\": 1").find("NaN"), std::string::npos);
}

// The place is counted by convlens, not quoted from nlohmann (whose wording changes
// between versions): line 2 is `  "input": [[1, 2]],,` and its second comma is byte 21.
TEST(SceneErrors, InvalidJsonPlaceIsCountedByHand) {
    expect_error("{\"convlens\": 1,\n  \"input\": [[1, 2]],,\n}",
                 {"invalid JSON at line 2, column 21: unexpected \",\""});
    expect_error("{\"convlens\": 1", {"invalid JSON at line 1", "ends in the middle"});
    for (const char* text : {"{\"convlens\": 1,,}", "{\"a\" 1}", "[1 2]", "{\"convlens\": tru}"}) {
        const std::string message = error_of(text);
        EXPECT_EQ(message.find("json.exception"), std::string::npos) << message;
        EXPECT_EQ(message.find("syntax error"), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    }
}

TEST(SceneErrors, NaNAndInfinityAreNotJson) {
    for (const char* literal : {"NaN", "nan", "Infinity", "-Infinity", "inf"}) {
        const std::string text = R"({"convlens": 1, "input": [[1, )" + std::string(literal) +
                                 R"(]], "kernel": [[1]]})";
        expect_error(text, {"key \"input\", row 1, column 2", "line 1", "NaN and Infinity are not JSON"});
    }
    // The hint is about the token at the error, not about any word in the file.
    const std::string message = error_of(R"({"convlens": 1, "title": "NaN", "input": [[1,]]})");
    EXPECT_NE(message.find("invalid JSON"), std::string::npos) << message;
    EXPECT_EQ(message.find("not JSON"), std::string::npos) << message;
}

TEST(SceneErrors, EmptyTextAndNonObjects) {
    expect_error("", {"empty"});
    expect_error("  \n", {"empty"});
    expect_error("[[1, 2]]", {"top level", "got an array"});
    expect_error("42", {"top level", "got number 42"});
}

TEST(SceneErrors, SourceNamesTheFileOrStdin) {
    EXPECT_EQ(error_of("[]", "lesson/stride.json").rfind("lesson/stride.json: ", 0), 0u);
    EXPECT_EQ(error_of("[]", "<stdin>").rfind("<stdin>: ", 0), 0u);
}

// --- errors: the version and the keys ----------------------------------------------

TEST(SceneErrors, VersionIsRequiredAndMustBeOne) {
    Json j = base_json();
    j.erase("convlens");
    expect_error(j.dump(), {"key \"convlens\": missing"});
    expect_error(with("convlens", 2), {"key \"convlens\"", "version 2", "version 1"});
    expect_error(with("convlens", "1"), {"key \"convlens\"", "got string \"1\""});
    expect_error(with("convlens", true), {"key \"convlens\"", "got boolean true"});
    // A newer file is reported by its version, not by the keys this version lacks.
    Json newer = base_json();
    newer["convlens"] = 2;
    newer["bias"] = 1;
    expect_error(newer.dump(), {"key \"convlens\"", "version 2"});
}

TEST(SceneErrors, UnknownKeysAreNamed) {
    expect_error(with("strides", 2), {"key \"strides\": unknown key", "stride"});
    // The first unknown key in the file, not the alphabetically first.
    Json j = base_json();
    j["zeta"] = 1;
    j["alpha"] = 1;
    expect_error(j.dump(), {"key \"zeta\": unknown key"});
}

TEST(SceneErrors, DuplicateKeysAreErrors) {
    expect_error(R"({"convlens": 1, "input": [[1]], "kernel": [[1]], "kernel": [[2]]})",
                 {"key \"kernel\" appears twice"});
}

TEST(SceneErrors, InputAndKernelAreRequired) {
    Json j = base_json();
    j.erase("input");
    expect_error(j.dump(), {"key \"input\": missing"});
    j = base_json();
    j.erase("kernel");
    expect_error(j.dump(), {"key \"kernel\": missing"});
}

TEST(SceneErrors, WrongTypesNameTheKey) {
    expect_error(with("title", 3), {"key \"title\": expected a string, got number 3"});
    expect_error(with("input", "[[1]]"), {"key \"input\": expected an array of rows, got string"});
    expect_error(with("upstream", nullptr), {"key \"upstream\": expected an array of rows, got null"});
    expect_error(with("target", Json::object()), {"key \"target\"", "got an object"});
    expect_error(with("mode", 1), {"key \"mode\": expected a string, got number 1"});
    expect_error(with("mode", "conv"), {"key \"mode\": unknown mode \"conv\"", "\"convolution\""});
    expect_error(with("activation", "softmax"),
                 {"key \"activation\": unknown activation \"softmax\"", "\"relu\""});
    expect_error(with("activation", false), {"key \"activation\"", "got boolean false"});
}

// --- errors: matrices --------------------------------------------------------------

TEST(SceneErrors, MatricesAreArraysOfRows) {
    expect_error(with("input", {1, 2, 3}),
                 {"key \"input\", row 1: expected an array of numbers, got number 1", "[[1, 2]"});
    expect_error(with("kernel", Json::array()), {"key \"kernel\": the matrix is empty"});
    expect_error(with("kernel", Json::array({Json::array()})), {"key \"kernel\", row 1: the row is empty"});
}

TEST(SceneErrors, RaggedRowsNameTheRowAndBothLengths) {
    expect_error(with("input", {{1, 2, 3}, {4, 5, 6}, {7, 8}}),
                 {"key \"input\", row 3: has 2 entries but row 1 has 3"});
    expect_error(with("kernel", {{1}, {2, 3}}), {"key \"kernel\", row 2: has 2 entries but row 1 has 1 entry"});
}

TEST(SceneErrors, EntriesMustBeFiniteNumbers) {
    expect_error(with("kernel", {{1, 2, 3}, {4, 5, "6"}}),
                 {"key \"kernel\", row 2, column 3: expected a finite number, got string \"6\""});
    expect_error(with("kernel", {{1, true}}),
                 {"key \"kernel\", row 1, column 2: expected a finite number, got boolean true"});
    expect_error(with("kernel", {{nullptr, 1}}),
                 {"key \"kernel\", row 1, column 1: expected a finite number, got null"});
    expect_error(with("kernel", {{1, {2}}}),
                 {"key \"kernel\", row 1, column 2: expected a finite number, got an array"});
    // nlohmann parses 1e999 to infinity without complaint; the scene must not.
    for (const char* big : {"1e999", "-1e999"}) {
        const std::string text = R"({"convlens": 1, "input": [[1, 2], [3, )" + std::string(big) +
                                 R"(]], "kernel": [[1]]})";
        expect_error(text, {"key \"input\", row 2, column 2: expected a finite number",
                            big, "too large for a double"});
    }
}

// nlohmann 3.11 reports an overflowing literal without any position; the scene parser
// still says where it is.
TEST(SceneErrors, OverflowingNumbersAreLocatedOutsideMatricesToo) {
    const std::string tail = R"(, "input": [[1, 2]], "kernel": [[1]]})";
    expect_error(R"({"convlens": 1, "stride": [1, 2e400])" + tail,
                 {"key \"stride\", columns: expected a whole number, got 2e400"});
    expect_error(R"({"convlens": 1, "padding": -1e400)" + tail,
                 {"key \"padding\": expected a whole number, got -1e400"});
    expect_error(R"({"convlens": 1, "kernel": [[1]], "upstream": [[1, 1e999], [2]]})",
                 {"key \"upstream\", row 1, column 2:"});
    expect_error("[1e999]", {"number 1e999 is too large for a double"});
}

TEST(SceneErrors, RowsAndColumnsAreOneBasedEvenForZeroBasedScenes) {
    Json j = base_json();
    j["index_base"] = 0;
    j["kernel"] = {{1, 2}, {3, "x"}};
    expect_error(j.dump(), {"row 2, column 2"});
}

TEST(SceneErrors, MatricesBeyondTheCaps) {
    Json big = Json::array();
    for (int r = 0; r <= kMaxInputExtent; ++r) big.push_back({1});
    expect_error(with("input", big), {"key \"input\": shape 1025x1 exceeds the maximum of 1024x1024"});
    Json wide_kernel = Json::array({Json::array()});
    for (int c = 0; c <= kMaxKernelExtent; ++c) wide_kernel[0].push_back(1);
    expect_error(with("kernel", wide_kernel), {"key \"kernel\": shape 1x33 exceeds the maximum of 32x32"});
}

// --- errors: geometry --------------------------------------------------------------

TEST(SceneErrors, StridePaddingDilationMustBeWholeNumbersOrPairs) {
    expect_error(with("stride", 1.5), {"key \"stride\": expected a whole number, got number 1.5"});
    expect_error(with("stride", {1, 1.5}),
                 {"key \"stride\", columns: expected a whole number, got number 1.5"});
    expect_error(with("padding", {"1", 0}), {"key \"padding\", rows: expected a whole number, got string"});
    expect_error(with("dilation", {1, 2, 3}), {"key \"dilation\"", "[rows, columns]", "array of 3"});
    expect_error(with("stride", true), {"key \"stride\"", "got boolean true"});
    expect_error(with("stride", "2"), {"key \"stride\"", "got string \"2\""});
    expect_error(with("stride", 1e20), {"key \"stride\": expected a whole number", "out of range"});
}

TEST(SceneErrors, StridePaddingDilationRanges) {
    expect_error(with("stride", 0), {"key \"stride\": rows: 0 is below 1"});
    expect_error(with("stride", {1, -2}), {"key \"stride\": columns: -2 is below 1"});
    expect_error(with("dilation", 0), {"key \"dilation\": rows: 0 is below 1"});
    expect_error(with("padding", -1), {"key \"padding\": rows: -1 is negative"});
    expect_error(with("stride", kMaxStride + 1), {"key \"stride\"", "33 is above the maximum of 32"});
    expect_error(with("padding", {0, kMaxPadding + 1}), {"key \"padding\": columns: 33"});
    expect_error(with("dilation", 1000000), {"key \"dilation\"", "above the maximum of 32"});
}

TEST(SceneErrors, IndexBaseIsOneOrZero) {
    expect_error(with("index_base", 2), {"key \"index_base\": expected 1 or 0, got 2"});
    expect_error(with("index_base", true), {"key \"index_base\": expected 1 or 0, got boolean true"});
    expect_error(with("index_base", "1"), {"key \"index_base\"", "got string \"1\""});
    expect_error(with("index_base", 0.5), {"key \"index_base\"", "whole number"});
}

TEST(SceneErrors, KernelThatLeavesNoOutput) {
    expect_error(with("kernel", {{1, 2, 3, 4, 5}}), {"key \"kernel\"", "columns", "no output"});
    // Fits undilated, not with dilation 2: 2*(3-1)+1 = 5 > 4.
    Json j = base_json();
    j["kernel"] = {{1, 2, 3}};
    j["dilation"] = 2;
    expect_error(j.dump(), {"key \"kernel\"", "no output"});
    // Padding makes room again: 4 + 2 = 6 >= 5.
    j["padding"] = 1;
    EXPECT_NO_THROW(parse_scene(j.dump(), "s.json"));
}

TEST(SceneErrors, UpstreamAndTargetMustHaveTheOutputShape) {
    // 4x4 input, 2x2 kernel: the output is 3x3.
    EXPECT_EQ(error_of(with("upstream", {{1, 2, 3}, {4, 5, 6}})),
              "s.json: key \"upstream\": shape 2x3 does not match the output's 3x3");
    EXPECT_EQ(error_of(with("target", {{1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}})),
              "s.json: key \"target\": shape 3x4 does not match the output's 3x3");
    EXPECT_NO_THROW(parse_scene(with("target", {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}), "s.json"));
}

// --- validate_scene on scenes built in code (the editor's path) ---------------------

TEST(SceneValidate, NamesTheKeyWithoutASource) {
    const auto message = [](const Scene& s) -> std::string {
        try {
            validate_scene(s);
        } catch (const InputError& e) {
            return e.what();
        }
        return "(no error)";
    };
    Scene s = default_scene();
    s.upstream = Matrix::Zero(2, 3);
    EXPECT_EQ(message(s), "key \"upstream\": shape 2x3 does not match the output's 3x3");

    s = default_scene();
    s.kernel(0, 1) = std::numeric_limits<double>::quiet_NaN();
    EXPECT_EQ(message(s).rfind("key \"kernel\", row 1, column 2: expected a finite number", 0), 0u)
        << message(s);

    s = default_scene();
    s.index_base = 0;  // rows and columns are still counted from one
    (*s.upstream)(2, 0) = std::numeric_limits<double>::infinity();
    EXPECT_EQ(message(s).rfind("key \"upstream\", row 3, column 1:", 0), 0u) << message(s);

    s = default_scene();
    s.input.resize(0, 0);
    EXPECT_EQ(message(s), "key \"input\": the matrix is empty");

    s = default_scene();
    s.spec.padding = {0, -1};
    EXPECT_EQ(message(s), "key \"padding\": columns: -1 is negative");

    s = default_scene();
    s.index_base = 2;
    EXPECT_EQ(message(s), "key \"index_base\": expected 1 or 0, got 2");

    s = default_scene();
    s.upstream.reset();
    s.target = Matrix::Zero(3, 3);
    EXPECT_EQ(message(s), "(no error)");
}

// --- writing -----------------------------------------------------------------------

TEST(SceneWrite, KeysInDesignOrderWithExplicitDefaults) {
    const std::string text = scene_to_json(default_scene());
    std::size_t last = 0;
    for (const char* key : {"convlens", "title", "input", "kernel", "upstream", "stride",
                            "padding", "dilation", "mode", "activation", "index_base"}) {
        const std::size_t at = text.find("\"" + std::string(key) + "\":");
        ASSERT_NE(at, std::string::npos) << key;
        EXPECT_GT(at, last) << key;
        last = at;
    }
    EXPECT_NE(text.find("\"mode\": \"cross-correlation\""), std::string::npos);
    EXPECT_NE(text.find("\"index_base\": 1\n"), std::string::npos);
    EXPECT_EQ(text.find('\t'), std::string::npos);
    EXPECT_EQ(text.rfind("{\n  \"convlens\": 1,\n", 0), 0u) << "two-space indent";

    Scene bare = default_scene();
    bare.title.clear();
    bare.upstream.reset();
    const std::string bare_text = scene_to_json(bare);
    EXPECT_EQ(bare_text.find("\"title\""), std::string::npos);
    EXPECT_EQ(bare_text.find("\"upstream\""), std::string::npos);
    EXPECT_EQ(bare_text.find("\"target\""), std::string::npos);

    Scene targeted = bare;
    targeted.target = Matrix::Ones(3, 3);
    const std::string targeted_text = scene_to_json(targeted);
    EXPECT_LT(targeted_text.find("\"kernel\""), targeted_text.find("\"target\""));
    EXPECT_LT(targeted_text.find("\"target\""), targeted_text.find("\"stride\""));
}

TEST(SceneWrite, OutputIsValidJsonThatAnyReaderAccepts) {
    Scene s = default_scene();
    s.spec.stride = {1, 2};
    s.spec.padding = {2, 1};
    s.title = "quotes \" and \\ and\nnewline";
    s.upstream.reset();
    const Json j = Json::parse(scene_to_json(s));
    EXPECT_EQ(j["stride"], Json::array({1, 2}));
    EXPECT_EQ(j["padding"], Json::array({2, 1}));
    EXPECT_EQ(j["dilation"], 1);
    EXPECT_EQ(j["title"], s.title);
    EXPECT_EQ(j["input"][1][1], -2);
}

TEST(SceneWrite, IntegralValuesAreWrittenAsIntegers) {
    Scene s = default_scene();
    s.input(0, 0) = 3.0;
    s.input(0, 1) = -0.0;
    s.input(0, 2) = 0.1;
    s.input(0, 3) = 1e300;
    const std::string text = scene_to_json(s);
    EXPECT_NE(text.find("[ 3, -0.0, 0.1, 1e+300,"), std::string::npos) << text;
    EXPECT_EQ(text.find("3.0"), std::string::npos);
}

TEST(SceneWrite, SaveRefusesAnInvalidScene) {
    TempDir dir;
    const std::string path = (dir.path() / "scene.json").string();
    save_scene(default_scene(), path);
    const std::string before = read_file(path);
    Scene bad = default_scene();
    bad.upstream = Matrix::Zero(1, 1);
    EXPECT_THROW(save_scene(bad, path), InputError);
    EXPECT_EQ(read_file(path), before);
}

// --- round trips -------------------------------------------------------------------

TEST(SceneRoundTrip, EveryExampleScene) {
    TempDir dir;
    for (const auto& file : example_scenes()) {
        SCOPED_TRACE(file.string());
        const Scene s = load_scene(file.string());
        const std::string copy = (dir.path() / file.filename()).string();
        save_scene(s, copy);
        EXPECT_TRUE(same_scene(load_scene(copy), s));
        EXPECT_EQ(scene_to_json(load_scene(copy)), read_file(copy)) << "writing is stable";
    }
}

TEST(SceneRoundTrip, AwkwardDoublesReadBackBitForBit) {
    const std::vector<double> awkward = {
        0.1, 1.0 / 3.0, -2.0 / 3.0, 1e-300, -0.0, 0.0, 5e-324,
        std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::min(),
        std::numeric_limits<double>::max(), -std::numeric_limits<double>::max(),
        9007199254740992.0, 9007199254740993.0 + 1.0, 1e22, -1e23, 123456789.125,
        0.30000000000000004, 2.0 / 7.0 * 1e-10, 1e16, 4.35, std::nextafter(1.0, 2.0)};
    Scene s = default_scene();
    s.input = Matrix(1, static_cast<Eigen::Index>(awkward.size()));
    for (std::size_t i = 0; i < awkward.size(); ++i) s.input(0, static_cast<Eigen::Index>(i)) = awkward[i];
    s.kernel = Matrix::Constant(1, 1, 1.0 / 3.0);
    s.upstream = s.input;
    const Scene back = parse_scene(scene_to_json(s), "s.json");
    EXPECT_TRUE(same_scene(back, s));
    EXPECT_TRUE(std::signbit(back.input(0, 4))) << "-0.0 keeps its sign";
}

// Random shapes, geometry and values (random bit patterns included), each saved and read
// back; a fixed seed keeps failures reproducible.
TEST(SceneRoundTrip, RandomScenes) {
    std::mt19937_64 rng(20240611);
    const auto uniform = [&](int lo, int hi) {
        return std::uniform_int_distribution<int>(lo, hi)(rng);
    };
    const auto value = [&]() -> double {
        switch (uniform(0, 3)) {
            case 0: return uniform(-9, 9);
            case 1: return std::uniform_real_distribution<double>(-10, 10)(rng);
            case 2: {
                double d;
                do {
                    const std::uint64_t bits = rng();
                    std::memcpy(&d, &bits, sizeof d);
                } while (!std::isfinite(d));
                return d;
            }
            default: return uniform(-1000, 1000) / 10.0;
        }
    };
    const auto random_matrix = [&](int rows, int cols) {
        Matrix m(rows, cols);
        for (Eigen::Index r = 0; r < rows; ++r)
            for (Eigen::Index c = 0; c < cols; ++c) m(r, c) = value();
        return m;
    };
    const std::vector<std::string> titles = {"", "t", "Ünïcode ∂J/∂w", "tab\tand \"quotes\""};

    for (int trial = 0; trial < 300; ++trial) {
        Scene s;
        s.title = titles[static_cast<std::size_t>(uniform(0, 3))];
        s.input = random_matrix(uniform(1, 9), uniform(1, 9));
        s.spec.padding = {uniform(0, 2), uniform(0, 2)};
        s.spec.dilation = {uniform(1, 3), uniform(1, 3)};
        s.spec.stride = {uniform(1, 3), uniform(1, 3)};
        s.spec.mode = uniform(0, 1) ? ConvMode::Convolution : ConvMode::CrossCorrelation;
        s.activation = static_cast<Activation>(uniform(0, 3));
        s.index_base = uniform(0, 1);
        // The largest kernel that still leaves an output along each axis, then smaller.
        const auto max_kernel = [](int input, int padding, int dilation) {
            return (input + 2 * padding - 1) / dilation + 1;
        };
        const int kh = uniform(1, max_kernel(static_cast<int>(s.input.rows()), s.spec.padding.rows,
                                             s.spec.dilation.rows));
        const int kw = uniform(1, max_kernel(static_cast<int>(s.input.cols()), s.spec.padding.cols,
                                             s.spec.dilation.cols));
        s.kernel = random_matrix(kh, kw);
        const Shape out = output_shape({static_cast<int>(s.input.rows()), static_cast<int>(s.input.cols())},
                                       {kh, kw}, s.spec);
        if (uniform(0, 1)) s.upstream = random_matrix(out.rows, out.cols);
        if (uniform(0, 1)) s.target = random_matrix(out.rows, out.cols);

        SCOPED_TRACE("trial " + std::to_string(trial));
        ASSERT_NO_THROW(validate_scene(s));
        const std::string text = scene_to_json(s);
        Scene back;
        ASSERT_NO_THROW(back = parse_scene(text, "s.json")) << text;
        ASSERT_TRUE(same_scene(back, s)) << text;
        EXPECT_EQ(scene_to_json(back), text);
    }
}

// --- loading -----------------------------------------------------------------------

TEST(SceneLoad, MissingFileAndDirectory) {
    TempDir dir;
    const std::string missing = (dir.path() / "nope.json").string();
    try {
        load_scene(missing);
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "cannot read " + missing + ": No such file or directory");
    }
    try {
        load_scene(dir.path().string());
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "cannot read " + dir.path().string() + ": Is a directory");
    }
}

TEST(SceneLoad, ErrorsFromAFileNameThePath) {
    TempDir dir;
    const std::string path = (dir.path() / "bad.json").string();
    write_file_atomically(path, with("kernel", {{1, "x"}}));
    try {
        load_scene(path);
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  path + ": key \"kernel\", row 1, column 2: expected a finite number, got string \"x\"");
    }
}

TEST(SceneLoad, DashReadsStandardInput) {
    TempDir dir;
    const std::string path = (dir.path() / "stdin.json").string();
    write_file_atomically(path, with("stride", 0));
    const int saved = ::dup(0);
    ASSERT_GE(saved, 0);
    const int fd = ::open(path.c_str(), O_RDONLY);
    ASSERT_GE(fd, 0);
    ::dup2(fd, 0);
    ::close(fd);
    std::string message = "(no error)";
    try {
        load_scene("-");
    } catch (const InputError& e) {
        message = e.what();
    }
    ::dup2(saved, 0);
    ::close(saved);
    std::cin.clear();
    ::clearerr(stdin);
    EXPECT_EQ(message, "<stdin>: key \"stride\": rows: 0 is below 1");
}

// --- atomic writes -----------------------------------------------------------------

TEST(SceneAtomicWrite, WritesReplacesAndLeavesNoTemporaries) {
    TempDir dir;
    const std::string path = (dir.path() / "a.json").string();
    write_file_atomically(path, "first");
    EXPECT_EQ(read_file(path), "first");
    write_file_atomically(path, "second, longer");
    EXPECT_EQ(read_file(path), "second, longer");
    write_file_atomically(path, "");
    EXPECT_EQ(read_file(path), "");
    EXPECT_EQ(dir.names(), std::vector<std::string>{"a.json"});
}

TEST(SceneAtomicWrite, RelativePathInTheCurrentDirectory) {
    TempDir dir;
    const fs::path before = fs::current_path();
    fs::current_path(dir.path());
    write_file_atomically("here.json", "x");
    fs::current_path(before);
    EXPECT_EQ(read_file((dir.path() / "here.json").string()), "x");
    EXPECT_EQ(dir.names(), std::vector<std::string>{"here.json"});
}

TEST(SceneAtomicWrite, KeepsThePermissionsOfTheFileItReplaces) {
    TempDir dir;
    const std::string path = (dir.path() / "shared.json").string();
    write_file_atomically(path, "old");
    ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
    write_file_atomically(path, "new");
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0640u);
}

TEST(SceneAtomicWrite, TargetIsADirectory) {
    TempDir dir;
    const fs::path target = dir.path() / "sub";
    fs::create_directory(target);
    fs::path inside = target / "keep";
    write_file_atomically(inside.string(), "kept");
    try {
        write_file_atomically(target.string(), "x");
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "cannot write " + target.string() + ": Is a directory");
    }
    EXPECT_TRUE(fs::is_directory(target));
    EXPECT_EQ(read_file(inside.string()), "kept");
    EXPECT_EQ(dir.names(), std::vector<std::string>{"sub"});
}

TEST(SceneAtomicWrite, ParentDirectoryMissing) {
    TempDir dir;
    const std::string path = (dir.path() / "no" / "such.json").string();
    try {
        write_file_atomically(path, "x");
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "cannot write " + path + ": No such file or directory");
    }
    EXPECT_TRUE(dir.names().empty());
    EXPECT_THROW(save_scene(default_scene(), path), InputError);
}

// A write that fails half-way, after the temporary exists: the file-size limit makes
// write() fail with EFBIG (root is bound by it too, unlike by permissions).
TEST(SceneAtomicWrite, FailedWriteKeepsTheOldFileAndRemovesTheTemporary) {
    TempDir dir;
    const std::string path = (dir.path() / "scene.json").string();
    save_scene(default_scene(), path);
    const std::string old = read_file(path);

    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
    auto* saved_handler = ::signal(SIGXFSZ, SIG_IGN);
    rlimit small = saved;
    small.rlim_cur = 16;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
    std::string message = "(no error)";
    try {
        write_file_atomically(path, std::string(4096, 'x'));
    } catch (const InputError& e) {
        message = e.what();
    }
    // Restored before any assertion: gtest's own output could hit the limit otherwise.
    ::setrlimit(RLIMIT_FSIZE, &saved);
    ::signal(SIGXFSZ, saved_handler);

    EXPECT_EQ(message, "cannot write " + path + ": File too large");
    EXPECT_EQ(read_file(path), old);
    EXPECT_EQ(dir.names(), std::vector<std::string>{"scene.json"});
}

TEST(SceneAtomicWrite, ReadFileErrors) {
    TempDir dir;
    try {
        read_file(dir.path().string());
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "cannot read " + dir.path().string() + ": Is a directory");
    }
    EXPECT_THROW(read_file((dir.path() / "missing").string()), InputError);
    EXPECT_THROW(write_file_atomically("", "x"), InputError);
}

}  // namespace
}  // namespace convlens

// A resize changes shapes; comparing such scenes must say "different", not assert.
TEST(SceneEquality, DifferentShapesCompareUnequal) {
    const convlens::Scene a = convlens::default_scene();
    convlens::Scene b = a;
    EXPECT_TRUE(a == b);
    b.input = convlens::Matrix::Zero(2, 2);
    EXPECT_FALSE(a == b);
    b = a;
    b.upstream.reset();
    EXPECT_FALSE(a == b);
    b = a;
    (*b.upstream)(0, 0) += 1;
    EXPECT_FALSE(a == b);
}
