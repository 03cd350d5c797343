/**
 * The music, played by an `<audio>` element from `server.urlOf(...)`: the page's own request,
 * which the asset worker answers from its store, Range requests included. So the music streams,
 * seeks and loops offline like the rest of the game, and the bytes are not decoded up front.
 */
export class MusicPlayer {
  private readonly audio: HTMLAudioElement;

  /** @param url where the music is (asked on first play: `server.urlOf` gives the hashed URL once the pkg index has loaded). */
  constructor(private readonly url: () => string) {
    this.audio = document.createElement("audio");
    this.audio.loop = true;
    this.audio.volume = 0.35;
    this.audio.preload = "none";
  }

  get playing(): boolean {
    return !this.audio.paused;
  }

  /** The element itself, for people exploring the demo (and its tests): `currentTime`, `seekable`. */
  get element(): HTMLAudioElement {
    return this.audio;
  }

  /** Plays or pauses; call from a user gesture (browsers keep audio silent before one). */
  toggle(): void {
    if (this.playing) {
      this.audio.pause();
      return;
    }
    if (this.audio.src === "") this.audio.src = this.url();
    this.audio.play().catch((error: unknown) => console.warn(`demo: the music did not start: ${String(error)}`));
  }
}
