// MP4 (H.264) by piping raw frames to ffmpeg: convlens draws, ffmpeg encodes. Each step is
// held for 1/fps seconds. A missing ffmpeg is one clear error before any work.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "engine/conv_spec.h"
#include "export/cairo_backend.h"
#include "export/export_writers.h"

extern char** environ;

namespace convlens {
namespace {

// The first executable `name` on PATH, or "".
std::string find_on_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const std::size_t end = std::min(dirs.find(':', start), dirs.size());
        const std::string dir = end > start ? dirs.substr(start, end - start) : ".";
        const std::string candidate = dir + "/" + name;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        start = end + 1;
    }
    return "";
}

bool write_all(int fd, const unsigned char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

// ffmpeg's stdin, its stderr in a temporary file (for the error line), and its exit; on
// any early return the child is killed and reaped and the half-written video removed.
class Encoder {
public:
    Encoder(const std::string& ffmpeg, const std::vector<std::string>& args, const std::string& output)
        : output_(output) {
        // Writing into a pipe whose reader died must give EPIPE here, not kill the
        // program: SIGPIPE is blocked for this thread while the encoder runs.
        sigset_t pipe_signal;
        sigemptyset(&pipe_signal);
        sigaddset(&pipe_signal, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_signal, &old_mask_);
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) throw InputError("cannot start ffmpeg: no pipe");
        char log_name[] = "/tmp/convlens-ffmpeg-XXXXXX";
        log_fd_ = ::mkstemp(log_name);
        if (log_fd_ >= 0) ::unlink(log_name);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[0], STDIN_FILENO);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        if (log_fd_ >= 0) posix_spawn_file_actions_adddup2(&actions, log_fd_, STDERR_FILENO);
        posix_spawnattr_t attributes;
        posix_spawnattr_init(&attributes);
        sigset_t none;
        sigemptyset(&none);
        posix_spawnattr_setsigmask(&attributes, &none);  // ffmpeg gets the usual SIGPIPE
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
        std::vector<char*> argv;
        for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        const int spawned = posix_spawn(&pid_, ffmpeg.c_str(), &actions, &attributes, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
        ::close(fds[0]);
        stdin_ = fds[1];
        if (spawned != 0) {
            pid_ = -1;
            throw InputError(std::string("cannot start ffmpeg: ") + std::strerror(spawned));
        }
    }

    ~Encoder() {
        if (stdin_ >= 0) ::close(stdin_);
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            int status = 0;
            ::waitpid(pid_, &status, 0);
        }
        if (!finished_) ::unlink(output_.c_str());
        if (log_fd_ >= 0) ::close(log_fd_);
        // A SIGPIPE raised while blocked would fire on unblocking: take it first.
        sigset_t pipe_signal;
        sigemptyset(&pipe_signal);
        sigaddset(&pipe_signal, SIGPIPE);
        const timespec zero{0, 0};
        while (sigtimedwait(&pipe_signal, nullptr, &zero) > 0) {
        }
        pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    }

    void write(const unsigned char* data, std::size_t size) {
        if (!write_all(stdin_, data, size)) fail();
    }

    void finish() {
        ::close(stdin_);
        stdin_ = -1;
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        pid_ = -1;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail();
        finished_ = true;
    }

private:
    // ffmpeg's last line of complaint, if it left one.
    [[noreturn]] void fail() {
        if (stdin_ >= 0) {
            ::close(stdin_);
            stdin_ = -1;
        }
        if (pid_ > 0) {
            int status = 0;
            ::waitpid(pid_, &status, 0);
            pid_ = -1;
        }
        std::string log;
        if (log_fd_ >= 0) {
            char buffer[4096];
            const off_t end = ::lseek(log_fd_, 0, SEEK_END);
            const off_t from = end > static_cast<off_t>(sizeof buffer) ? end - static_cast<off_t>(sizeof buffer) : 0;
            const ssize_t n = ::pread(log_fd_, buffer, sizeof buffer, from);
            if (n > 0) log.assign(buffer, static_cast<std::size_t>(n));
        }
        while (!log.empty() && (log.back() == '\n' || log.back() == '\r')) log.pop_back();
        const std::size_t last = log.find_last_of('\n');
        if (last != std::string::npos) log = log.substr(last + 1);
        throw InputError("ffmpeg failed to encode the MP4" + (log.empty() ? std::string() : ": " + log));
    }

    std::string output_;
    pid_t pid_ = -1;
    int stdin_ = -1;
    int log_fd_ = -1;
    bool finished_ = false;
    sigset_t old_mask_{};
};

}  // namespace

void mp4_video(const std::vector<DisplayList>& frames, const FrameFit& fit, const ExportOptions& options,
               const CairoFonts& fonts, const std::string& temp_path, const FrameDone& done) {
    const std::string ffmpeg = find_on_path("ffmpeg");
    if (ffmpeg.empty())
        throw InputError("MP4 export needs ffmpeg, which is not installed (Debian: apt install ffmpeg)");
    char fps[32];
    std::snprintf(fps, sizeof fps, "%g", options.fps);
    const std::vector<std::string> args = {
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        // cairo's ARGB32 is B, G, R, A in memory on little-endian machines.
        "-f", "rawvideo", "-pix_fmt", "bgra",
        "-s", std::to_string(fit.width) + "x" + std::to_string(fit.height), "-framerate", fps, "-i", "-",
        // H.264 in yuv420p wants even sides; players want the index up front.
        "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264", "-pix_fmt", "yuv420p",
        "-movflags", "+faststart", "-f", "mp4", temp_path};
    Encoder encoder(ffmpeg, args, temp_path);
    for (const DisplayList& list : frames) {
        // Video has no alpha: the background is always painted.
        cairo_surface_t* surface = render_surface(list, fit, false, fonts);
        const int stride = cairo_image_surface_get_stride(surface);
        const unsigned char* data = cairo_image_surface_get_data(surface);
        try {
            for (int y = 0; y < fit.height; ++y)
                encoder.write(data + static_cast<std::size_t>(y) * static_cast<std::size_t>(stride),
                              static_cast<std::size_t>(fit.width) * 4);
        } catch (...) {
            cairo_surface_destroy(surface);
            throw;
        }
        cairo_surface_destroy(surface);
        done();
    }
    encoder.finish();
}

}  // namespace convlens
