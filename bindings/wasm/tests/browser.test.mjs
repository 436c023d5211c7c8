// One real browser: headless Chromium (Debian's, driven by playwright-core) loads the browser
// build, gets tokens from the page's backend and lists the emulator's users: once unbundled
// (an import map), once bundled by esbuild.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { BASE_URL, fresh, mintToken } from "./support.mjs";

const CHROMIUM = process.env.ROSTER_CHROMIUM;
const PORT = Number(process.env.ROSTER_PAGE_PORT);
const skip = !BASE_URL || !CHROMIUM || !PORT ? "needs the emulator, ROSTER_CHROMIUM and ROSTER_PAGE_PORT" : false;

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
const pkg = new URL("../pkg/", import.meta.url);
const pages = new URL("./browser/", import.meta.url);

/** esbuild's bundle of app.js, with the module beside it (esbuild leaves
 * `new URL("roster_bg.wasm", import.meta.url)` as is, so the file is served next to the bundle). */
async function bundle() {
  const dir = await mkdtemp(join(tmpdir(), "roster-bundle-"));
  await build({
    entryPoints: [new URL("app.js", pages).pathname], bundle: true, format: "esm", platform: "browser",
    target: "es2022", outdir: dir, logLevel: "error",
  });
  await copyFile(new URL("browser/roster_bg.wasm", pkg), join(dir, "roster_bg.wasm"));
  return pathToFileURL(`${dir}/`);
}

/** The app's side: the pages, the package, the bundle, and a /token endpoint minting tokens. */
function appServer(bundled) {
  return createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    try {
      if (path === "/token") {
        res.writeHead(200, { "content-type": "text/plain" }).end(mintToken());
        return;
      }
      if (path.includes("..")) throw new Error("not found");
      const file = path.startsWith("/pkg/") ? new URL(path.slice(5), pkg)
        : path.startsWith("/bundle/") ? new URL(path.slice(8), bundled)
        : new URL(path.slice(1) || "index.html", pages);
      const content = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file.pathname)] ?? "application/octet-stream" })
        .end(content);
    } catch {
      res.writeHead(404).end();
    }
  });
}

for (const [how, pageName] of [["unbundled", "index.html"], ["bundled by esbuild", "bundled.html"]]) {
  test(`the browser build, ${how}, lists the emulator's users with a token provider`, { skip }, async () => {
    await fresh();
    const bundled = await bundle();
    const server = appServer(bundled);
    await new Promise((resolve) => server.listen(PORT, "127.0.0.1", resolve));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    try {
      // The emulator's certificate comes from a CA made for this run; only its calls use it.
      const context = await browser.newContext({ ignoreHTTPSErrors: true });
      const tab = await context.newPage();
      const logs = [];
      tab.on("console", (m) => logs.push(m.text()));
      tab.on("pageerror", (e) => logs.push(String(e)));
      await tab.goto(`http://127.0.0.1:${PORT}/${pageName}?api=${encodeURIComponent(BASE_URL)}`);
      await tab.waitForFunction(
        () => document.getElementById("users").dataset.done || document.getElementById("error").textContent,
        null, { timeout: 20000 },
      );
      assert.equal(await tab.textContent("#error"), "", logs.join("\n"));
      const users = await tab.$$eval("#users li", (items) => items.map((li) => li.textContent));
      assert.deepEqual(users.sort(), ["agent-ann (Ann)", "agent-ben (Ben)"]);
      assert.equal(await tab.textContent("#refusal"), "refused");
    } finally {
      await browser.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(bundled, { recursive: true, force: true });
    }
  });
}
