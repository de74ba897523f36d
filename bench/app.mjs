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
      "tauri:options": { application: APP },
      "wdio:enforceWebDriverClassic": true,
    },
  });
  const session = Date.now() - t0;
  // Everything after the session starts happens inside the page and is
  // timed there (performance.timeOrigin is when the page began loading), so
  // no WebDriver round trip is in the figures: wait until the search box
  // can be used, submit the query, wait for the first hit.
  const page = await browser.executeAsync((q, done) => {
    const usable = () => {
      const input = document.querySelector("#query");
      return input !== null && !input.disabled && input.offsetParent !== null ? input : null;
    };
    const hit = () => document.querySelector("li.hit") !== null;
    // Where the page's own start-up went: when its document arrived, when
    // it was parsed (its module script runs right after), when it loaded.
    const nav = performance.getEntriesByType("navigation")[0];
    const result = {
      origin: performance.timeOrigin,
      box: null,
      hit: null,
      response: nav ? nav.responseEnd : null,
      interactive: nav ? nav.domInteractive : null,
      loaded: nav && nav.loadEventEnd > 0 ? nav.loadEventEnd : null,
      // The app marks when its search box became usable (ui/src/app.ts)
      // and when its first calls came back, i.e. the corpus was open; both
      // are read once the hit is shown.
      ready: null,
      corpus: null,
    };
    const give_up = setTimeout(() => done(result), 30_000);
    const watch = (test, then) => {
      if (test()) return then();
      const observer = new MutationObserver(() => {
        if (test()) {
          observer.disconnect();
          then();
        }
      });
      observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true });
    };
    watch(usable, () => {
      result.box = performance.now();
      usable().value = q;
      watch(hit, () => {
        result.hit = performance.now();
        const mark = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
        result.ready = mark("trustlens:search-ready");
        result.corpus = mark("trustlens:corpus-ready");
        clearTimeout(give_up);
        done(result);
      });
      document.querySelector("#search-form").requestSubmit();
    });
  }, QUERY);
  if (page.hit === null) throw new Error(`no search result within 30 s (search box ready: ${page.box !== null})`);
  const box = page.origin + page.box - t0;
  const seenResult = page.origin + page.hit - t0;
  // A search submitted before the corpus was open waited for it: the
  // search itself starts when both the submit and the corpus were there.
  const search = { ms: page.hit - Math.max(page.box, page.corpus ?? page.box) };
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
  // A WebDriver script runs only some hundreds of milliseconds after the
  // page is ready, so the script sees the box later than a user would. The
  // first result a user gets is the app's own "ready" mark plus the search
  // as timed in the page; the figure seen by the script is kept beside it.
  // A search submitted before the corpus is open waits for it.
  const ready =
    page.ready === null ? null : since(page.corpus === null ? page.ready : Math.max(page.ready, page.corpus));
  return {
    session_ms: session,
    page_start_ms: page.origin - t0,
    page_response_ms: since(page.response),
    page_interactive_ms: since(page.interactive),
    page_loaded_ms: since(page.loaded),
    search_ready_ms: since(page.ready),
    corpus_ready_ms: since(page.corpus),
    search_box_ms: box,
    search_ms: search.ms,
    first_result_ms: ready === null ? seenResult : ready + search.ms,
    seen_result_ms: seenResult,
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
    `app start ${i + 1}/${RUNS}: first result at ${r.first_result_ms.toFixed(0)} ms ` +
      `(window up at ${r.session_ms.toFixed(0)} ms, search box seen at ${r.search_box_ms.toFixed(0)} ms, ` +
      `search ${r.search_ms.toFixed(0)} ms); app RSS ${r.app_rss_mb.toFixed(0)} MB, ` +
      `WebKit ${r.webkit_rss_mb.toFixed(0)} MB`,
  );
}
await mkdir(OUT_DIR, { recursive: true });
await writeFile(path.join(OUT_DIR, "app-bench.json"), JSON.stringify({ query: QUERY, runs }, null, 2));
console.log(`e2e: ${runs.length} passed, 0 failed`);
