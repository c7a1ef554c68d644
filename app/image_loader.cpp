#include "image_loader.h"

#include <chrono>
#include <exception>
#include <utility>

namespace convlens {

LoadedImage load_requested_image(const ImageRequest& r) {
    std::optional<Shape> size = r.size;
    if (!size && r.fit) {
        const Shape extent = image_extent(read_image_file(r.path, r.path), r.path);
        const Shape fitted = fit_within(extent, kMaxInputExtent);
        if (!(fitted == extent)) size = fitted;
    }
    return load_image(r.path, size, r.low, r.high);
}

ImageLoader::ImageLoader(std::function<void()> finished) : on_finished_(std::move(finished)) {}

ImageLoader::~ImageLoader() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        waiting_.reset();
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void ImageLoader::set_finished(std::function<void()> finished) {
    std::lock_guard<std::mutex> lock(mutex_);
    on_finished_ = std::move(finished);
}

std::uint64_t ImageLoader::request(ImageRequest r) {
    std::uint64_t generation = 0;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        waiting_ = std::move(r);
        generation = ++requested_;
        finished_.reset();  // an older result is superseded even when it is done
        // Most windows never load an image: the thread starts with the first request.
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    }
    wake_.notify_one();
    return generation;
}

std::optional<LoadedRequest> ImageLoader::take() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!finished_ || finished_->generation != requested_) return std::nullopt;
    std::optional<LoadedRequest> out = std::move(finished_);
    finished_.reset();
    taken_ = out->generation;
    return out;
}

bool ImageLoader::busy() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return taken_ != requested_;
}

bool ImageLoader::finished() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return finished_ && finished_->generation == requested_;
}

bool ImageLoader::wait(double seconds) {
    std::unique_lock<std::mutex> lock(mutex_);
    return done_.wait_for(lock, std::chrono::duration<double>(seconds), [this] {
        return taken_ == requested_ || (finished_ && finished_->generation == requested_);
    });
}

void ImageLoader::run() {
    for (;;) {
        LoadedRequest r;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || waiting_.has_value(); });
            if (stopping_) return;
            r.request = std::move(*waiting_);
            waiting_.reset();
            r.generation = requested_;
        }
        try {
            r.image = load(r.request);
        } catch (const std::bad_alloc&) {
            r.error = r.request.path + ": out of memory while decoding";
        } catch (const std::exception& e) {
            r.error = e.what();  // InputError names the file
        }
        std::function<void()> finished;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (r.generation != requested_) continue;  // superseded while it decoded
            finished_ = std::move(r);
            finished = on_finished_;
        }
        done_.notify_all();
        if (finished) finished();
    }
}

}  // namespace convlens
