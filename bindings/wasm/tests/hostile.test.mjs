// The shared bad-input table (tests/hostile/cases.json, format in its README): every case whose
// `where` names js (all by default) goes through the package's call by name and its dry run,
// and must be refused with the table's code, parameter and rule before anything is sent.
// `$host` values are built in JavaScript: NaN, ±Infinity, a binary float sum, a lone surrogate.
// The last test checks that every such case ran.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Voximplant, Voiso, RosterError } from "roster-sdk";

const table = JSON.parse(readFileSync(new URL("../../../tests/hostile/cases.json", import.meta.url), "utf8"));
const ALL = ["rust", "python", "js", "kotlin", "cli"];
const cases = table.cases.filter((c) => (c.where ?? ALL).includes("js"));

/** A JSON value with its `{"$host": ...}` parts built as JavaScript values. */
function host(v) {
  if (Array.isArray(v)) return v.map(host);
  if (v === null || typeof v !== "object") return v;
  if (!("$host" in v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, host(x)]));
  switch (v.$host) {
    case "nan": return NaN;
    case "infinity": return Infinity;
    case "-infinity": return -Infinity;
    case "float_sum": return v.a + v.b;
    case "lone_surrogate": return `${v.before ?? ""}${v.high ? "\ud800" : "\udcff"}${v.after ?? ""}`;
    default: throw new Error(`unknown $host kind ${v.$host}: this runner cannot build it`);
  }
}

function client(api, sent) {
  const fetch = async (request) => {
    sent.push(request.url);
    return new Response("{}", { status: 200 });
  };
  const common = { fetch, env: {}, retry: { maxAttempts: 1 } };
  return api === "voximplant"
    ? new Voximplant({ token: "test-token", baseUrl: "https://vox.test", ...common })
    : new Voiso({ apiKey: "test-key", baseUrl: "https://voiso.test", ...common });
}

function check(e, want, how) {
  assert.ok(e instanceof RosterError, `${how}: expected a RosterError, got ${e?.name}: ${e?.message}`);
  const got = { code: e.code, parameter: e.parameter, rule: e.rule };
  for (const [k, v] of Object.entries(want)) assert.equal(got[k], v, `${how}: ${k} (${e.message})`);
}

let ran = 0;
for (const c of cases) {
  test(`hostile: ${c.name}`, async () => {
    const sent = [];
    const vox = client(c.api, sent);
    const params = host(c.params);
    const e = await vox.call(c.method, params).then(() => assert.fail("expected an error"), (e) => e);
    check(e, c.error, "call");
    let dry;
    try {
      vox.dryRun(c.method, params);
    } catch (error) {
      dry = error;
    }
    check(dry, c.error, "dryRun");
    assert.equal(sent.length, 0, "nothing may be sent");
    ran += 1;
  });
}

test("every hostile case for js ran", () => {
  assert.ok(cases.length >= 80, `only ${cases.length} cases name js`);
  assert.equal(ran, cases.length);
});
