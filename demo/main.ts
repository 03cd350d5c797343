import "./style.css";
import { AssetServer, type BatchHandle, registerAssetWorker } from "../src/index.js";
import { AssetTracker, shortName } from "./AssetTracker.js";
import { BOOT_MANIFEST, originManifestUrl, PKG_BASE, prepareBootManifest } from "./bootManifest.js";
import { CrtFilter } from "./CrtFilter.js";
import { type DemoActions, DevPanel, formatBytes } from "./DevPanel.js";
import { GameAssets } from "./GameAssets.js";
import { GameScene } from "./GameScene.js";
import { Hud } from "./Hud.js";
import { Input } from "./Input.js";
import { parseLevel } from "./Level.js";
import { LoadingScreen } from "./LoadingScreen.js";
import { deployOnOrigin, originBase } from "./originClient.js";
import { PERSISTENT_CACHE_BYTES } from "./settings.js";
import { MusicPlayer } from "./MusicPlayer.js";
import { PixiBadge } from "./PixiBadge.js";
import { whenWorkerControls } from "./whenWorkerControls.js";
import { SoundBank } from "./SoundBank.js";
import { UpdateToast } from "./UpdateToast.js";

const app = document.querySelector<HTMLElement>("#app")!;
/** How long PixiJS's badge waits for the asset worker to control a first visit (see `startGame`). */
const BADGE_WAITS_FOR_WORKER_MS = 3_000;
const gameRoot = document.querySelector<HTMLElement>("#game")!;
const screen = document.querySelector<HTMLCanvasElement>("#screen")!;
const crtCanvas = document.querySelector<HTMLCanvasElement>("#crt")!;

// `new AssetServer` registers nothing; the demo registers the worker itself because it sizes its
// store (`AssetServer.instance()` does both, with the defaults).
registerAssetWorker().catch((error: unknown) => console.warn(`asset worker not registered: ${String(error)}`));
const server = new AssetServer({ persistentCacheBytes: PERSISTENT_CACHE_BYTES });
// For people exploring the demo in devtools (`assetServer.stats()`, `assetServer.pending()`) and for tests.
(window as Window & { assetServer?: AssetServer }).assetServer = server;
const tracker = new AssetTracker();
const assets = new GameAssets(PKG_BASE, originBase());
const input = new Input(window);
// Handed to the DOM and to another engine by URL: the asset worker answers those requests from its store.
const music = new MusicPlayer(() => server.urlOf("pkg://game/sounds/theme.wav"));
const sounds = new SoundBank(assets, music);
(window as Window & { demoMusic?: HTMLAudioElement }).demoMusic = music.element;
input.onFirstGesture = () => sounds.unlock();
const loading = new LoadingScreen(document.querySelector<HTMLElement>("#loading")!);
let hud: Hud | null = null;
let scene: GameScene | null = null;
let crt: CrtFilter | null = null;
let tipTimer: ReturnType<typeof setInterval> | undefined;

/** Takes a finished batch's values into the game and refreshes what shows them. */
function apply(batch: BatchHandle): void {
  assets.addBatch(batch);
  sounds.refresh();
  hud?.refreshIcons();
  showOriginContent();
}

function whenDone(batch: BatchHandle, then: (batch: BatchHandle) => void): BatchHandle {
  if (batch.isDone) then(batch);
  else batch.completed.once(then);
  return batch;
}

function showOriginContent(): void {
  if (!hud) return;
  const news = assets.json("origin/news.json") as { headline?: unknown; deploy?: unknown } | null;
  hud.setNews(typeof news?.headline === "string" ? news.headline : null, typeof news?.deploy === "number" ? news.deploy : null);
  const tips = (assets.text("origin/text/tips.txt") ?? "").split("\n").filter((line) => line.trim() !== "");
  clearInterval(tipTimer);
  if (tips.length === 0) return;
  let next = 0;
  const showTip = () => hud?.setTip(`Tip: ${tips[next++ % tips.length]}`);
  showTip();
  tipTimer = setInterval(showTip, 9000);
}

const actions: DemoActions = {
  reloadAll: () => whenDone(tracker.trackBatch(server.loadManifest(BOOT_MANIFEST)), apply),
  async deploy() {
    await deployOnOrigin();
    return whenDone(tracker.trackBatch(server.loadManifest(originManifestUrl())), apply);
  },
  clearMemory: () => server.clearCaches(),
  clearAll: () => server.clearCaches({ persistent: true }),
  toggleCrt() {
    if (!scene) return false;
    if (scene.afterRender) {
      scene.afterRender = null;
      crtCanvas.hidden = true;
      return false;
    }
    crt ??= CrtFilter.create(crtCanvas, assets.text("shaders/crt.frag") ?? "");
    if (!crt) return false;
    const filter = crt;
    scene.afterRender = (canvas, time) => filter.draw(canvas, time);
    crtCanvas.hidden = false;
    return true;
  },
};

const panel = new DevPanel(document.querySelector<HTMLElement>("#dev-panel")!, document.querySelector<HTMLButtonElement>("#dev-toggle")!, server, tracker, actions);

function startScene(): void {
  const level = parseLevel(assets.json("levels/level1.json"));
  const previous = scene;
  scene = new GameScene(screen, level, assets, hud!, sounds, input);
  if (previous) {
    scene.afterRender = previous.afterRender;
    previous.stop();
  }
  scene.start();
}

function startGame(): void {
  hud = new Hud(gameRoot, assets);
  startScene();
  showOriginContent();
  panel.setShaderSource(assets.text("shaders/crt.frag"));
  gameRoot.hidden = false;
  // After the game's first frame: loading PixiJS and a WebGL context must not hold that frame back.
  // And once the worker controls the page (at most 3 s), so that it answers PixiJS's request from
  // the store on a first visit too, instead of the file going once more over the network.
  const badge = new PixiBadge(gameRoot.querySelector<HTMLElement>(".hud")!, () => server.urlOf("pkg://game/sprites/flag.png"));
  requestAnimationFrame(() => requestAnimationFrame(() => void whenWorkerControls(BADGE_WAITS_FOR_WORKER_MS).then(() => badge.start())));
  loading.hide();
  app.dataset.scene = "game";
}

async function boot(): Promise<void> {
  loading.setStatus("Reading the manifests…");
  try {
    const { originEntries } = await prepareBootManifest(server, tracker);
    const batch = tracker.trackBatch(server.loadManifest(BOOT_MANIFEST));
    await loading.follow(batch, () => {
      const stats = server.stats();
      return `${formatBytes(stats.networkBytes)} from the network · HTTP via ${stats.httpBackend ?? "none"}`;
    });
    assets.addBatch(batch);
    startGame();
    if (originEntries === 0) hud?.showToast("The demo origin is unreachable: playing without its content.");
  } catch (error) {
    app.dataset.scene = "error";
    loading.showError(`Could not load the game: ${error instanceof Error ? error.message : String(error)}`, () => location.reload());
  }
}

// A pkg:// file saved under `npm run demo` (the Vite plugin's dev client tells the server, which
// drops its copies first): reload just that file, live.
server.assetChanged.connect((uri) => {
  if (!uri.startsWith("pkg://") || !scene) return;
  const handle = tracker.trackHandle(server.load(uri));
  handle.completed.once((done) => {
    if (done.state !== "loaded") {
      hud?.showToast(`${shortName(uri)} did not reload: ${done.error?.code ?? done.state}`);
      return;
    }
    assets.addHandle(done);
    sounds.refresh();
    hud?.refreshIcons();
    try {
      if (assets.keyOf(done.absoluteUri).startsWith("levels/")) startScene();
      hud?.showToast(`Reloaded ${shortName(uri)}`);
    } catch (error) {
      hud?.showToast(`${shortName(uri)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
});

// After a deploy (a build only: the dev server has no updates): download the new build in the
// background as soon as the server has one, and offer the reload once it is ready.
const updateToast = new UpdateToast(app, () => location.reload());
server.updateAvailable.connect(() => {
  server.applyUpdate();
});
server.updateReady.connect((info) => updateToast.show(info));

void boot();
