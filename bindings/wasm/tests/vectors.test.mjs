// The shared conformance vectors (tests/vectors), run through the package's public API with a
// stub fetch: parameters in → the exact request that reaches fetch; answer in → the typed
// result or the error class the caller sees.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { Voximplant, Voiso, RosterError } from "roster-sdk";

const dir = new URL("../../../tests/vectors/", import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();

/** A fetch that records each request and answers with `status` and `body`. */
function stubFetch(status, body) {
  const seen = [];
  const fetch = async (request) => {
    seen.push({
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: await request.text(),
    });
    return new Response(body, { status });
  };
  return { fetch, seen };
}

function client(api, fetch) {
  const retry = { maxAttempts: 1 };
  return api === "voximplant"
    ? new Voximplant({ tokenProvider: () => "test-token", baseUrl: "https://api.voximplant.com", fetch, retry })
    : new Voiso({ apiKey: "test-voiso-key", baseUrl: "https://cluster1.voiso.com", fetch, retry });
}

const params = (search) => Object.fromEntries(new URLSearchParams(search));

/** The error in the vectors' terms; `error_count` is the length of `ApiError.errors`, every
 * entry of a multi-error answer. */
function errorFields(e) {
  return {
    error_count: e.errors?.length,
    code: e.code,
    parameter: e.parameter,
    rule: e.rule,
    api_code: e.apiCode,
    kind: e.apiKind,
    field_name: e.fieldName,
    http_status: e.httpStatus,
    status: e.httpStatus,
  };
}

function assertError(e, expected) {
  assert.ok(e instanceof RosterError, `expected a RosterError, got ${e}`);
  const actual = errorFields(e);
  for (const [k, v] of Object.entries(expected)) {
    assert.deepEqual(actual[k], v, `${k} (${e.message})`);
  }
}

for (const file of files) {
  const v = JSON.parse(readFileSync(new URL(file, dir), "utf8"));

  for (const c of v.requests) {
    test(`${v.method} request: ${c.name}`, async () => {
      const stub = stubFetch(200, "{}");
      await client(v.api, stub.fetch).call(v.method, c.params).catch(() => {});
      assert.equal(stub.seen.length, 1);
      const [r] = stub.seen;
      const e = c.expect;
      assert.equal(r.method, e.http_method);
      assert.equal(r.url.pathname, e.path);
      for (const [name, value] of Object.entries(e.headers ?? {})) {
        assert.equal(r.headers.get(name), value, `header ${name}`);
      }
      assert.deepEqual(params(r.url.search), e.query ?? {});
      assert.deepEqual(params(r.body), e.body ?? {});
    });
  }

  for (const c of v.invalid) {
    test(`${v.method} invalid: ${c.name}`, async () => {
      const stub = stubFetch(200, "{}");
      const e = await client(v.api, stub.fetch).call(v.method, c.params).then(
        () => assert.fail("expected an error"),
        (e) => e,
      );
      assertError(e, c.error);
      assert.equal(stub.seen.length, 0, "nothing may be sent");
    });
  }

  for (const c of v.responses) {
    test(`${v.method} response: ${c.name}`, async () => {
      // The answer alone, through the reader every call uses (a call would also apply the
      // retry rules, which the scenario suite covers).
      let outcome;
      try {
        outcome = { result: client(v.api).parse(v.method, c.status, c.body) };
      } catch (error) {
        outcome = { error };
      }
      if ("result" in c) {
        assert.ok(outcome.result, `unexpected error: ${outcome.error}`);
        assert.deepEqual(outcome.result, c.result);
      } else {
        assert.ok(outcome.error, "expected an error");
        assertError(outcome.error, c.error);
      }
    });
  }
}
