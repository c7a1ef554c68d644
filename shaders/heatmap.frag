#version 330 core
// heatmap.frag: a grid's values (a float texture, one texel per cell, row 0 at v = 0)
// coloured by the theme's diverging map, read from the lookup table the cairo export uses
// (core/canvas/heatmap_colors.h): value / scale in [-1, 1] picks the entry the export
// picks, NaN is a cell that holds no value (an inserted zero) and takes `missing`.

uniform sampler2D values;   // R32F, one texel per cell, read texel by texel
uniform sampler2D lut;      // RGBA8, lut_size x 1, read entry by entry
uniform float lut_size;
uniform float inv_scale;    // 1 / the grid's max |value|; 0: everything neutral
uniform vec4 missing;
uniform float opacity;

in vec2 uv;
out vec4 color;

// texelFetch, not texture(): no filtering, wrapping or level of detail, which llvmpipe (the
// software renderer) otherwise computes for every pixel of a grid that may fill the canvas.
void main() {
    ivec2 size = textureSize(values, 0);
    float v = texelFetch(values, min(ivec2(uv * vec2(size)), size - 1), 0).r;
    if (isnan(v)) {
        color = vec4(missing.rgb, missing.a * opacity);
        return;
    }
    float t = clamp(v * inv_scale, -1.0, 1.0);
    // The entry nearest to t, as heatmap_lut_index picks it for the exports (rounded half
    // away from zero): the middle entry is 0, the first -1, the last 1.
    float middle = (lut_size - 1.0) * 0.5;
    float x = t * middle;
    int k = int(middle + sign(x) * floor(abs(x) + 0.5));
    vec4 c = texelFetch(lut, ivec2(k, 0), 0);
    color = vec4(c.rgb, c.a * opacity);
}
