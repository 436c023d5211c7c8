// The shared scenario vectors (tests/scenarios/*.json, format in its README), run through the
// package's own client: a scripted `fetch` (the caller's fetch option), a virtual clock and a
// recording sleep (the `clock` and `sleep` options), `onAttempt` recording each record's text,
// the environment and files from the scenario through the `env` and `readFile` options, and a
// token provider that hands out the scenario's tokens and records each `forceRefresh`.
//
// Every file is loaded and run. A file that does not parse, carries a key this runner does not
// know, or asks for something it cannot honour fails its test; nothing is skipped, and the last
// test checks that the number run equals the number of files.

import { test, after } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { inspect, isDeepStrictEqual } from "node:util";
import { Voximplant, Voiso, RosterError } from "roster-sdk";

const dir = new URL("../../../tests/scenarios/", import.meta.url);
const fixtures = new URL("../../../tests/fixtures/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

/** A floor, so that a moved directory or a lost group cannot pass as a short run. Raise it
 * when scenarios are added. */
const EXPECTED_SCENARIOS = 145;

/** Where the virtual clock starts (Unix milliseconds). */
const START_MS = 1_700_000_000_000;

// ---- the file shape -------------------------------------------------------------------------

const KEYS = {
  top: ["name", "client", "env", "files", "call", "pages", "exchanges", "token_requests", "sleeps_ms", "outcome", "attempts"],
  client: ["api", "auth", "base_url", "retry", "seed"],
  auth: ["token", "credentials", "token_provider", "api_key"],
  call: ["method", "params", "retry"],
  pages: ["method", "params", "id_field", "next_calls"],
  exchange: ["expect", "elapse_ms", "answer", "fail"],
  expect: ["http_method", "path", "params", "absent", "attempt", "headers", "header_prefixes", "timeout_ms"],
  answer: ["status", "headers", "body"],
  error: ["code", "parameter", "rule", "api_code", "kind", "http_status", "transport_kind", "method", "cause", "errors", "message_contains", "message_excludes"],
  page: ["ids", "error", "end"],
};

/** The scenario's snake_case retry fields and this package's camelCase options. */
const RETRY = {
  max_attempts: "maxAttempts",
  base_backoff_ms: "baseBackoffMs",
  max_backoff_ms: "maxBackoffMs",
  jitter_percent: "jitterPercent",
  deadline_ms: "deadlineMs",
  connect_timeout_ms: "connectTimeoutMs",
  attempt_timeout_ms: "attemptTimeoutMs",
};

const FAILS = ["not_sent", "timed_out", "interrupted"];

class CannotRun extends Error {}

function object(v, at) {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new CannotRun(`${at}: an object is required`);
  return v;
}

function knownKeys(v, allowed, at) {
  for (const k of Object.keys(object(v, at))) {
    if (!allowed.includes(k)) throw new CannotRun(`${at}: unknown key \`${k}\` (allowed: ${allowed.join(", ")})`);
  }
  return v;
}

const isUint = (v) => Number.isSafeInteger(v) && v >= 0;

function strings(v, at) {
  if (!Array.isArray(v) || !v.every((s) => typeof s === "string")) throw new CannotRun(`${at}: a list of strings is required`);
  return v;
}

function stringMap(v, at) {
  for (const [k, s] of Object.entries(object(v, at))) {
    if (typeof s !== "string") throw new CannotRun(`${at}.${k}: a string is required`);
  }
  return v;
}

/** `@fixture:NAME` stands for the text of tests/fixtures/NAME. */
function fixture(text) {
  return typeof text === "string" && text.startsWith("@fixture:")
    ? readFileSync(new URL(text.slice("@fixture:".length), fixtures), "utf8")
    : text;
}

/** The retry fields in this package's idiom, each passed on unchanged: the core checks them. */
function retryOptions(v, at) {
  knownKeys(v, Object.keys(RETRY), at);
  const out = {};
  for (const [k, value] of Object.entries(v)) {
    if (!isUint(value)) throw new CannotRun(`${at}.${k}: a non-negative integer is required`);
    out[RETRY[k]] = value;
  }
  return out;
}

function checkError(v, at) {
  knownKeys(v, KEYS.error, at);
  if (typeof v.code !== "string") throw new CannotRun(`${at}.code is required`);
  for (const k of ["message_contains", "message_excludes"]) if (k in v) strings(v[k], `${at}.${k}`);
  if ("errors" in v && !(Array.isArray(v.errors) && v.errors.every(Number.isInteger))) {
    throw new CannotRun(`${at}.errors: a list of integer codes is required`);
  }
}

/** Reads and checks one scenario; throws CannotRun for anything this runner cannot honour. */
function parse(text) {
  let s;
  try {
    s = JSON.parse(text);
  } catch (e) {
    throw new CannotRun(`not JSON: ${e.message}`);
  }
  knownKeys(s, KEYS.top, "scenario");
  if (typeof s.name !== "string") throw new CannotRun("scenario.name: a string is required");
  const c = knownKeys(s.client, KEYS.client, "client");
  if (!["voximplant", "voiso"].includes(c.api)) throw new CannotRun(`client.api: unknown API ${c.api}`);
  if ("auth" in c) {
    const a = knownKeys(c.auth, KEYS.auth, "client.auth");
    if (Object.keys(a).length !== 1) throw new CannotRun("client.auth: exactly one way to authenticate is required");
    if (c.api === "voiso" && !("api_key" in a)) throw new CannotRun("client.auth: a Voiso client takes only api_key");
    if (c.api === "voximplant" && "api_key" in a) throw new CannotRun("client.auth.api_key is Voiso's");
    if ("token_provider" in a) strings(a.token_provider, "client.auth.token_provider");
    else if (typeof Object.values(a)[0] !== "string") throw new CannotRun("client.auth: a string is required");
  }
  if ("base_url" in c && typeof c.base_url !== "string") throw new CannotRun("client.base_url: a string is required");
  if ("seed" in c && !isUint(c.seed)) throw new CannotRun("client.seed: a non-negative integer is required");
  if ("retry" in c) retryOptions(c.retry, "client.retry");
  if ("env" in s) stringMap(s.env, "env");
  if ("files" in s) stringMap(s.files, "files");
  if (("call" in s) === ("pages" in s)) throw new CannotRun("exactly one of `call` and `pages` is required");
  if ("call" in s) {
    knownKeys(s.call, KEYS.call, "call");
    if (typeof s.call.method !== "string") throw new CannotRun("call.method: a string is required");
    if ("retry" in s.call) retryOptions(s.call.retry, "call.retry");
  } else {
    knownKeys(s.pages, KEYS.pages, "pages");
    if (typeof s.pages.method !== "string" || typeof s.pages.id_field !== "string" || !isUint(s.pages.next_calls)) {
      throw new CannotRun("pages: method, id_field and next_calls are required");
    }
  }
  if (!Array.isArray(s.exchanges)) throw new CannotRun("scenario.exchanges: a list is required");
  s.exchanges.forEach((x, i) => {
    const at = `exchanges[${i}]`;
    knownKeys(x, KEYS.exchange, at);
    const e = knownKeys(x.expect ?? {}, KEYS.expect, `${at}.expect`);
    for (const k of ["params", "headers", "header_prefixes"]) if (k in e) stringMap(e[k], `${at}.expect.${k}`);
    if ("absent" in e) strings(e.absent, `${at}.expect.absent`);
    for (const k of ["attempt", "timeout_ms"]) if (k in e && !isUint(e[k])) throw new CannotRun(`${at}.expect.${k}: an integer is required`);
    for (const k of ["http_method", "path"]) if (k in e && typeof e[k] !== "string") throw new CannotRun(`${at}.expect.${k}: a string is required`);
    if ("elapse_ms" in x && !isUint(x.elapse_ms)) throw new CannotRun(`${at}.elapse_ms: a non-negative integer is required`);
    if (("answer" in x) === ("fail" in x)) throw new CannotRun(`${at}: exactly one of answer and fail is required`);
    if ("answer" in x) {
      knownKeys(x.answer, KEYS.answer, `${at}.answer`);
      if (!Number.isInteger(x.answer.status) || x.answer.status < 200 || x.answer.status > 599) {
        throw new CannotRun(`${at}.answer.status: an HTTP status 200-599 is required`);
      }
      if ("body" in x.answer && typeof x.answer.body !== "string") throw new CannotRun(`${at}.answer.body: the exact text is required`);
      if ("headers" in x.answer) stringMap(x.answer.headers, `${at}.answer.headers`);
    } else if (!FAILS.includes(x.fail)) {
      throw new CannotRun(`${at}.fail: unknown failure ${x.fail}`);
    }
  });
  if ("token_requests" in s) {
    if (!("token_provider" in (c.auth ?? {}))) throw new CannotRun("token_requests needs a token_provider");
    if (!Array.isArray(s.token_requests)) throw new CannotRun("token_requests: a list is required");
    s.token_requests.forEach((t, i) => {
      knownKeys(t, ["force_refresh"], `token_requests[${i}]`);
      if (typeof t.force_refresh !== "boolean") throw new CannotRun(`token_requests[${i}].force_refresh: a boolean is required`);
    });
  }
  if ("sleeps_ms" in s && !(Array.isArray(s.sleeps_ms) && s.sleeps_ms.every(isUint))) throw new CannotRun("sleeps_ms: a list of integers is required");
  if ("attempts" in s) strings(s.attempts, "attempts");
  const o = object(s.outcome, "outcome");
  if ("call" in s) {
    knownKeys(o, ["result", "error"], "outcome");
    if (Object.keys(o).length !== 1) throw new CannotRun("outcome: exactly one of result and error is required");
  } else {
    knownKeys(o, ["pages", "error"], "outcome");
    if (!("error" in o) && !Array.isArray(o.pages)) throw new CannotRun("outcome.pages: a list is required");
    (o.pages ?? []).forEach((p, i) => {
      knownKeys(p, KEYS.page, `outcome.pages[${i}]`);
      if (Object.keys(p).length !== 1) throw new CannotRun(`outcome.pages[${i}]: exactly one of ids, error, end`);
      if ("error" in p) checkError(p.error, `outcome.pages[${i}].error`);
      if ("end" in p && p.end !== true) throw new CannotRun(`outcome.pages[${i}].end must be true`);
    });
  }
  if ("error" in o) checkError(o.error, "outcome.error");
  return s;
}

// ---- the scripted world ---------------------------------------------------------------------

/** The virtual clock, the script, and everything the client did. */
function world(s) {
  const w = {
    now: START_MS,
    sent: [],
    sleeps: [],
    attempts: [],
    asks: [],
    problems: [],
  };
  const c = s.client;
  const env = Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, fixture(v)]));
  const files = new Map(Object.entries(s.files ?? {}).map(([k, v]) => [k, fixture(v)]));

  const fetch = async (request, limits) => {
    const url = new URL(request.url);
    const body = await request.text();
    w.sent.push({ request, url, body, timeoutMs: limits?.timeoutMs });
    const x = s.exchanges[w.sent.length - 1];
    if (x === undefined) {
      throw Object.assign(new Error("the scenario has no exchange left for this request"), { transportKind: "not_sent" });
    }
    w.now += x.elapse_ms ?? 0;
    if ("fail" in x) throw Object.assign(new Error("scripted"), { transportKind: x.fail });
    return new Response(x.answer.body ?? "", { status: x.answer.status, headers: x.answer.headers ?? {} });
  };

  const options = {
    fetch,
    env,
    readFile: (path) => {
      if (!files.has(path)) throw Object.assign(new Error("no such file in the scenario"), { code: "ENOENT" });
      return new TextEncoder().encode(files.get(path));
    },
    clock: () => w.now,
    sleep: async (ms) => {
      w.sleeps.push(ms);
      w.now += ms;
    },
    onAttempt: (record) => w.attempts.push(record.text),
    seed: c.seed ?? 0,
  };
  if ("base_url" in c) options.baseUrl = c.base_url;
  if ("retry" in c) options.retry = retryOptions(c.retry, "client.retry");
  const auth = c.auth ?? {};
  if ("token" in auth) options.token = fixture(auth.token);
  if ("credentials" in auth) options.credentials = fixture(auth.credentials);
  if ("api_key" in auth) options.apiKey = fixture(auth.api_key);
  if ("token_provider" in auth) {
    const tokens = auth.token_provider.map(fixture);
    options.tokenProvider = async ({ forceRefresh, ...rest }) => {
      if (typeof forceRefresh !== "boolean" || Object.keys(rest).length > 0) {
        w.problems.push(`the token provider was asked with ${inspect({ forceRefresh, ...rest })}`);
      }
      w.asks.push(forceRefresh);
      if (w.asks.length > tokens.length) {
        w.problems.push(`the token provider was asked ${w.asks.length} times; the scenario has ${tokens.length} tokens`);
        throw new Error("the scenario has no token left");
      }
      return tokens[w.asks.length - 1];
    };
  }
  w.options = options;
  return w;
}

// ---- checks ---------------------------------------------------------------------------------

const show = (v) => JSON.stringify(v);

/** The error in the scenarios' terms. */
function errorFields(e) {
  return {
    code: e.code,
    parameter: e.parameter,
    rule: e.rule,
    api_code: e.apiCode,
    kind: e.apiKind,
    http_status: e.httpStatus,
    transport_kind: e.transportKind,
    method: e.method,
    cause: e.causeCode,
    errors: (e.errors ?? []).map((x) => x.code),
  };
}

function checkErrorOutcome(want, e, at, diffs) {
  if (!(e instanceof RosterError)) {
    diffs.push(`${at}: want a RosterError, got ${inspect(e)}`);
    return;
  }
  const got = errorFields(e);
  // Every string form of the error, where no secret may appear.
  const forms = [e.message, String(e), inspect(e, { depth: 10, showHidden: true }), e.stack ?? "", JSON.stringify(e) ?? ""];
  for (const [key, expected] of Object.entries(want)) {
    if (key === "message_contains") {
      for (const f of expected) if (!e.message.includes(f)) diffs.push(`${at}.message_contains: ${show(f)} is not in the message ${show(e.message)}`);
    } else if (key === "message_excludes") {
      for (const f of expected) {
        const form = forms.find((x) => x.includes(f));
        if (form !== undefined) diffs.push(`${at}.message_excludes: ${show(f)} appears in the error: ${form}`);
      }
    } else if (!isDeepStrictEqual(got[key] ?? null, expected)) {
      diffs.push(`${at}.${key}: want ${show(expected)}, got ${show(got[key] ?? null)} (error: ${e.message})`);
    }
  }
}


function requestParams(sent) {
  const all = [...sent.url.searchParams];
  if (sent.body !== "") all.push(...new URLSearchParams(sent.body));
  return all;
}

function checkRequest(i, want, sent, diffs) {
  const at = `exchanges[${i}].expect`;
  const line = `${sent.request.method} ${sent.url}`;
  const differ = (what, expected, got) => {
    if (!isDeepStrictEqual(expected, got)) diffs.push(`${at}.${what}: want ${show(expected)}, got ${show(got)} (request: ${line})`);
  };
  const params = requestParams(sent);
  const headers = sent.request.headers;
  for (const [key, value] of Object.entries(want)) {
    switch (key) {
      case "http_method": differ(key, value, sent.request.method); break;
      case "path": differ(key, value, sent.url.pathname); break;
      case "attempt": differ(key, String(value), headers.get("x-roster-attempt")); break;
      case "timeout_ms": differ(key, value, sent.timeoutMs ?? null); break;
      case "params":
        for (const [name, expected] of Object.entries(value)) {
          const got = params.filter(([k]) => k === name).map(([, v]) => v);
          differ(`params.${name}`, expected, got.length === 0 ? null : got.length === 1 ? got[0] : got);
        }
        break;
      case "absent":
        for (const name of value) {
          const found = params.find(([k]) => k === name);
          if (found) differ(`absent.${name}`, null, found[1]);
        }
        break;
      case "headers":
        for (const [name, expected] of Object.entries(value)) differ(`headers.${name}`, expected, headers.get(name));
        break;
      case "header_prefixes":
        for (const [name, prefix] of Object.entries(value)) {
          const got = headers.get(name);
          if (got === null || !got.startsWith(prefix)) differ(`header_prefixes.${name}`, `${prefix}...`, got);
        }
        break;
      default:
        diffs.push(`${at}.${key}: not checked by this runner`);
    }
  }
}

function checkList(what, want, got, diffs) {
  if (!isDeepStrictEqual(want, got)) diffs.push(`${what} differ:\n      want: ${show(want)}\n      got:  ${show(got)}`);
}

/** Runs one scenario through the package and returns every disagreement with it. */
async function run(s) {
  const w = world(s);
  const diffs = [];
  let client;
  try {
    client = s.client.api === "voximplant" ? new Voximplant(w.options) : new Voiso(w.options);
  } catch (e) {
    if (s.outcome.error) checkErrorOutcome(s.outcome.error, e, "outcome.error", diffs);
    else diffs.push(`the client could not be made: ${inspect(e)}`);
  }
  if (client && s.call) {
    const options = s.call.retry ? { retry: retryOptions(s.call.retry, "call.retry") } : {};
    let outcome;
    try {
      outcome = { result: await client.call(s.call.method, s.call.params, options) };
    } catch (error) {
      outcome = { error };
    }
    if ("result" in outcome && "result" in s.outcome) {
      if (!isDeepStrictEqual(outcome.result, s.outcome.result)) diffs.push(`outcome.result: want ${show(s.outcome.result)}, got ${show(outcome.result)}`);
    } else if ("result" in outcome) {
      diffs.push(`outcome: want an error, got the result ${show(outcome.result)}`);
    } else if ("error" in s.outcome) {
      checkErrorOutcome(s.outcome.error, outcome.error, "outcome.error", diffs);
    } else {
      diffs.push(`outcome: want a result, got the error ${inspect(outcome.error)}`);
    }
  } else if (client && s.pages) {
    let pages;
    try {
      pages = client.pages(s.pages.method, s.pages.params);
    } catch (e) {
      if (s.outcome.error) checkErrorOutcome(s.outcome.error, e, "outcome.error", diffs);
      else diffs.push(`the listing could not start: ${inspect(e)}`);
    }
    if (pages) {
      if (!s.outcome.pages) diffs.push("outcome: want an error, but the listing started");
      const got = [];
      for (let i = 0; i < s.pages.next_calls; i++) {
        try {
          const { done, value } = await pages.next();
          got.push(done ? { end: true } : { ids: value.map((item) => item[s.pages.id_field]) });
        } catch (error) {
          got.push({ error });
        }
      }
      const want = s.outcome.pages ?? [];
      if (want.length !== got.length) diffs.push(`outcome.pages: ${want.length} entries for ${got.length} next calls`);
      want.forEach((wp, i) => {
        const g = got[i];
        const at = `outcome.pages[${i}]`;
        if (g === undefined) return;
        if ("ids" in wp && "ids" in g) {
          if (!isDeepStrictEqual(wp.ids, g.ids)) diffs.push(`${at}.ids: want ${show(wp.ids)}, got ${show(g.ids)}`);
        } else if ("error" in wp && "error" in g) {
          checkErrorOutcome(wp.error, g.error, `${at}.error`, diffs);
        } else if (!("end" in wp && "end" in g)) {
          diffs.push(`${at}: want ${show(wp)}, got ${"error" in g ? inspect(g.error) : show(g)}`);
        }
      });
      await pages.return();
    }
  }

  s.exchanges.forEach((x, i) => {
    if (i < w.sent.length) checkRequest(i, x.expect ?? {}, w.sent[i], diffs);
  });
  if (w.sent.length > s.exchanges.length) {
    for (const extra of w.sent.slice(s.exchanges.length)) diffs.push(`a request after the last exchange: ${extra.request.method} ${extra.url}`);
  } else if (w.sent.length < s.exchanges.length) {
    diffs.push(`${s.exchanges.length - w.sent.length} of ${s.exchanges.length} exchanges left unused (the client sent ${w.sent.length} requests)`);
  }
  if (s.sleeps_ms) checkList("sleeps_ms", s.sleeps_ms, w.sleeps, diffs);
  if (s.attempts) checkList("attempts", s.attempts, w.attempts, diffs);
  if (s.token_requests) checkList("token_requests", s.token_requests, w.asks.map((f) => ({ force_refresh: f })), diffs);
  diffs.push(...w.problems);
  return diffs;
}

// ---- one test per file, then the count ------------------------------------------------------

const names = new Map();
let ran = 0;
let passed = 0;

for (const file of files) {
  test(`scenario ${file}`, async () => {
    assert.match(file, /^\d\d-.+\.json$/, "not named NN-short-name.json");
    let s;
    try {
      s = parse(readFileSync(new URL(file, dir), "utf8"));
    } catch (e) {
      if (e instanceof CannotRun) assert.fail(`cannot run: ${e.message}`);
      throw e;
    }
    assert.ok(!names.has(s.name), `the name ${show(s.name)} is also used by ${names.get(s.name)}`);
    names.set(s.name, file);
    ran += 1;
    const diffs = await run(s);
    assert.ok(diffs.length === 0, `${s.name}:\n  - ${diffs.join("\n  - ")}`);
    passed += 1;
  });
}

test("every scenario file was run", () => {
  assert.equal(ran, files.length, `${files.length - ran} of ${files.length} scenario files were not run (see above)`);
  assert.ok(ran >= EXPECTED_SCENARIOS, `only ${ran} scenarios ran; at least ${EXPECTED_SCENARIOS} are expected in ${dir.pathname}`);
});

after(() => {
  process.stderr.write(`scenarios (JavaScript): ${ran} run of ${files.length} files, ${passed} passed, ${files.length - passed} failed\n`);
});
