// The secret scan of the npm package, the full matrix of bindings/rust/tests/secret_scan.rs in
// JavaScript terms: every credential in every wrong form a careless caller gives it (the
// credentials JSON as text, bytes, with a BOM, cut short, without key_id; the PEM itself, with
// and without its line breaks; a token where a path was expected; each also through the `env`
// hook, the process environment and a file; tokens and keys with a line break, a `Bearer `
// prefix, an inner space; a base URL with `user:password@`, given and from the variables; a
// password parameter; a token provider's bad token) goes through the package's constructors,
// dry runs and calls (scripted fetch, `onAttempt`). Every output is collected: each error's
// message, String(), util.inspect(), JSON.stringify(), stack and `cause` chain; each client's
// inspect, String() and JSON.stringify(); dry runs; attempt records; everything written to
// console.* and every process warning during the test; and the stdout/stderr of a Node process
// running real calls with the HTTP stack's debug logs on (NODE_DEBUG). The last test searches
// all of it for any fragment of the private key, the tokens (the given ones and the JWTs the
// core signed), the Voiso key, the password and the URL password, and asserts how many forms
// ran and that no fragment was found.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { format, inspect } from "node:util";
import { Voximplant, Voiso, RosterError } from "roster-sdk";

const CREDENTIALS = readFileSync(new URL("../../../tests/fixtures/credentials.json", import.meta.url), "utf8");
const CREDS = JSON.parse(CREDENTIALS);
const PEM = CREDS.private_key;
const TOKEN = "tok-SECRET-9f8e7d6c5b4a";
const VOISO_KEY = "voiso-SECRET-0a1b2c3d4e";
const PASSWORD = "Pw-SECRET-1!abc";
const URL_PASSWORD = "url-SECRET-pw7q3z";
const BOM = "\ufeff";

// ---------------------------------------------------------------------------------------------
// What is searched for.

/** Slices of the PEM body (12 characters from each end of every full line), the whole token,
 * key, password and URL password, their tails, and their shared marker; the JWTs the core
 * signed are added as the scripted transports see them. */
const FRAGMENTS = [
  ...PEM.split("\n")
    .filter((l) => !l.startsWith("-----") && l.length >= 24)
    .flatMap((l) => [l.slice(0, 12), l.slice(-12)]),
  TOKEN, VOISO_KEY, PASSWORD, URL_PASSWORD,
  // As a form body carries it, and the parts a truncated or cut value would still show.
  "Pw-SECRET-1%21abc", "9f8e7d6c5b4a", "0a1b2c3d4e", "pw7q3z", "-SECRET-",
];
/** Compared case-sensitively: "private key" is ordinary prose in an error message. */
const EXACT_FRAGMENTS = ["PRIVATE KEY"];
/** The JWTs that left for the (scripted or local) server: their signatures are secrets too. */
const SIGNED = new Set();

function sawAuthorization(value) {
  const token = String(value ?? "").replace(/^Bearer /, "");
  const parts = token.split(".");
  if (parts.length === 3 && parts[2].length >= 16) SIGNED.add(parts[2]);
}

// ---------------------------------------------------------------------------------------------
// What is collected.

/** Every output: `{ what, text }`. */
const outputs = [];
/** Problems other than leaks (a form that threw something other than a RosterError, a call
 * that did not run); they fail the last test too. */
const problems = [];
/** Credential forms fed in, by name (each is counted once, whatever channels it went through). */
const forms = new Set();
let calls = 0;

function collect(what, text) {
  outputs.push({ what, text: String(text ?? "") });
}

/** An error in every way it can be shown, its `cause` chain included. */
function showError(what, e, depth = 0) {
  collect(`${what}: message`, e?.message);
  collect(`${what}: String()`, String(e));
  collect(`${what}: inspect`, inspect(e, { depth: 5 }));
  collect(`${what}: inspect (hidden)`, inspect(e, { depth: 5, showHidden: true }));
  collect(`${what}: JSON.stringify`, JSON.stringify(e) ?? "");
  collect(`${what}: stack`, e?.stack);
  if (e && typeof e === "object" && e.cause !== undefined && depth < 8) {
    showError(`${what} -> cause`, e.cause, depth + 1);
  }
}

/** A client (or pager) in every way it can be shown. */
function showObject(what, x) {
  collect(`${what}: inspect`, inspect(x, { depth: 5 }));
  collect(`${what}: inspect (hidden)`, inspect(x, { depth: 5, showHidden: true }));
  collect(`${what}: String()`, String(x));
  collect(`${what}: JSON.stringify`, JSON.stringify(x) ?? "");
}

/** A refusal must be one of the package's errors (a raw TypeError might quote anything). */
function refused(what, e) {
  showError(what, e);
  if (!(e instanceof RosterError)) {
    problems.push(`${what}: threw ${e?.name ?? typeof e}, not a RosterError`);
  }
}

// Everything written to console.* (and every process warning) while this file runs.
const CONSOLE = ["log", "info", "warn", "error", "debug", "trace", "dir", "table"];
const originalConsole = Object.fromEntries(CONSOLE.map((name) => [name, console[name]]));
for (const name of CONSOLE) {
  console[name] = (...args) => collect(`console.${name}`, name === "dir" ? inspect(args[0], { depth: 10 }) : format(...args));
}
const onWarning = (w) => collect("process warning", `${w.name}: ${w.message}\n${w.stack}`);
process.on("warning", onWarning);
console.debug("secret scan: console capture on");

// ---------------------------------------------------------------------------------------------
// Scripted transports.

const ADDED = '{"result":1,"user_id":7}';
const NO_USERS = '{"result":[],"total_count":0,"count":0}';

/** Answers every request (AddUser and the like with a user id, listings with nothing),
 * noting the token that came with it. */
function scriptedFetch(sent) {
  return async (request) => {
    sent.push(request.url);
    sawAuthorization(request.headers.get("authorization"));
    const body = /GetUsers|user_management/.test(request.url) ? (request.url.includes("voiso") ? "[]" : NO_USERS) : ADDED;
    return new Response(body, { status: 200 });
  };
}

/** Loses every answer after sending, so a write ends in OutcomeUnknownError (its `request`). */
function losingFetch(sent) {
  return async (request) => {
    sent.push(request.url);
    sawAuthorization(request.headers.get("authorization"));
    throw Object.assign(new Error("connection reset"), { transportKind: "interrupted" });
  };
}

const ADD_USER = { userName: "jdoe", userDisplayName: "J", userPassword: PASSWORD, applicationId: 1 };

/** Everything an accepted Voximplant client shows: itself, a pager, a dry run with a password,
 * a call with its attempt records, and a call whose answer is lost. */
async function exercise(what, make) {
  const sent = [];
  const records = [];
  const vox = make({ fetch: scriptedFetch(sent), onAttempt: (r) => records.push(r) });
  showObject(`${what}: client`, vox);
  showObject(`${what}: pager`, vox.pages("GetUsers", { applicationId: 1 }));
  collect(`${what}: dryRun AddUser`, vox.dryRun("AddUser", ADD_USER));
  collect(`${what}: dryRun GetUsers`, vox.dryRun("GetUsers", { applicationId: 1 }));
  const result = await vox.call("AddUser", ADD_USER);
  showObject(`${what}: AddUser result`, result);
  await vox.users.getUsers({ applicationId: 1 });
  assert.ok(sent.length >= 2 && records.length >= 2, `${what}: the calls did not run`);
  calls += sent.length;
  collect(`${what}: onAttempt records`, inspect(records, { depth: 5 }));
  collect(`${what}: onAttempt records (JSON)`, JSON.stringify(records));

  const lostSent = [];
  const lostRecords = [];
  const lost = make({
    fetch: losingFetch(lostSent),
    onAttempt: (r) => lostRecords.push(r),
    retry: { maxAttempts: 2, baseBackoffMs: 1, jitterPercent: 0 },
  });
  const unknown = await lost.users.setUserInfo({ userId: 5, userPassword: PASSWORD }).catch((e) => e);
  refused(`${what}: SetUserInfo, answer lost`, unknown);
  assert.equal(unknown?.code, "outcome_unknown", `${what}: ${unknown?.message}`);
  const addLost = await lost.call("AddUser", ADD_USER).catch((e) => e);
  refused(`${what}: AddUser, answer lost`, addLost);
  assert.ok(lostSent.length >= 2, `${what}: the lost calls did not run`);
  calls += lostSent.length;
  collect(`${what}: onAttempt records (lost)`, inspect(lostRecords, { depth: 5 }));
}

/** A Voiso client accepted with a key: itself, a dry run, a call and its records. */
async function exerciseVoiso(what, make) {
  const sent = [];
  const records = [];
  const voiso = make({ fetch: scriptedFetch(sent), onAttempt: (r) => records.push(r) });
  showObject(`${what}: client`, voiso);
  collect(`${what}: dryRun ListUsers`, voiso.dryRun("ListUsers", {}));
  await voiso.call("ListUsers", {}).then((r) => showObject(`${what}: result`, r), (e) => refused(`${what}: ListUsers`, e));
  assert.ok(sent.length >= 1, `${what}: the call did not run`);
  calls += sent.length;
  collect(`${what}: onAttempt records`, inspect(records, { depth: 5 }));
}

/** Builds a client: its error is collected (and must be a RosterError); an accepted client
 * is exercised. */
async function attempt(what, make, exerciseWith = exercise) {
  let probe;
  try {
    probe = make({});
  } catch (e) {
    refused(what, e);
    return "refused";
  }
  showObject(`${what}: client`, probe);
  await exerciseWith(what, make);
  return "accepted";
}

/** Runs `body` with process.env holding `vars` (the Node default environment), then restores it. */
async function withProcessEnv(vars, body) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await body();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const bytes = (text) => new TextEncoder().encode(text);

// ---------------------------------------------------------------------------------------------
// Voximplant credentials in every form.

/** Text forms of the credentials, and whether the core should take them. */
const CREDENTIAL_TEXTS = [
  ["the JSON text", CREDENTIALS, true],
  ["the JSON with a BOM and a trailing newline", `${BOM}${CREDENTIALS}\n`, true],
  ["the JSON with a BOM and trailing junk", `${BOM}${CREDENTIALS}x`, false],
  ["the JSON in brackets", `[${CREDENTIALS}]`, false],
  ["the PEM itself", PEM, false],
  ["the PEM without newlines", PEM.replaceAll("\n", ""), false],
  ["the PEM with escaped newlines", PEM.replaceAll("\n", "\\n"), false],
  ["the PEM body without its armour", PEM.split("\n").filter((l) => l && !l.startsWith("-----")).join("\n"), false],
  ["the PEM body on one line", PEM.split("\n").filter((l) => l && !l.startsWith("-----")).join(""), false],
  ["JSON missing key_id", CREDENTIALS.replace('"key_id"', '"kid"'), false],
  ["truncated JSON", CREDENTIALS.slice(0, Math.floor(CREDENTIALS.length / 2)), false],
  ["JSON whose key is cut short", JSON.stringify({ ...CREDS, private_key: PEM.slice(0, Math.floor(PEM.length * 0.6)) + "\n-----END PRIVATE KEY-----\n" }), false],
  ["JSON whose account_id is the key", JSON.stringify({ ...CREDS, account_id: PEM }), false],
  ["a token where a path was expected", TOKEN, false],
  ["a token with a newline where a path was expected", `${TOKEN}\n`, false],
];

/** A client built with only these options (and an empty environment unless they give one). */
const vox = (options) => (extra) => new Voximplant({ env: {}, baseUrl: "https://vox.test", ...options, ...extra });

test("Voximplant credentials in every form: argument (text, Buffer, Uint8Array, ArrayBuffer), env hook, process.env, a file", async () => {
  for (const [name, text, valid] of CREDENTIAL_TEXTS) {
    forms.add(`credentials: ${name}`);
    // A file named by the argument or the variable holds the text.
    const readFile = (path) => {
      if (path === "/etc/roster/credentials.json") return Buffer.from(text);
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: "ENOENT" });
    };
    const channels = [
      ["argument (text)", vox({ credentials: text })],
      ["argument (Buffer)", vox({ credentials: Buffer.from(text) })],
      ["argument (Uint8Array)", vox({ credentials: bytes(text) })],
      ["argument (ArrayBuffer)", vox({ credentials: bytes(text).buffer })],
      ["argument (Buffer with a BOM)", vox({ credentials: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) })],
      ["env hook VOXIMPLANT_CREDENTIALS", vox({ env: { VOXIMPLANT_CREDENTIALS: text } })],
      ["a file named by the argument", vox({ credentials: "/etc/roster/credentials.json", readFile })],
      ["a file named by VOXIMPLANT_CREDENTIALS", vox({ env: { VOXIMPLANT_CREDENTIALS: "/etc/roster/credentials.json" }, readFile })],
    ];
    for (const [how, make] of channels) {
      const outcome = await attempt(`credentials ${name} via ${how}`, make);
      assert.equal(outcome, valid ? "accepted" : "refused", `credentials ${name} via ${how}`);
    }
    // The process environment, Node's default, read by the default file reader.
    await withProcessEnv({ VOXIMPLANT_CREDENTIALS: text }, async () => {
      const outcome = await attempt(`credentials ${name} via process.env`, (extra) => new Voximplant({ baseUrl: "https://vox.test", ...extra }));
      assert.equal(outcome, valid ? "accepted" : "refused", `credentials ${name} via process.env`);
    });
  }
  // The parsed object, whole and broken.
  for (const [name, object, valid] of [
    ["the parsed object", CREDS, true],
    ["the parsed object missing key_id", { ...CREDS, key_id: undefined }, false],
    ["the parsed object with the PEM cut short", { ...CREDS, private_key: PEM.slice(0, 300) }, false],
    ["the parsed object holding a BigInt", { ...CREDS, account_id: 10n }, false],
  ]) {
    forms.add(`credentials: ${name}`);
    const outcome = await attempt(`credentials ${name}`, vox({ credentials: object }));
    assert.equal(outcome, valid ? "accepted" : "refused", `credentials ${name}`);
  }
});

// ---------------------------------------------------------------------------------------------
// Tokens and keys.

test("tokens and Voiso keys with whitespace, a Bearer prefix, an inner space: trimmed or refused", async () => {
  for (const [name, token, valid] of [
    ["a token with a trailing newline", `${TOKEN}\n`, true],
    ["a token with a trailing CRLF", `${TOKEN}\r\n`, true],
    ["a token with a BOM", `${BOM}${TOKEN}`, true],
    ["a token with a Bearer prefix", `Bearer ${TOKEN}`, false],
    ["a token with an inner space", `${TOKEN} x`, false],
    ["a token with an inner tab", `${TOKEN}\tx`, false],
    ["a token with an inner line break", `${TOKEN}\nx`, false],
    ["a token with a non-ASCII letter", `${TOKEN}é`, false],
    ["a token with a lone surrogate", `${TOKEN}\ud800`, false],
    ["a token as bytes with a newline", bytes(`${TOKEN}\n`), true],
    ["a token as bytes with an inner space", bytes(`${TOKEN} x`), false],
  ]) {
    forms.add(`token: ${name}`);
    const outcome = await attempt(`token ${name}`, vox({ token }));
    assert.equal(outcome, valid ? "accepted" : "refused", `token ${name}`);
  }
  // Two ways at once is refused whatever the credentials are.
  forms.add("token: with credentials as well");
  assert.equal(await attempt("token and credentials", vox({ token: `${TOKEN}\n`, credentials: CREDENTIALS })), "refused");

  const voiso = (options) => (extra) => new Voiso({ env: {}, baseUrl: "https://voiso.test", ...options, ...extra });
  for (const [name, options, valid] of [
    ["a key with a trailing newline", { apiKey: `${VOISO_KEY}\n` }, true],
    ["a key with a trailing CRLF", { apiKey: `${VOISO_KEY}\r\n` }, true],
    ["a key with surrounding spaces and an extra word", { apiKey: ` ${VOISO_KEY} extra` }, false],
    ["a key with a Bearer prefix", { apiKey: `Bearer ${VOISO_KEY}` }, false],
    ["a key with an inner space", { apiKey: `${VOISO_KEY} x` }, false],
    ["a key as a Buffer with a newline", { apiKey: Buffer.from(`${VOISO_KEY}\n`) }, true],
    ["a key with a lone surrogate", { apiKey: `${VOISO_KEY}\udcff` }, false],
    ["VOISO_API_KEY with a trailing newline (env hook)", { env: { VOISO_API_KEY: `${VOISO_KEY}\n` } }, true],
    ["VOISO_API_KEY with an inner space (env hook)", { env: { VOISO_API_KEY: `${VOISO_KEY} x` } }, false],
    ["VOISO_API_KEY with a Bearer prefix (env hook)", { env: { VOISO_API_KEY: `Bearer ${VOISO_KEY}` } }, false],
  ]) {
    forms.add(`Voiso key: ${name}`);
    const outcome = await attempt(`Voiso ${name}`, voiso(options), exerciseVoiso);
    assert.equal(outcome, valid ? "accepted" : "refused", `Voiso ${name}`);
  }
  for (const [name, key, valid] of [
    ["VOISO_API_KEY with a trailing newline (process.env)", `${VOISO_KEY}\n`, true],
    ["VOISO_API_KEY with an inner space (process.env)", `${VOISO_KEY} x`, false],
  ]) {
    forms.add(`Voiso key: ${name}`);
    await withProcessEnv({ VOISO_API_KEY: key }, async () => {
      const outcome = await attempt(`Voiso ${name}`, (extra) => new Voiso({ baseUrl: "https://voiso.test", ...extra }), exerciseVoiso);
      assert.equal(outcome, valid ? "accepted" : "refused", `Voiso ${name}`);
    });
  }
});

test("a token provider's bad tokens are refused without being shown", async () => {
  const b64 = (x) => Buffer.from(JSON.stringify(x)).toString("base64url");
  const expired = `${b64({ alg: "RS256", typ: "JWT" })}.${b64({ exp: 1000 })}.${TOKEN}`;
  for (const [name, token, valid] of [
    ["a token with a space", `${TOKEN} x`, false],
    ["a token with a Bearer prefix", `Bearer ${TOKEN}`, false],
    ["a token with a line break inside", `${TOKEN}\r\nx`, false],
    ["a token with a trailing newline", `${TOKEN}\n`, true],
    ["bytes with a space", bytes(`${TOKEN} x`), false],
    ["an expired JWT", expired, false],
    ["a promise of a token with a space", Promise.resolve(`${TOKEN} x`), false],
  ]) {
    forms.add(`token provider: ${name}`);
    const sent = [];
    const records = [];
    const client = new Voximplant({
      env: {}, baseUrl: "https://vox.test", tokenProvider: () => token,
      fetch: scriptedFetch(sent), onAttempt: (r) => records.push(r), retry: { maxAttempts: 2, baseBackoffMs: 1 },
    });
    showObject(`token provider ${name}: client`, client);
    // A dry run before the first call has no token to stand for: the core says so.
    try {
      collect(`token provider ${name}: dryRun`, client.dryRun("AddUser", ADD_USER));
    } catch (e) {
      refused(`token provider ${name}: dryRun`, e);
    }
    const result = await client.call("AddUser", ADD_USER).then((r) => r, (e) => e);
    if (valid) {
      assert.equal(result?.user_id, 7, `token provider ${name}: ${result?.message}`);
      calls += sent.length;
    } else {
      refused(`token provider ${name}`, result);
      assert.equal(sent.length, 0, `token provider ${name}: a refused token was sent`);
    }
    collect(`token provider ${name}: onAttempt records`, inspect(records, { depth: 5 }));
  }
});

// ---------------------------------------------------------------------------------------------
// Base URLs.

test("a base URL with user:password@ (or a key), given and from VOXIMPLANT_BASE_URL / VOISO_BASE_URL", async () => {
  for (const [name, url] of [
    ["user:password@", `https://admin:${URL_PASSWORD}@127.0.0.1:9`],
    ["password@ and a path", `https://${URL_PASSWORD}@h/p`],
    ["user:password@ without a scheme", `admin:${URL_PASSWORD}@api.test`],
    ["user:password@ after a one-slash scheme", `https:/admin:${URL_PASSWORD}@api.test`],
    ["a password holding a slash", `https://admin:pa/${URL_PASSWORD}@api.test`],
    ["a password holding a #", `https://admin:pa#${URL_PASSWORD}@api.test`],
    ["a password holding a ?", `https://admin:pa?${URL_PASSWORD}@api.test/p`],
    ["user:password@ and an invalid port", `https://admin:${URL_PASSWORD}@api.test:99999`],
    ["user:password@ and whitespace", `https://admin:${URL_PASSWORD}@api .test`],
    ["user:password@ with a wrong scheme", `ftp://admin:${URL_PASSWORD}@api.test`],
    ["the Voiso key in the query", `https://api.test/?api_key=${VOISO_KEY}`],
    ["the token in the fragment", `https://api.test/p#${TOKEN}`],
    ["the Voiso key given as the base URL", VOISO_KEY],
    ["the token given as the base URL", TOKEN],
  ]) {
    forms.add(`base URL: ${name}`);
    for (const [how, make] of [
      ["Voximplant baseUrl", () => new Voximplant({ token: "t", env: {}, baseUrl: url })],
      ["Voiso baseUrl", () => new Voiso({ apiKey: "k", env: {}, baseUrl: url })],
      ["VOXIMPLANT_BASE_URL (env hook)", () => new Voximplant({ token: "t", env: { VOXIMPLANT_BASE_URL: url } })],
      ["VOISO_BASE_URL (env hook)", () => new Voiso({ apiKey: "k", env: { VOISO_BASE_URL: url } })],
    ]) {
      let error;
      try {
        showObject(`base URL ${name} (${how}): accepted client`, make());
      } catch (e) {
        error = e;
      }
      assert.ok(error, `base URL ${name} (${how}) was accepted`);
      refused(`base URL ${name} (${how})`, error);
      assert.equal(error.code, "config", `base URL ${name} (${how}): ${error.message}`);
    }
    await withProcessEnv({ VOXIMPLANT_BASE_URL: url, VOISO_BASE_URL: url }, async () => {
      for (const [how, make] of [
        ["VOXIMPLANT_BASE_URL (process.env)", () => new Voximplant({ token: "t" })],
        ["VOISO_BASE_URL (process.env)", () => new Voiso({ apiKey: "k" })],
      ]) {
        let error;
        try {
          make();
        } catch (e) {
          error = e;
        }
        assert.ok(error, `base URL ${name} (${how}) was accepted`);
        refused(`base URL ${name} (${how})`, error);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The password parameter.

test("a user_password parameter: dry runs, calls with onAttempt, refusals, lost answers", async () => {
  forms.add("password: AddUser and SetUserInfo parameter");
  const sent = [];
  const records = [];
  const client = new Voximplant({
    credentials: CREDENTIALS, env: {}, baseUrl: "https://vox.test",
    fetch: scriptedFetch(sent), onAttempt: (r) => records.push(r),
  });
  collect("password: dryRun AddUser (camelCase)", client.dryRun("AddUser", ADD_USER));
  collect("password: dryRun AddUser (snake_case)", client.dryRun("AddUser", {
    user_name: "jdoe", user_display_name: "J", user_password: PASSWORD, application_id: 1,
  }));
  collect("password: dryRun SetUserInfo", client.dryRun("SetUserInfo", { userId: 5, userPassword: PASSWORD }));
  showObject("password: AddUser result", await client.users.addUser(ADD_USER));
  showObject("password: SetUserInfo result", await client.users.setUserInfo({ userId: 5, userPassword: PASSWORD }));
  assert.equal(sent.length, 2);
  calls += sent.length;
  collect("password: onAttempt records", inspect(records, { depth: 5 }));
  collect("password: onAttempt records (JSON)", JSON.stringify(records));

  // Refused passwords: whitespace, too weak, the wrong type, a lone surrogate; by call and dry run.
  for (const [name, password] of [
    ["with a trailing space", `${PASSWORD} `],
    ["with a trailing newline", `${PASSWORD}\n`],
    ["with an inner space", `Pw-SECRET 1!abc`],
    ["too short", PASSWORD.slice(0, 6)],
    ["as a Buffer", Buffer.from(PASSWORD)],
    ["as a list", [PASSWORD]],
    ["as an object", { value: PASSWORD }],
    ["with a lone surrogate", `${PASSWORD}\ud800`],
    ["given twice", undefined],
  ]) {
    forms.add(`password: ${name}`);
    const params = name === "given twice"
      ? { ...ADD_USER, user_password: `${PASSWORD}2` }
      : { ...ADD_USER, userPassword: password };
    const before = sent.length;
    refused(`password ${name} (call)`, await client.call("AddUser", params).then(() => undefined, (e) => e));
    let dry;
    try {
      client.dryRun("AddUser", params);
    } catch (e) {
      dry = e;
    }
    refused(`password ${name} (dryRun)`, dry);
    assert.equal(dry?.code, "validation", `password ${name}: ${dry?.message}`);
    assert.equal(sent.length, before, `password ${name}: sent`);
  }

  // An answer lost after sending: OutcomeUnknownError carries the redacted request.
  forms.add("password: in an OutcomeUnknownError's request");
  const lostSent = [];
  const lost = new Voximplant({
    token: TOKEN, env: {}, baseUrl: "https://vox.test", fetch: losingFetch(lostSent),
    retry: { maxAttempts: 1 }, onAttempt: (r) => records.push(r),
  });
  for (const [method, params] of [["AddUser", ADD_USER], ["SetUserInfo", { userId: 5, userPassword: PASSWORD }]]) {
    const e = await lost.call(method, params).then(() => undefined, (e) => e);
    refused(`password: ${method} answer lost`, e);
    assert.equal(e?.code, "outcome_unknown", e?.message);
    assert.match(e.request, /user_password=\[redacted\]/);
  }
  calls += lostSent.length;
  collect("password: onAttempt records (lost)", inspect(records, { depth: 5 }));
});

// ---------------------------------------------------------------------------------------------
// Debug logs of the HTTP stack, in a process of its own (NODE_DEBUG is read at start-up).

const CHILD = `
import http from "node:http";
const { Voximplant, Voiso } = await import(${JSON.stringify(import.meta.resolve("roster-sdk"))});
const [TOKEN, VOISO_KEY, PASSWORD] = JSON.parse(process.argv[1]);
const seen = [];
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => { body += c; });
  req.on("end", () => {
    seen.push(req.headers.authorization ?? "");
    res.setHeader("content-type", "application/json");
    res.end(req.url.includes("user_management") ? "[]" : req.url.includes("GetUsers")
      ? '{"result":[],"total_count":0,"count":0}' : '{"result":1,"user_id":7}');
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const baseUrl = "http://127.0.0.1:" + server.address().port;
const add = { userName: "jdoe", userDisplayName: "J", userPassword: PASSWORD, applicationId: 1 };
const report = (what, p) => p.then((r) => console.log(what, "ok", JSON.stringify(r)), (e) => console.log(what, "failed", e.message));
// A token with a newline; credentials and a Voiso key from the process environment.
await report("token", new Voximplant({ token: TOKEN + "\\n", baseUrl }).users.addUser(add));
await report("credentials", new Voximplant({ baseUrl }).users.addUser(add));
await report("credentials", new Voximplant({ baseUrl }).users.getUsers({ applicationId: 1 }));
await report("voiso", new Voiso({ baseUrl }).call("ListUsers", {}));
// A port nothing listens on any more: a refused connection from the real fetch.
const closed = http.createServer();
await new Promise((r) => closed.listen(0, "127.0.0.1", r));
const closedUrl = "http://127.0.0.1:" + closed.address().port;
await new Promise((r) => closed.close(r));
await report("refused", new Voximplant({ token: TOKEN, baseUrl: closedUrl, retry: { maxAttempts: 1 } }).users.addUser(add));
for (const make of [
  () => new Voximplant({ env: { VOXIMPLANT_CREDENTIALS: process.env.ROSTER_SCAN_PEM } }),
  () => new Voximplant({ credentials: TOKEN }),
  () => new Voximplant({ token: "Bearer " + TOKEN }),
  () => new Voiso({ apiKey: VOISO_KEY + " x" }),
  () => new Voiso({ apiKey: "k", baseUrl: "https://admin:" + TOKEN + "@h" }),
]) {
  try { make(); console.log("accepted"); } catch (e) { console.error("refused", e.message, e.stack); }
}
server.close();
process.send({ seen }, () => process.disconnect());
`;

test("debug logs (NODE_DEBUG) of real calls over Node's fetch show no secret", async () => {
  forms.add("debug logs: token, process.env credentials and key, password, over real fetch");
  const child = spawn(process.execPath, ["--input-type=module", "-e", CHILD, JSON.stringify([TOKEN, VOISO_KEY, PASSWORD])], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: {
      ...process.env,
      NODE_DEBUG: "*",
      NODE_DEBUG_NATIVE: "",
      VOXIMPLANT_CREDENTIALS: CREDENTIALS,
      VOISO_API_KEY: `${VOISO_KEY}\n`,
      ROSTER_SCAN_PEM: PEM,
    },
  });
  let stdout = "";
  let stderr = "";
  let message;
  child.stdout.on("data", (c) => { stdout += c; });
  child.stderr.on("data", (c) => { stderr += c; });
  child.on("message", (m) => { message = m; });
  const code = await new Promise((resolve) => child.on("close", resolve));
  assert.equal(code, 0, `the debug-log process failed:\n${stderr.slice(-2000)}`);
  assert.ok(message && message.seen.length === 4, `the debug-log process sent ${message?.seen?.length} requests`);
  for (const a of message.seen) sawAuthorization(a);
  assert.ok(SIGNED.size > 0);
  // The debug logs did run: the HTTP client logged its connections.
  assert.match(stderr, /\b(NET|HTTP|UNDICI|FETCH)\b/, "no debug log lines: NODE_DEBUG had no effect");
  assert.match(stdout, /token ok/);
  assert.match(stdout, /credentials ok/);
  assert.match(stdout, /voiso ok/);
  assert.match(stdout, /refused failed/);
  assert.equal((stderr.match(/^refused /gm) ?? []).length, 5, stderr.slice(-2000));
  calls += message.seen.length;
  collect("debug-log process: stdout", stdout);
  collect("debug-log process: stderr (NODE_DEBUG=*)", stderr);
});

// ---------------------------------------------------------------------------------------------
// The verdict.

/** Forms this file feeds in; a form that stops running fails the count. Credentials: 15 texts
 * and 4 objects; tokens 11 and one with credentials as well; Voiso keys 10 and 2 through
 * process.env; 7 from a token provider; 14 base URLs; the password: accepted, 9 refused, lost
 * answers; the debug-log process. */
const EXPECTED_FORMS = 15 + 4 + 12 + 10 + 2 + 7 + 14 + 1 + 9 + 1 + 1;

test("the scan: every form ran and no output holds a fragment of any secret", () => {
  for (const name of CONSOLE) console[name] = originalConsole[name];
  process.off("warning", onWarning);

  const fragments = [...FRAGMENTS, ...SIGNED, ...[...SIGNED].map((s) => s.slice(0, 16))];
  // Each leaking output, and one line per source (the form and channel, before the first
  // ": ") with the first output that showed it.
  let leaks = 0;
  const bySource = new Map();
  // A secret held as bytes shows as numbers (JSON.stringify of a Buffer, inspect of a
  // Uint8Array) or hex (inspect of a Buffer): each fragment is also looked for in those forms,
  // in the output without its whitespace.
  const asBytes = [...fragments, ...EXACT_FRAGMENTS].flatMap((f) => {
    const b = Buffer.from(f);
    return [b.toString("hex"), [...b].join(",")].map((form) => [f, form]);
  });
  for (const { what, text } of outputs) {
    const lower = text.toLowerCase();
    const compact = lower.replace(/\s+/g, "");
    const found = [
      ...fragments.filter((f) => lower.includes(f.toLowerCase())),
      ...EXACT_FRAGMENTS.filter((f) => text.includes(f)),
      ...asBytes.filter(([, form]) => compact.includes(form)).map(([f]) => `${f} (as bytes)`),
    ];
    if (found.length === 0) continue;
    leaks += 1;
    const source = what.split(": ")[0];
    if (!bySource.has(source)) {
      bySource.set(source, `${what} shows ${found.map(mask).join(", ")}: ${mask(excerpt(text, found[0]))}`);
    }
  }
  assert.ok(outputs.some((o) => o.what === "console.debug" && o.text.includes("capture on")), "console was not captured");
  assert.deepEqual(problems, []);
  assert.equal(forms.size, EXPECTED_FORMS, `forms run: ${forms.size}`);
  assert.ok(outputs.length > 2000, `only ${outputs.length} outputs collected`);
  assert.ok(calls > 100, `only ${calls} requests made`);
  assert.equal(leaks, 0, `${leaks} leaking outputs from ${bySource.size} sources:\n${[...bySource.values()].join("\n")}`);
  originalConsole.log(`secret scan: ${forms.size} credential forms, ${outputs.length} outputs, ${calls} requests, ${SIGNED.size} signed tokens, 0 leaks`);
});

/** Up to 160 characters around the first occurrence of `f` in `text`. */
function excerpt(text, f) {
  const i = text.toLowerCase().indexOf(f.toLowerCase());
  return text.slice(Math.max(0, i - 80), i + f.length + 80).replaceAll("\n", "\\n");
}

/** A fragment as a failure message may show it: its first 4 characters. */
function mask(s) {
  let out = s;
  for (const f of [...FRAGMENTS, ...SIGNED]) out = out.split(f).join(`${f.slice(0, 4)}…`);
  return out;
}
