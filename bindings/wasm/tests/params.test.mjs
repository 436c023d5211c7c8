// Parameters that have no faithful JSON form are refused by name, never changed on the way
// (issue 14): NaN and ±Infinity, money numbers that are not the decimal they were written as,
// lone surrogates, two spellings of one parameter, Symbols, functions, objects with toJSON,
// invalid Dates, unsafe integers. Each is a ValidationError naming the parameter, and nothing
// is sent. Also: the entries of a multi-error answer on ApiError.errors. Offline, stub fetch.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Voximplant, ValidationError, ApiError } from "roster-sdk";

/** A client whose fetch records what reaches it and answers an empty success. */
function client() {
  const sent = [];
  const vox = new Voximplant({
    token: "test-token",
    baseUrl: "https://vox.test",
    retry: { maxAttempts: 1 },
    fetch: async (request) => {
      sent.push({ url: request.url, body: await request.text() });
      return new Response('{"result":1,"balance":"1.00"}', { status: 200 });
    },
  });
  return { vox, sent };
}

/** Calls `method` with `params`, expects a ValidationError for `parameter` (rule `rule`)
 * whose message has `fragment`, and checks that nothing was sent. Also through dryRun. */
async function refused(method, params, parameter, rule, fragment) {
  const { vox, sent } = client();
  const e = await vox.call(method, params).then(() => assert.fail("expected a ValidationError"), (e) => e);
  assert.ok(e instanceof ValidationError, `expected a ValidationError, got ${e?.name}: ${e?.message}`);
  assert.equal(e.parameter, parameter, e.message);
  assert.equal(e.rule, rule, e.message);
  if (fragment) assert.match(e.message, fragment);
  assert.equal(sent.length, 0, "nothing may be sent");
  assert.throws(() => vox.dryRun(method, params), (d) => d instanceof ValidationError && d.parameter === parameter);
  return e;
}

/** Sends `params` and returns the form body that reached fetch. */
async function body(method, params) {
  const { vox, sent } = client();
  // The answer does not matter here (a list method cannot read it): only what was sent.
  await vox.call(method, params).catch(() => {});
  assert.equal(sent.length, 1, "sent once");
  return new URLSearchParams(sent[0].body);
}

test("NaN and ±Infinity are refused by name, in any parameter and in list items", async () => {
  await refused("GetUsers", { applicationId: 1, count: NaN }, "count", "type", /NaN/);
  await refused("GetUsers", { applicationId: Infinity }, "application_id", "type", /Infinity/);
  await refused("GetUsers", { application_id: -Infinity }, "application_id", "type", /-Infinity/);
  await refused("TransferMoneyToUser", { userId: [1, NaN], amount: "1.00" }, "user_id", "type", /item 2 is NaN/);
  // Money: NaN is not "required", it is the wrong value.
  await refused("TransferMoneyToUser", { userId: [1], amount: NaN }, "amount", "type", /NaN/);
});

test("money given as a JS number must be the decimal it was written as", async () => {
  const e = await refused("TransferMoneyToUser", { userId: [1], amount: 0.1 + 0.2 }, "amount", "type", /decimal string/);
  assert.match(e.message, /0\.30000000000000004/);
  await refused("TransferMoneyToUser", { userId: [1], amount: 1 / 3 }, "amount", "type", /decimal string/);
  await refused("TransferMoneyToUser", { userId: [1], amount: 2 ** 53 }, "amount", "type", /MAX_SAFE_INTEGER/);
  // A safe number that is exactly its decimal text, and decimal strings, go out as written.
  assert.equal((await body("TransferMoneyToUser", { userId: [1], amount: 10.5 })).get("amount"), "10.5");
  assert.equal((await body("TransferMoneyToUser", { userId: [1], amount: -0.01 })).get("amount"), "-0.01");
  assert.equal((await body("TransferMoneyToUser", { userId: [1], amount: 123456789012.34 })).get("amount"), "123456789012.34");
  assert.equal((await body("TransferMoneyToUser", { userId: [1], amount: "0.30" })).get("amount"), "0.30");
  assert.equal((await body("TransferMoneyToUser", { userId: [1], amount: 10n })).get("amount"), "10");
});

test("integers beyond Number.MAX_SAFE_INTEGER are refused; a BigInt carries them", async () => {
  await refused("GetUsers", { applicationId: 2 ** 53 + 2 }, "application_id", "type", /MAX_SAFE_INTEGER/);
  assert.equal((await body("GetUsers", { applicationId: 9007199254740993n })).get("application_id"), "9007199254740993");
});

test("a lone surrogate is refused by name instead of sent as U+FFFD", async () => {
  const add = { userName: "jdoe", userPassword: "S3cure!pass", applicationId: 1 };
  await refused("AddUser", { ...add, userDisplayName: "a\udcffb" }, "user_display_name", "type", /lone surrogate/);
  await refused("AddUser", { ...add, userDisplayName: "\ud83d" }, "user_display_name", "type", /lone surrogate/);
  // The password's value is never shown, even refused.
  const e = await refused("AddUser", { ...add, userDisplayName: "J", userPassword: "S3cure!pass\ud800" }, "user_password", "type");
  assert.ok(!e.message.includes("S3cure"), e.message);
  // A whole pair is text like any other.
  assert.equal((await body("AddUser", { ...add, userDisplayName: "Ana 😀" })).get("user_display_name"), "Ana 😀");
});

test("camelCase and snake_case of one parameter together are refused, naming it", async () => {
  const e = await refused("GetUsers", { applicationId: 1, application_id: 2 }, "application_id", "at_most_one");
  assert.match(e.message, /applicationId/);
  assert.match(e.message, /application_id/);
  // One spelling, or an undefined second one, is fine.
  assert.equal((await body("GetUsers", { applicationId: 3, application_id: undefined })).get("application_id"), "3");
});

test("Symbols, functions and objects with toJSON are refused against the parameter", async () => {
  await refused("GetUsers", { applicationId: Symbol("id") }, "application_id", "type", /Symbol/);
  await refused("GetUsers", { applicationId: () => 1 }, "application_id", "type", /function/);
  await refused("GetUsers", { applicationId: { toJSON: () => 1 } }, "application_id", "type", /toJSON/);
  await refused("TransferMoneyToUser", { userId: [1, Symbol("x")], amount: "1" }, "user_id", "type", /item 2 is a Symbol/);
  // The parameters themselves must be an object of named values.
  await refused("GetUsers", [1, 2], "(parameters)", "type", /an array/);
});

test("an invalid Date is a ValidationError naming the parameter, not a RangeError", async () => {
  const add = { userName: "jdoe", userPassword: "S3cure!pass", applicationId: 1 };
  await refused("AddUser", { ...add, userDisplayName: new Date("not a date") }, "user_display_name", "type", /invalid Date/);
  // A valid Date travels as ISO 8601 text.
  assert.equal(
    (await body("AddUser", { ...add, userDisplayName: new Date(0) })).get("user_display_name"),
    "1970-01-01T00:00:00.000Z",
  );
});

test("a cyclic value is refused, not a crash", async () => {
  const cyclic = [];
  cyclic.push(cyclic);
  await refused("TransferMoneyToUser", { userId: cyclic, amount: "1" }, "user_id", "type", /nested too deeply/);
});

test("ApiError.errors holds every entry of a multi-error answer", () => {
  const { vox } = client();
  const answer = JSON.stringify({
    error: { code: 122, msg: "Invalid user name", field_name: "user_name" },
    errors: [
      { code: 122, msg: "Invalid user name", field_name: "user_name" },
      { code: 463, msg: "Password too short", field_name: "user_password" },
      { code: 101, msg: "No field" },
    ],
  });
  const e = (() => {
    try {
      vox.parse("AddUser", 200, answer);
    } catch (e) {
      return e;
    }
    assert.fail("expected an ApiError");
  })();
  assert.ok(e instanceof ApiError);
  assert.equal(e.apiCode, 122);
  assert.deepEqual(e.errors, [
    { code: 122, msg: "Invalid user name", fieldName: "user_name" },
    { code: 463, msg: "Password too short", fieldName: "user_password" },
    { code: 101, msg: "No field" },
  ]);
  const single = (() => {
    try {
      vox.parse("AddUser", 200, '{"error":{"code":118,"msg":"taken"}}');
    } catch (e) {
      return e;
    }
  })();
  assert.deepEqual(single.errors, [{ code: 118, msg: "taken" }]);
});
