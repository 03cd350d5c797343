#version 300 es
// A soft CRT look for the demo's canvas: scanlines, a little barrel distortion and a vignette.
precision mediump float;

uniform sampler2D u_frame;
uniform vec2 u_resolution;
uniform float u_time;
in vec2 v_uv;
out vec4 outColor;

vec2 barrel(vec2 uv) {
  vec2 centered = uv * 2.0 - 1.0;
  centered *= 1.0 + 0.035 * dot(centered, centered);
  return centered * 0.5 + 0.5;
}

void main() {
  vec2 uv = barrel(v_uv);
  if (uv.x < 0.0 || uv.y < 0.0 || uv.x > 1.0 || uv.y > 1.0) {
    outColor = vec4(0.0, 0.0, 0.0, 1.0);
    return;
  }
  vec3 color = texture(u_frame, uv).rgb;
  float scanline = 0.88 + 0.12 * sin(uv.y * u_resolution.y * 3.14159);
  float vignette = smoothstep(1.2, 0.35, length(uv - 0.5) * 1.6);
  float flicker = 0.985 + 0.015 * sin(u_time * 9.0);
  outColor = vec4(color * scanline * vignette * flicker, 1.0);
}
