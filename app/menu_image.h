// Images and kernel presets in the window: File > Open Image (path, size, grey range), an
// image dropped onto the window, the image example scenes, and the Kernel menu's filters.
// Every change goes through apply_edit, so it is undoable and a refused one keeps the scene.
#pragma once

#include <optional>
#include <string>

#include "app_state.h"
#include "engine/conv_spec.h"

namespace convlens {

// Makes the image at path z^l of the current scene, titled by its file name (kernel,
// geometry and activation kept;
// a given upstream or target of another shape gives way to J = sum z^{l+1}, stashed for
// the loss switch). Errors name the file on the window's error line; false then.
bool open_image(AppState& state, const std::string& path, const std::optional<Shape>& size,
                double low, double high);
// The same, decoded and resized on the image loader's thread (image_loader.h): the status
// line says "loading NAME..." meanwhile and land_loaded_image applies it.
void request_image(AppState& state, ImageRequest request);
// A dropped image: its own size when it fits the input cap, else scaled to fit, in [0, 1];
// requested as above (true: the drop was taken).
bool open_dropped_image(AppState& state, const std::string& path);
// Once a frame: the newest requested image, when decoded, becomes z^l as one undoable edit
// (open_image's rules), or its error line names the file and the scene stays.
void land_loaded_image(AppState& state);

// Menu items for draw_menu_bar (menu_file.cpp): "Open Image..." in File, the example image
// scenes inside Examples, and the Kernel menu on the bar.
void image_file_menu_items(AppState& state);
void image_examples_menu_items(AppState& state);
void draw_kernel_menu(AppState& state);
// The Open Image modal, drawn every frame like the other dialogs (window.cpp).
void draw_open_image_dialog(AppState& state);

}  // namespace convlens
