// [SECTION] The controls: shapes, geometry per axis, mode, activation, loss source, index
// base, kernel presets and "randomize". Each control edits a copy and calls apply_edit.
#include <cmath>
#include <string>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "math_draw.h"
#include "panels.h"

namespace convlens {
namespace {

int rows_of(const Matrix& m) { return static_cast<int>(m.rows()); }
int cols_of(const Matrix& m) { return static_cast<int>(m.cols()); }

// A table row "label | rows | cols" of two integer fields. Typed numbers apply on Enter
// (each keystroke would resize through every intermediate size and drop values);
// the +/- buttons apply at once.
bool axis_row(const FontSet& fonts, const char* id, const std::string& label_tex, int* rows,
              int* cols, int low, int high) {
    ImGui::PushID(id);
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::AlignTextToFramePadding();
    math_label(fonts, label_tex);
    bool changed = false;
    int* values[2] = {rows, cols};
    for (int axis = 0; axis < 2; ++axis) {
        ImGui::TableSetColumnIndex(axis + 1);
        ImGui::SetNextItemWidth(-1);
        ImGui::PushID(axis);
        if (ImGui::InputInt("##v", values[axis], 1, 1, ImGuiInputTextFlags_EnterReturnsTrue)) {
            *values[axis] = std::clamp(*values[axis], low, high);
            changed = true;
        }
        ImGui::PopID();
    }
    ImGui::PopID();
    return changed;
}

void section(const char* title) {
    ImGui::Spacing();
    ImGui::TextDisabled("%s", title);
    ImGui::Separator();
}

void shapes(AppState& s) {
    section("SHAPES  (rows, columns)");
    const Scene& scene = s.scene;
    if (!ImGui::BeginTable("shapes", 3, ImGuiTableFlags_SizingStretchProp)) return;
    ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthFixed, 92 * ui_scale(s));
    ImGui::TableSetupColumn("rows", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("cols", ImGuiTableColumnFlags_WidthStretch);

    int h = rows_of(scene.input), w = cols_of(scene.input);
    if (axis_row(s.fonts, "input", "input z^l", &h, &w, 1, kMaxInputExtent))
        apply_edit(s, with_input_shape(scene, h, w));
    int kh = rows_of(scene.kernel), kw = cols_of(scene.kernel);
    if (axis_row(s.fonts, "kernel", "kernel w", &kh, &kw, 1, kMaxKernelExtent))
        apply_edit(s, with_kernel_shape(s.scene, kh, kw));

    ConvSpec spec = s.scene.spec;
    bool spec_changed = false;
    spec_changed |= axis_row(s.fonts, "stride", "stride s", &spec.stride.rows, &spec.stride.cols, 1, kMaxStride);
    spec_changed |= axis_row(s.fonts, "padding", "padding P", &spec.padding.rows, &spec.padding.cols, 0, kMaxPadding);
    spec_changed |= axis_row(s.fonts, "dilation", "dilation d", &spec.dilation.rows, &spec.dilation.cols, 1, kMaxDilation);
    if (spec_changed) apply_edit(s, with_spec(s.scene, spec));
    ImGui::EndTable();

    if (s.results) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("output");
        ImGui::SameLine();
        math_label(s.fonts, "z^{l+1}");
        ImGui::SameLine(0, 0);
        ImGui::Text(":  %d \xC3\x97 %d", rows_of(s.results->output), cols_of(s.results->output));
    }
}

void layer_options(AppState& s) {
    section("LAYER");
    const float label_w = 110 * ui_scale(s);
    Scene candidate = s.scene;

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("mode");
    ImGui::SameLine(label_w);
    int mode = s.scene.spec.mode == ConvMode::Convolution ? 1 : 0;
    const char* modes[] = {"cross-correlation", "convolution (flipped)"};
    ImGui::SetNextItemWidth(-1);
    if (ImGui::Combo("##mode", &mode, modes, 2)) {
        candidate.spec.mode = mode == 1 ? ConvMode::Convolution : ConvMode::CrossCorrelation;
        apply_edit(s, candidate);
    }

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("activation f");
    ImGui::SameLine(label_w);
    int act = static_cast<int>(s.scene.activation);
    const char* acts[] = {"identity", "relu", "sigmoid", "tanh"};
    ImGui::SetNextItemWidth(-1);
    if (ImGui::Combo("##activation", &act, acts, 4)) {
        candidate = s.scene;
        candidate.activation = static_cast<Activation>(act);
        apply_edit(s, candidate);
    }

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("indices from");
    ImGui::SameLine(label_w);
    int base = s.scene.index_base;
    bool base_changed = ImGui::RadioButton("1 (textbook)", &base, 1);
    ImGui::SameLine();
    base_changed |= ImGui::RadioButton("0", &base, 0);
    if (base_changed) {
        candidate = s.scene;
        candidate.index_base = base;
        apply_edit(s, candidate);
    }
}

void loss_options(AppState& s) {
    section("WHERE THE ERROR COMES FROM");
    const LossSource current = loss_source(s.scene);
    struct Choice {
        LossSource source;
        const char* id;
        const char* tex;
    };
    const Choice choices[] = {
        {LossSource::Sum, "sum", "J = \\sum\\, z^{l+1}   (\\delta^{l+1} = 1)"},
        {LossSource::Target, "target", "J = ½ \\sum\\, (z^{l+1} - t)^2"},
        {LossSource::Upstream, "upstream", "\\delta^{l+1} given (edit it on the canvas)"},
    };
    for (const Choice& c : choices) {
        ImGui::PushID(c.id);
        if (ImGui::RadioButton("##loss", current == c.source) && current != c.source)
            apply_edit(s, with_loss_source(s.scene, c.source, s.loss_stash));
        ImGui::SameLine();
        math_label(s.fonts, c.tex);
        ImGui::PopID();
    }
    if (current == LossSource::Target && s.scene.target) {
        const Matrix& t = *s.scene.target;
        if (t.rows() > 8 || t.cols() > 8) {
            ImGui::TextDisabled("target t is %d x %d: edit it in the scene file", rows_of(t), cols_of(t));
            return;
        }
        math_label(s.fonts, "target t  (Enter applies)");
        const float cell_w = std::max(44.0f * ui_scale(s),
                                      (ImGui::GetContentRegionAvail().x - 4 * t.cols()) / t.cols());
        for (int r = 0; r < t.rows(); ++r)
            for (int c = 0; c < t.cols(); ++c) {
                ImGui::PushID(r * 1000 + c);
                if (c > 0) ImGui::SameLine(0, 4);
                double v = t(r, c);
                ImGui::SetNextItemWidth(cell_w);
                if (ImGui::InputDouble("##t", &v, 0, 0, "%g", ImGuiInputTextFlags_EnterReturnsTrue) &&
                    std::isfinite(v)) {
                    Scene candidate = s.scene;
                    // The copy has a target as s.scene does; the test lets GCC 12 -O3 see it
                    // (else -Wmaybe-uninitialized on the empty optional's matrix).
                    if (candidate.target) (*candidate.target)(r, c) = v;
                    apply_edit(s, candidate);
                }
                ImGui::PopID();
            }
    }
}

void presets(AppState& s) {
    section("KERNEL PRESETS");
    const KernelPreset all[] = {KernelPreset::Identity, KernelPreset::BoxBlur,
                                KernelPreset::SobelX, KernelPreset::Laplacian};
    const float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
    for (int i = 0; i < 4; ++i) {
        if (i % 2) ImGui::SameLine();
        if (ImGui::Button(preset_name(all[i]), ImVec2(w, 0)))
            apply_edit(s, with_kernel_preset(s.scene, all[i]));
    }

    section("RANDOMIZE  (integers -3..3)");
    const bool has_upstream = s.scene.upstream.has_value();
    const bool has_target = s.scene.target.has_value();
    const int buttons = 2 + (has_upstream || has_target ? 1 : 0);
    const float bw = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * (buttons - 1)) / buttons;
    Scene candidate = s.scene;
    if (ImGui::Button("input##rnd", ImVec2(bw, 0))) {
        candidate.input = random_small_integers(rows_of(candidate.input), cols_of(candidate.input), s.rng);
        apply_edit(s, candidate);
    }
    ImGui::SameLine();
    if (ImGui::Button("kernel##rnd", ImVec2(bw, 0))) {
        candidate.kernel = random_small_integers(rows_of(candidate.kernel), cols_of(candidate.kernel), s.rng);
        apply_edit(s, candidate);
    }
    if (has_upstream || has_target) {
        ImGui::SameLine();
        Matrix& m = has_upstream ? *candidate.upstream : *candidate.target;
        if (ImGui::Button(has_upstream ? "upstream##rnd" : "target##rnd", ImVec2(bw, 0))) {
            m = random_small_integers(rows_of(m), cols_of(m), s.rng);
            apply_edit(s, candidate);
        }
    }
}

void numbers(AppState& s) {
    if (!s.results) return;
    section("CHECKS");
    const LayerResults& r = *s.results;
    if (r.loss) ImGui::Text("J = %.6g", *r.loss);
    math_label(s.fonts, "scatter vs. gather (rotated kernel):");
    ImGui::Text("max |difference| = %.3g", r.scatter_gather_difference);
}

}  // namespace

void draw_controls_panel(AppState& s, const ScreenRect& r) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
    if (ImGui::Begin("Layer", nullptr, kPanelFlags)) {
        ImGui::SetNextItemWidth(-1);
        std::string title = s.scene.title;
        if (ImGui::InputTextWithHint("##title", "title of the scene", &title,
                                     ImGuiInputTextFlags_EnterReturnsTrue)) {
            Scene candidate = s.scene;
            candidate.title = title;
            apply_edit(s, candidate);
        }
        shapes(s);
        layer_options(s);
        loss_options(s);
        presets(s);
        numbers(s);
    }
    ImGui::End();
}

}  // namespace convlens
