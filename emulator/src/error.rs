//! An error answer of the Voximplant side: a code from the wire-facts table, a message and
//! optionally the parameter at fault. Everything that refuses a request (validation, auth,
//! state lookups, faults) produces one of these, so there is one envelope writer.

use serde::Serialize;

/// A Voximplant error, answered as `{"error":{...},"errors":[{...}]}` with HTTP 200.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoxError {
    pub code: i64,
    pub msg: String,
    pub field_name: Option<String>,
}

impl VoxError {
    pub fn new(code: i64, msg: impl Into<String>) -> Self {
        Self {
            code,
            msg: msg.into(),
            field_name: None,
        }
    }

    #[must_use]
    pub fn field(mut self, name: impl Into<String>) -> Self {
        self.field_name = Some(name.into());
        self
    }

    /// The JSON envelope the real server sends.
    pub fn to_body(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct Entry<'a> {
            code: i64,
            msg: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            field_name: Option<&'a str>,
        }
        #[derive(Serialize)]
        struct Envelope<'a> {
            error: Entry<'a>,
            errors: [Entry<'a>; 1],
        }
        let entry = || Entry {
            code: self.code,
            msg: &self.msg,
            field_name: self.field_name.as_deref(),
        };
        serde_json::to_vec(&Envelope {
            error: entry(),
            errors: [entry()],
        })
        .unwrap_or_else(|_| br#"{"error":{"code":101,"msg":"internal error"}}"#.to_vec())
    }
}

/// Not-found and conflict errors used by several method groups.
pub mod codes {
    pub const AUTH_FAILED: i64 = 100;
    pub const INVALID_ARGUMENTS: i64 = 101;
    pub const MISSING_CMD: i64 = 102;
    pub const UNKNOWN_COMMAND: i64 = 103;
    pub const FORBIDDEN: i64 = 104;
    pub const USER_LIMIT: i64 = 109;
    pub const BAD_APPLICATION: i64 = 116;
    pub const BAD_USER: i64 = 117;
    pub const USER_NAME_TAKEN: i64 = 118;
    pub const BAD_AMOUNT: i64 = 125;
    pub const NOT_ENOUGH_MONEY: i64 = 127;
    pub const TRY_LATER: i64 = 162;
    pub const BAD_QUEUE: i64 = 218;
    pub const QUEUE_NAME_TAKEN: i64 = 219;
    pub const SKILL_NAME_TAKEN: i64 = 221;
    pub const BAD_SKILL: i64 = 222;
    pub const RATE_LIMITED: i64 = 340;
    pub const NOT_FOUND: i64 = 341;
    pub const NOT_IN_APPLICATION: i64 = 393;
    pub const BAD_KEY_ID: i64 = 433;
    pub const BAD_TOKEN: i64 = 447;
    pub const TOKEN_TOO_LONG: i64 = 454;
    pub const TOKEN_FROM_FUTURE: i64 = 455;
    pub const TOKEN_EXPIRED: i64 = 456;
    pub const INVALID_PARAMETER: i64 = 496;
}
