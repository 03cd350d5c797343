import type { GameAssets } from "./GameAssets.js";
import type { MusicPlayer } from "./MusicPlayer.js";

/**
 * Plays the sound effects the asset server loaded as bytes; the music goes to an `<audio>`
 * element (`MusicPlayer`). The AudioContext is created on the first user gesture: browsers keep
 * audio silent (and warn) before one.
 */
/** The music's key among the loaded assets (`pkg://game/sounds/theme.wav`). */
export const MUSIC_KEY = "sounds/theme.wav";

export class SoundBank {
  private context: AudioContext | null = null;
  private readonly buffers = new Map<string, AudioBuffer>();
  private decoding: Promise<void> | null = null;

  constructor(
    private readonly assets: GameAssets,
    private readonly music: MusicPlayer,
  ) {}

  get musicPlaying(): boolean {
    return this.music.playing;
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
    this.music.toggle();
  }

  private async decodeAll(context: AudioContext): Promise<void> {
    await Promise.all(
      // The music is the <audio> element's to stream; only the effects are decoded.
      this.assets.keysUnder("sounds/").filter((key) => key !== MUSIC_KEY).map(async (key) => {
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
