// No secret in a message, in console.log / util.inspect of a client or an error, in a dry run
// or in an attempt record. Runs offline with a stub fetch and a throwaway key.

import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { inspect } from "node:util";
import { Voximplant, Voiso } from "roster-sdk";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const pem = privateKey.export({ type: "pkcs8", format: "pem" });
const credentials = { account_id: 42, key_id: "key-1234", private_key: pem, account_email: "a@example.com" };
const keyBody = pem.split("\n")[5];
const PASSWORD = "S3cure!passWORD";
const API_KEY = "voiso-secret-key-987";

/** Every way a value can be shown. */
const shown = (x) => [String(x), inspect(x, { depth: 10, showHidden: true }), JSON.stringify(x) ?? "", x?.stack ?? ""].join("\n");

function assertClean(text, what) {
  for (const secret of [keyBody, PASSWORD, API_KEY, "Bearer ey"]) {
    assert.ok(!text.includes(secret), `${what} shows a secret: ${secret.slice(0, 12)}...`);
  }
}

const lost = async () => { throw Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }); };

test("a client shows no credentials", () => {
  const text = JSON.stringify(credentials);
  for (const given of [credentials, text, Buffer.from(text)]) {
    const vox = new Voximplant({ credentials: given, baseUrl: "https://api.example.test" });
    assertClean(shown(vox), "a Voximplant client");
  }
  const voiso = new Voiso({ apiKey: `${API_KEY}\n`, baseUrl: "https://voiso.example.test" });
  assertClean(shown(voiso), "a Voiso client");
});

test("credentials text given wrongly is never echoed (issue 14: it was taken for a file name)", () => {
  const text = JSON.stringify(credentials);
  for (const options of [
    { credentials: pem },
    { credentials: text.replace("{", "[") },
    { credentials: text.replace('"key_id"', '"kid"') },
    { env: { VOXIMPLANT_CREDENTIALS: text.replace('"key_id"', '"kid"') } },
    { env: { VOXIMPLANT_CREDENTIALS: pem } },
  ]) {
    let error;
    try {
      new Voximplant(options);
    } catch (e) {
      error = e;
    }
    assert.equal(error?.code, "config", String(error));
    assertClean(shown(error), "a credentials error");
    assert.ok(!shown(error).includes("PRIVATE KEY"));
  }
});

test("errors, dry runs and attempt records show no password, key or token", async () => {
  const records = [];
  const vox = new Voximplant({
    credentials, baseUrl: "https://api.example.test", fetch: lost,
    retry: { maxAttempts: 2, baseBackoffMs: 1 }, onAttempt: (r) => records.push(r),
  });
  const bad = await vox.users.addUser({
    userName: "jdoe", userDisplayName: "J", userPassword: "has space S3cure!", applicationId: 1,
  }).catch((e) => e);
  assert.equal(bad.parameter, "user_password");
  assertClean(shown(bad), "a validation error");
  assert.ok(!shown(bad).includes("has space"));

  const unknown = await vox.users.transferMoneyToUser({ userName: ["jdoe"], applicationId: 1, amount: "1.00" })
    .catch((e) => e);
  assert.equal(unknown.code, "outcome_unknown");
  const add = await vox.users.addUser({
    userName: "jdoe", userDisplayName: "J", userPassword: PASSWORD, applicationId: 1,
  }).catch((e) => e);
  assertClean(shown(unknown), "an outcome-unknown error");
  assertClean(shown(add), "a transport error");
  assertClean(vox.dryRun("AddUser", {
    userName: "jdoe", userDisplayName: "J", userPassword: PASSWORD, applicationId: 1,
  }), "a dry run");
  assert.ok(records.length >= 2);
  assertClean(shown(records), "attempt records");
});

test("in a browser build a private key needs the loud opt-in (checked in the Chromium test)", () => {
  // Node accepts the key: this is the server side. The refusal is browser.js's and is
  // exercised by tests/browser.test.mjs.
  assert.doesNotThrow(() => new Voximplant({ credentials }));
});
