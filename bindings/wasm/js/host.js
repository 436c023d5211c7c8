// What the Rust driver borrows from the JavaScript host: timers, abort signals, and reading a
// failed fetch. wasm-bindgen copies this file into the package next to the glue.

/** A signal that fires when the caller aborts or when `ms` have passed. */
export function timeoutSignal(ms) {
  return AbortSignal.timeout(ms);
}

export function anySignal(a, b) {
  return AbortSignal.any([a, b]);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      if (signal) signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    if (signal) signal.addEventListener("abort", onAbort, { once: true });
  });
}

// Node's fetch (undici) names the system error in `cause.code`. These prove that nothing left
// the machine: no address, no connection, or a TLS handshake that failed before any request.
const NOT_SENT = new Set([
  "ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ENETUNREACH", "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "CERT_HAS_EXPIRED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** The kinds a failure may name itself with `transportKind`. */
const KINDS = new Set(["not_sent", "timed_out", "interrupted"]);

/**
 * `[kind, message]` of a failed fetch. A caller's fetch may name the kind itself: an error
 * with `transportKind` "not_sent", "timed_out" or "interrupted" (its `message` is the
 * failure's message). Otherwise Node's `cause.code` proves nothing was sent, or the kind is
 * left "interrupted" (the driver makes it "timed_out" when the attempt's timeout fired). A
 * browser's bare "Failed to fetch" does not say whether the request went out, so it counts as
 * interrupted: the call machine then never resends a write blindly.
 */
export function classifyFailure(error) {
  const named = error !== null && typeof error === "object" ? error.transportKind : undefined;
  if (typeof named === "string" && KINDS.has(named)) {
    return [named, String(error.message ?? "")];
  }
  const code = error && error.cause && error.cause.code;
  const kind = code && NOT_SENT.has(code) ? "not_sent" : "interrupted";
  const text = String((error && error.message) || error);
  return [kind, code ? `${text} (${code})` : text];
}
