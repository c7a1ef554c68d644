#version 330 core
// heatmap.vert: one quad, the heatmap's rectangle on the canvas, made from gl_VertexID
// (no vertex buffer). `rect` is (left, top, right, bottom) in normalised device coordinates.

uniform vec4 rect;
out vec2 uv;  // (0, 0) at the grid's top-left cell, (1, 1) past its bottom-right one

void main() {
    // Two triangles: 0 1 2, 2 1 3 over the corners (0,0) (1,0) (0,1) (1,1).
    const int corner[6] = int[6](0, 1, 2, 2, 1, 3);
    int k = corner[gl_VertexID];
    uv = vec2(float(k & 1), float(k >> 1));
    gl_Position = vec4(mix(rect.x, rect.z, uv.x), mix(rect.y, rect.w, uv.y), 0.0, 1.0);
}
