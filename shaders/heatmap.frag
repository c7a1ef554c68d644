#version 330 core
// heatmap.frag: a grid's values (a float texture, one texel per cell, row 0 at v = 0)
// coloured by the theme's diverging map, read from the lookup table the cairo export uses
// (core/canvas/heatmap_colors.h): value / scale in [-1, 1] picks an entry, NaN is a cell
// that holds no value (an inserted zero) and takes `missing`.

uniform sampler2D values;   // R32F, nearest
uniform sampler2D lut;      // RGBA8, lut_size x 1, linear between entries
uniform float lut_size;
uniform float inv_scale;    // 1 / the grid's max |value|; 0: everything neutral
uniform vec4 missing;
uniform float opacity;

in vec2 uv;
out vec4 color;

void main() {
    float v = texture(values, uv).r;
    if (isnan(v)) {
        color = vec4(missing.rgb, missing.a * opacity);
        return;
    }
    float t = clamp(v * inv_scale, -1.0, 1.0);
    // Entry k sits at texel centre (k + 0.5) / lut_size; t = -1 is entry 0, t = 1 the last.
    float k = (t * 0.5 + 0.5) * (lut_size - 1.0);
    vec4 c = texture(lut, vec2((k + 0.5) / lut_size, 0.5));
    color = vec4(c.rgb, c.a * opacity);
}
