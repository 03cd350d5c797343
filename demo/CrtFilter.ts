const VERTEX_SHADER = `#version 300 es
in vec2 a_position;
out vec2 v_uv;
void main() {
  v_uv = a_position * 0.5 + 0.5;
  gl_Position = vec4(a_position, 0.0, 1.0);
}
`;

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type)!;
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(shader) ?? "shader did not compile");
  return shader;
}

/**
 * Post-processes the game canvas with the fragment shader the asset server loaded as text
 * (`shaders/crt.frag`), into a WebGL 2 canvas laid over it.
 */
export class CrtFilter {
  private readonly texture: WebGLTexture;
  private readonly timeLocation: WebGLUniformLocation | null;
  private readonly resolutionLocation: WebGLUniformLocation | null;

  private constructor(private readonly gl: WebGL2RenderingContext, program: WebGLProgram) {
    gl.useProgram(program);
    const buffer = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    // One triangle that covers the whole screen.
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 3, -1, -1, 3]), gl.STATIC_DRAW);
    const position = gl.getAttribLocation(program, "a_position");
    gl.enableVertexAttribArray(position);
    gl.vertexAttribPointer(position, 2, gl.FLOAT, false, 0, 0);
    this.texture = gl.createTexture()!;
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, true);
    gl.uniform1i(gl.getUniformLocation(program, "u_frame"), 0);
    this.resolutionLocation = gl.getUniformLocation(program, "u_resolution");
    this.timeLocation = gl.getUniformLocation(program, "u_time");
  }

  /** Null when WebGL 2 is unavailable or the shader does not compile (the reason goes to the console). */
  static create(canvas: HTMLCanvasElement, fragmentSource: string): CrtFilter | null {
    const gl = canvas.getContext("webgl2");
    if (!gl) return null;
    try {
      const program = gl.createProgram()!;
      gl.attachShader(program, compile(gl, gl.VERTEX_SHADER, VERTEX_SHADER));
      gl.attachShader(program, compile(gl, gl.FRAGMENT_SHADER, fragmentSource));
      gl.linkProgram(program);
      if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(program) ?? "shader did not link");
      return new CrtFilter(gl, program);
    } catch (error) {
      console.warn("demo: CRT filter unavailable:", error);
      return null;
    }
  }

  draw(source: HTMLCanvasElement, time: number): void {
    const { gl } = this;
    gl.bindTexture(gl.TEXTURE_2D, this.texture);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, source);
    // The game's own pixel grid, so each scanline falls between two rows of game pixels.
    gl.uniform2f(this.resolutionLocation, source.width, source.height);
    gl.uniform1f(this.timeLocation, time);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
  }
}
