// Fuzz target: the autosave, read back from disk at start-up. It is a scene file, so the
// contract is the scene's; this target also covers reading the file and writing it back
// atomically, as the window does after recovering it.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "scene_contract.h"
#include "util/atomic_write.h"

namespace {

// One folder for the whole run: the target runs millions of times.
const std::string& folder() {
    static const std::string dir = [] {
        std::string pattern = "/tmp/convlens-fuzz-autosave-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) std::abort();
        return pattern;
    }();
    return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = folder() + "/autosave.json";
    convlens::write_file_atomically(
        path, std::string_view(reinterpret_cast<const char*>(data), size));
    if (convlens::read_file(path) != std::string(reinterpret_cast<const char*>(data), size))
        convlens::fuzz::broken("read_file does not give back what was written");

    convlens::Scene scene;
    try {
        scene = convlens::load_scene(path);
    } catch (const convlens::InputError& e) {
        convlens::fuzz::check_refusal(e.what(), path);
        return 0;
    }
    convlens::fuzz::check_loaded_scene(scene);
    convlens::save_scene(scene, path);
    if (!(convlens::load_scene(path) == scene))
        convlens::fuzz::broken("the autosave written back loads as another scene");
    return 0;
}
