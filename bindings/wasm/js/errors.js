// Error classes built from the core's error record (`ErrorDetails`), one per stable code.
// Messages come from the core, which never puts a secret in them.

export class RosterError extends Error {
  constructor(details) {
    super(details.message);
    this.name = new.target.name;
    this.code = details.code;
  }
}

export class ValidationError extends RosterError {
  constructor(d) {
    super(d);
    this.parameter = d.parameter;
    this.rule = d.rule;
  }
}

export class ApiError extends RosterError {
  constructor(d) {
    super(d);
    this.apiCode = d.api_code;
    this.apiKind = d.api_kind;
    this.msg = d.msg;
    if (d.field_name !== undefined) this.fieldName = d.field_name;
    if (d.http_status !== undefined) this.httpStatus = d.http_status;
    /** Every entry of the answer's errors, in the server's order: `{ code, msg, fieldName? }`
     * (one entry for a single error, several for a multi-error answer). */
    this.errors = (d.errors ?? []).map((e) =>
      e.field_name === undefined ? { code: e.code, msg: e.msg } : { code: e.code, msg: e.msg, fieldName: e.field_name });
  }
}

export class HttpStatusError extends RosterError {
  constructor(d) {
    super(d);
    this.httpStatus = d.http_status;
  }
}

export class DecodeError extends RosterError {}
export class AuthError extends RosterError {}
export class ConfigError extends RosterError {}

export class TransportError extends RosterError {
  constructor(d) {
    super(d);
    this.transportKind = d.transport_kind;
  }
}

export class OutcomeUnknownError extends RosterError {
  constructor(d) {
    super(d);
    this.method = d.method;
    this.request = d.request;
    if (d.cause !== undefined) this.causeCode = d.cause;
  }
}

export class UnknownMethodError extends RosterError {}

const BY_CODE = {
  validation: ValidationError,
  api: ApiError,
  http_status: HttpStatusError,
  decode: DecodeError,
  auth: AuthError,
  config: ConfigError,
  transport: TransportError,
  outcome_unknown: OutcomeUnknownError,
  unknown_method: UnknownMethodError,
};

/** The core's error record as its class; anything else (an abort, a throw from the caller's
 * own fetch or token provider) passes through unchanged. */
export function toError(thrown) {
  if (thrown && !(thrown instanceof Error) && typeof thrown.code === "string" && typeof thrown.message === "string") {
    return new (BY_CODE[thrown.code] || RosterError)(thrown);
  }
  return thrown;
}

/** Throws the error a rejected core promise carries, as its class. */
export function rethrow(thrown) {
  throw toError(thrown);
}

/** A configuration mistake found on the JS side, e.g. a refused browser credential. */
export function configError(message) {
  return new ConfigError({ code: "config", message: `invalid configuration: ${message}` });
}
