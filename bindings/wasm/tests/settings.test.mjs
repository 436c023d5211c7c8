// Settings are resolved by the core (explicit option, then the environment, then the
// default) with the host's environment and file reader; credentials in every form are read by
// the core and never shown; keys and tokens follow the core's one trim rule; retry options go
// to the core field by field and its config errors come back; the token provider's token is
// cached by the core; a custom fetch can name its failure's kind. Offline, stub fetch.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { Voximplant, Voiso, ConfigError, TransportError, AuthError } from "roster-sdk";

const CREDENTIALS_PATH = new URL("../../../tests/fixtures/credentials.json", import.meta.url).pathname;
const CREDENTIALS = readFileSync(CREDENTIALS_PATH, "utf8");
const KEY_LINES = JSON.parse(CREDENTIALS).private_key.split("\n").filter((l) => l.length > 40);

/** Every way an error can be shown. */
const shown = (e) => [e.message, String(e), inspect(e, { depth: 10, showHidden: true }), e.stack ?? "", JSON.stringify(e) ?? ""].join("\n");

function assertNoKey(e) {
  const text = shown(e);
  for (const line of KEY_LINES) assert.ok(!text.includes(line.slice(0, 16)), `the key shows in: ${e.message}`);
  assert.ok(!text.includes("PRIVATE KEY"), `the key shows in: ${e.message}`);
}

function configError(make) {
  try {
    make();
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e?.name}: ${e?.message}`);
    return e;
  }
  assert.fail("expected a ConfigError");
}

/** A fetch that records each request and answers an empty user list. */
function recorder() {
  const seen = [];
  const fetch = async (request, limits) => {
    seen.push({ request, url: request.url, authorization: request.headers.get("authorization"), limits });
    return new Response('{"result":[],"total_count":0,"count":0}', { status: 200 });
  };
  return { seen, fetch };
}

test("credentials as a path, JSON text, bytes or an object; never read from the wrong place", async () => {
  const files = new Map([["/etc/roster/credentials.json", CREDENTIALS]]);
  const readFile = (path) => {
    if (!files.has(path)) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: "ENOENT" });
    return Buffer.from(files.get(path));
  };
  for (const credentials of [
    "/etc/roster/credentials.json",
    CREDENTIALS,
    `\ufeff${CREDENTIALS}\n`,
    Buffer.from(CREDENTIALS),
    new TextEncoder().encode(CREDENTIALS),
    JSON.parse(CREDENTIALS),
  ]) {
    const { seen, fetch } = recorder();
    const vox = new Voximplant({ credentials, baseUrl: "https://vox.test", env: {}, readFile, fetch });
    await vox.users.getUsers({ applicationId: 1 });
    assert.match(seen[0].authorization, /^Bearer eyJ/);
  }
  // VOXIMPLANT_CREDENTIALS holding a path, or the JSON itself.
  for (const value of ["/etc/roster/credentials.json", CREDENTIALS]) {
    const { seen, fetch } = recorder();
    const vox = new Voximplant({ env: { VOXIMPLANT_CREDENTIALS: value }, readFile, fetch });
    await vox.users.getUsers({ applicationId: 1 });
    assert.match(seen[0].authorization, /^Bearer eyJ/);
    assert.equal(new URL(seen[0].url).origin, "https://api.voximplant.com");
  }
});

test("credentials in the wrong form are refused without showing the key", () => {
  const key = JSON.parse(CREDENTIALS).private_key;
  for (const credentials of [key, key.replaceAll("\n", ""), CREDENTIALS.replace("{", "["), `x${CREDENTIALS}`]) {
    const e = configError(() => new Voximplant({ credentials, env: {}, readFile: null }));
    assertNoKey(e);
  }
  // The JSON in the environment variable, broken: the variable is named, the key is not shown.
  const broken = CREDENTIALS.replace('"key_id"', '"kid"');
  const e = configError(() => new Voximplant({ env: { VOXIMPLANT_CREDENTIALS: broken } }));
  assert.match(e.message, /VOXIMPLANT_CREDENTIALS/);
  assertNoKey(e);
  // A secret given where a path was expected: only its length.
  const k = configError(() => new Voximplant({ credentials: "sk_live_0123456789abcdef", env: {} }));
  assert.match(k.message, /a path of 24 characters, not shown/);
  assert.ok(!shown(k).includes("sk_live"));
  // A path that cannot be read: the reason is the error's code, never its message.
  const missing = configError(() => new Voximplant({
    credentials: "/nowhere/credentials.json",
    env: {},
    readFile: () => { throw Object.assign(new Error("secret message"), { code: "ENOENT" }); },
  }));
  assert.match(missing.message, /"\/nowhere\/credentials.json".*No such file or directory/);
  assert.ok(!missing.message.includes("secret message"));
  // Nothing at all.
  assert.match(configError(() => new Voximplant({ env: {} })).message, /no Voximplant credentials/);
  // A type the core cannot take, by its type only.
  assert.match(configError(() => new Voximplant({ credentials: 42, env: {} })).message, /credentials must be a string or bytes/);
});

test("the environment: base URLs from the variables, explicit options win, blank is unset", async () => {
  const env = { VOXIMPLANT_BASE_URL: "https://env.test/prefix/", VOISO_BASE_URL: "https://voiso.env.test/api", VOISO_API_KEY: "env-key\n" };
  let r = recorder();
  await new Voximplant({ token: "t", env, fetch: r.fetch }).users.getUsers({ applicationId: 1 });
  assert.equal(r.seen[0].url, "https://env.test/prefix/platform_api/GetUsers");
  r = recorder();
  await new Voximplant({ token: "t", env, baseUrl: "https://arg.test", fetch: r.fetch }).users.getUsers({ applicationId: 1 });
  assert.equal(r.seen[0].url, "https://arg.test/platform_api/GetUsers");
  r = recorder();
  await new Voximplant({ token: "t", env: { VOXIMPLANT_BASE_URL: "  " }, fetch: r.fetch }).users.getUsers({ applicationId: 1 });
  assert.equal(new URL(r.seen[0].url).origin, "https://api.voximplant.com");
  // Voiso: the key and base URL from the variables; the key trimmed by the core.
  r = recorder();
  await new Voiso({ env, fetch: r.fetch }).call("ListUsers", {}).catch(() => {});
  assert.equal(r.seen[0].url, "https://voiso.env.test/api/user_management/v1/users");
  assert.equal(r.seen[0].authorization, "Bearer env-key");
  assert.match(configError(() => new Voiso({ env: {} })).message, /no Voiso API key.*VOISO_API_KEY/);
  // The process environment is the default in Node.
  process.env.VOISO_API_KEY = "process-key";
  try {
    r = recorder();
    await new Voiso({ baseUrl: "https://v.test", fetch: r.fetch }).call("ListUsers", {}).catch(() => {});
    assert.equal(r.seen[0].authorization, "Bearer process-key");
    // `env: null` turns it off.
    configError(() => new Voiso({ env: null }));
  } finally {
    delete process.env.VOISO_API_KEY;
  }
  assert.match(configError(() => new Voiso({ env: { VOISO_API_KEY: 5 } })).message, /VOISO_API_KEY must be a string/);
});

test("keys and tokens: the core trims them once, refuses what a header cannot carry, never shows them", async () => {
  let r = recorder();
  await new Voiso({ apiKey: "abc-key\r\n", baseUrl: "https://v.test", fetch: r.fetch }).call("ListUsers", {}).catch(() => {});
  assert.equal(r.seen[0].authorization, "Bearer abc-key");
  r = recorder();
  await new Voximplant({ token: "\ufefftok-1\n", baseUrl: "https://v.test", fetch: r.fetch }).users.getUsers({ applicationId: 1 });
  assert.equal(r.seen[0].authorization, "Bearer tok-1");
  for (const [make, arg] of [
    [() => new Voiso({ apiKey: "abc key-SECRET", env: {} }), "api_key"],
    [() => new Voiso({ apiKey: "abc\nkey-SECRET", env: {} }), "api_key"],
    [() => new Voiso({ apiKey: "", env: {} }), "api_key"],
    [() => new Voximplant({ token: "Bearer tok-SECRET", env: {} }), "token"],
  ]) {
    const e = configError(make);
    assert.match(e.message, new RegExp(`\`${arg}\` argument`));
    assert.ok(!shown(e).includes("SECRET"), e.message);
  }
  // Two ways to authenticate at once is a mistake, not a silent choice.
  assert.match(configError(() => new Voximplant({ token: "t", tokenProvider: () => "t", env: {} })).message, /not several/);
});

test("a base URL's user and password are never shown", () => {
  for (const make of [
    () => new Voiso({ apiKey: "k", baseUrl: "https://admin:Hunter2@127.0.0.1:9", env: {} }),
    () => new Voiso({ apiKey: "k", env: { VOISO_BASE_URL: "https://admin:Hunter2@127.0.0.1:9" } }),
  ]) {
    const e = configError(make);
    assert.ok(!shown(e).includes("Hunter2") && !shown(e).includes("admin"), e.message);
  }
});

test("retry options reach the core field by field; its config errors come back", async () => {
  const make = (retry) => () => new Voximplant({ token: "t", env: {}, retry });
  for (const [retry, fragment] of [
    [{ jitterPercent: 150 }, /jitter_percent must be 0 to 100, got 150/],
    [{ maxAttempts: 0 }, /max_attempts must be at least 1/],
    [{ attemptTimeoutMs: 0 }, /attempt_timeout_ms must be at least 1/],
    [{ maxAttempts: 1.5 }, /retry.maxAttempts must be a whole number.*1.5/],
    [{ maxAttempts: NaN }, /retry.maxAttempts must be a whole number.*NaN/],
    [{ baseBackoffMs: -1 }, /retry.baseBackoffMs must be a whole number/],
    [{ deadlineMs: Infinity }, /retry.deadlineMs must be a whole number.*Infinity/],
    [{ maxAttempts: "3" }, /retry.maxAttempts must be a whole number.*a string/],
    [{ maxAttempts: 2 ** 40 }, /maxAttempts.*must be at most/],
    [{ deadline: 5 }, /no setting `deadline`/],
    [5, /retry must be an object/],
  ]) {
    assert.match(configError(make(retry)).message, fragment);
  }
  // Per call, the same.
  const { fetch, seen } = recorder();
  const vox = new Voximplant({ token: "t", env: {}, baseUrl: "https://v.test", fetch });
  const e = await vox.users.getUsers({ applicationId: 1 }, { retry: { jitterPercent: 101 } }).catch((e) => e);
  assert.ok(e instanceof ConfigError);
  assert.match(e.message, /jitter_percent/);
  assert.equal(seen.length, 0);
  // The attempt timeout reaches the transport; deadlineMs 0 is allowed (no deadline).
  await vox.users.getUsers({ applicationId: 1 }, { retry: { attemptTimeoutMs: 1234, deadlineMs: 0 } });
  assert.equal(seen[0].limits.timeoutMs, 1234);
  // Seeds, too, are whole numbers.
  assert.match(configError(() => new Voximplant({ token: "t", env: {}, seed: 1.5 })).message, /seed must be a whole number/);
});

test("a misspelt option is refused rather than ignored", () => {
  assert.match(configError(() => new Voximplant({ token: "t", baseURL: "https://x.test" })).message, /no option `baseURL`/);
  assert.match(configError(() => new Voiso({ apiKey: "k", credentials: "x" })).message, /no option `credentials`/);
});

test("the token provider's token is cached by the core until the server refuses it", async () => {
  const asks = [];
  const tokens = ["tok-1\n", "tok-2"];
  const headers = [];
  let refuse = false;
  const vox = new Voximplant({
    baseUrl: "https://v.test",
    env: {},
    retry: { jitterPercent: 0 },
    tokenProvider: ({ forceRefresh }) => {
      asks.push(forceRefresh);
      return tokens[asks.length - 1];
    },
    fetch: async (request) => {
      headers.push(request.headers.get("authorization"));
      if (refuse) {
        refuse = false;
        return new Response('{"error":{"code":456,"msg":"Authorization token has expired"}}', { status: 200 });
      }
      return new Response('{"result":[],"total_count":0,"count":0}', { status: 200 });
    },
  });
  await vox.users.getUsers({ applicationId: 1 });
  await vox.users.getUsers({ applicationId: 1 });
  assert.deepEqual(asks, [false], "asked once for two calls");
  refuse = true;
  await vox.users.getUsers({ applicationId: 1 });
  assert.deepEqual(asks, [false, true], "asked again, forced, after a 456");
  assert.deepEqual(headers, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);

  // The provider's own error ends the call as it is; a token the core refuses is an AuthError
  // or ConfigError that does not show it.
  const boom = new Error("backend down");
  const failing = new Voximplant({ baseUrl: "https://v.test", env: {}, tokenProvider: () => { throw boom; }, fetch: recorder().fetch });
  assert.equal(await failing.users.getUsers({ applicationId: 1 }).catch((e) => e), boom);
  const spaced = new Voximplant({ baseUrl: "https://v.test", env: {}, tokenProvider: () => "tok SECRET", fetch: recorder().fetch });
  const e = await spaced.users.getUsers({ applicationId: 1 }).catch((e) => e);
  assert.ok(e instanceof ConfigError || e instanceof AuthError, String(e));
  assert.ok(!shown(e).includes("SECRET"), e.message);
});

test("a custom fetch names its failure's kind with transportKind", async () => {
  for (const kind of ["not_sent", "timed_out", "interrupted"]) {
    let calls = 0;
    const vox = new Voximplant({
      token: "t", baseUrl: "https://v.test", env: {},
      retry: { maxAttempts: 2, jitterPercent: 0, baseBackoffMs: 1 },
      fetch: async () => {
        calls += 1;
        throw Object.assign(new Error("scripted"), { transportKind: kind });
      },
    });
    // A money transfer is resent only when nothing was sent.
    const e = await vox.users.transferMoneyToUser({ userId: [1], amount: "1.00" }).catch((e) => e);
    if (kind === "not_sent") {
      assert.ok(e instanceof TransportError, String(e));
      assert.equal(e.transportKind, "not_sent");
      assert.equal(calls, 2);
    } else {
      assert.equal(e.code, "outcome_unknown", String(e));
      assert.equal(e.causeCode, "transport");
      assert.equal(calls, 1);
    }
    assert.match(e.message, /scripted/);
  }
});

test("clock and sleep hooks: the client's time and waits are the caller's", async () => {
  let now = 1_700_000_000_000;
  const sleeps = [];
  let calls = 0;
  const vox = new Voximplant({
    token: "t", baseUrl: "https://v.test", env: {},
    retry: { maxAttempts: 3, jitterPercent: 0, baseBackoffMs: 100, deadlineMs: 250 },
    clock: () => now,
    sleep: async (ms) => { sleeps.push(ms); now += ms; },
    fetch: async () => {
      calls += 1;
      return new Response("bad gateway", { status: 502 });
    },
  });
  const e = await vox.users.getUsers({ applicationId: 1 }).catch((e) => e);
  assert.equal(e.code, "http_status");
  // 100 ms, then 200 would pass the 250 ms deadline of the virtual clock: no second sleep.
  assert.deepEqual(sleeps, [100]);
  assert.equal(calls, 2);
  assert.match(configError(() => new Voximplant({ token: "t", env: {}, clock: () => NaN })).message, /clock must return/);
});
