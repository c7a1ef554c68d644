// Fuzz target: scene JSON text (a file, standard input, a paste) through parse_scene.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scene_contract.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::string source = "fuzz.json";
    convlens::Scene scene;
    try {
        scene = convlens::parse_scene(text, source);
    } catch (const convlens::InputError& e) {
        convlens::fuzz::check_refusal(e.what(), source);
        return 0;
    }
    convlens::fuzz::check_loaded_scene(scene);
    return 0;
}
