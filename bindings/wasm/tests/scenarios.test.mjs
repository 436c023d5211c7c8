// The package against the emulator over HTTPS (its CA comes in NODE_EXTRA_CA_CERTS): credentials
// in every Node form and from the environment, typed calls, auto-paging, errors, token refresh,
// aborts, and retries under injected faults.

import { describe, test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import {
  Voximplant, Voiso, ApiError, ValidationError, OutcomeUnknownError, TransportError, ConfigError,
} from "roster-sdk";
import { BASE_URL, CREDENTIALS_PATH, VOISO_KEY, skip, admin, fresh, requestsOf, mintToken } from "./support.mjs";

const quick = { baseBackoffMs: 5, maxBackoffMs: 20 };
const vox = (extra = {}) =>
  new Voximplant({ credentials: CREDENTIALS_PATH, baseUrl: BASE_URL, retry: quick, ...extra });

describe("voximplant against the emulator", { skip }, () => {
  beforeEach(fresh);

  test("credentials from a path, its JSON text, bytes, an object and VOXIMPLANT_CREDENTIALS", async () => {
    const text = readFileSync(CREDENTIALS_PATH, "utf8");
    const clients = [
      vox(),
      vox({ credentials: text }),
      vox({ credentials: readFileSync(CREDENTIALS_PATH) }),
      vox({ credentials: JSON.parse(text) }),
      // The environment, through the host: a path, or the JSON itself; the base URL too.
      new Voximplant({ env: { VOXIMPLANT_CREDENTIALS: CREDENTIALS_PATH, VOXIMPLANT_BASE_URL: BASE_URL } }),
      new Voximplant({ env: { VOXIMPLANT_CREDENTIALS: text }, baseUrl: BASE_URL }),
    ];
    process.env.VOXIMPLANT_CREDENTIALS = CREDENTIALS_PATH;
    try {
      clients.push(new Voximplant({ baseUrl: BASE_URL }));
    } finally {
      delete process.env.VOXIMPLANT_CREDENTIALS;
    }
    for (const client of clients) {
      const page = await client.users.getUsers({ applicationId: 1 });
      assert.deepEqual(page.items.map((u) => u.user_name).sort(), ["agent-ann", "agent-ben"]);
    }
    assert.throws(() => new Voximplant({ baseUrl: BASE_URL }), ConfigError);
  });

  test("typed results: money as decimal text, datetimes as ISO strings, lists of structs", async () => {
    const page = await vox().users.getUsers({ applicationId: 1, withSkills: true, userName: "agent-ann" });
    const [ann] = page.items;
    assert.equal(typeof ann.balance, "string");
    assert.match(ann.balance, /^5(\.0+)?$/);
    assert.match(ann.created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(ann.skills.map((s) => s.skill_name).sort(), ["english", "spanish"]);
  });

  test("addUser with camelCase params, then every user by auto-paging", async () => {
    const v = vox();
    const names = [];
    for (let i = 0; i < 5; i++) {
      const r = await v.users.addUser({
        userName: `agent-${i}`, userDisplayName: `Agent ${i}`, userPassword: "S3cure!pass", applicationId: 1,
      });
      assert.equal(typeof r.user_id, "number");
      names.push(`agent-${i}`);
    }
    const seen = [];
    for await (const u of v.users.iterUsers({ applicationId: 1, count: 2 })) seen.push(u.user_name);
    assert.deepEqual([...seen].sort(), ["agent-0", "agent-1", "agent-2", "agent-3", "agent-4", "agent-ann", "agent-ben"]);
    assert.ok((await requestsOf("GetUsers")).length >= 4, "paged in several requests");
    const byName = await v.call("GetUsers", { application_id: 1, user_name: "agent-3" });
    assert.equal(byName.items.length, 1);
  });

  test("concurrent calls share one client (one token, one session)", async () => {
    const v = vox();
    const pages = await Promise.all(Array.from({ length: 8 }, () => v.users.getUsers({ applicationId: 1 })));
    assert.ok(pages.every((p) => p.items.length === 2));
  });

  test("a bad value is a ValidationError naming the parameter; nothing is sent", async () => {
    const e = await vox().users.addUser({
      userName: "Bad Name", userDisplayName: "x", userPassword: "S3cure!pass", applicationId: 1,
    }).catch((e) => e);
    assert.ok(e instanceof ValidationError);
    assert.equal(e.code, "validation");
    assert.equal(e.parameter, "user_name");
    assert.equal(e.rule, "pattern");
    assert.equal((await requestsOf("AddUser")).length, 0);
  });

  test("an API error is an ApiError with the server's code", async () => {
    const e = await vox().users.addUser({
      userName: "agent-ann", userDisplayName: "Ann", userPassword: "S3cure!pass", applicationId: 1,
    }).catch((e) => e);
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.apiCode, 118);
    assert.equal(e.apiKind, "conflict");
  });

  test("reads are retried through 503s and dropped connections", async () => {
    await admin("faults", { spec: "GetUsers=http503:0.3,GetUsers=reset:0.2", seed: 11 });
    const before = (await admin("faults")).counters;
    const v = vox({ retry: { ...quick, maxAttempts: 8 } });
    for (let i = 0; i < 6; i++) {
      const page = await v.users.getUsers({ applicationId: 1 });
      assert.equal(page.items.length, 2);
    }
    const after = (await admin("faults")).counters;
    const injected = (kind) => (after[kind] ?? 0) - (before[kind] ?? 0);
    assert.ok(injected("http503") > 0 && injected("reset") > 0, JSON.stringify(after));
    // Answered requests are logged; reset connections are not (the emulator closes them first).
    assert.equal((await requestsOf("GetUsers")).length, 6 + injected("http503"));
  });

  test("refusals (rate limit, try later) are retried even for a write", async () => {
    await admin("faults", { spec: "AddSkill=rate_limit:0.5,AddSkill=busy:0.3", seed: 3 });
    const before = (await admin("faults")).total;
    const v = vox({ retry: { ...quick, maxAttempts: 10 } });
    for (const name of ["french", "german", "italian"]) {
      const r = await v.skills.addSkill({ skillName: name });
      assert.equal(typeof r.skill_id, "number");
    }
    assert.ok((await admin("faults")).total > before, "refusals were injected");
    const skills = await v.skills.getSkills({ skillName: "an" });
    assert.ok(skills.items.some((s) => s.skill_name === "german"));
  });

  test("a lost AddUser answer is recovered by looking the user up, never by a blind resend", async () => {
    await admin("faults", { spec: "AddUser=drop_after_apply:1" });
    const before = (await admin("faults")).total;
    const r = await vox().users.addUser({
      userName: "agent-lost", userDisplayName: "Lost", userPassword: "S3cure!pass", applicationId: 1,
    });
    assert.equal(typeof r.user_id, "number");
    // Every AddUser meets the fault, so the count of injected faults is the count of sends.
    // (The emulator's request log misses requests whose connection a fault closed.)
    assert.equal((await admin("faults")).total - before, 1, "sent once");
    await admin("faults", { spec: "" });
    const found = await vox().users.getUsers({ applicationId: 1, userName: "agent-lost" });
    assert.equal(found.items.length, 1);
    assert.equal(found.items[0].user_id, r.user_id);
  });

  test("a lost money transfer is an OutcomeUnknownError with the redacted request", async () => {
    await admin("faults", { spec: "TransferMoneyToUser=drop_after_apply:1" });
    const before = (await admin("faults")).total;
    const e = await vox().users.transferMoneyToUser({ userId: [1], amount: "2.50" })
      .catch((e) => e);
    assert.ok(e instanceof OutcomeUnknownError, String(e));
    assert.equal(e.method, "TransferMoneyToUser");
    assert.match(e.request, /TransferMoneyToUser/);
    assert.equal((await admin("faults")).total - before, 1, "never resent");
  });

  test("a slow answer times out per attempt and ends as a TransportError", async () => {
    await admin("faults", { spec: "GetSkills=delay:3000" });
    const started = Date.now();
    const e = await vox({ retry: { ...quick, maxAttempts: 2, attemptTimeoutMs: 200 } })
      .skills.getSkills({}).catch((e) => e);
    assert.ok(e instanceof TransportError, String(e));
    assert.equal(e.transportKind, "timed_out");
    assert.ok(Date.now() - started < 2500);
  });

  test("an AbortSignal stops the call, its retries and its sleeps", async () => {
    await admin("faults", { spec: "GetSkills=delay:3000" });
    const started = Date.now();
    const e = await vox().skills.getSkills({}, { signal: AbortSignal.timeout(100) }).catch((e) => e);
    assert.equal(e.name, "TimeoutError");
    assert.ok(Date.now() - started < 1500);
    await admin("faults", { spec: "GetSkills=http503:1" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const e2 = await vox({ retry: { baseBackoffMs: 5000, maxAttempts: 5 } })
      .skills.getSkills({}, { signal: controller.signal }).catch((e) => e);
    assert.equal(e2.name, "AbortError");
  });

  test("a token provider's token is cached, and asked again (forced) when the server refuses it", async () => {
    const asks = [];
    const v = new Voximplant({
      baseUrl: BASE_URL,
      tokenProvider: async ({ forceRefresh }) => {
        asks.push(forceRefresh);
        // First a token the server refuses as issued in the future (455), then a good one.
        return forceRefresh ? `${mintToken()}\n` : mintToken({ issuedAgo: -120 });
      },
    });
    const page = await v.users.getUsers({ applicationId: 1 });
    assert.equal(page.items.length, 2);
    assert.deepEqual(asks, [false, true]);
    // The core keeps the provider's token until it is refused or expires.
    await v.users.getUsers({ applicationId: 1 });
    await v.skills.getSkills({});
    assert.deepEqual(asks, [false, true]);
  });

  test("a connection refused is retried (nothing was sent), then reported as not_sent", async () => {
    const port = await new Promise((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const { port } = s.address();
        s.close(() => resolve(port));
      });
    });
    const v = new Voximplant({ credentials: CREDENTIALS_PATH, baseUrl: `https://127.0.0.1:${port}`, retry: { ...quick, maxAttempts: 2 } });
    const e = await v.skills.addSkill({ skillName: "never" }).catch((e) => e);
    assert.ok(e instanceof TransportError, String(e));
    assert.equal(e.transportKind, "not_sent");
  });
});

describe("voiso against the emulator", { skip }, () => {
  test("listUsers reads Voiso's quirks; the key read whole from its file is trimmed by the core", async () => {
    const v = new Voiso({ apiKey: `${VOISO_KEY}\n`, baseUrl: BASE_URL });
    const users = await v.users.listUsers();
    const ag = users.items.find((u) => u.id === 28982);
    assert.deepEqual(ag.assigned_teams, ["3623", "2481"]);
    assert.equal(ag.employee_id, "123");
    assert.equal(ag.assigned_channels[0].value, "1234567890123");
    const e = await new Voiso({ apiKey: "wrong", baseUrl: BASE_URL }).users.listUsers().catch((e) => e);
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.apiKind, "auth");
    assert.equal(e.httpStatus, 401);
    const fromEnv = new Voiso({ env: { VOISO_API_KEY: VOISO_KEY, VOISO_BASE_URL: BASE_URL } });
    assert.ok((await fromEnv.users.listUsers()).items.length > 0);
  });
});
