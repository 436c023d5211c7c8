// roster-sdk's per-call overhead, side by side in one run (node bench/js/bench.mjs):
//   (a) users.getUsers through the package, fetch stubbed, 100-user answer (the core bench's body);
//   (b) JSON.parse of the same body: the bar is (a) <= 3 x (b);
//   (c) the vendor's Node client doing the same getUsers with its HTTP call stubbed at axios's
//       adapter: the bar is (c) >= 10 x (a);
//   (d) module instantiation in Node, in a fresh process: the bar is < 20 ms.
// Prints figures; never fails on them (bars are read by people, not asserted in tests).

import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const credentialsPath = fileURLToPath(new URL("../../tests/fixtures/credentials.json", import.meta.url));
const credentials = JSON.parse(readFileSync(credentialsPath, "utf8"));

/** The 100-user GetUsers answer of core/benches/core.rs, built the same way. */
function getUsersBody(n) {
  const users = [];
  for (let i = 0; i < n; i++) {
    users.push(JSON.stringify({
      user_id: 1000 + i, user_name: `agent${String(i).padStart(4, "0")}`, user_display_name: `Agent Number ${i}`,
      user_active: true, parent_accounting: false, live_balance: "LB", balance: "BB", fixed_balance: "FB",
      user_custom_data: "team=support;floor=2", frozen: false, acd_status: "READY",
      acd_status_change_time: "2024-04-20 09:15:42", created: "2023-01-05 10:00:00", modified: "2024-04-20 09:15:42",
      applications: [{ application_id: 10, application_name: "support.acme.voximplant.com", modified: "2024-01-01 00:00:00" }],
      skills: [{ skill_id: 1, skill_name: "english" }, { skill_id: 2, skill_name: "billing" }],
      acd_queues: [{ acd_queue_id: 5, acd_queue_name: "tier1", auto_link: true }],
    }).replace('"LB"', `${i}.75`).replace('"BB"', `${i}.5`).replace('"FB"', "0.0"));
  }
  return `{"result":[${users.join(",")}],"total_count":${n},"count":${n}}`;
}

const body = getUsersBody(100);

/** Median microseconds per run of `fn` over `rounds` timed batches of `batch` calls. */
async function measure(fn, { batch = 50, rounds = 25 } = {}) {
  for (let i = 0; i < batch * 4; i++) await fn();
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

// (d) first, in fresh processes: reading, compiling and instantiating the wasm module
// (initSync, what node.js runs on import), and the whole `import("roster-sdk")` (which adds
// Node's ES module loader and the package's seven small modules).
const wasmDir = new URL("../../bindings/wasm/", import.meta.url);
const fresh = (code) => Number(String(execFileSync(process.execPath, ["--input-type=module", "-e", code],
  { cwd: fileURLToPath(wasmDir) })).trim());
const instantiate = [];
const wholeImport = [];
for (let i = 0; i < 7; i++) {
  instantiate.push(fresh(`import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
    const { initSync } = await import("./pkg/node/roster.js");
    const t = performance.now();
    initSync({ module: readFileSync("./pkg/node/roster_bg.wasm") });
    console.log(performance.now() - t)`));
  wholeImport.push(fresh("const t=performance.now(); await import('roster-sdk'); console.log(performance.now()-t)"));
}
wholeImport.sort((a, b) => a - b);
instantiate.sort((a, b) => a - b);

const { Voximplant } = await import(new URL("../../bindings/wasm/pkg/node/node.js", import.meta.url));
const ours = new Voximplant({
  credentials, baseUrl: "https://api.voximplant.com",
  fetch: async () => new Response(body, { status: 200, headers: { "content-type": "application/json" } }),
});
const check = await ours.users.getUsers({ applicationId: 10, withSkills: true });
if (check.items.length !== 100 || check.items[99].balance !== "99.5") throw new Error("ours: wrong answer");

const require = createRequire(import.meta.url);
const axios = require("axios");
axios.defaults.adapter = async (config) => ({
  data: body, status: 200, statusText: "OK", headers: { "content-type": "application/json" }, config, request: {},
});
const VendorClient = require("@voximplant/apiclient-nodejs").default;
process.env.VOXIMPLANT_CREDENTIALS = credentialsPath;
const vendor = await new Promise((resolve) => {
  const c = new VendorClient();
  c.onReady = resolve;
});
const vendorCheck = await vendor.Users.getUsers({ applicationId: 10, withSkills: true });
if (vendorCheck.result.length !== 100) throw new Error("vendor: wrong answer");

const a = await measure(() => ours.users.getUsers({ applicationId: 10, withSkills: true }));
const b = await measure(() => JSON.parse(body), { batch: 200 });
const c = await measure(() => vendor.Users.getUsers({ applicationId: 10, withSkills: true }), { batch: 10 });

/** Bytes of every file under `dir` (what an install puts on disk). */
function du(dir) {
  return readdirSync(dir).reduce((sum, name) => {
    const path = join(dir, name);
    const st = statSync(path);
    return sum + (st.isDirectory() ? du(path) : st.size);
  }, 0);
}
const vendorModules = fileURLToPath(new URL("./node_modules/", import.meta.url));
const vendorPackages = readdirSync(vendorModules).flatMap((n) =>
  n.startsWith("@") ? readdirSync(join(vendorModules, n)) : n.startsWith(".") ? [] : [n]).length;
const oursPkg = fileURLToPath(new URL("pkg/", wasmDir));

const f = (us) => `${us.toFixed(1)} us`;
console.log(`body: ${body.length} bytes, 100 users; node ${process.version}`);
console.log(`(a) roster-sdk users.getUsers, stub fetch        ${f(a)} per call`);
console.log(`(b) JSON.parse of the same body                  ${f(b)}`);
console.log(`(c) vendor client getUsers, axios adapter stubbed ${f(c)} per call`);
console.log(`(a)/(b) = ${(a / b).toFixed(2)}  (bar: <= 3)`);
console.log(`(c)/(a) = ${(c / a).toFixed(1)}  (bar: >= 10)`);
console.log(`(d) module instantiation (read + compile + instantiate the wasm), fresh process: ` +
  `median ${instantiate[3].toFixed(1)} ms, min ${instantiate[0].toFixed(1)} ms (bar: < 20 ms)`);
console.log(`    whole import("roster-sdk") in a fresh process: median ${wholeImport[3].toFixed(1)} ms, ` +
  `min ${wholeImport[0].toFixed(1)} ms`);
console.log(`install size: @voximplant/apiclient-nodejs with its dependencies ${(du(vendorModules) / 1024).toFixed(0)} KB ` +
  `(${vendorPackages} packages); roster-sdk (both builds, no dependencies) ${(du(oursPkg) / 1024).toFixed(0)} KB`);
