// One real browser: headless Chromium (Debian's, driven by playwright-core) loads the browser
// build unbundled, gets tokens from the page's backend and lists the emulator's users.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { chromium } from "playwright-core";
import { BASE_URL, fresh, mintToken } from "./support.mjs";

const CHROMIUM = process.env.ROSTER_CHROMIUM;
const PORT = Number(process.env.ROSTER_PAGE_PORT);
const skip = !BASE_URL || !CHROMIUM || !PORT ? "needs the emulator, ROSTER_CHROMIUM and ROSTER_PAGE_PORT" : false;

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
const pkg = new URL("../pkg/", import.meta.url);
const page = new URL("./browser/index.html", import.meta.url);

/** The app's side: the page, the package, and a /token endpoint minting tokens. */
function appServer() {
  return createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    try {
      if (path === "/token") {
        res.writeHead(200, { "content-type": "text/plain" }).end(mintToken());
        return;
      }
      const file = path === "/" ? page : path.startsWith("/pkg/") && !path.includes("..")
        ? new URL(path.slice(5), pkg) : null;
      if (!file) throw new Error("not found");
      res.writeHead(200, { "content-type": TYPES[extname(file.pathname)] ?? "application/octet-stream" })
        .end(await readFile(file));
    } catch {
      res.writeHead(404).end();
    }
  });
}

test("the browser build lists the emulator's users with a token provider", { skip }, async () => {
  await fresh();
  const server = appServer();
  await new Promise((resolve) => server.listen(PORT, "127.0.0.1", resolve));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    // The emulator's certificate comes from a CA made for this run; only its calls use it.
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const tab = await context.newPage();
    const logs = [];
    tab.on("console", (m) => logs.push(m.text()));
    tab.on("pageerror", (e) => logs.push(String(e)));
    await tab.goto(`http://127.0.0.1:${PORT}/?api=${encodeURIComponent(BASE_URL)}`);
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
    server.close();
  }
});
