// [SECTION] File > Open Image, dropped images, the image examples and the Kernel menu.
// The dialog's state is this file's own (one modal at a time, nothing else reads it).
#include "menu_image.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <vector>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "document.h"
#include "panels.h"
#include "path_picker.h"
#include "scene/image_input.h"
#include "scene/kernel_presets.h"

namespace convlens {
namespace {

namespace fs = std::filesystem;

struct ImageDialog {
    bool open_requested = false;
    bool open = false;
    std::string path;
    std::string measured_path;     // the path `extent` was read from
    std::optional<Shape> extent;   // the image's own rows and columns, when readable
    std::string extent_error;      // why it is not
    bool resize = false;
    int rows = 0, cols = 0;
    int range = 0;                 // 0: [0, 1], 1: [-1, 1]
    std::string error;
};

ImageDialog& dialog() {
    static ImageDialog d;
    return d;
}

// The Gaussian and box blur the Kernel menu offers besides its own fields.
struct SizedFilter {
    int size;
    double sigma;
};
constexpr SizedFilter kGaussians[] = {{3, 1.0}, {5, 1.0}, {7, 1.5}, {11, 2.0}};
constexpr int kBoxSizes[] = {3, 5, 7, 9};

// The grey range's choices; "range" in a scene file may hold any other.
constexpr double kRangeLow[] = {0, -1};

std::string start_folder(const AppState& s) {
    std::error_code ec;
    if (!s.scene_path.empty()) return fs::path(s.scene_path).parent_path().string() + "/";
    return fs::current_path(ec).string() + "/";
}

// Reads the header of a newly typed path once, so the dialog can say the image's size
// and propose one that fits.
void measure(ImageDialog& d) {
    if (d.path == d.measured_path) return;
    d.measured_path = d.path;
    d.extent.reset();
    d.extent_error.clear();
    std::error_code ec;
    if (d.path.empty() || !fs::is_regular_file(d.path, ec)) return;
    try {
        d.extent = image_extent(read_image_file(d.path, d.path), d.path);
        const Shape fitted = fit_within(*d.extent, kMaxInputExtent);
        d.resize = !(fitted == *d.extent);
        d.rows = fitted.rows;
        d.cols = fitted.cols;
    } catch (const InputError& e) {
        d.extent_error = e.what();
    }
}

bool set_kernel(AppState& s, const Matrix& kernel, const std::string& name) {
    Scene candidate = s.scene;
    candidate.kernel = kernel;
    conform_to_output(candidate);
    if (!apply_edit(s, std::move(candidate))) return false;
    s.notice = "Kernel: " + name;
    return true;
}

void filter_item(AppState& s, KernelFilter filter) {
    if (ImGui::MenuItem(filter_name(filter))) set_kernel(s, filter_kernel(filter), filter_name(filter));
}

std::string gaussian_label(int size, double sigma) {
    char text[64];
    std::snprintf(text, sizeof text, "%dx%d, sigma %g", size, size, sigma);
    return text;
}

}  // namespace

namespace {

// The loaded pixels become z^l as one undoable edit (the rest of the scene kept).
bool use_image(AppState& s, const std::string& path, LoadedImage loaded, double low, double high) {
    Scene candidate = s.scene;
    candidate.input = std::move(loaded.pixels);
    candidate.input_image = std::move(loaded.source);
    candidate.title = fs::path(path).filename().string();
    // An upstream or target made for the old output would keep only its corner: the sum
    // loss (delta^{l+1} all ones) is the honest start, and the loss switch brings them back.
    Shape output;
    try {
        output = output_shape({int(candidate.input.rows()), int(candidate.input.cols())},
                              {int(candidate.kernel.rows()), int(candidate.kernel.cols())},
                              candidate.spec);
    } catch (const InputError&) {
        output = {};
    }
    const Matrix* loss = candidate.upstream ? &*candidate.upstream
                                            : candidate.target ? &*candidate.target : nullptr;
    if (loss && (loss->rows() != output.rows || loss->cols() != output.cols))
        candidate = with_loss_source(std::move(candidate), LossSource::Sum, s.loss_stash);
    if (!apply_edit(s, std::move(candidate))) {
        s.error = fs::path(path).filename().string() + ": " + s.error;
        return false;
    }
    s.error.clear();
    s.notice = "z^l is " + fs::path(path).filename().string() + " (" +
               std::to_string(s.scene.input.rows()) + "x" + std::to_string(s.scene.input.cols()) +
               ", grey " + (low == 0 && high == 1 ? "0..1" : low == -1 && high == 1 ? "-1..1" : "scaled") + ")";
    return true;
}

}  // namespace

bool open_image(AppState& s, const std::string& path, const std::optional<Shape>& size,
                double low, double high) {
    LoadedImage loaded;
    try {
        loaded = load_image(path, size, low, high);
    } catch (const InputError& e) {
        s.error = e.what();
        return false;
    }
    return use_image(s, path, std::move(loaded), low, high);
}

void request_image(AppState& s, ImageRequest request) {
    const std::string name = fs::path(request.path).filename().string();
    s.image_loader.request(std::move(request));
    s.notice = "loading " + name + "...";
    s.wants_frames = true;
    s.frame_clock.image_requested(now_seconds(), name);
}

bool open_dropped_image(AppState& s, const std::string& path) {
    ImageRequest request;
    request.path = path;
    request.fit = true;  // its own size, or scaled to fit the input cap
    request_image(s, std::move(request));
    return true;
}

void land_loaded_image(AppState& s) {
    std::optional<LoadedRequest> done = s.image_loader.take();
    if (!done) return;
    s.wants_frames = true;
    if (s.notice.rfind("loading ", 0) == 0) s.notice.clear();
    if (done->image) {
        use_image(s, done->request.path, std::move(*done->image), done->request.low, done->request.high);
    } else {
        s.error = done->error;  // names the file; the scene stays
    }
    s.frame_clock.image_landed(now_seconds());
}

void image_file_menu_items(AppState& s) {
    if (ImGui::MenuItem("Open Image as z^l...")) {
        ImageDialog& d = dialog();
        d.open_requested = true;
        d.error.clear();
        if (d.path.empty()) d.path = start_folder(s);
    }
}

void image_examples_menu_items(AppState& s) {
    const fs::path folder = fs::path(CONVLENS_ASSET_DIR) / "images";
    std::error_code ec;
    std::vector<fs::path> files;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".json") files.push_back(it->path());
    if (files.empty()) return;
    std::sort(files.begin(), files.end());
    ImGui::Separator();
    ImGui::TextDisabled("with an image as z^l");
    for (const fs::path& f : files)
        if (ImGui::MenuItem(f.filename().c_str())) open_scene_file(s, f.string());
}

void draw_kernel_menu(AppState& s) {
    if (!ImGui::BeginMenu("Kernel")) return;
    if (ImGui::BeginMenu("Presets")) {
        filter_item(s, KernelFilter::SobelX);
        filter_item(s, KernelFilter::SobelY);
        filter_item(s, KernelFilter::Laplacian);
        filter_item(s, KernelFilter::Sharpen);
        if (ImGui::BeginMenu("Gaussian")) {
            for (const SizedFilter& g : kGaussians) {
                const std::string label = gaussian_label(g.size, g.sigma);
                if (ImGui::MenuItem(label.c_str()))
                    set_kernel(s, gaussian(g.size, g.sigma), "Gaussian " + label);
            }
            ImGui::Separator();
            static int size = 9;
            static double sigma = 2.0;
            ImGui::SetNextItemWidth(120 * ui_scale(s));
            ImGui::InputInt("size", &size);
            size = std::clamp(size, 1, kMaxKernelExtent);
            ImGui::SetNextItemWidth(120 * ui_scale(s));
            ImGui::InputDouble("sigma", &sigma, 0.1, 1.0, "%.2f");
            sigma = std::clamp(sigma, 0.05, 100.0);
            if (ImGui::MenuItem("Set this Gaussian"))
                set_kernel(s, gaussian(size, sigma), "Gaussian " + gaussian_label(size, sigma));
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu("Box blur")) {
            for (int n : kBoxSizes) {
                const std::string label = std::to_string(n) + "x" + std::to_string(n);
                if (ImGui::MenuItem(label.c_str())) set_kernel(s, box_blur(n), "box blur " + label);
            }
            ImGui::EndMenu();
        }
        ImGui::EndMenu();
    }
    ImGui::EndMenu();
}

void draw_open_image_dialog(AppState& s) {
    ImageDialog& d = dialog();
    const char* title = "Open image as z^l";
    if (d.open_requested) {
        ImGui::OpenPopup(title);
        d.open_requested = false;
        d.open = true;
    }
    if (!d.open) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x / 2, vp->Pos.y + vp->Size.y / 3),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(vp->Size.x * 0.8f, 720 * ui_scale(s)), 0));
    if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_NoSavedSettings)) {
        d.open = false;
        return;
    }
    ImGui::TextUnformatted("Path of a PNG or JPEG image (read as grey levels):");
    const auto image_file = [](const std::string& name) { return looks_like_image_path(name); };
    bool confirm = path_picker("image path", d.path, image_file, 8);

    measure(d);
    if (d.extent)
        ImGui::Text("The image has %d rows and %d columns.", d.extent->rows, d.extent->cols);
    else if (!d.extent_error.empty())
        ImGui::TextWrapped("%s", d.extent_error.c_str());
    ImGui::Checkbox("Resize to", &d.resize);
    ImGui::SameLine();
    ImGui::BeginDisabled(!d.resize);
    int shape[2] = {d.rows, d.cols};
    ImGui::SetNextItemWidth(160 * ui_scale(s));
    if (ImGui::InputInt2("rows x columns", shape)) {
        d.rows = std::clamp(shape[0], 1, kMaxInputExtent);
        d.cols = std::clamp(shape[1], 1, kMaxInputExtent);
    }
    ImGui::EndDisabled();
    ImGui::TextUnformatted("Grey levels, black to white:");
    ImGui::SameLine();
    ImGui::RadioButton("0 to 1", &d.range, 0);
    ImGui::SameLine();
    ImGui::RadioButton("-1 to 1", &d.range, 1);

    if (!d.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, to_imgui(s.theme.outside));
        ImGui::TextWrapped("%s", d.error.c_str());
        ImGui::PopStyleColor();
    }
    confirm |= ImGui::Button("Open", ImVec2(120 * ui_scale(s), 0));
    ImGui::SameLine();
    const bool cancel = ImGui::Button("Cancel", ImVec2(120 * ui_scale(s), 0)) ||
                        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
    if (confirm) {
        if (!d.extent) {
            // The header could not be read: the dialog says why and stays open.
            d.error = d.extent_error;
            if (d.error.empty()) {
                try {  // no file, a folder: read_image_file says which, at once
                    image_extent(read_image_file(d.path, d.path), d.path);
                    d.error = "cannot open this image";
                } catch (const InputError& e) {
                    d.error = e.what();
                }
            }
        } else {
            // Decoded and resized off the UI thread; the status line says "loading ..."
            // and its error line names the file should the pixels turn out damaged.
            ImageRequest request;
            request.path = d.path;
            if (d.resize && d.rows > 0 && d.cols > 0) request.size = Shape{d.rows, d.cols};
            request.low = kRangeLow[d.range];
            request_image(s, std::move(request));
            d.open = false;
            ImGui::CloseCurrentPopup();
        }
    } else if (cancel) {
        d.open = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace convlens
