// Images decoded off the UI thread: a dropped photo (or File > Open Image) is read, decoded
// and resized by one loader thread while the window keeps drawing; the newest request wins.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "engine/conv_spec.h"
#include "scene/image_input.h"
#include "scene/scene.h"

namespace convlens {

// What to load: the file, its size (else its own, or with fit the largest that fits the
// input cap, as for a drop) and the grey range.
struct ImageRequest {
    std::string path;
    std::optional<Shape> size;
    bool fit = false;
    double low = 0, high = 1;
};

// The pixels of one request, or the one line naming the file that says why there are none.
struct LoadedRequest {
    std::uint64_t generation = 0;
    ImageRequest request;
    std::optional<LoadedImage> image;
    std::string error;
};

// load_image with `fit` applied: the file's header gives its size, scaled to fit
// kMaxInputExtent when larger. Throws InputError naming the file.
LoadedImage load_requested_image(const ImageRequest& request);

// One thread, started by the first request. A request made while an older one decodes
// supersedes it: the older one's pixels are dropped when it ends (a decode cannot be
// cut short), and only the newest request's result is ever handed out.
class ImageLoader {
public:
    // `finished` runs on the loader thread after each load (the window wakes its event
    // loop with it); it must be thread-safe.
    explicit ImageLoader(std::function<void()> finished = {});
    ~ImageLoader();  // waits for the decode under way
    ImageLoader(const ImageLoader&) = delete;
    ImageLoader& operator=(const ImageLoader&) = delete;

    void set_finished(std::function<void()> finished);
    std::uint64_t request(ImageRequest request);  // its generation: 1, 2, ...
    // The newest request's result once it is there (handed out once), else nothing.
    std::optional<LoadedRequest> take();
    bool busy() const;      // the newest request's result is not taken yet
    bool finished() const;  // the newest request's result waits to be taken
    // Blocks until the newest request is finished or `seconds` passed (tests).
    bool wait(double seconds);

    // How a request is loaded; load_requested_image unless a test swaps it before any
    // request.
    std::function<LoadedImage(const ImageRequest&)> load = load_requested_image;

private:
    void run();

    mutable std::mutex mutex_;
    std::condition_variable wake_, done_;
    std::optional<ImageRequest> waiting_;
    std::uint64_t requested_ = 0, taken_ = 0;
    std::optional<LoadedRequest> finished_;
    std::function<void()> on_finished_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace convlens
