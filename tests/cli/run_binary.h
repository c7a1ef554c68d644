// Runs the built `convlens` (CONVLENS_BINARY) as a user would, for command-line tests:
// stdout, stderr and the exit status kept apart, no DISPLAY (nothing can open a window).
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace convlens::cli {

struct RunResult {
    int status = -1;  // exit status; 128 + signal when the program died; -1: not started
    std::string out;
    std::string err;
};

inline std::string read_file_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A directory of this test program's own, removed when the program ends.
inline const std::filesystem::path& scratch_dir() {
    struct Dir {
        std::filesystem::path path;
        Dir() {
            const char* base = std::getenv("TMPDIR");
            std::string pattern =
                std::string(base && *base ? base : "/tmp") + "/convlens-cli-run-XXXXXX";
            if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
            path = pattern;
        }
        ~Dir() {
            std::error_code ec;
            std::filesystem::remove_all(path, ec);
        }
    };
    static Dir dir;
    return dir.path;
}

// `args` after the program name; stdin from `stdin_path`. A hung child is killed after 60 s
// (status 128 + 9).
inline RunResult run_binary(const std::vector<std::string>& args,
                            const std::string& stdin_path = "/dev/null") {
    static int counter = 0;
    ++counter;
    const auto out_path = scratch_dir() / ("out-" + std::to_string(counter));
    const auto err_path = scratch_dir() / ("err-" + std::to_string(counter));

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, stdin_path.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);

    std::vector<std::string> argv_text = {CONVLENS_BINARY};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_text;
    for (char** e = environ; *e; ++e) {
        const std::string entry = *e;
        if (entry.rfind("DISPLAY=", 0) == 0 || entry.rfind("WAYLAND_DISPLAY=", 0) == 0) continue;
        env_text.push_back(entry);
    }
    std::vector<char*> envp;
    for (std::string& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);

    RunResult run;
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, CONVLENS_BINARY, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        run.err = std::string("posix_spawn: ") + std::strerror(rc);
        return run;
    }
    int wstatus = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (::waitpid(pid, &wstatus, WNOHANG) != pid) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &wstatus, 0);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    run.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    run.out = read_file_text(out_path);
    run.err = read_file_text(err_path);
    return run;
}

inline std::string describe(const RunResult& r) {
    return "status " + std::to_string(r.status) + "\n--- stdout:\n" + r.out + "\n--- stderr:\n" + r.err;
}

}  // namespace convlens::cli
