// [SECTION] The controls: shapes, geometry per axis, mode, activation, loss source, index
// base, kernel presets and "randomize". Each control edits a copy and calls apply_edit.
#include <algorithm>
#include <cmath>
#include <string>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "layout_probe.h"
#include "math_draw.h"
#include "lesson/gather_form.h"
#include "panels.h"

namespace convlens {
namespace {

int rows_of(const Matrix& m) { return static_cast<int>(m.rows()); }
int cols_of(const Matrix& m) { return static_cast<int>(m.cols()); }

// [SECTION] What the rows need: the panel is never narrower than its widest row at its
// natural width (controls_min_width), so no field shrinks to nothing at 200 %.

// The shape rows' labels, widest first in no particular order.
constexpr const char* kShapeLabels[] = {"input z^l", "kernel w", "stride s", "padding P", "dilation d"};
constexpr const char* kLayerLabels[] = {"mode", "activation f", "indices from"};
constexpr const char* kModes[] = {"cross-correlation", "convolution (flipped)"};
constexpr const char* kActivations[] = {"identity", "relu", "sigmoid", "tanh"};
constexpr const char* kLossTex[] = {"J = \\sum\\, z^{l+1}   (\\delta^{l+1} = 1)", "J = ½ \\sum\\, (z^{l+1} - t)^2",
                                    "\\delta^{l+1} given (edit it on the canvas)"};

float text_width(const char* text) { return ImGui::CalcTextSize(text).x; }

// An integer field with its - and + buttons, wide enough for "-000".
float int_field_width() {
    const ImGuiStyle& st = ImGui::GetStyle();
    return text_width("-000") + 2 * st.FramePadding.x + 2 * (ImGui::GetFrameHeight() + st.ItemInnerSpacing.x);
}

// The part of an integer field of `width` that shows its digits.
float int_text_width(float width) {
    return width - 2 * (ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x);
}

float shape_label_width(const FontSet& fonts) {
    float widest = 0;
    for (const char* label : kShapeLabels) widest = std::max(widest, math_width(fonts, label));
    return widest;
}

float layer_label_width() {
    float widest = 0;
    for (const char* label : kLayerLabels) widest = std::max(widest, text_width(label));
    return widest + ImGui::GetStyle().ItemSpacing.x * 2;
}

float combo_width(const char* const* items, int count) {
    float widest = 0;
    for (int k = 0; k < count; ++k) widest = std::max(widest, text_width(items[k]));
    return widest + ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().FramePadding.x;
}

float radio_width(float label_width) {
    const ImGuiStyle& st = ImGui::GetStyle();
    return ImGui::GetFrameHeight() + st.ItemInnerSpacing.x + label_width;
}

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
    probe_item("label");
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
        probe_item("int field", int_text_width(ImGui::GetItemRectSize().x));
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
    ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthFixed, shape_label_width(s.fonts));
    ImGui::TableSetupColumn("rows", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("cols", ImGuiTableColumnFlags_WidthStretch);

    int h = rows_of(scene.input), w = cols_of(scene.input);
    if (axis_row(s.fonts, "input", kShapeLabels[0], &h, &w, 1, kMaxInputExtent))
        apply_edit(s, with_input_shape(scene, h, w));
    int kh = rows_of(scene.kernel), kw = cols_of(scene.kernel);
    if (axis_row(s.fonts, "kernel", kShapeLabels[1], &kh, &kw, 1, kMaxKernelExtent))
        apply_edit(s, with_kernel_shape(s.scene, kh, kw));

    ConvSpec spec = s.scene.spec;
    bool spec_changed = false;
    spec_changed |= axis_row(s.fonts, "stride", kShapeLabels[2], &spec.stride.rows, &spec.stride.cols, 1, kMaxStride);
    spec_changed |= axis_row(s.fonts, "padding", kShapeLabels[3], &spec.padding.rows, &spec.padding.cols, 0, kMaxPadding);
    spec_changed |= axis_row(s.fonts, "dilation", kShapeLabels[4], &spec.dilation.rows, &spec.dilation.cols, 1, kMaxDilation);
    if (spec_changed) apply_edit(s, with_spec(s.scene, spec));
    ImGui::EndTable();

    if (s.results) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("output");
        ImGui::SameLine();
        math_label(s.fonts, "z^{l+1}");
        ImGui::SameLine(0, 0);
        ImGui::Text(":  %d \xC3\x97 %d", rows_of(s.results->output), cols_of(s.results->output));
        probe_item("output shape");
    }
}

void layer_options(AppState& s) {
    section("LAYER");
    const float label_w = layer_label_width();
    // Copied only when a control changes: a copy per frame is 8 MB of fresh pages at 1024x1024.
    Scene candidate;

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(kLayerLabels[0]);
    probe_item("label");
    ImGui::SameLine(label_w);
    int mode = s.scene.spec.mode == ConvMode::Convolution ? 1 : 0;
    ImGui::SetNextItemWidth(-1);
    const bool mode_changed = ImGui::Combo("##mode", &mode, kModes, 2);
    probe_item("combo", ImGui::GetItemRectSize().x - ImGui::GetFrameHeight());
    if (mode_changed) {
        candidate = s.scene;
        candidate.spec.mode = mode == 1 ? ConvMode::Convolution : ConvMode::CrossCorrelation;
        apply_edit(s, candidate);
    }

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(kLayerLabels[1]);
    probe_item("label");
    ImGui::SameLine(label_w);
    int act = static_cast<int>(s.scene.activation);
    ImGui::SetNextItemWidth(-1);
    const bool act_changed = ImGui::Combo("##activation", &act, kActivations, 4);
    probe_item("combo", ImGui::GetItemRectSize().x - ImGui::GetFrameHeight());
    if (act_changed) {
        candidate = s.scene;
        candidate.activation = static_cast<Activation>(act);
        apply_edit(s, candidate);
    }

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(kLayerLabels[2]);
    probe_item("label");
    ImGui::SameLine(label_w);
    int base = s.scene.index_base;
    bool base_changed = ImGui::RadioButton("1 (textbook)", &base, 1);
    probe_item("radio");
    ImGui::SameLine();
    base_changed |= ImGui::RadioButton("0", &base, 0);
    probe_item("radio");
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
        {LossSource::Sum, "sum", kLossTex[0]},
        {LossSource::Target, "target", kLossTex[1]},
        {LossSource::Upstream, "upstream", kLossTex[2]},
    };
    for (const Choice& c : choices) {
        ImGui::PushID(c.id);
        if (ImGui::RadioButton("##loss", current == c.source) && current != c.source)
            apply_edit(s, with_loss_source(s.scene, c.source, s.loss_stash));
        probe_item("radio");
        ImGui::SameLine();
        math_label(s.fonts, c.tex);
        probe_item("label");
        ImGui::PopID();
    }
    if (current == LossSource::Target && s.scene.target) {
        const Matrix& t = *s.scene.target;
        if (t.rows() > 8 || t.cols() > 8) {
            ImGui::PushTextWrapPos(0);
            ImGui::TextDisabled("target t is %d x %d: edit it in the scene file", rows_of(t), cols_of(t));
            ImGui::PopTextWrapPos();
            return;
        }
        math_label(s.fonts, "target t  (Enter applies)");
        probe_item("label");
        // As wide as the row allows, but never under "-0.00": a wide target wraps its row.
        const float gap = 4 * ui_scale(s);
        const float avail = ImGui::GetContentRegionAvail().x;
        const float least = text_width("-0.00") + 2 * ImGui::GetStyle().FramePadding.x;
        const int per_row = std::clamp(static_cast<int>((avail + gap) / (least + gap)), 1, cols_of(t));
        const float cell_w = (avail - gap * (per_row - 1)) / per_row;
        for (int r = 0; r < t.rows(); ++r)
            for (int c = 0; c < t.cols(); ++c) {
                ImGui::PushID(r * 1000 + c);
                if (c % per_row > 0) ImGui::SameLine(0, gap);
                double v = t(r, c);
                ImGui::SetNextItemWidth(cell_w);
                const bool entered = ImGui::InputDouble("##t", &v, 0, 0, "%g", ImGuiInputTextFlags_EnterReturnsTrue);
                probe_item("target field", ImGui::GetItemRectSize().x);
                if (entered && std::isfinite(v)) {
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
        const bool pressed = ImGui::Button(preset_name(all[i]), ImVec2(w, 0));
        probe_item("button");
        if (pressed) apply_edit(s, with_kernel_preset(s.scene, all[i]));
    }

    section("RANDOMIZE  (integers -3..3)");
    const bool has_upstream = s.scene.upstream.has_value();
    const bool has_target = s.scene.target.has_value();
    const int buttons = 2 + (has_upstream || has_target ? 1 : 0);
    const float bw = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * (buttons - 1)) / buttons;
    Scene candidate;  // copied only when a button is pressed (8 MB at 1024x1024)
    const bool input_pressed = ImGui::Button("input##rnd", ImVec2(bw, 0));
    probe_item("button");
    if (input_pressed) {
        candidate = s.scene;
        candidate.input = random_small_integers(rows_of(candidate.input), cols_of(candidate.input), s.rng);
        apply_edit(s, candidate);
    }
    ImGui::SameLine();
    const bool kernel_pressed = ImGui::Button("kernel##rnd", ImVec2(bw, 0));
    probe_item("button");
    if (kernel_pressed) {
        candidate = s.scene;
        candidate.kernel = random_small_integers(rows_of(candidate.kernel), cols_of(candidate.kernel), s.rng);
        apply_edit(s, candidate);
    }
    if (has_upstream || has_target) {
        ImGui::SameLine();
        const bool pressed = ImGui::Button(has_upstream ? "upstream##rnd" : "target##rnd", ImVec2(bw, 0));
        probe_item("button");
        if (pressed) {
            candidate = s.scene;
            Matrix& m = has_upstream ? *candidate.upstream : *candidate.target;
            m = random_small_integers(rows_of(m), cols_of(m), s.rng);
            apply_edit(s, candidate);
        }
    }
}

void numbers(AppState& s) {
    if (!s.results) return;
    section("CHECKS");
    const LayerResults& r = *s.results;
    if (r.loss) {
        ImGui::Text("J = %.6g", *r.loss);
        probe_item("text");
    }
    math_label(s.fonts, scatter_gather_check_label(s.computed_scene.spec.mode));
    probe_item("text");
    if (r.fast_path)  // one form only on a photograph (LayerResults::fast_path)
        ImGui::TextWrapped("large layer: the fast engine computed one form; the tests hold it "
                           "to the scatter form");
    else
        ImGui::Text("max |difference| = %.3g", r.scatter_gather_difference);
    probe_item("text");
}

}  // namespace

float controls_min_width(const AppState& s) {
    const ImGuiStyle& st = ImGui::GetStyle();
    // Shapes: label column and two integer fields, each cell padded on both sides.
    const float shapes = shape_label_width(s.fonts) + 2 * int_field_width() + 6 * st.CellPadding.x;
    const float layer = layer_label_width() + std::max(combo_width(kModes, 2), combo_width(kActivations, 4));
    const float indices = layer_label_width() + radio_width(text_width("1 (textbook)")) + st.ItemSpacing.x +
                          radio_width(text_width("0"));
    float loss = 0;
    for (const char* tex : kLossTex)
        loss = std::max(loss, radio_width(0) + st.ItemSpacing.x + math_width(s.fonts, tex));
    const float randomize = 3 * (text_width("upstream") + 2 * st.FramePadding.x) + 2 * st.ItemSpacing.x;
    const float content = std::max({shapes, layer, indices, loss, randomize});
    return content + 2 * st.WindowPadding.x + st.ScrollbarSize;
}

void draw_controls_panel(AppState& s, const ScreenRect& r) {
    ImGui::SetNextWindowPos(ImVec2(r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
    // Narrower than its rows (a tiny window at a large interface size): it scrolls sideways
    // rather than squeeze a field to nothing.
    const ImGuiStyle& st = ImGui::GetStyle();
    const float least = controls_min_width(s);
    if (r.w < least) ImGui::SetNextWindowContentSize(ImVec2(least - 2 * st.WindowPadding.x - st.ScrollbarSize, 0));
    if (ImGui::Begin("Layer", nullptr, kPanelFlags | ImGuiWindowFlags_HorizontalScrollbar)) {
        probe_panel("controls");
        ImGui::SetNextItemWidth(-1);
        std::string title = s.scene.title;
        const bool title_entered = ImGui::InputTextWithHint("##title", "title of the scene", &title,
                                                            ImGuiInputTextFlags_EnterReturnsTrue);
        probe_item("title field");
        if (title_entered) {
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
