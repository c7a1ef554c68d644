#include "report/report_json.h"

#include <nlohmann/json.hpp>

#include "engine/influence.h"

namespace convlens {
namespace {

// Ordered: keys appear as the command line documents them, not alphabetically.
using json = nlohmann::ordered_json;

// nlohmann writes doubles in the shortest form that reads back to the same value.
json matrix_json(const Matrix& m) {
    json rows = json::array();
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        json row = json::array();
        for (Eigen::Index c = 0; c < m.cols(); ++c) row.push_back(m(r, c));
        rows.push_back(std::move(row));
    }
    return rows;
}

json pair_json(Cell c, int base) { return json::array({c.row + base, c.col + base}); }

const char* reach_name(TapReach reach) {
    switch (reach) {
        case TapReach::Inside: return "inside";
        case TapReach::ZeroPadding: return "zero-padding";
        case TapReach::StrideGap: return "stride-gap";
    }
    return "inside";
}

}  // namespace

std::string compute_report(const LayerResults& results) {
    json out = json::object();
    out["output"] = matrix_json(results.output);
    out["upstream"] = matrix_json(results.upstream);
    out["grad_input"] = matrix_json(results.grad_input);
    out["grad_kernel"] = matrix_json(results.grad_kernel);
    out["loss"] = results.loss ? json(*results.loss) : json(nullptr);
    return out.dump();
}

std::string influence_report(const Scene& scene, const LayerResults& results, int m, int n) {
    const int base = scene.index_base;
    const Cell element{m - base, n - base};
    const auto taps = influence_taps(scene.kernel, results.upstream,
                                     {int(scene.input.rows()), int(scene.input.cols())},
                                     scene.spec, element, base);
    json list = json::array();
    for (const InfluenceTap& t : taps) {
        json tap = json::object();
        tap["tap"] = pair_json(t.tap, base);
        tap["output"] = t.output ? pair_json(*t.output, base) : json(nullptr);
        tap["inside"] = t.reach == TapReach::Inside;
        tap["weight"] = t.weight;
        tap["upstream"] = t.output ? json(t.upstream) : json(nullptr);
        tap["index"] = t.index;
        tap["reach"] = reach_name(t.reach);
        tap["reason"] = t.reason;
        list.push_back(std::move(tap));
    }
    json out = json::object();
    out["element"] = json::array({m, n});
    out["grad_input"] = results.grad_input(element.row, element.col);
    out["taps"] = std::move(list);
    return out.dump();
}

std::string check_report(const Scene& scene, const GradientCheck& check, double tolerance) {
    const int base = scene.index_base;
    json out = json::object();
    out["grad_input"] = {{"max_relative_difference", check.input_max_relative},
                         {"worst", pair_json(check.input_worst, base)},
                         {"checked", check.input_checked},
                         {"skipped_at_relu_kink", check.input_skipped}};
    out["grad_kernel"] = {{"max_relative_difference", check.kernel_max_relative},
                          {"worst", pair_json(check.kernel_worst, base)},
                          {"checked", check.kernel_checked}};
    out["tolerance"] = tolerance;
    out["passed"] = check.passed(tolerance);
    return out.dump();
}

}  // namespace convlens
