// The Voximplant and Voiso clients. Every decision (validation, retries, paging, parsing,
// signing) is the core's, in wasm; this module only shapes the API: grouped methods from the
// generated table, async iterators over the core's pager, and error classes.

import { RawClient } from "./roster.js";
import { METHODS } from "./methods.js";
import { configError, rethrow } from "./errors.js";
import { platform } from "./platform.js";


/** `Date` parameters travel as ISO 8601 text, which the core reads as UTC. */
function plainParams(params) {
  if (params === undefined || params === null) return undefined;
  let out = params;
  for (const [key, value] of Object.entries(params)) {
    if (value instanceof Date) {
      if (out === params) out = { ...params };
      out[key] = value.toISOString();
    }
  }
  return out;
}

function settings(options) {
  const { baseUrl, retry, seed } = options;
  return { baseUrl, retry, seed, browser: platform.browser };
}

class Client {
  // A private field: never shown by console.log or util.inspect, never serialised.
  #raw;

  constructor(raw, api) {
    this.#raw = raw;
    for (const [group, methods] of Object.entries(METHODS[api])) {
      const view = {};
      for (const [jsName, [wireName, kind]] of Object.entries(methods)) {
        view[jsName] = kind === "iter"
          ? (params, options) => this.iter(wireName, params, options)
          : (params, options) => this.call(wireName, params, options);
      }
      Object.defineProperty(this, group, { value: Object.freeze(view), enumerable: true });
    }
  }

  call(name, params, options = {}) {
    return this.#raw.call(name, plainParams(params), options.signal, options.retry).catch(rethrow);
  }

  async *iter(name, params, options = {}) {
    let pager;
    try {
      pager = this.#raw.pager(name, plainParams(params), options.retry);
    } catch (e) {
      rethrow(e);
    }
    try {
      for (;;) {
        const items = await pager.next(options.signal).catch(rethrow);
        if (items === undefined) return;
        yield* items;
      }
    } finally {
      pager.free();
    }
  }

  /** Reads an answer fetched some other way (`body`: text or bytes). */
  parse(name, status, body) {
    const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
    try {
      return this.#raw.parse(name, status, bytes);
    } catch (e) {
      rethrow(e);
    }
  }

  dryRun(name, params) {
    try {
      return this.#raw.dryRun(name, plainParams(params));
    } catch (e) {
      rethrow(e);
    }
  }
}

function wrapped(make) {
  try {
    return make();
  } catch (e) {
    rethrow(e);
  }
}

export class Voximplant extends Client {
  constructor(options = {}) {
    const { fetch, onAttempt, tokenProvider } = options;
    const raw = wrapped(() => {
      if (tokenProvider) {
        if (typeof tokenProvider !== "function") throw configError("tokenProvider must be a function");
        return RawClient.voximplantToken(tokenProvider, settings(options), fetch, onAttempt);
      }
      const credentials = platform.credentials(options);
      return RawClient.voximplantServiceAccount(credentials, settings(options), fetch, onAttempt);
    });
    super(raw, "voximplant");
  }
}

export class Voiso extends Client {
  constructor(options = {}) {
    const { apiKey, fetch, onAttempt } = options;
    const raw = wrapped(() => {
      if (typeof apiKey !== "string" || apiKey === "") throw configError("Voiso needs an apiKey");
      return RawClient.voiso(apiKey, settings(options), fetch, onAttempt);
    });
    super(raw, "voiso");
  }
}

export * from "./errors.js";
