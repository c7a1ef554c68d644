#include "termination_watch.h"

#include <pthread.h>

#include <GLFW/glfw3.h>

namespace convlens {

TerminationWatch::TerminationWatch() {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    watcher_ = std::thread([this] {
        int signal = 0;
        sigwait(&signals_, &signal);
        if (done_.load()) return;
        requested_.store(true);
        // The one GLFW call allowed from any thread: wakes glfwWaitEvents in the loop.
        glfwPostEmptyEvent();
    });
}

TerminationWatch::~TerminationWatch() {
    done_.store(true);
    if (!requested_.load()) pthread_kill(watcher_.native_handle(), SIGTERM);
    watcher_.join();
}

}  // namespace convlens
