// Shared by the scenario tests: the emulator that scripts/test-js.sh started (its base URL and
// files arrive in the environment), its admin endpoints, and a token minter standing in for
// an app's backend.

import { createSign } from "node:crypto";
import { readFileSync } from "node:fs";

export const BASE_URL = process.env.ROSTER_EMULATOR_URL;
export const CREDENTIALS_PATH = process.env.ROSTER_EMULATOR_CREDENTIALS;
export const VOISO_KEY = process.env.ROSTER_EMULATOR_VOISO_KEY
  ? readFileSync(process.env.ROSTER_EMULATOR_VOISO_KEY, "utf8").trim()
  : undefined;
export const skip = BASE_URL ? false : "no emulator (run scripts/test-js.sh)";

export async function admin(path, body, method = body === undefined ? "GET" : "POST") {
  const response = await fetch(`${BASE_URL}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} /_emulator/${path}: HTTP ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** A clean state, no faults, an empty request log. */
export async function fresh() {
  await admin("faults", { spec: "" });
  await admin("reset", {});
  await admin("requests", undefined, "DELETE");
}

/** The requests the emulator saw for one method. */
export async function requestsOf(method) {
  const log = await admin("requests");
  const entries = Array.isArray(log) ? log : log.requests ?? [];
  return entries.filter((r) => r.method === method);
}

const b64url = (x) => Buffer.from(typeof x === "string" ? x : JSON.stringify(x)).toString("base64url");

/** An RS256 token for the account, as an app's backend would mint it. */
export function mintToken({ lifetime = 600, issuedAgo = 10 } = {}) {
  const c = JSON.parse(readFileSync(CREDENTIALS_PATH, "utf8"));
  const iat = Math.floor(Date.now() / 1000) - issuedAgo;
  const head = b64url({ alg: "RS256", typ: "JWT", kid: c.key_id });
  const claims = b64url({ iss: c.account_id, iat, exp: iat + lifetime });
  const signature = createSign("RSA-SHA256").update(`${head}.${claims}`).sign(c.private_key, "base64url");
  return `${head}.${claims}.${signature}`;
}
