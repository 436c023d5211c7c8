// The Voximplant and Voiso clients. Every decision (settings and credentials, validation,
// retries, paging, parsing, signing) is the core's, in wasm; this module only shapes the API:
// grouped methods from the generated table, page-at-a-time pagers and async iterators over
// the core's pager, and error classes. Settings go to the core as given: it resolves them
// (explicit option, then the environment, then the default) and checks them.

import { RawClient } from "./roster.js";
import { METHODS } from "./methods.js";
import { configError, rethrow } from "./errors.js";
import { platform } from "./platform.js";

/** Options every client takes. */
const COMMON = ["baseUrl", "fetch", "retry", "seed", "onAttempt", "env", "readFile", "clock", "sleep"];
const OPTIONS = {
  Voximplant: [...COMMON, "credentials", "token", "tokenProvider", "dangerouslyAllowPrivateKeyInBrowser"],
  Voiso: [...COMMON, "apiKey"],
};
const CALL_OPTIONS = ["signal", "retry"];

/** A misspelt option would be ignored silently: refuse it instead. */
function checkKeys(options, known, what) {
  if (options === null || typeof options !== "object") {
    throw configError(`${what} must be an object`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw configError(`${what} has no option \`${key}\` (known: ${known.join(", ")})`);
    }
  }
}

/** `options.env` (an object of variables, `null` for none), else the platform's environment
 * (Node: `process.env`; browsers: none), as the lookup the core reads variables through. */
function envLookup(options) {
  const env = options.env !== undefined ? options.env : platform.env;
  if (env === null || env === undefined) return undefined;
  if (typeof env !== "object") {
    throw configError("env must be an object of environment variables, such as process.env, or null");
  }
  return (name) => {
    const value = Object.hasOwn(env, name) ? env[name] : undefined;
    if (value !== undefined && typeof value !== "string") {
      throw configError(`env.${name} must be a string`);
    }
    return value;
  };
}

/** What both clients hand the core besides their credentials. */
function common(options) {
  return {
    baseUrl: options.baseUrl,
    retry: options.retry,
    seed: options.seed,
    browser: platform.browser,
    fetch: options.fetch,
    onAttempt: options.onAttempt,
    clock: options.clock,
    sleep: options.sleep,
    env: envLookup(options),
    readFile: options.readFile !== undefined ? options.readFile : platform.readFile,
  };
}

/** `credentials` as the core takes them: a path or the JSON text, as text or bytes; a parsed
 * object becomes its JSON text. The core decides path or JSON, and never shows the value. */
function credentialsArg(given) {
  if (given === null || typeof given !== "object" || given instanceof Uint8Array || given instanceof ArrayBuffer) {
    return given;
  }
  try {
    return JSON.stringify(given);
  } catch {
    throw configError("the credentials object cannot be turned into JSON (the value is not shown)");
  }
}

/**
 * One listing, a page at a time, by the core's paging rules: each `next()` resolves to the
 * next batch of records not yielded before (never an empty batch: a page with nothing new is
 * skipped within the same `next()`), or `{ done: true }` once the listing is complete (and
 * again on every later call, sending nothing). A failed `next()` throws, and the pager keeps
 * its place: the following `next()` asks for the same page again, with the call's full
 * retries. Also an async iterator of batches (`for await (const batch of pages)`).
 */
class Pages {
  #raw;
  #signal;
  #done = false;

  constructor(raw, signal) {
    this.#raw = raw;
    this.#signal = signal;
  }

  async next() {
    if (this.#done) return { done: true, value: undefined };
    let items;
    try {
      items = await this.#raw.next(this.#signal);
    } catch (e) {
      rethrow(e);
    }
    if (items === undefined) {
      this.#finish();
      return { done: true, value: undefined };
    }
    return { done: false, value: items };
  }

  /** Ends the listing early and frees its memory (a `for await` loop's `break` calls it). */
  async return(value) {
    this.#finish();
    return { done: true, value };
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  #finish() {
    if (!this.#done) {
      this.#done = true;
      this.#raw.free();
    }
  }
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
    try {
      checkKeys(options, CALL_OPTIONS, "call options");
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#raw.call(name, params, options.signal, options.retry).catch(rethrow);
  }

  /** A list method by name, a page at a time (see `Pages`). */
  pages(name, params, options = {}) {
    checkKeys(options, CALL_OPTIONS, "call options");
    try {
      return new Pages(this.#raw.pager(name, params, options.retry), options.signal);
    } catch (e) {
      rethrow(e);
    }
  }

  /** Every item of a list method by name, fetched page by page as the loop consumes them. */
  async *iter(name, params, options = {}) {
    const pages = this.pages(name, params, options);
    try {
      for (;;) {
        const { done, value } = await pages.next();
        if (done) return;
        yield* value;
      }
    } finally {
      await pages.return();
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
      return this.#raw.dryRun(name, params);
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
    const raw = wrapped(() => {
      checkKeys(options, OPTIONS.Voximplant, "Voximplant options");
      if (platform.checkCredentials) platform.checkCredentials(options);
      return new RawClient("voximplant", {
        ...common(options),
        credentials: credentialsArg(options.credentials),
        token: options.token,
        tokenProvider: options.tokenProvider,
      });
    });
    super(raw, "voximplant");
  }
}

export class Voiso extends Client {
  constructor(options = {}) {
    const raw = wrapped(() => {
      checkKeys(options, OPTIONS.Voiso, "Voiso options");
      return new RawClient("voiso", { ...common(options), apiKey: options.apiKey });
    });
    super(raw, "voiso");
  }
}

export * from "./errors.js";
