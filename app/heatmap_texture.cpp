#include <glad/gl.h>

#include "heatmap_texture.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "canvas/heatmap_colors.h"
#include "gl_texture.h"
#include "shader_sources.h"

namespace convlens {
namespace {

GLuint compile(GLenum kind, const char* source, const char* name) {
    const GLuint shader = glCreateShader(kind);
    glShaderSource(shader, 1, &source, nullptr);
    glCompileShader(shader);
    GLint ok = 0;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[2048] = {0};
        glGetShaderInfoLog(shader, sizeof log, nullptr, log);
        std::fprintf(stderr, "convlens: shaders/%s does not compile: %s\n", name, log);
        glDeleteShader(shader);
        return 0;
    }
    return shader;
}

void callback(const ImDrawList*, const ImDrawCmd* command) {
    const auto* quad = static_cast<const HeatmapTextures::Quad*>(command->UserCallbackData);
    quad->owner->render(*quad, *command);
}

// The cells to upload: the value swap's hint when it speaks of the very values the
// texture holds (a box of a 512 x 512 grid instead of a compare of all of it), else a
// compare. The hint's box comes from the doubles, so it may hold a few cells whose floats
// did not change; uploading them again is harmless.
CellRect cells_to_upload(const std::shared_ptr<const std::vector<float>>& held, const DrawHeatmap& h,
                        HeatmapTextures::Counters* counters) {
    if (const auto since = h.changed_since.lock(); since && since == held) {
        ++counters->hinted;
        if (h.changed.empty()) return {};
        const int row = std::max(h.changed.row, 0), col = std::max(h.changed.col, 0);
        return {row, col, std::min(h.changed.row + h.changed.rows, h.rows) - row,
                std::min(h.changed.col + h.changed.cols, h.cols) - col};
    }
    ++counters->compared;
    return changed_box(held->data(), h.values->data(), h.rows, h.cols);
}

}  // namespace

void HeatmapTextures::begin_frame() {
    quads_.clear();
    seen_.clear();
}

bool HeatmapTextures::ensure_program() {
    if (program_) return true;
    if (broken_) return false;
    const GLuint vs = compile(GL_VERTEX_SHADER, kShader_heatmap_vert, "heatmap.vert");
    const GLuint fs = compile(GL_FRAGMENT_SHADER, kShader_heatmap_frag, "heatmap.frag");
    GLint linked = 0;
    GLuint program = 0;
    if (vs && fs) {
        program = glCreateProgram();
        glAttachShader(program, vs);
        glAttachShader(program, fs);
        glLinkProgram(program);
        glGetProgramiv(program, GL_LINK_STATUS, &linked);
        if (!linked) {
            char log[2048] = {0};
            glGetProgramInfoLog(program, sizeof log, nullptr, log);
            std::fprintf(stderr, "convlens: the heatmap shaders do not link: %s\n", log);
            glDeleteProgram(program);
            program = 0;
        }
    }
    if (vs) glDeleteShader(vs);
    if (fs) glDeleteShader(fs);
    if (!program) {
        broken_ = true;
        return false;
    }
    program_ = program;
    u_rect_ = glGetUniformLocation(program_, "rect");
    u_values_ = glGetUniformLocation(program_, "values");
    u_lut_ = glGetUniformLocation(program_, "lut");
    u_lut_size_ = glGetUniformLocation(program_, "lut_size");
    u_inv_scale_ = glGetUniformLocation(program_, "inv_scale");
    u_missing_ = glGetUniformLocation(program_, "missing");
    u_opacity_ = glGetUniformLocation(program_, "opacity");
    glGenVertexArrays(1, &vao_);  // the core profile draws nothing without one
    return true;
}

const HeatmapTextures::Lut& HeatmapTextures::lut_for(const DivergingMap& map) {
    for (const Lut& l : luts_)
        if (l.map == map) return l;
    std::vector<std::uint8_t> bytes;
    for (const Color& c : heatmap_lut(map, kHeatmapLutSize))
        for (float v : {c.r, c.g, c.b, c.a})
            bytes.push_back(static_cast<std::uint8_t>(std::clamp(v, 0.0f, 1.0f) * 255.0f + 0.5f));
    // The shader reads the entry the exports pick (texelFetch: the filter is never used).
    const GLuint name = new_clamped_texture(GL_NEAREST);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, kHeatmapLutSize, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                 bytes.data());
    // Two themes at most are ever in use; a third map replaces the oldest.
    if (luts_.size() >= 4) {
        glDeleteTextures(1, &luts_.front().name);
        luts_.erase(luts_.begin());
    }
    luts_.push_back({map, name, ++contents_});
    return luts_.back();
}

HeatmapTextures::GridTexture& HeatmapTextures::texture_for(GridId grid, int ordinal) {
    for (GridTexture& t : textures_)
        if (t.grid == grid && t.ordinal == ordinal) return t;
    textures_.push_back({grid, ordinal, 0, 0, 0, nullptr, 0, 0, 0, -1, 0, -1});
    return textures_.back();
}

void HeatmapTextures::upload(GridTexture& t, const DrawHeatmap& h) {
    if (t.values == h.values) return;  // the very values drawn last time: nothing to do
    if (t.name == 0) {
        // Nearest: each matrix element stays a crisp square, as in the cell view.
        t.name = new_clamped_texture(GL_NEAREST);
    }
    glBindTexture(GL_TEXTURE_2D, t.name);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    if (t.rows != h.rows || t.cols != h.cols || !t.values) {
        // Row 0 first: texture coordinate v = 0 is the grid's top row.
        glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, h.cols, h.rows, 0, GL_RED, GL_FLOAT, h.values->data());
        t.version_was = t.version;
        t.version = ++contents_;
        t.row0 = t.col0 = 0;
        t.row1 = h.rows - 1;
        t.col1 = h.cols - 1;
        ++counters_.uploads;
        counters_.values_uploaded += h.values->size();
    } else {
        const CellRect d = cells_to_upload(t.values, h, &counters_);
        if (!d.empty()) {
            glPixelStorei(GL_UNPACK_ROW_LENGTH, h.cols);
            glPixelStorei(GL_UNPACK_SKIP_ROWS, d.row);
            glPixelStorei(GL_UNPACK_SKIP_PIXELS, d.col);
            glTexSubImage2D(GL_TEXTURE_2D, 0, d.col, d.row, d.cols, d.rows, GL_RED, GL_FLOAT, h.values->data());
            glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
            glPixelStorei(GL_UNPACK_SKIP_ROWS, 0);
            glPixelStorei(GL_UNPACK_SKIP_PIXELS, 0);
            t.version_was = t.version;
            t.version = ++contents_;
            t.row0 = d.row, t.row1 = d.row + d.rows - 1, t.col0 = d.col, t.col1 = d.col + d.cols - 1;
            ++counters_.uploads;
            counters_.values_uploaded += static_cast<std::size_t>(d.area());
        }
    }
    t.rows = h.rows;
    t.cols = h.cols;
    t.values = h.values;
}

void HeatmapTextures::draw(ImDrawList* draw, const DrawHeatmap& h, ImVec2 min, ImVec2 max) {
    if (!h.complete() || !ensure_program()) return;
    int ordinal = 0;
    for (auto& [grid, count] : seen_)
        if (grid == h.grid) ordinal = ++count;
    if (ordinal == 0) seen_.emplace_back(h.grid, 0);
    GridTexture& t = texture_for(h.grid, ordinal);
    upload(t, h);
    Quad& q = quads_.emplace_back();
    q.owner = this;
    q.values = t.name;
    const Lut& lut = lut_for(h.map);
    q.lut = lut.name;
    q.contents = t.version;
    q.contents_was = t.version_was;
    q.lut_version = lut.version;
    q.rows = t.rows, q.cols = t.cols, q.row0 = t.row0, q.row1 = t.row1, q.col0 = t.col0, q.col1 = t.col1;
    q.min = min;
    q.max = max;
    q.inv_scale = h.scale > 0 ? static_cast<float>(1.0 / h.scale) : 0.0f;
    q.missing = h.missing;
    const DivergingMap& m = h.map;
    q.opaque = h.missing.a >= 1 && m.negative.a >= 1 && m.neutral.a >= 1 && m.positive.a >= 1;
    draw->AddCallback(callback, &q);
    // ImGui's backend sets its own program, buffers and blending up again after us.
    draw->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

bool HeatmapTextures::describe(const ImDrawCmd& command, CallbackPiece* piece) {
    if (command.UserCallback != callback) return false;
    const Quad& q = *static_cast<const Quad*>(command.UserCallbackData);
    // Field by field, as the frame signature takes them (no padding bytes).
    std::uint64_t h = q.lut_version;
    const auto mix = [&h](std::uint64_t w) { h = (h ^ w) * 0xFF51AFD7ED558CCDull, h ^= h >> 32; };
    mix(q.values);
    mix(q.lut);
    mix(q.opaque);
    mix(static_cast<std::uint64_t>(q.rows) << 32 | static_cast<std::uint32_t>(q.cols));
    for (float v : {q.min.x, q.min.y, q.max.x, q.max.y, q.inv_scale, q.missing.r, q.missing.g, q.missing.b,
                    q.missing.a}) {
        std::uint32_t bits;
        std::memcpy(&bits, &v, sizeof bits);
        mix(bits);
    }
    piece->hash = h;
    piece->rect = ImVec4(q.min.x, q.min.y, q.max.x, q.max.y);
    piece->contents = q.contents;
    piece->contents_was = q.contents_was;
    // The screen rectangle of the changed cells: the shader picks cell floor(uv * size).
    const float w = q.cols > 0 ? (q.max.x - q.min.x) / static_cast<float>(q.cols) : 0;
    const float hgt = q.rows > 0 ? (q.max.y - q.min.y) / static_cast<float>(q.rows) : 0;
    piece->changed = ImVec4(q.min.x + w * static_cast<float>(q.col0), q.min.y + hgt * static_cast<float>(q.row0),
                            q.min.x + w * static_cast<float>(q.col1 + 1), q.min.y + hgt * static_cast<float>(q.row1 + 1));
    return true;
}

void HeatmapTextures::render(const Quad& q, const ImDrawCmd& command) const {
    const ImDrawData* data = ImGui::GetDrawData();
    if (!data || !program_) return;
    const ImVec2 pos = data->DisplayPos, size = data->DisplaySize, fb = data->FramebufferScale;
    if (size.x <= 0 || size.y <= 0) return;
    // The callback's command carries the clip rectangle the other commands are cut to.
    const float fb_height = size.y * fb.y;
    const float x0 = (command.ClipRect.x - pos.x) * fb.x, y0 = (command.ClipRect.y - pos.y) * fb.y;
    const float x1 = (command.ClipRect.z - pos.x) * fb.x, y1 = (command.ClipRect.w - pos.y) * fb.y;
    if (x1 <= x0 || y1 <= y0) return;
    glEnable(GL_SCISSOR_TEST);
    glScissor(static_cast<GLint>(x0), static_cast<GLint>(fb_height - y1), static_cast<GLsizei>(x1 - x0),
              static_cast<GLsizei>(y1 - y0));
    const auto ndc_x = [&](float x) { return (x - pos.x) / size.x * 2 - 1; };
    const auto ndc_y = [&](float y) { return 1 - (y - pos.y) / size.y * 2; };
    glUseProgram(program_);
    glBindVertexArray(vao_);
    glUniform4f(u_rect_, ndc_x(q.min.x), ndc_y(q.min.y), ndc_x(q.max.x), ndc_y(q.max.y));
    glUniform1i(u_values_, 0);
    glUniform1i(u_lut_, 1);
    glUniform1f(u_lut_size_, static_cast<float>(kHeatmapLutSize));
    glUniform1f(u_inv_scale_, q.inv_scale);
    glUniform4f(u_missing_, q.missing.r, q.missing.g, q.missing.b, q.missing.a);
    glUniform1f(u_opacity_, 1.0f);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, q.lut);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, q.values);
    // Opaque colours replace what is under them: blending would only read every pixel of
    // the quad back (on llvmpipe, CPU time). ImGui's reset callback enables it again.
    if (q.opaque) glDisable(GL_BLEND);
    glDrawArrays(GL_TRIANGLES, 0, 6);
}

void HeatmapTextures::release() {
    for (GridTexture& t : textures_)
        if (t.name) glDeleteTextures(1, &t.name);
    for (Lut& l : luts_) glDeleteTextures(1, &l.name);
    if (program_) glDeleteProgram(program_);
    if (vao_) glDeleteVertexArrays(1, &vao_);
    textures_.clear();
    luts_.clear();
    quads_.clear();
    program_ = vao_ = 0;
}

}  // namespace convlens
