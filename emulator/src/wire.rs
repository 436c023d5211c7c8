//! Request parsing for the Voximplant side: every form the real server accepts
//! (`shared/wire-facts.md` §1) turned into one flat map of parameters.
//!
//! - the method from the path (`/platform_api/AddUser`, trailing slash allowed) or from a `cmd`
//!   parameter (`POST /platform_api`, as the vendor Python and Node clients send it);
//! - parameters from the query string and from the body, urlencoded or multipart (hyper has
//!   already undone `Transfer-Encoding: chunked`, so the Node client's streamed multipart body
//!   arrives whole);
//! - a key given several times (`skill_id=1&skill_id=5`) becomes one `;`-joined list.
//!
//! These are plain functions over bytes so the no-panic property test can drive them directly.

use std::collections::BTreeMap;

use bytes::Bytes;

use crate::error::{codes, VoxError};

/// The path every Voximplant method lives under.
pub const PLATFORM_PREFIX: &str = "/platform_api";

/// A parsed Voximplant request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WireRequest {
    /// The method named by the path, else by `cmd`.
    pub command: Option<String>,
    /// Every parameter (including `cmd`, `account_id`, `api_key`), repeated keys `;`-joined.
    pub params: BTreeMap<String, String>,
}

/// The method named by a path under [`PLATFORM_PREFIX`], if any.
pub fn path_command(path: &str) -> Option<&str> {
    let rest = path.strip_prefix(PLATFORM_PREFIX)?;
    let name = rest.trim_matches('/');
    (!name.is_empty() && !name.contains('/')).then_some(name)
}

/// Parses a Voximplant request from its parts. Never panics, whatever the bytes.
pub async fn parse_request(
    path: &str,
    query: Option<&str>,
    content_type: Option<&str>,
    body: Bytes,
) -> Result<WireRequest, VoxError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let Some(q) = query {
        pairs.extend(urlencoded(q.as_bytes()));
    }
    pairs.extend(body_pairs(content_type, body).await?);
    let params = merge(pairs);
    let command = path_command(path)
        .map(str::to_owned)
        .or_else(|| params.get("cmd").cloned());
    Ok(WireRequest { command, params })
}

/// The parameters of a body by its content type. A body without a content type is read as
/// urlencoded (curl's `-d` forgets nothing, but hand-written clients do).
async fn body_pairs(
    content_type: Option<&str>,
    body: Bytes,
) -> Result<Vec<(String, String)>, VoxError> {
    if body.is_empty() {
        return Ok(Vec::new());
    }
    let mime = content_type
        .and_then(|ct| ct.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase());
    match mime.as_deref() {
        None | Some("application/x-www-form-urlencoded") => Ok(urlencoded(&body)),
        Some("multipart/form-data") => multipart(content_type.unwrap_or_default(), body).await,
        // Clients that send parameters in the query often add an empty-ish body of some type.
        Some("text/plain") => Ok(Vec::new()),
        Some(other) => Err(VoxError::new(
            codes::INVALID_ARGUMENTS,
            format!(
                "unsupported content type {:?}; send parameters urlencoded, as multipart/form-data or in the query",
                other.chars().take(60).collect::<String>()
            ),
        )),
    }
}

fn urlencoded(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

async fn multipart(content_type: &str, body: Bytes) -> Result<Vec<(String, String)>, VoxError> {
    let bad = |what: String| {
        VoxError::new(
            codes::INVALID_ARGUMENTS,
            format!("malformed multipart body: {what}"),
        )
    };
    let boundary = multer::parse_boundary(content_type).map_err(|e| bad(e.to_string()))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
    let mut form = multer::Multipart::new(stream, boundary);
    let mut pairs = Vec::new();
    while let Some(field) = form.next_field().await.map_err(|e| bad(e.to_string()))? {
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        let bytes = field.bytes().await.map_err(|e| bad(e.to_string()))?;
        pairs.push((name, String::from_utf8_lossy(&bytes).into_owned()));
    }
    Ok(pairs)
}

/// One value per key: repeated keys are joined with `;`, the list separator.
fn merge(pairs: Vec<(String, String)>) -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in pairs {
        match map.get_mut(&k) {
            Some(existing) => {
                existing.push(';');
                existing.push_str(&v);
            }
            None => {
                map.insert(k, v);
            }
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(f)
    }

    #[test]
    fn path_and_cmd() {
        assert_eq!(path_command("/platform_api/AddUser/"), Some("AddUser"));
        assert_eq!(path_command("/platform_api/"), None);
        let r = run(parse_request(
            "/platform_api",
            None,
            Some("application/x-www-form-urlencoded"),
            Bytes::from_static(b"cmd=GetUsers&with_skills=True&skill_id=1&skill_id=5"),
        ))
        .expect("parsed");
        assert_eq!(r.command.as_deref(), Some("GetUsers"));
        assert_eq!(r.params["skill_id"], "1;5");
        assert_eq!(r.params["with_skills"], "True");
    }

    #[test]
    fn multipart_with_cmd_part() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"cmd\"\r\n\r\nAddSkill\r\n--XyZ\r\nContent-Disposition: form-data; name=\"skill_name\"\r\n\r\nFrench\r\n--XyZ--\r\n";
        let r = run(parse_request(
            "/platform_api",
            Some("count=3"),
            Some("multipart/form-data; boundary=XyZ"),
            Bytes::from(body),
        ))
        .expect("parsed");
        assert_eq!(r.command.as_deref(), Some("AddSkill"));
        assert_eq!(r.params["skill_name"], "French");
        assert_eq!(r.params["count"], "3");
    }
}
