#include "path_picker.h"

#include <algorithm>
#include <system_error>

#include <imgui.h>
#include <imgui_stdlib.h>

namespace convlens {

namespace fs = std::filesystem;

std::vector<fs::directory_entry> path_listing(const std::string& typed, const FileFilter& keep) {
    std::vector<fs::directory_entry> entries;
    std::error_code ec;
    fs::path folder = typed.empty() ? fs::path(".") : fs::path(typed);
    std::string prefix;
    if (!fs::is_directory(folder, ec)) {
        prefix = folder.filename().string();
        folder = folder.parent_path();
    }
    if (folder.empty()) folder = ".";
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.empty() || name[0] == '.' || name.rfind(prefix, 0) != 0) continue;
        if (it->is_directory(ec) || keep(name)) entries.push_back(*it);
        if (entries.size() >= 500) break;
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        std::error_code e1, e2;
        const bool da = a.is_directory(e1), db = b.is_directory(e2);
        if (da != db) return da;
        return a.path().filename() < b.path().filename();
    });
    return entries;
}

bool path_picker(const char* id, std::string& path, const FileFilter& keep, float rows) {
    ImGui::PushID(id);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(-1);
    bool confirm = ImGui::InputText("##path", &path, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::BeginChild("##listing", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * rows), true)) {
        for (const auto& entry : path_listing(path, keep)) {
            std::error_code ec;
            const bool dir = entry.is_directory(ec);
            const std::string name = entry.path().filename().string() + (dir ? "/" : "");
            if (ImGui::Selectable(name.c_str(), false, ImGuiSelectableFlags_AllowDoubleClick)) {
                path = entry.path().string() + (dir ? "/" : "");
                if (!dir && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) confirm = true;
            }
        }
    }
    ImGui::EndChild();
    ImGui::PopID();
    return confirm;
}

}  // namespace convlens
