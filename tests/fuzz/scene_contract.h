// What every loader of a scene file promises, checked by the fuzz targets: a scene that
// loads is computable and survives a save; a refusal is one InputError line naming where.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/layer_results.h"
#include "scene/scene.h"
#include "scene/scene_json.h"

namespace convlens::fuzz {

// A broken promise stops the fuzzer with the reason; libFuzzer then saves the input.
[[noreturn]] inline void broken(const std::string& why) {
    std::fprintf(stderr, "contract broken: %s\n", why.c_str());
    std::abort();
}

inline void check_finite(const Matrix& m, const char* key) {
    for (Eigen::Index r = 0; r < m.rows(); ++r)
        for (Eigen::Index c = 0; c < m.cols(); ++c)
            if (!std::isfinite(m(r, c))) broken(std::string(key) + " holds a non-finite number");
}

// The scene a loader accepted: finite numbers, shapes within the caps, an upstream or
// target of the output's shape, a layer that computes, and a save that reads back equal.
inline void check_loaded_scene(const Scene& scene) {
    const auto within = [](const Matrix& m, int cap) {
        return m.rows() >= 1 && m.cols() >= 1 && m.rows() <= cap && m.cols() <= cap;
    };
    if (!within(scene.input, kMaxInputExtent)) broken("input shape outside the caps");
    if (!within(scene.kernel, kMaxKernelExtent)) broken("kernel shape outside the caps");
    check_finite(scene.input, "input");
    check_finite(scene.kernel, "kernel");
    if (scene.index_base != 0 && scene.index_base != 1) broken("index_base not 0 or 1");

    // Independent of the loader: the output extent from DESIGN.md's formula in 64 bits.
    const auto extent = [](long long n, long long k, long long s, long long p, long long d) {
        const long long room = n + 2 * p - d * (k - 1) - 1;
        return room < 0 ? 0 : room / s + 1;
    };
    const long long rows = extent(scene.input.rows(), scene.kernel.rows(), scene.spec.stride.rows,
                                  scene.spec.padding.rows, scene.spec.dilation.rows);
    const long long cols = extent(scene.input.cols(), scene.kernel.cols(), scene.spec.stride.cols,
                                  scene.spec.padding.cols, scene.spec.dilation.cols);
    if (rows < 1 || cols < 1) broken("a scene with no output loaded");
    for (const auto* m : {&scene.upstream, &scene.target})
        if (m->has_value()) {
            if ((*m)->rows() != rows || (*m)->cols() != cols)
                broken("upstream or target not of the output's shape");
            check_finite(**m, "upstream/target");
        }

    const LayerResults results = compute_layer(scene);
    if (results.output.rows() != rows || results.output.cols() != cols)
        broken("compute_layer's output has another shape than the formula's");
    if (results.grad_input.rows() != scene.input.rows() ||
        results.grad_input.cols() != scene.input.cols())
        broken("delta^l is not of the input's shape");
    if (results.grad_kernel.rows() != scene.kernel.rows() ||
        results.grad_kernel.cols() != scene.kernel.cols())
        broken("dJ/dw is not of the kernel's shape");

    const std::string saved = scene_to_json(scene);
    Scene again;
    try {
        again = parse_scene(saved, "saved.json");
    } catch (const InputError& e) {
        broken(std::string("a saved scene does not load again: ") + e.what());
    }
    if (!(again == scene)) broken("saving and loading again changed the scene");
    if (scene_to_json(again) != saved) broken("a second save differs from the first");
}

// The refusal: one line, starting with the source, saying where: a key, or a line and
// column of the JSON text, or that the whole document is wrong.
inline void check_refusal(const std::string& message, const std::string& source) {
    if (message.find('\n') != std::string::npos || message.find('\r') != std::string::npos)
        broken("the error spans more than one line: " + message);
    if (message.rfind(source + ": ", 0) != 0) broken("the error does not start with the source: " + message);
    const std::string rest = message.substr(source.size() + 2);
    const bool names_key = rest.rfind("key \"", 0) == 0;
    const bool names_place = rest.rfind("invalid JSON at line ", 0) == 0 &&
                             rest.find(", column ") != std::string::npos;
    const bool whole_document = rest.rfind("the file is empty", 0) == 0 ||
                                rest.rfind("expected a JSON object at the top level", 0) == 0 ||
                                rest.rfind("number ", 0) == 0;  // an overflowing top-level number
    if (!names_key && !names_place && !whole_document)
        broken("the error names neither a key nor a place: " + message);
}

}  // namespace convlens::fuzz
