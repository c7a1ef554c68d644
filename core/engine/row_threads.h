// Threads over rows for the fast engine: a small pool of workers that stays alive between
// calls, so a 256x256 layer pays microseconds, not a thread start per pass.
#pragma once

#include <functional>

namespace convlens {

// Every hardware thread (at least 1): the fast engine's default.
int hardware_threads();

// Runs body(chunk) for every chunk in 0..chunks-1, on up to `threads` threads (the caller
// included; 0 means hardware_threads()). Chunks are handed out in order to whichever
// thread is free; each runs exactly once, and run_chunks returns when all are done.
// When another call is already using the pool (two callers at once), this one runs its
// chunks on its own thread instead of waiting. body must not throw.
void run_chunks(int chunks, int threads, const std::function<void(int chunk)>& body);

}  // namespace convlens
