#!/usr/bin/env node
// Generates the demo game's assets: pixel-art PNGs, short WAV sounds, a level, a shader and text,
// into demo/assets (served as pkg://game) and demo/origin (served by the demo origin over HTTP).
// Deterministic (seeded), so re-running it changes nothing unless this script changed.
// Usage: node scripts/generate-demo-assets.mjs
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateSync, crc32 } from "node:zlib";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PKG_DIR = join(ROOT, "demo/assets");
const ORIGIN_DIR = join(ROOT, "demo/origin");

// ---------------------------------------------------------------- PNG (RGBA, 8 bit)

function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([length, typeAndData, crc]);
}

function encodePng(image) {
  const { width, height, data } = image;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  // Filter 1 (Sub) on every row: flat pixel art compresses far better than with no filter.
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    raw[row] = 1;
    for (let i = 0; i < stride; i++) {
      const left = i >= 4 ? data[y * stride + i - 4] : 0;
      raw[row + 1 + i] = (data[y * stride + i] - left) & 0xff;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", header),
    pngChunk("IDAT", deflateSync(raw, { level: 9 })),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------- drawing

function createImage(width, height) {
  return { width, height, data: new Uint8Array(width * height * 4) };
}

function rgba(hex, alpha = 255) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
}

function put(image, x, y, color) {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  const i = (y * image.width + x) * 4;
  const a = color[3] / 255;
  for (let c = 0; c < 3; c++) image.data[i + c] = Math.round(color[c] * a + image.data[i + c] * (1 - a));
  image.data[i + 3] = Math.max(image.data[i + 3], color[3]);
}

function fillRect(image, x0, y0, w, h, color) {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) put(image, x, y, color);
}

function mix(a, b, t) {
  return [0, 1, 2, 3].map((c) => Math.round(a[c] + (b[c] - a[c]) * t));
}

function mulberry32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A sprite drawn as text: one character a pixel, `.` transparent. Rows must be equally long. */
function fromAscii(rows, palette) {
  const width = rows[0].length;
  const image = createImage(width, rows.length);
  rows.forEach((row, y) => {
    if (row.length !== width) throw new Error(`sprite row ${y} is ${row.length} wide, expected ${width}: ${row}`);
    [...row].forEach((ch, x) => {
      if (ch === ".") return;
      const color = palette[ch];
      if (!color) throw new Error(`no colour for '${ch}'`);
      put(image, x, y, rgba(color));
    });
  });
  return image;
}

// ---------------------------------------------------------------- sprites

const INK = "#1b1b2f";
const HERO_PALETTE = { k: INK, h: "#e0483e", s: "#f4c29b", w: "#ffffff", e: "#1b1b2f", b: "#3b82f6", y: "#f5c542", p: "#27408b", o: "#7a4a2a" };
const HERO_TOP = [
  "................",
  ".....kkkkkk.....",
  "....khhhhhhk....",
  "...khhhhhhhhk...",
  "...kkkkkkkkkkkk.",
  "....ksssswek....",
  "....kssssssk....",
  ".....kssssk.....",
  "....kbbbbbbk....",
  "...kbbbbbbbbk...",
  "...ksbbbbbbsk...",
  "....kyyyyyyk....",
];
const HERO_LEGS = {
  idle: ["....kppkkppk....", "....kppkkppk....", "....kook.kook...", "....kkkk.kkkk..."],
  runA: ["....kppkkppk....", "...kppk..kppk...", "..kook....kook..", "..kkk......kkk.."],
  runB: ["....kppkkppk....", ".....kppppk.....", ".....kooook.....", ".....kkkkkk....."],
  runC: ["....kppkkppk....", "....kppkkppk....", "...kook..kook...", "...kkk....kkk..."],
  jump: ["...kppkkkkppk...", "..kppk....kppk..", "..kok......kok..", "..kk........kk.."],
};

function hero(legs, blink = false) {
  const top = blink ? HERO_TOP.map((row) => row.replace("we", "kk")) : HERO_TOP;
  return fromAscii([...top, ...HERO_LEGS[legs]], HERO_PALETTE);
}

const SLIME_PALETTE = { k: INK, g: "#5bd16b", l: "#b8f5a0", d: "#2f8f4e", w: "#ffffff", e: "#1b1b2f" };
const SLIME = [
  "................",
  "................",
  "................",
  "................",
  "................",
  "......kkkk......",
  "....kkggggkk....",
  "...kgggglggggk..",
  "..kgggggglllgk..",
  "..kgwegggwegggk.",
  ".kgggggggggggggk",
  ".kgggggkkkgggggk",
  ".kggggggggggggdk",
  ".kdggggggggggddk",
  "..kddddddddddk..",
  "...kkkkkkkkkk...",
];
// The second frame squashes: one row of the body lower, as if bouncing.
const SLIME_SQUASH = ["................", ...SLIME.slice(0, 10), ...SLIME.slice(11)];

const HEART = [
  "................",
  "................",
  "...kkk....kkk...",
  "..krrrk..krrrk..",
  ".krwrrrkkrrrrrk.",
  ".krwrrrrrrrrrrk.",
  ".krrrrrrrrrrrrk.",
  "..krrrrrrrrrrk..",
  "...krrrrrrrrk...",
  "....krrrrrrk....",
  ".....krrrrk.....",
  "......krrk......",
  ".......kk.......",
  "................",
  "................",
  "................",
];

function coin(frame) {
  const widths = [6, 5, 3, 1, 3, 5];
  const halfWidth = widths[frame];
  const image = createImage(16, 16);
  const cx = 7.5, cy = 7.5, ry = 6;
  for (let y = 0; y < 16; y++) {
    for (let x = 0; x < 16; x++) {
      const d = ((x - cx) / (halfWidth + 0.5)) ** 2 + ((y - cy) / (ry + 0.5)) ** 2;
      if (d > 1) continue;
      const edge = d > 0.62;
      const shine = x - cx < -halfWidth * 0.3 && y < cy;
      put(image, x, y, rgba(edge ? "#b7791f" : shine ? "#fff4b0" : "#f6c343"));
    }
  }
  return image;
}

function gem(light, mid, dark) {
  const image = createImage(16, 16);
  for (let y = 2; y < 15; y++) {
    const half = y < 6 ? 3 + (y - 2) : Math.max(0, 6 - Math.round((y - 6) * 0.75));
    for (let x = 8 - half; x < 8 + half; x++) {
      const outline = x === 8 - half || x === 7 + half || y === 2 || (y >= 6 && half <= 1);
      const color = outline ? INK : y < 6 ? (x < 8 ? light : mid) : x < 8 ? mid : dark;
      put(image, x, y, rgba(color));
    }
  }
  put(image, 6, 4, rgba("#ffffff"));
  put(image, 5, 5, rgba("#ffffff", 180));
  return image;
}

function flag() {
  const image = createImage(16, 32);
  fillRect(image, 3, 2, 2, 30, rgba("#d9d9e3"));
  fillRect(image, 5, 2, 1, 30, rgba("#9a9ab0"));
  fillRect(image, 2, 0, 4, 3, rgba("#f6c343"));
  for (let y = 0; y < 10; y++) {
    const len = Math.round(10 - Math.abs(y - 4.5) * 2);
    fillRect(image, 6, 3 + y, len, 1, rgba(y % 3 === 0 ? "#ff8a5b" : "#ff5d73"));
  }
  return image;
}

// ---------------------------------------------------------------- tiles

function tile(seed, paint) {
  const image = createImage(16, 16);
  const rand = mulberry32(seed);
  for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) paint(image, x, y, rand);
  return image;
}

const dirtColors = ["#8a5a3b", "#7a4e33", "#9b6a46"];
const tiles = {
  dirt: tile(1, (im, x, y, r) => put(im, x, y, rgba(dirtColors[r() < 0.75 ? 0 : r() < 0.5 ? 1 : 2]))),
  grass: tile(2, (im, x, y, r) => {
    const blade = 4 + ((x * 7) % 3) - (x % 4 === 0 ? 1 : 0);
    if (y < blade) put(im, x, y, rgba(y === 0 ? "#a6e36a" : y < 2 ? "#6fcf4f" : "#4caf50"));
    else if (y === blade) put(im, x, y, rgba("#2e7d32"));
    else put(im, x, y, rgba(dirtColors[r() < 0.75 ? 0 : r() < 0.5 ? 1 : 2]));
  }),
  stone: tile(3, (im, x, y, r) => {
    const mortar = y % 8 === 7 || (x + (Math.floor(y / 8) % 2) * 8) % 16 === 15;
    put(im, x, y, rgba(mortar ? "#4a4e69" : r() < 0.15 ? "#8d8fa8" : "#a3a6c2"));
  }),
  brick: tile(4, (im, x, y, r) => {
    const mortar = y % 4 === 3 || (x + (Math.floor(y / 4) % 2) * 4) % 8 === 7;
    put(im, x, y, rgba(mortar ? "#5c2a2a" : r() < 0.2 ? "#c4563f" : "#b34a36"));
  }),
  plank: tile(5, (im, x, y) => {
    if (y > 5) return;
    put(im, x, y, rgba(y === 0 ? "#e0b07a" : y === 5 ? "#5e3b1f" : x % 8 === 0 ? "#6e4526" : "#b9824f"));
  }),
  crate: tile(6, (im, x, y) => {
    const border = x < 2 || y < 2 || x > 13 || y > 13;
    const brace = Math.abs(x - y) < 2 || Math.abs(x - (15 - y)) < 2;
    put(im, x, y, rgba(border ? "#6e4526" : brace ? "#8a5a33" : (y % 4 === 0 ? "#a8743f" : "#c48d55")));
  }),
  bush: tile(7, (im, x, y, r) => {
    const d = ((x - 7.5) / 8) ** 2 + ((y - 12) / 7) ** 2;
    if (d < 1) put(im, x, y, rgba(d > 0.8 ? "#1f5f3a" : r() < 0.2 ? "#6fcf4f" : "#3c9a4f"));
  }),
  flower: tile(8, (im, x, y) => {
    if (x === 7 && y > 8) put(im, x, y, rgba("#3c9a4f"));
    const d = (x - 7) ** 2 + (y - 7) ** 2;
    if (d <= 1) put(im, x, y, rgba("#fff4b0"));
    else if (d <= 5) put(im, x, y, rgba("#ff7eb6"));
  }),
};

// ---------------------------------------------------------------- backgrounds (wrap horizontally)

function periodicNoise(rand, width, octaves) {
  const waves = Array.from({ length: octaves }, (_, i) => ({ f: (i + 1) * (1 + Math.floor(rand() * 2)), phase: rand() * Math.PI * 2, amp: 1 / (i + 1) }));
  return (x) => waves.reduce((sum, w) => sum + Math.sin((x / width) * Math.PI * 2 * w.f + w.phase) * w.amp, 0);
}

function sky() {
  const image = createImage(384, 216);
  const top = rgba("#1a1446"), middle = rgba("#5b3f8f"), bottom = rgba("#ff9e7a");
  for (let y = 0; y < 216; y++) {
    const t = y / 215;
    const color = t < 0.6 ? mix(top, middle, t / 0.6) : mix(middle, bottom, (t - 0.6) / 0.4);
    fillRect(image, 0, y, 384, 1, color);
  }
  const rand = mulberry32(42);
  for (let i = 0; i < 90; i++) {
    const x = Math.floor(rand() * 384), y = Math.floor(rand() * 120);
    put(image, x, y, rgba("#ffffff", 90 + Math.floor(rand() * 165)));
  }
  for (let y = -12; y <= 12; y++) for (let x = -12; x <= 12; x++) {
    const d = Math.hypot(x, y);
    if (d <= 11) put(image, 300 + x, 40 + y, rgba(Math.hypot(x + 4, y - 3) < 3 ? "#e6ddc6" : "#fff6dd"));
    else if (d <= 12) put(image, 300 + x, 40 + y, rgba("#fff6dd", 80));
  }
  return image;
}

function hills(seed, base, amplitude, colorTop, colorBody, snowLine) {
  const image = createImage(384, 216);
  const noise = periodicNoise(mulberry32(seed), 384, 5);
  for (let x = 0; x < 384; x++) {
    const ridge = Math.round(base - noise(x) * amplitude);
    // Snow caps the peaks down to a ragged line.
    const snowEdge = snowLine === null ? -1 : snowLine + Math.round(Math.sin(x * 0.7) * 1.5 + Math.sin(x * 0.23) * 3);
    for (let y = ridge; y < 216; y++) {
      const color = y < snowEdge ? (y === ridge ? "#f4f0ff" : "#c9bfe6") : y - ridge < 2 ? colorTop : colorBody;
      put(image, x, y, rgba(color));
    }
  }
  return image;
}

function clouds() {
  const image = createImage(384, 120);
  const rand = mulberry32(7);
  for (let c = 0; c < 7; c++) {
    const cx = Math.floor(rand() * 384), cy = 20 + Math.floor(rand() * 70), w = 22 + Math.floor(rand() * 30);
    for (let puff = 0; puff < 6; puff++) {
      const px = cx + Math.floor((rand() - 0.5) * w), py = cy + Math.floor((rand() - 0.5) * 8), r = 6 + Math.floor(rand() * 8);
      for (let y = -r; y <= r; y++) for (let x = -r; x <= r; x++) {
        if (x * x + y * y > r * r) continue;
        put(image, (((px + x) % 384) + 384) % 384, py + y, rgba(y > r / 2 ? "#d9c9f0" : "#ffffff", 210));
      }
    }
  }
  return image;
}

// ---------------------------------------------------------------- sounds (16-bit mono PCM WAV)

const RATE = 22050;

function encodeWav(samples) {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, s)) * 32767), i * 2));
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVEfmt ", 8, "latin1");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "latin1");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** A chiptune voice: `notes` are [frequency (0 = rest), seconds]; square or triangle wave. */
function synth(notes, { wave = "square", volume = 0.25, sweep = 0 } = {}) {
  const out = [];
  const rand = mulberry32(9);
  for (const [frequency, seconds] of notes) {
    const count = Math.round(seconds * RATE);
    let phase = 0;
    for (let i = 0; i < count; i++) {
      const t = i / count;
      const f = frequency * (1 + sweep * t);
      phase += f / RATE;
      const envelope = Math.min(1, i / 60) * (1 - t) ** 1.5;
      let v = 0;
      if (frequency > 0) {
        if (wave === "square") v = phase % 1 < 0.5 ? 1 : -1;
        else if (wave === "triangle") v = 1 - 4 * Math.abs((phase % 1) - 0.5);
        else v = rand() * 2 - 1;
      }
      out.push(v * envelope * volume);
    }
  }
  return out;
}

function mixTracks(...tracks) {
  const length = Math.max(...tracks.map((t) => t.length));
  return Array.from({ length }, (_, i) => tracks.reduce((sum, t) => sum + (t[i] ?? 0), 0));
}

const NOTE = (name) => {
  const names = { C: -9, D: -7, E: -5, F: -4, G: -2, A: 0, B: 2 };
  const semis = names[name[0]] + (name.includes("#") ? 1 : 0) + (Number(name.at(-1)) - 4) * 12;
  return 440 * 2 ** (semis / 12);
};

function theme() {
  const beat = 0.2;
  const melody = "E5 G5 A5 G5 E5 D5 C5 D5 E5 E5 G5 C6 B5 G5 A5 0 E5 G5 A5 G5 E5 D5 C5 A4 G4 A4 C5 D5 E5 D5 C5 0".split(" ");
  const bass = "C3 C3 G2 G2 A2 A2 F2 G2 C3 C3 G2 G2 F2 F2 G2 G2".split(" ");
  const lead = synth(melody.map((n) => [n === "0" ? 0 : NOTE(n), beat]), { volume: 0.16 });
  const low = synth(bass.map((n) => [NOTE(n), beat * 2]), { wave: "triangle", volume: 0.3 });
  return mixTracks(lead, low);
}

const sounds = {
  "coin.wav": synth([[NOTE("B5"), 0.06], [NOTE("E6"), 0.22]], { volume: 0.22 }),
  "jump.wav": synth([[NOTE("C5"), 0.18]], { volume: 0.2, sweep: 1.2 }),
  "hurt.wav": mixTracks(synth([[NOTE("A3"), 0.3]], { volume: 0.25, sweep: -0.6 }), synth([[1, 0.15]], { wave: "noise", volume: 0.12 })),
  "win.wav": synth(["C5", "E5", "G5", "C6"].map((n, i) => [NOTE(n), i === 3 ? 0.5 : 0.12]), { wave: "triangle", volume: 0.3 }),
  "theme.wav": theme(),
};

// ---------------------------------------------------------------- level

function level() {
  const width = 96, height = 13;
  const rows = Array.from({ length: height }, () => Array(width).fill("."));
  const set = (x, y, ch) => { if (x >= 0 && x < width && y >= 0 && y < height) rows[y][x] = ch; };
  const ground = (x0, x1, top) => {
    for (let x = x0; x <= x1; x++) {
      set(x, top, "G");
      for (let y = top + 1; y < height; y++) set(x, y, "D");
    }
  };
  ground(0, 17, 10); ground(21, 33, 10); ground(34, 41, 8); ground(46, 60, 10); ground(64, 77, 9); ground(80, 95, 10);
  for (let x = 8; x <= 11; x++) set(x, 6, "="); // first platform
  for (let x = 24; x <= 27; x++) set(x, 6, "B");
  for (let x = 50; x <= 54; x++) set(x, 5, "=");
  for (let x = 56; x <= 58; x++) set(x, 7, "S");
  for (let x = 68; x <= 71; x++) set(x, 5, "=");
  set(30, 9, "C"); set(31, 9, "C"); set(31, 8, "C"); set(86, 9, "C");
  for (let y = 4; y < 10; y++) { set(92, y, "S"); set(93, y, "S"); }
  [3, 14, 23, 48, 66, 83].forEach((x, i) => set(x, (x >= 64 && x <= 77 ? 9 : x >= 34 && x <= 41 ? 8 : 10) - 1, i % 2 ? "f" : "b"));
  const coins = [[5, 8], [6, 8], [7, 8], [9, 4], [10, 4], [19, 7], [25, 4], [26, 4], [36, 6], [38, 6], [43, 5], [51, 3], [53, 3], [62, 6], [69, 3], [70, 3], [74, 7], [78, 6], [84, 8], [88, 8]]
    .map(([x, y]) => ({ x, y }));
  return {
    name: "Dusk Meadow",
    tileSize: 16,
    legend: { G: "grass", D: "dirt", S: "stone", B: "brick", "=": "plank", C: "crate", b: "bush", f: "flower" },
    solid: ["G", "D", "S", "B", "C"],
    oneWay: ["="],
    rows: rows.map((r) => r.join("")),
    spawn: { x: 2, y: 8 },
    goal: { x: 90, y: 8 },
    coins,
    gems: [{ x: 26, y: 5, kind: "ruby" }, { x: 52, y: 4, kind: "sapphire" }, { x: 70, y: 4, kind: "emerald" }],
    slimes: [{ x: 28, y: 9, range: 3 }, { x: 56, y: 9, range: 3 }, { x: 72, y: 8, range: 4 }],
  };
}

// ---------------------------------------------------------------- text

const CRT_SHADER = `#version 300 es
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
`;

const CREDITS = `# Dusk Meadow

A tiny platformer that exists to show **simvx-assets** loading a game.

- Sprites, tiles and backgrounds: generated by \`scripts/generate-demo-assets.mjs\`
- Sounds: square and triangle waves, written as 16-bit WAV by the same script
- Shader: \`shaders/crt.frag\`, loaded as text like any other asset

Arrow keys or WASD to move, Space or Up to jump, M for music, \` for the dev panel.
`;

const TIPS = `Assets from this origin are cached in IndexedDB by the service worker.
Reload the page: unchanged files come back as 304 Not Modified.
Press "Deploy" in the dev panel, then watch only one file download again.
Go offline (DevTools > Network) and reload: the game still starts.
`;

// ---------------------------------------------------------------- output

function writeFile(dir, path, bytes) {
  const full = join(dir, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, bytes);
}

function filesBelow(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)).split(sep).join("/"))
    .sort();
}

function manifestEntry(dir, path) {
  const bytes = readFileSync(join(dir, path));
  return { uri: path, size: statSync(join(dir, path)).size, integrity: `sha256-${createHash("sha256").update(bytes).digest("base64")}` };
}

rmSync(PKG_DIR, { recursive: true, force: true });
rmSync(ORIGIN_DIR, { recursive: true, force: true });

const png = (image) => encodePng(image);
writeFile(PKG_DIR, "sprites/hero-idle-0.png", png(hero("idle")));
writeFile(PKG_DIR, "sprites/hero-idle-1.png", png(hero("idle", true)));
["runA", "runB", "runC", "runB"].forEach((legs, i) => writeFile(PKG_DIR, `sprites/hero-run-${i}.png`, png(hero(legs))));
writeFile(PKG_DIR, "sprites/hero-jump.png", png(hero("jump")));
writeFile(PKG_DIR, "sprites/slime-0.png", png(fromAscii(SLIME, SLIME_PALETTE)));
writeFile(PKG_DIR, "sprites/slime-1.png", png(fromAscii(SLIME_SQUASH, SLIME_PALETTE)));
for (let i = 0; i < 6; i++) writeFile(PKG_DIR, `sprites/coin-${i}.png`, png(coin(i)));
writeFile(PKG_DIR, "sprites/flag.png", png(flag()));
writeFile(PKG_DIR, "ui/heart.png", png(fromAscii(HEART, { k: INK, r: "#ff5d73", w: "#ffd1dc" })));
for (const [name, image] of Object.entries(tiles)) writeFile(PKG_DIR, `tiles/${name}.png`, png(image));
writeFile(PKG_DIR, "backgrounds/sky.png", png(sky()));
writeFile(PKG_DIR, "backgrounds/mountains.png", png(hills(11, 120, 26, "#52408a", "#3a2b66", 106)));
writeFile(PKG_DIR, "backgrounds/hills.png", png(hills(23, 160, 14, "#3d6b5a", "#2b4f48", null)));
for (const [name, samples] of Object.entries(sounds)) writeFile(PKG_DIR, `sounds/${name}`, encodeWav(samples));
writeFile(PKG_DIR, "levels/level1.json", JSON.stringify(level(), null, 1) + "\n");
writeFile(PKG_DIR, "shaders/crt.frag", CRT_SHADER);
writeFile(PKG_DIR, "text/credits.md", CREDITS);
const pkgFiles = filesBelow(PKG_DIR);
writeFile(PKG_DIR, "manifest.json", JSON.stringify({ assets: pkgFiles.map((path) => manifestEntry(PKG_DIR, path)) }, null, 1) + "\n");

writeFile(ORIGIN_DIR, "gems/ruby.png", png(gem("#ff8fa3", "#e5383b", "#9d0208")));
writeFile(ORIGIN_DIR, "gems/sapphire.png", png(gem("#8ecae6", "#3a86ff", "#1d3557")));
writeFile(ORIGIN_DIR, "gems/emerald.png", png(gem("#b7e4c7", "#40c057", "#1b5e20")));
writeFile(ORIGIN_DIR, "backgrounds/clouds.png", png(clouds()));
writeFile(ORIGIN_DIR, "text/tips.txt", TIPS);
writeFile(ORIGIN_DIR, "news.json", JSON.stringify({ deploy: 0, headline: "Welcome to Dusk Meadow! Collect the gems from the live server." }, null, 1) + "\n");
// news.json has no size and no integrity: a "deploy" on the demo origin changes it.
const originFiles = filesBelow(ORIGIN_DIR).filter((path) => path !== "news.json");
writeFile(ORIGIN_DIR, "manifest.json", JSON.stringify({ assets: [...originFiles.map((path) => manifestEntry(ORIGIN_DIR, path)), "news.json"] }, null, 1) + "\n");

const total = (dir) => filesBelow(dir).reduce((sum, path) => sum + statSync(join(dir, path)).size, 0);
console.log(`demo/assets: ${filesBelow(PKG_DIR).length} files, ${total(PKG_DIR)} bytes`);
console.log(`demo/origin: ${filesBelow(ORIGIN_DIR).length} files, ${total(ORIGIN_DIR)} bytes`);
