// Turns SIGTERM, SIGINT and SIGHUP (a logout, Ctrl+C in the terminal, `kill`) into a
// normal quit, so the window's geometry and last scene are saved as on File > Quit.
#pragma once

#include <atomic>
#include <csignal>
#include <thread>

namespace convlens {

// Start it before any other thread exists (before glfwInit: Mesa starts threads), so that
// every thread inherits the blocked signals and only the watcher receives them.
class TerminationWatch {
public:
    TerminationWatch();   // blocks the signals and starts the watcher
    ~TerminationWatch();  // wakes the watcher if no signal came, joins it
    TerminationWatch(const TerminationWatch&) = delete;
    TerminationWatch& operator=(const TerminationWatch&) = delete;

    bool requested() const { return requested_.load(); }

private:
    sigset_t signals_{};
    std::atomic<bool> requested_{false};
    std::atomic<bool> done_{false};
    std::thread watcher_;
};

}  // namespace convlens
