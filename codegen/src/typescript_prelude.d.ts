/** Money and other exact decimals, as decimal text (`"15.75"`): never a binary float. */
export type Decimal = string;
/** A date, `YYYY-MM-DD`. */
export type IsoDate = string;
/**
 * A point in time. Results carry ISO 8601 UTC text (`"2024-04-20T09:15:42Z"`; `new Date(s)`
 * reads it); parameters take that, `YYYY-MM-DD HH:MM:SS` (UTC), or a `Date`.
 */
export type IsoDateTime = string;

/** One page of a list method. */
export interface Page<T> {
  items: T[];
  /** Records matching the filters, over all pages. */
  total_count?: number;
  /** Records on this page. */
  count?: number;
  [extra: string]: unknown;
}

/**
 * How hard a call tries: the core's retry overrides, camelCase. Every field is optional (left
 * out: the core's default) and must be a whole number from 0 up; a value the core refuses
 * (`maxAttempts: 0`, `jitterPercent` over 100, a zero timeout) is a `ConfigError` naming the
 * field, never clamped. Which failures are retried is decided by the core, not configurable.
 */
export interface RetryOptions {
  /** Requests sent for one call, lookups included, at least 1; 1 disables retries. Default 4. */
  maxAttempts?: number;
  /** The first backoff; each further retry doubles it. Default 200. */
  baseBackoffMs?: number;
  /** No backoff is longer (a delay the server asks for is honoured as asked). Default 10 000. */
  maxBackoffMs?: number;
  /** The randomised share of each backoff, 0 to 100. Default 50. */
  jitterPercent?: number;
  /** The longest a whole call may take, retries included; 0 for none. Default 90 000. */
  deadlineMs?: number;
  /** The longest connecting may take, at least 1 (handed to a custom fetch). Default 10 000. */
  connectTimeoutMs?: number;
  /** One request's limit, at least 1. Default 30 000. */
  attemptTimeoutMs?: number;
}

/** A redacted record of one attempt, for logging. Holds no secret. */
export interface AttemptRecord {
  method: string;
  number: number;
  purpose: "call" | "lookup";
  /** Method and URL. */
  request: string;
  /** `HTTP 200`, or the transport failure. */
  outcome: string;
  /** The whole record as one line. */
  text: string;
}

/** The limits of one attempt, handed to a custom fetch as its second argument. */
export interface AttemptLimits {
  /** The whole exchange's limit, in milliseconds (the request's signal fires after it). */
  timeoutMs: number;
  connectTimeoutMs: number;
}

/**
 * Sends one request. To say what kind of failure a rejection is, reject with an error whose
 * `transportKind` is `"not_sent"` (nothing left the machine: any method may be resent),
 * `"timed_out"` or `"interrupted"`; its `message` becomes the failure's message. Without it,
 * Node's `cause.code` (ECONNREFUSED, ENOTFOUND, ...) proves `not_sent`, a fired timeout is
 * `timed_out`, anything else `interrupted`.
 */
export type FetchFunction = (request: Request, limits?: AttemptLimits) => Promise<Response>;

export interface ClientOptions {
  /**
   * Another host, a proxy or a local emulator; may carry a port and a path prefix. Default:
   * `VOXIMPLANT_BASE_URL` / `VOISO_BASE_URL`, then the API's public URL. A URL carrying a user
   * or password is refused, without showing them.
   */
  baseUrl?: string;
  /** Sends each request instead of the global `fetch` (proxies, tests, other runtimes). */
  fetch?: FetchFunction;
  retry?: RetryOptions;
  /** Seeds retry jitter, a whole number (the clock by default). */
  seed?: number;
  onAttempt?: (record: AttemptRecord) => void;
  /**
   * The environment variables settings are read from. Node: `process.env` by default;
   * browsers: none. `null` or `{}` reads none.
   */
  env?: Record<string, string | undefined> | null;
  /**
   * Reads a credentials file: its bytes or text; throws when it cannot (only Node's error
   * `code`, such as `ENOENT`, is shown). Node: `fs.readFileSync` by default; browsers: none.
   */
  readFile?: ((path: string) => Uint8Array | string) | null;
  /** Test hook: the time in milliseconds since the Unix epoch (default `Date.now`). It dates tokens and measures deadlines. */
  clock?: () => number;
  /** Test hook: waits `ms` between retries (default a timer); reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void> | void;
}

/** The contents of a service account's `credentials.json`. */
export interface ServiceAccountCredentials {
  account_id: number;
  key_id: string;
  private_key: string;
  account_email?: string;
  [extra: string]: unknown;
}

/**
 * Returns a Voximplant token minted by the app's backend. Asked before the first request; the
 * core keeps the token (trimmed; an expired JWT refused) until the server refuses it (455,
 * 456) or its `exp` passes, then asks again with `forceRefresh: true`: do not hand back a
 * cached token then. A provider that throws ends the call with its error.
 */
export type TokenProvider = (ask: { forceRefresh: boolean }) => string | Promise<string>;

export interface VoximplantOptions extends ClientOptions {
  /**
   * A service account's `credentials.json`: its path, its JSON text (text or bytes) or its
   * parsed contents. Default: `VOXIMPLANT_CREDENTIALS` (a path, or the JSON itself). The core
   * tells a path from JSON and never shows the value in an error. Browsers refuse it unless
   * `dangerouslyAllowPrivateKeyInBrowser` is set.
   */
  credentials?: string | Uint8Array | ArrayBuffer | ServiceAccountCredentials;
  /** A ready-made token (minted elsewhere), sent as is; surrounding whitespace is trimmed. */
  token?: string | Uint8Array;
  /** Tokens from your backend: the normal way in a browser. */
  tokenProvider?: TokenProvider;
  /** Ship a service-account private key to a browser anyway. Anyone using the page can read it. */
  dangerouslyAllowPrivateKeyInBrowser?: boolean;
}

export interface VoisoOptions extends ClientOptions {
  /**
   * The contact center's API key (default: `VOISO_API_KEY`). Surrounding whitespace (a file
   * read whole ends in a newline) is trimmed; anything else a header cannot carry is refused.
   */
  apiKey?: string | Uint8Array;
}

/**
 * A listing a page at a time, by the core's paging rules: each `next()` gives the next batch
 * of records not yielded before (never an empty one), then `done` (again on every later call,
 * sending nothing). A failed `next()` throws and keeps the place: the following `next()` asks
 * for the same page again. `return()` ends it early.
 */
export interface Pages<T> extends AsyncIterableIterator<T[]> {
  next(): Promise<IteratorResult<T[], undefined>>;
  return(): Promise<IteratorResult<T[], undefined>>;
}

export interface CallOptions {
  /** Aborts the call, its retries and its sleeps. An aborted write may have been applied. */
  signal?: AbortSignal;
  /** Overrides of the client's retry settings for this call. */
  retry?: RetryOptions;
}

export type ErrorCode =
  | "validation" | "api" | "http_status" | "decode" | "auth" | "config" | "transport"
  | "outcome_unknown" | "unknown_method";

/** Every error Roster raises; `code` is shared with every other binding. */
export declare class RosterError extends Error {
  readonly code: ErrorCode;
}
/** A parameter broke a rule of the spec; nothing was sent. */
export declare class ValidationError extends RosterError {
  readonly code: "validation";
  /** The wire (snake_case) name; groups join their names with `/`. */
  readonly parameter: string;
  readonly rule: string;
}
/** The API answered with an error. */
export declare class ApiError extends RosterError {
  readonly code: "api";
  readonly apiCode: number;
  readonly apiKind: "auth" | "forbidden" | "not_found" | "conflict" | "rate_limited" | "unavailable"
    | "invalid_argument" | "insufficient_funds" | "limit_exceeded" | "unknown_method" | "other";
  readonly msg: string;
  readonly fieldName?: string;
  readonly httpStatus?: number;
  /** Every entry of the answer's errors, in the server's order (several for a multi-error answer). */
  readonly errors: readonly ApiErrorEntry[];
}
/** One problem of an API error answer. */
export interface ApiErrorEntry {
  readonly code: number;
  readonly msg: string;
  readonly fieldName?: string;
}
/** A non-success HTTP status without an API error in the body. */
export declare class HttpStatusError extends RosterError {
  readonly code: "http_status";
  readonly httpStatus: number;
}
/** The answer could not be read. */
export declare class DecodeError extends RosterError { readonly code: "decode"; }
/** Credentials could not be used. */
export declare class AuthError extends RosterError { readonly code: "auth"; }
/** The client is set up wrongly. */
export declare class ConfigError extends RosterError { readonly code: "config"; }
/** The exchange failed and retries did not help. */
export declare class TransportError extends RosterError {
  readonly code: "transport";
  readonly transportKind: "not_sent" | "timed_out" | "interrupted";
}
/** A write may or may not have been applied; check before trying again. */
export declare class OutcomeUnknownError extends RosterError {
  readonly code: "outcome_unknown";
  readonly method: string;
  /** The request as sent, secrets redacted. */
  readonly request: string;
  /** The code of the failure that lost the answer. */
  readonly causeCode?: ErrorCode;
}
/** A call by name named no method of this API. */
export declare class UnknownMethodError extends RosterError { readonly code: "unknown_method"; }
