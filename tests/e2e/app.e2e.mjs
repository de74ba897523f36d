// End-to-end test of the trustlens app through tauri-driver (WebDriver classic).
// Run it through run.sh, which provides the display, the driver and the env:
//   APP_BINARY           absolute path of the app binary (required)
//   E2E_PORT             tauri-driver port (4444)
//   E2E_OUT_DIR          where search.png and compare.png go (REPO/target/e2e)
//   E2E_SCRIPT_TIMEOUT_MS  hard limit for this script (240000)
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const APP = process.env.APP_BINARY;
const PORT = Number(process.env.E2E_PORT ?? 4444);
const OUT_DIR = process.env.E2E_OUT_DIR ?? path.resolve(HERE, "../../target/e2e");
const SCRIPT_TIMEOUT_MS = Number(process.env.E2E_SCRIPT_TIMEOUT_MS ?? 240_000);

const QUERY = '"Privacy Shield"';
const EXPECTED_DATE = "2023-05-05";
const WAIT = { short: 10_000, normal: 20_000, long: 45_000 };

// A vendor document carrying markup that must never run: raw HTML (dropped at
// ingest), a javascript: link (only its text is kept) and markup in a code
// span (kept, as text). Any of it running sets window.__pwned.
const HOSTILE_MD = `# Northwind Security Overview

## Data Encryption

Customer data is encrypted at rest. <script>window.__pwned = "script"</script>

Status updates are posted <img src=x onerror="window.__pwned='img'"> on our [status page](javascript:window.__pwned='link').

Literal markup in a code span: \`<img src=x onerror="window.__pwned='code'">\` is shown as text.
`;

let browser = null;
let passed = 0;
let failed = 0;
let skipped = 0;

function closingLine() {
  return `e2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
}

/** Resolves with `promise`, or rejects after `ms` with a message naming `what`. */
function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const watchdog = setTimeout(() => {
  failed += 1;
  console.error(`e2e: the test did not finish within ${SCRIPT_TIMEOUT_MS} ms`);
  console.log(closingLine());
  process.exit(1);
}, SCRIPT_TIMEOUT_MS);

/** The visible error banner's text, or null when it is hidden. */
async function errorBanner() {
  const banner = await browser.$("#error");
  if (!(await banner.isExisting()) || !(await banner.isDisplayed())) return null;
  return (await banner.getText()).trim() || "(empty error banner)";
}

async function focusedClauseId() {
  const focus = await browser.$("#reader .clause.focus");
  return (await focus.isExisting()) ? focus.getAttribute("data-clause-id") : null;
}

const state = { firstClause: null, matrixClause: null, noteText: null };

/** A new WebDriver session: tauri-driver starts the app (with `args`, its command-line options). */
function startSession(args = []) {
  return within(
    WAIT.long * 2,
    "new session",
    remote({
      hostname: "127.0.0.1",
      port: PORT,
      path: "/",
      logLevel: "warn",
      connectionRetryTimeout: WAIT.long,
      connectionRetryCount: 1,
      capabilities: {
        "tauri:options": { application: APP, args },
        "wdio:enforceWebDriverClassic": true,
      },
    }),
  );
}

const steps = [
  [
    "a WebDriver session starts the app",
    async () => {
      browser = await startSession();
      // The first frames are blank; give the page a moment to render.
      await browser.pause(1000);
    },
  ],
  [
    "the search box is shown",
    async () => {
      const query = await browser.$("#query");
      await query.waitForDisplayed({ timeout: WAIT.normal, timeoutMsg: "#query did not appear" });
      // The page enables it once the app's script has taken over the form.
      await query.waitForEnabled({ timeout: WAIT.normal, timeoutMsg: "#query was never enabled" });
      const banner = await errorBanner();
      assert(banner === null, `error banner after start-up: ${banner}`);
    },
  ],
  [
    `searching ${QUERY} lists hits`,
    async () => {
      const query = await browser.$("#query");
      await query.setValue(QUERY);
      await query.addValue("\uE007"); // Enter submits the search form
      let hits = 0;
      let banner = null;
      await browser.waitUntil(
        async () => {
          hits = (await browser.$$("li.hit")).length;
          banner = await errorBanner();
          return hits > 0 || banner !== null;
        },
        { timeout: WAIT.normal, interval: 250, timeoutMsg: `no li.hit within ${WAIT.normal} ms` },
      );
      assert(banner === null, `the search failed: ${banner}`);
      // The counts per version come in a second call, after the hits.
      await (await browser.$("#results-summary button.facet")).waitForExist({
        timeout: WAIT.normal,
        timeoutMsg: `no counts per version (#results-summary button.facet) within ${WAIT.normal} ms`,
      });
      const summary = await (await browser.$("#results-summary")).getText();
      console.log(`     ${hits} hits listed; summary: ${summary.replace(/\s+/g, " ")}`);
    },
  ],
  [
    "clicking the first hit opens its clause in the reader, highlighted",
    async () => {
      const first = (await browser.$$("li.hit"))[0];
      await first.click();
      const focus = await browser.$("#reader .clause.focus");
      await focus.waitForExist({ timeout: WAIT.normal, timeoutMsg: "no #reader .clause.focus after the click" });
      const text = await focus.getText();
      assert(text.includes("Privacy Shield"), `focused clause lacks "Privacy Shield": ${JSON.stringify(text)}`);
      const version = await (await browser.$("#reader-version")).getText();
      assert(version.includes(EXPECTED_DATE), `#reader-version is ${JSON.stringify(version)}, not ${EXPECTED_DATE}`);
      assert(await (await focus.$("mark")).isExisting(), "focused clause has no <mark>");
      assert((await first.getAttribute("class")).split(/\s+/).includes("selected"), "first hit is not .selected");
      state.firstClause = await focus.getAttribute("data-clause-id");
      assert(state.firstClause, "focused clause has no data-clause-id");
      console.log(`     focus: ${state.firstClause}`);
    },
  ],
  [
    "#next-hit moves the focus to another clause",
    async () => {
      const next = await browser.$("#next-hit");
      assert(await next.isEnabled(), "#next-hit is disabled (the search needs at least two hits)");
      await next.click();
      let now = null;
      await browser.waitUntil(
        async () => {
          now = await focusedClauseId();
          return now !== null && now !== state.firstClause;
        },
        { timeout: WAIT.normal, interval: 250, timeoutMsg: `focus stayed on ${state.firstClause}` },
      );
      const banner = await errorBanner();
      assert(banner === null, `error banner after #next-hit: ${banner}`);
      console.log(`     focus: ${now}`);
    },
  ],
  [
    "a screenshot is saved to target/e2e/search.png",
    async () => {
      await mkdir(OUT_DIR, { recursive: true });
      const file = path.join(OUT_DIR, "search.png");
      await within(WAIT.normal, "screenshot", browser.saveScreenshot(file));
      const bytes = await readFile(file);
      assert(bytes.length > 1000 && bytes.subarray(1, 4).toString() === "PNG", `${file} is not a PNG`);
      console.log(`     ${file} (${(await stat(file)).size} bytes)`);
    },
  ],
  [
    "the compare view lists change cards for the two versions, with regulatory flags",
    async () => {
      await (await browser.$("#mode-compare")).click();
      const run = await browser.$("#compare-run");
      await run.waitForDisplayed({ timeout: WAIT.short, timeoutMsg: "#compare-run did not appear" });
      const [from, to] = [await browser.$("#compare-old").getValue(), await browser.$("#compare-new").getValue()];
      assert(from !== to && from && to, `compare preselected ${from} → ${to}`);
      await run.click();
      let cards = 0;
      let banner = null;
      await browser.waitUntil(
        async () => {
          cards = (await browser.$$("#card-list li.card")).length;
          banner = await errorBanner();
          return cards > 0 || banner !== null;
        },
        { timeout: WAIT.normal, interval: 250, timeoutMsg: `no li.card within ${WAIT.normal} ms` },
      );
      assert(banner === null, `the compare failed: ${banner}`);
      const kinds = [];
      for (const c of await browser.$$("#card-list li.card")) kinds.push(await c.getAttribute("data-kind"));
      assert(kinds.includes("framework_replaced"), `no framework_replaced card among ${kinds.join(", ")}`);
      const flags = await (await browser.$("#compare-notes")).getText();
      assert(/Safe Harbor/.test(flags) && /Privacy Shield/.test(flags), `flags lack the transfer mechanisms: ${flags}`);
      const rows = (await browser.$$("#compare-rows .row.pair-row")).length;
      assert(rows > 10, `only ${rows} aligned rows`);
      assert(await (await browser.$("#compare-rows ins")).isExisting(), "no <ins> in the redline");
      console.log(`     ${from} → ${to}: ${cards} cards, ${rows} rows`);
    },
  ],
  [
    "clicking a card marks its evidence in the side by side; n moves to the next change",
    async () => {
      const card = (await browser.$$("#card-list li.card"))[0];
      await card.click();
      const evidence = await browser.$("#compare-rows .row.evidence");
      await evidence.waitForExist({ timeout: WAIT.short, timeoutMsg: "no .row.evidence after clicking a card" });
      const text = await evidence.getText();
      assert(/Safe Harbor|Privacy Shield/.test(text), `evidence row lacks the framework: ${JSON.stringify(text.slice(0, 200))}`);
      const inView = await browser.execute(() => {
        const row = document.querySelector("#compare-rows .row.evidence");
        const pane = document.querySelector("#compare-rows");
        if (!row || !pane) return false;
        const r = row.getBoundingClientRect();
        const p = pane.getBoundingClientRect();
        return r.top < p.bottom && r.bottom > p.top;
      });
      assert(inView, "the evidence row was not scrolled into view");
      const position = await (await browser.$("#change-position")).getText();
      await browser.keys("n");
      await browser.waitUntil(
        async () => (await (await browser.$("#change-position")).getText()) !== position,
        { timeout: WAIT.short, interval: 100, timeoutMsg: `n did not move from change ${position}` },
      );
      const selected = await (await browser.$("#card-list li.card.selected")).getAttribute("data-card");
      assert(selected === "1", `after n the selected card is ${selected}, not 1`);
      console.log(`     change ${await (await browser.$("#change-position")).getText()}`);
    },
  ],
  [
    "the compare view shows responsibility-shift alerts from the matrix",
    async () => {
      await browser.waitUntil(async () => (await browser.$$("#compare-notes li.alert")).length > 0, {
        timeout: WAIT.normal,
        interval: 250,
        timeoutMsg: "no li.alert in #compare-notes",
      });
      const alerts = await browser.$$("#compare-notes li.alert");
      const kinds = [];
      for (const a of alerts) kinds.push(await a.getAttribute("data-kind"));
      assert(kinds.includes("moved_to_customer"), `alert kinds: ${kinds.join(", ")}`);
      console.log(`     ${alerts.length} alerts`);
    },
  ],
  [
    "a screenshot is saved to target/e2e/compare.png",
    async () => {
      await (await browser.$$("#card-list li.card"))[0].click();
      await browser.pause(300);
      const file = path.join(OUT_DIR, "compare.png");
      await within(WAIT.normal, "screenshot", browser.saveScreenshot(file));
      const bytes = await readFile(file);
      assert(bytes.length > 1000 && bytes.subarray(1, 4).toString() === "PNG", `${file} is not a PNG`);
      console.log(`     ${file} (${(await stat(file)).size} bytes)`);
    },
  ],
  [
    "the compare view's Key terms panel puts both versions' terms side by side by topic",
    async () => {
      const toggle = await browser.$("#compare-terms-toggle");
      await toggle.waitForClickable({ timeout: WAIT.normal, timeoutMsg: "no clickable #compare-terms-toggle" });
      await toggle.click();
      await browser.waitUntil(async () => (await browser.$$("#compare-terms section.terms-topic")).length > 0, {
        timeout: WAIT.normal,
        interval: 250,
        timeoutMsg: "no section.terms-topic in #compare-terms",
      });
      const topics = [];
      for (const t of await browser.$$("#compare-terms section.terms-topic")) topics.push(await t.getAttribute("data-topic"));
      assert(topics.includes("breach-notification") && topics.includes("subprocessors"), `topics: ${topics.join(", ")}`);
      await browser.pause(300);
      await within(WAIT.normal, "screenshot", browser.saveScreenshot(path.join(OUT_DIR, "key-terms.png")));
      await toggle.click();
      console.log(`     ${topics.length} topics: ${topics.slice(0, 6).join(", ")}…`);
    },
  ],
  [
    "the matrix grid lists entries × versions; a cell lists its clauses; a clause opens in the reader",
    async () => {
      await (await browser.$("#mode-matrix")).click();
      const cell = await browser.$(
        '#matrix-grid button.matrix-cell[data-entry$="/physical-security"][data-version="heroku-spa@2023-05-05"]',
      );
      await cell.waitForDisplayed({ timeout: WAIT.normal, timeoutMsg: "no physical-security cell for 2023-05-05" });
      const rows = (await browser.$$("#matrix-body tr.matrix-row")).length;
      assert(rows >= 18, `only ${rows} matrix rows`);
      assert(Number(await cell.getText()) >= 1, `physical-security 2023 count is ${await cell.getText()}`);
      await cell.click();
      const item = await browser.$("#matrix-detail li.linked-clause");
      await item.waitForDisplayed({ timeout: WAIT.normal, timeoutMsg: "no linked clause in #matrix-detail" });
      const reason = await (await item.$(".linked-reason")).getText();
      assert(/rule \d+ matched/.test(reason), `reason: ${reason}`);
      state.matrixClause = await item.getAttribute("data-clause-id");
      await browser.pause(300);
      await mkdir(OUT_DIR, { recursive: true });
      await within(WAIT.normal, "screenshot", browser.saveScreenshot(path.join(OUT_DIR, "matrix.png")));
      await item.click();
      await browser.waitUntil(async () => (await focusedClauseId()) === state.matrixClause, {
        timeout: WAIT.normal,
        interval: 250,
        timeoutMsg: `the reader did not open ${state.matrixClause}`,
      });
      console.log(`     ${rows} rows; opened ${state.matrixClause}`);
    },
  ],
  [
    "linking and unlinking a clause from the reader",
    async () => {
      const focus = await browser.$("#reader .clause.focus");
      const select = await focus.$("select.link-add");
      await select.waitForExist({ timeout: WAIT.short, timeoutMsg: "no select.link-add on the focused clause" });
      const key = "cloud-shared-responsibility/usage-analytics";
      await select.selectByAttribute("value", key);
      const chip = () => browser.$(`#reader .clause.focus .link-chip.manual[data-entry="${key}"]`);
      await browser.waitUntil(async () => (await chip()).isExisting(), {
        timeout: WAIT.normal,
        interval: 250,
        timeoutMsg: "no manual chip after linking",
      });
      await (await (await chip()).$("button.link-remove")).click();
      await browser.waitUntil(async () => !(await (await chip()).isExisting()), {
        timeout: WAIT.normal,
        interval: 250,
        timeoutMsg: "the manual chip stayed after unlinking",
      });
      const banner = await errorBanner();
      assert(banner === null, `error banner: ${banner}`);
    },
  ],
  [
    "adding a note to the focused clause in the reader",
    async () => {
      const add = await browser.$("#reader .clause.focus button.note-add");
      await add.waitForExist({ timeout: WAIT.short, timeoutMsg: "no button.note-add on the focused clause" });
      await add.click();
      const text = await browser.$("#note-text");
      await text.waitForDisplayed({ timeout: WAIT.short, timeoutMsg: "the note dialog did not open" });
      state.noteText = `e2e note ${Date.now()}`;
      await text.setValue(state.noteText);
      await (await browser.$("#note-tags")).setValue("e2e");
      await (await browser.$("#note-save")).click();
      await browser.waitUntil(
        async () => (await browser.$$("#reader .clause.focus .clause-notes li.note[data-note-id]")).length > 0,
        { timeout: WAIT.normal, interval: 250, timeoutMsg: "the note did not appear on the clause" },
      );
      const banner = await errorBanner();
      assert(banner === null, `error banner: ${banner}`);
    },
  ],
  [
    "restarted with --search, the app shows that search; the note is still there, in the Notes tab",
    async () => {
      await within(WAIT.short, "closing the session", browser.deleteSession());
      browser = await startSession(["--search", "encryption at rest"]);
      await browser.pause(1000);
      await browser.waitUntil(async () => (await browser.$$("#hit-list li.hit")).length > 0, {
        timeout: WAIT.normal,
        interval: 250,
        timeoutMsg: "started with --search, the app showed no hits",
      });
      const query = await (await browser.$("#query")).getValue();
      assert(query === "encryption at rest", `the search box holds ${JSON.stringify(query)}`);
      const tab = await browser.$("#mode-notes");
      await tab.waitForDisplayed({ timeout: WAIT.normal, timeoutMsg: "#mode-notes did not appear" });
      await tab.click();
      await browser.waitUntil(
        async () => {
          for (const li of await browser.$$("#notes-list li.note[data-note-id]")) {
            if ((await li.getText()).includes(state.noteText)) return true;
          }
          return false;
        },
        { timeout: WAIT.normal, interval: 250, timeoutMsg: `no note "${state.noteText}" after the restart` },
      );
    },
  ],
  [
    "exporting the notes writes a file with the note and its citation",
    async () => {
      await (await browser.$("#notes-export")).click();
      const format = await browser.$("#export-format");
      await format.waitForDisplayed({ timeout: WAIT.short, timeoutMsg: "the export dialog did not open" });
      await format.selectByAttribute("value", "md");
      await mkdir(OUT_DIR, { recursive: true });
      const file = path.join(OUT_DIR, "notes-export.md");
      await rm(file, { force: true });
      const target = await browser.$("#export-path");
      await target.setValue(file);
      await (await browser.$("#export-save")).click();
      await (await browser.$("#export-done")).waitForDisplayed({
        timeout: WAIT.normal,
        timeoutMsg: "no #export-done after saving",
      });
      const text = await readFile(file, "utf8");
      assert(text.includes(state.noteText), "the exported file lacks the note");
      assert(/sha256 [0-9a-f]{64}/.test(text), "the exported file lacks the clause hash");
      assert(text.includes(state.matrixClause), `the exported file lacks ${state.matrixClause}`);
      console.log(`     ${file} (${text.length} bytes)`);
    },
  ],
  [
    "importing a real PDF and a Markdown file through the import dialog",
    async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "trustlens-e2e-"));
      const md = path.join(dir, "northwind-security-2024-06-01.md");
      await writeFile(md, HOSTILE_MD);
      const pdf = path.resolve(HERE, "../fixtures/pdf/northwind-security-2024-03-01.pdf");
      // The export dialog of the step before is still open (modal).
      const exportClose = await browser.$("#export-close");
      if (await exportClose.isDisplayed()) await exportClose.click();
      await (await browser.$("#mode-search")).click();
      await (await browser.$("#import-button")).click();
      const paths = await browser.$("#import-paths");
      await paths.waitForDisplayed({ timeout: WAIT.short, timeoutMsg: "the import dialog did not open" });
      // One path per line: Enter makes the line break (a "\n" in the text is dropped).
      await paths.setValue(pdf);
      await paths.addValue("\uE007");
      await paths.addValue(md);
      await (await browser.$("#import-vendor")).setValue("Northwind Data");
      await (await browser.$("#import-document")).setValue("Security Overview");
      await (await browser.$("#import-preview")).click();
      await browser.waitUntil(async () => (await browser.$$("#import-plan-rows tr")).length === 2, {
        timeout: WAIT.normal,
        interval: 250,
        timeoutMsg: "the preview did not list the two files",
      });
      await (await browser.$("#import-run")).click();
      const done = await browser.$("#import-done");
      await browser.waitUntil(async () => /finished|Stopped/.test(await done.getText()), {
        timeout: WAIT.long,
        interval: 250,
        timeoutMsg: "the import did not finish",
      });
      const text = await done.getText();
      assert(text.includes("2 added"), `import: ${text} / ${await (await browser.$("#import-error")).getText()}`);
      await mkdir(OUT_DIR, { recursive: true });
      await browser.saveScreenshot(path.join(OUT_DIR, "import.png"));
      await (await browser.$("#import-close")).click();
      const options = await browser.$$("#version-filter option");
      const values = [];
      for (const o of options) values.push(await o.getAttribute("value"));
      assert(
        values.includes("northwind-data-security-overview@2024-03-01"),
        `the imported PDF is not among the versions: ${values.join(", ")}`,
      );
      await rm(dir, { recursive: true, force: true });
    },
  ],
  [
    "markup and scripts in an imported document show as text and never run",
    async () => {
      const query = await browser.$("#query");
      await query.setValue("onerror");
      await query.addValue("\uE007");
      await browser.waitUntil(async () => (await browser.$$("li.hit")).length > 0, {
        timeout: WAIT.normal,
        interval: 250,
        timeoutMsg: "no hit for onerror",
      });
      await (await browser.$("li.hit")).click();
      const focus = await browser.$("#reader .clause.focus");
      await focus.waitForExist({ timeout: WAIT.normal, timeoutMsg: "the clause did not open" });
      const shown = await focus.getText();
      assert(shown.includes("<img src=x onerror="), `the markup is not shown as text: ${shown}`);
      assert((await browser.$$("#reader img")).length === 0, "an <img> element reached the reader");
      const reader = await (await browser.$("#reader")).getText();
      assert(reader.includes("status page"), "the link's text is missing");
      await browser.pause(500);
      const pwned = await browser.execute(() => window.__pwned ?? null);
      assert(pwned === null, `injected code ran: ${pwned}`);
    },
  ],
  [
    "a watched page served on loopback: check, change, check again, open the compare from the notice",
    async () => {
      const page = (date, days) =>
        `<!DOCTYPE html><html><head><title>Fabrikam privacy</title></head><body><nav>Home</nav>` +
        `<main><h1>Privacy Policy</h1><p>Effective date: ${date}</p><h2>Retention</h2>` +
        `<p>We keep access logs for ${days} days.</p><h2>Incidents</h2>` +
        `<p>We will notify affected customers of a breach within 72 hours.</p></main></body></html>`;
      let body = page("2026-01-05", 30);
      const server = http.createServer((_req, res) => {
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        res.end(body);
      });
      await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
      const url = `http://127.0.0.1:${server.address().port}/privacy`;
      try {
        await (await browser.$("#mode-watch")).click();
        const field = await browser.$("#watch-url");
        await field.waitForDisplayed({ timeout: WAIT.short, timeoutMsg: "the Watch tab did not show" });
        await field.setValue(url);
        await (await browser.$("#watch-vendor")).setValue("Fabrikam");
        await (await browser.$("#watch-document")).setValue("Privacy Policy");
        await (await browser.$("#watch-add")).click();
        const row = await browser.$(".watch-source");
        await row.waitForExist({ timeout: WAIT.normal, timeoutMsg: "the new source is not listed" });
        const status = await browser.$("#watch-status");
        const checked = async (what) => {
          await (await browser.$(".watch-source .watch-check")).click();
          await browser.waitUntil(async () => /new version/.test(await status.getText()), {
            timeout: WAIT.long,
            interval: 250,
            timeoutMsg: `${what}: no new version reported (${await status.getText()})`,
          });
        };
        await checked("first check");
        body = page("2026-02-01", 90);
        await checked("second check");
        const notice = await browser.$(".watch-notice*=changed");
        await notice.waitForExist({ timeout: WAIT.normal, timeoutMsg: "no notice of the change" });
        const said = await notice.getText();
        assert(/Fabrikam — Privacy Policy changed: \d+ changes?, \d+ high/.test(said), `the notice says ${said}`);
        await mkdir(OUT_DIR, { recursive: true });
        await browser.saveScreenshot(path.join(OUT_DIR, "watch.png"));
        await notice.click();
        await (await browser.$("#compare-view")).waitForDisplayed({
          timeout: WAIT.normal,
          timeoutMsg: "the notice did not open the compare view",
        });
        await browser.waitUntil(async () => (await browser.$$("#card-list li")).length > 0, {
          timeout: WAIT.long,
          interval: 250,
          timeoutMsg: "the compare from the notice shows no change cards",
        });
        const from = await (await browser.$("#compare-old")).getValue();
        const to = await (await browser.$("#compare-new")).getValue();
        assert(from.endsWith("@2026-01-05") && to.endsWith("@2026-02-01"), `compare ${from} → ${to}`);
        await browser.saveScreenshot(path.join(OUT_DIR, "watch-compare.png"));
        console.log(`     ${said}; compared ${from} → ${to}`);
      } finally {
        server.close();
      }
    },
  ],
];

async function main() {
  if (!APP) {
    failed += 1;
    console.error("e2e: APP_BINARY is not set (run tests/e2e/run.sh APP_BINARY)");
    return;
  }
  for (let i = 0; i < steps.length; i++) {
    const [name, run] = steps[i];
    try {
      await run();
      passed += 1;
      console.log(`ok ${i + 1} - ${name}`);
    } catch (error) {
      failed += 1;
      skipped = steps.length - i - 1;
      console.log(`not ok ${i + 1} - ${name}`);
      console.error(`e2e: ${error?.stack ?? error}`);
      if (browser) {
        const file = path.join(OUT_DIR, "failure.png");
        try {
          await mkdir(OUT_DIR, { recursive: true });
          await within(WAIT.short, "failure screenshot", browser.saveScreenshot(file));
          console.error(`e2e: screenshot of the failure: ${file}`);
        } catch {
          // best effort
        }
      }
      break;
    }
  }
}

try {
  await main();
} catch (error) {
  failed += 1;
  console.error(`e2e: ${error?.stack ?? error}`);
} finally {
  if (browser) {
    try {
      await within(WAIT.short, "closing the session", browser.deleteSession());
    } catch (error) {
      console.error(`e2e: ${error?.message ?? error}`);
    }
  }
  clearTimeout(watchdog);
  console.log(closingLine());
  process.exit(failed > 0 ? 1 : 0);
}
