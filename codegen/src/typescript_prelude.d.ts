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

/** How hard a call tries. Which failures are retried is decided by the core, not configurable. */
export interface RetryOptions {
  /** Requests sent for one call, lookups included; 1 disables retries. Default 4. */
  maxAttempts?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  jitterPercent?: number;
  /** The longest a whole call may take, retries included; 0 for none. Default 90 000. */
  deadlineMs?: number;
  connectTimeoutMs?: number;
  /** One request's limit. Default 30 000. */
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

export type FetchFunction = (request: Request) => Promise<Response>;

export interface ClientOptions {
  /** Another host, a proxy or a local emulator. */
  baseUrl?: string;
  /** Sends each request instead of the global `fetch` (proxies, tests, other runtimes). */
  fetch?: FetchFunction;
  retry?: RetryOptions;
  /** Seeds retry jitter (the clock by default). */
  seed?: number;
  onAttempt?: (record: AttemptRecord) => void;
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
 * Returns a Voximplant token minted by the app's backend. Asked before each call (cache it on
 * your side) and with `forceRefresh: true` when the server rejects a token as expired.
 */
export type TokenProvider = (ask: { forceRefresh: boolean }) => string | Promise<string>;

export interface VoximplantOptions extends ClientOptions {
  /**
   * Node: a path to `credentials.json` or its parsed contents (default: the path in
   * `VOXIMPLANT_CREDENTIALS`). Browsers refuse it unless
   * `dangerouslyAllowPrivateKeyInBrowser` is set.
   */
  credentials?: string | ServiceAccountCredentials;
  /** Tokens from your backend: the normal way in a browser. */
  tokenProvider?: TokenProvider;
  /** Ship a service-account private key to a browser anyway. Anyone using the page can read it. */
  dangerouslyAllowPrivateKeyInBrowser?: boolean;
}

export interface VoisoOptions extends ClientOptions {
  /** The contact center's API key. */
  apiKey: string;
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
