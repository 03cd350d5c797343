import type { GameAssets } from "./GameAssets.js";

/**
 * Plays the WAV files the asset server loaded as bytes. The AudioContext is created on the first
 * user gesture: browsers keep audio silent (and warn) before one.
 */
export class SoundBank {
  private context: AudioContext | null = null;
  private readonly buffers = new Map<string, AudioBuffer>();
  private music: AudioBufferSourceNode | null = null;
  private decoding: Promise<void> | null = null;

  constructor(private readonly assets: GameAssets) {}

  get musicPlaying(): boolean {
    return this.music !== null;
  }

  /** Call from a user gesture (a key press). */
  unlock(): void {
    if (this.context || typeof AudioContext === "undefined") return;
    this.context = new AudioContext();
    this.decoding = this.decodeAll(this.context);
  }

  /** Decodes again after the sound files were reloaded. */
  refresh(): void {
    if (this.context) this.decoding = this.decodeAll(this.context);
  }

  play(name: string, volume = 0.6): void {
    const context = this.context;
    const buffer = this.buffers.get(name);
    if (!context || !buffer) return;
    const source = context.createBufferSource();
    const gain = context.createGain();
    gain.gain.value = volume;
    source.buffer = buffer;
    source.connect(gain).connect(context.destination);
    source.start();
  }

  toggleMusic(): void {
    if (this.music) {
      this.music.stop();
      this.music = null;
      return;
    }
    void this.decoding?.then(() => {
      const context = this.context;
      const buffer = this.buffers.get("theme");
      if (!context || !buffer || this.music) return;
      const source = context.createBufferSource();
      const gain = context.createGain();
      gain.gain.value = 0.35;
      source.buffer = buffer;
      source.loop = true;
      source.connect(gain).connect(context.destination);
      source.start();
      this.music = source;
    });
  }

  private async decodeAll(context: AudioContext): Promise<void> {
    await Promise.all(
      this.assets.keysUnder("sounds/").map(async (key) => {
        const bytes = this.assets.bytes(key);
        if (!bytes) return;
        try {
          // decodeAudioData detaches the buffer it is given: hand it a copy, not the cached bytes.
          const buffer = await context.decodeAudioData(bytes.slice().buffer);
          this.buffers.set(key.replace(/^sounds\/|\.wav$/g, ""), buffer);
        } catch (error) {
          console.warn(`demo: could not decode ${key}`, error);
        }
      }),
    );
  }
}
