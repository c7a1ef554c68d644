#include "util/atomic_write.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <system_error>

#include "engine/conv_spec.h"

namespace convlens {
namespace {

// A scene at the caps is a few megabytes; the cap only keeps `convlens compute /dev/zero`
// from eating all memory.
constexpr std::size_t kMaxReadBytes = std::size_t{256} << 20;

std::string error_text(int error) { return std::generic_category().message(error); }

[[noreturn]] void fail_write(const std::string& path, int error) {
    throw InputError("cannot write " + path + ": " + error_text(error));
}

[[noreturn]] void fail_read(const std::string& path, const std::string& why) {
    throw InputError("cannot read " + path + ": " + why);
}

bool write_all(int fd, std::string_view content) {
    while (!content.empty()) {
        const ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        content.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// Unique among processes (pid), threads of this process (counter) and stale leftovers of
// a crashed run with a recycled pid (random); O_EXCL settles any remaining race.
std::string temp_name(const std::filesystem::path& target) {
    static std::atomic<unsigned> counter{0};
    thread_local std::mt19937 random{std::random_device{}()};
    return (target.parent_path() /
            ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
             std::to_string(counter++) + "-" + std::to_string(random())))
        .string();
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content, bool sync) {
    write_file_atomically(path, [content](const WritePiece& write) { write(content); }, sync);
}

void write_file_atomically(const std::string& path, const std::function<void(const WritePiece&)>& produce,
                           bool sync) {
    if (path.empty()) throw InputError("cannot write an empty path");
    const std::filesystem::path target(path);

    struct stat old_stat {};
    const bool replaces_file = ::stat(path.c_str(), &old_stat) == 0;
    if (replaces_file && S_ISDIR(old_stat.st_mode)) fail_write(path, EISDIR);

    std::string temp;
    int fd = -1;
    for (int attempt = 0; fd < 0; ++attempt) {
        temp = temp_name(target);
        // 0666 lets the umask decide, as for any newly created file.
        fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && (errno != EEXIST || attempt == 100)) fail_write(path, errno);
    }

    const auto abandon = [&](int error) {
        if (fd >= 0) ::close(fd);
        ::unlink(temp.c_str());
        fail_write(path, error);
    };
    // Replacing a file keeps its permissions: saving must not make a shared file private.
    // Best effort: a file we may not chmod is still worth writing.
    if (replaces_file) (void)::fchmod(fd, old_stat.st_mode & 07777);
    // A failed write stops the producer (the exception below), then the temporary goes.
    struct WriteFailed {
        int error;
    };
    try {
        produce([fd](std::string_view piece) {
            if (!write_all(fd, piece)) throw WriteFailed{errno};
        });
    } catch (const WriteFailed& failed) {
        abandon(failed.error);
    } catch (...) {
        ::close(fd);
        ::unlink(temp.c_str());
        throw;
    }
    if (sync && ::fsync(fd) != 0) abandon(errno);
    const int closed = ::close(fd);
    fd = -1;
    if (closed != 0) abandon(errno);
    if (::rename(temp.c_str(), path.c_str()) != 0) abandon(errno);

    // The rename itself is durable only once the directory is synced; failing here
    // leaves the new file in place, so it is not an error.
    if (!sync) return;
    const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
    const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
        (void)::fsync(dir_fd);
        ::close(dir_fd);
    }
}

std::string read_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail_read(path, error_text(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int error = errno;
        ::close(fd);
        fail_read(path, error_text(error));
    }
    // open() succeeds on a directory and read() only then fails; say so up front.
    if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        fail_read(path, error_text(EISDIR));
    }

    std::string text;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            const int error = errno;
            ::close(fd);
            fail_read(path, error_text(error));
        }
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > kMaxReadBytes) {
            ::close(fd);
            fail_read(path, "larger than " + std::to_string(kMaxReadBytes >> 20) + " MiB");
        }
    }
    ::close(fd);
    return text;
}

}  // namespace convlens
