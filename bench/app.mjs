// App start-up figures: launches the real app (through tauri-driver) several
// times on the bundled corpus and measures, each time, how long until the
// first search result is shown, and the app's resident memory then.
// Run through bench/run.sh, which runs it inside tests/e2e/run.sh's
// environment (Xvfb, tauri-driver, fresh data and cache directories):
//   E2E_SCRIPT=bench/app.mjs tests/e2e/run.sh target/release/trustlens-app
// Writes $E2E_OUT_DIR/app-bench.json. BENCH_APP_RUNS sets the number of starts (5).
//
// The first start has an empty cache directory, so it builds the search
// index; the others reuse it (the usual case). "Cold" means a new process,
// not an empty OS file cache.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
// webdriverio is installed for the end-to-end test; use that copy.
const e2eRequire = createRequire(path.resolve(HERE, "../tests/e2e/package.json"));
const { remote } = await import(pathToFileURL(e2eRequire.resolve("webdriverio")).href);

const APP = process.env.APP_BINARY;
const PORT = Number(process.env.E2E_PORT ?? 4444);
const OUT_DIR = process.env.E2E_OUT_DIR ?? path.resolve(HERE, "../target/e2e");
const RUNS = Number(process.env.BENCH_APP_RUNS ?? 5);
const QUERY = '"Privacy Shield"';

/** Resident and peak memory (MB) of a process, from /proc. */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number((status.match(new RegExp(`^${key}:\\s+(\\d+)`, "m")) ?? [])[1] ?? NaN);
  return { rss_mb: kb("VmRSS") / 1024, peak_mb: kb("VmHWM") / 1024 };
}

/** PIDs of running processes called `name` (pgrep -x sees only the first 15 characters). */
function pids(name) {
  const [flag, pattern] = name.length <= 15 ? ["-x", name] : ["-f", `^(\\S*/)?${name}( |$)`];
  try {
    return execFileSync("pgrep", [flag, pattern], { encoding: "utf8" }).trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

/** The page's performance marks and navigation timing, read over WebDriver. */
function readPage(browser) {
  return browser.execute(() => {
    const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
    // Where the page's own start-up went: when its document arrived, when
    // it was parsed (its module script runs right after), when it loaded.
    const nav = performance.getEntriesByType("navigation")[0];
    return {
      origin: performance.timeOrigin,
      response: nav ? nav.responseEnd : null,
      interactive: nav ? nav.domInteractive : null,
      loaded: nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : null,
      // The app's own marks (ui/src/searchview.ts and ui/src/catalog.ts): its search box usable, its
      // first calls answered (the corpus open), the first results in the
      // page, and the next frame, which paints them.
      ready: mark("trustlens:search-ready"),
      corpus: mark("trustlens:corpus-ready"),
      results: mark("trustlens:first-results"),
      frame: mark("trustlens:first-results-frame"),
      hits: document.querySelectorAll("li.hit").length,
    };
  });
}

async function start() {
  const t0 = Date.now();
  const browser = await remote({
    hostname: "127.0.0.1",
    port: PORT,
    path: "/",
    logLevel: "warn",
    connectionRetryTimeout: 90_000,
    connectionRetryCount: 1,
    capabilities: {
      // The app runs the search itself as soon as its page is up, as a user
      // starting it with `trustlens-app --search QUERY` gets it.
      "tauri:options": { application: APP, args: ["--search", QUERY] },
      "wdio:enforceWebDriverClassic": true,
    },
  });
  const session = Date.now() - t0;
  // Nothing is sent to the page while it starts: a WebDriver script run
  // then holds the page's thread for about 100 ms (measured: the first
  // results came that much later). The page times itself by its marks
  // (on its own clock: performance.timeOrigin is when it began loading);
  // they are read once the results are there.
  await new Promise((r) => setTimeout(r, 2000));
  let page = await readPage(browser);
  for (let i = 0; i < 60 && (page.results === null || page.frame === null); i++) {
    await new Promise((r) => setTimeout(r, 500));
    page = await readPage(browser);
  }
  if (page.results === null) throw new Error("no search result within 30 s");
  if (page.hits === 0) throw new Error(`the search ${QUERY} showed no hits`);
  const [app] = pids("trustlens-app");
  const appMemory = app ? memory(app) : { rss_mb: NaN, peak_mb: NaN };
  const webkit = [...pids("WebKitWebProcess"), ...pids("WebKitNetworkProcess")]
    .map((p) => memory(p).rss_mb)
    .reduce((a, b) => a + b, 0);
  await browser.deleteSession();
  // Let the app exit before the next start, so starts do not overlap.
  for (let i = 0; i < 100 && pids("trustlens-app").length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const since = (t) => (t === null ? null : page.origin + t - t0);
  return {
    session_ms: session,
    page_start_ms: page.origin - t0,
    page_response_ms: since(page.response),
    page_interactive_ms: since(page.interactive),
    page_loaded_ms: since(page.loaded),
    search_ready_ms: since(page.ready),
    corpus_ready_ms: since(page.corpus),
    first_result_ms: since(page.results),
    first_frame_ms: since(page.frame),
    hits: page.hits,
    app_rss_mb: appMemory.rss_mb,
    app_peak_mb: appMemory.peak_mb,
    webkit_rss_mb: webkit,
  };
}

const runs = [];
for (let i = 0; i < RUNS; i++) {
  const r = await start();
  runs.push(r);
  console.log(
    `app start ${i + 1}/${RUNS}: first result at ${r.first_result_ms.toFixed(0)} ms, ` +
      `painted by ${r.first_frame_ms?.toFixed(0) ?? "?"} ms (window up at ${r.session_ms.toFixed(0)} ms, ` +
      `page at ${r.page_start_ms.toFixed(0)} ms); app RSS ${r.app_rss_mb.toFixed(0)} MB, ` +
      `WebKit ${r.webkit_rss_mb.toFixed(0)} MB`,
  );
}
await mkdir(OUT_DIR, { recursive: true });
await writeFile(path.join(OUT_DIR, "app-bench.json"), JSON.stringify({ query: QUERY, runs }, null, 2));
console.log(`e2e: ${runs.length} passed, 0 failed`);
