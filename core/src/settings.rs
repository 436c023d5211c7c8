//! Client settings: what the caller gave, then the environment, then the defaults.
//!
//! Every binding makes its clients through this one resolver, so the same variable means the
//! same thing everywhere and a credential is checked by one rule whatever language it came
//! from. The core does no I/O: the host lends it an environment lookup and a file reader
//! ([`Host`]), which tests replace with maps.
//!
//! | setting | explicit | variable | default |
//! |---|---|---|---|
//! | Voximplant credentials | `credentials` (a path, or the JSON itself), `token`, or a token provider | [`CREDENTIALS_ENV`] (a path, or the JSON itself) | none: an error |
//! | Voximplant base URL | `base_url` | [`VOXIMPLANT_BASE_URL_ENV`] | `https://api.voximplant.com` |
//! | Voiso API key | `api_key` | [`VOISO_API_KEY_ENV`] | none: an error |
//! | Voiso base URL | `base_url` | [`VOISO_BASE_URL_ENV`] | `https://cluster1.voiso.com` |
//!
//! An explicit value always wins, even when the variable is set; a variable set to blank text
//! counts as unset. A credential is never echoed in an error, whatever form it came in: text
//! where a path was expected, bytes, a byte-order mark, a trailing newline. Keys and tokens
//! lose the whitespace around them (a file read whole ends in a newline) and are refused if
//! anything else in them could not go in an HTTP header.

use crate::auth::{Credentials, HostSigner, ServiceAccount, TokenSettings, VoximplantAuth};
use crate::base_url::BaseUrl;
use crate::error::Error;
use crate::secret::Secret;
pub use crate::secret::{secret_text, Source};

/// The variable naming Voximplant credentials: the path of `credentials.json`, or its text.
pub const CREDENTIALS_ENV: &str = "VOXIMPLANT_CREDENTIALS";
/// The variable holding the Voximplant base URL.
pub const VOXIMPLANT_BASE_URL_ENV: &str = "VOXIMPLANT_BASE_URL";
/// The variable holding the Voiso API key.
pub const VOISO_API_KEY_ENV: &str = "VOISO_API_KEY";
/// The variable holding the Voiso base URL.
pub const VOISO_BASE_URL_ENV: &str = "VOISO_BASE_URL";

/// The longest text taken for a path: anything longer is a value given in the wrong place.
const MAX_PATH_LEN: usize = 4096;

/// What the host lends the resolver.
pub trait Host {
    /// The value of an environment variable, `None` when it is unset.
    fn env(&self, name: &str) -> Option<String>;

    /// The bytes of a file, or the operating system's reason it cannot be read (the reason is
    /// shown to the user, so it must not quote the file).
    fn read_file(&self, path: &str) -> Result<Vec<u8>, String>;
}

/// A host with no environment and no files: only explicit settings count.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoHost;

impl Host for NoHost {
    fn env(&self, _name: &str) -> Option<String> {
        None
    }

    fn read_file(&self, _path: &str) -> Result<Vec<u8>, String> {
        Err("this host has no file system".to_owned())
    }
}

/// The process's own environment and files: the [`Host`] of native bindings whose host
/// language has nothing better to lend (Rust, and Swift through uniffi). File errors name the
/// error kind, never the file's contents.
#[cfg(feature = "process-host")]
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessHost;

#[cfg(feature = "process-host")]
impl Host for ProcessHost {
    fn env(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }

    fn read_file(&self, path: &str) -> Result<Vec<u8>, String> {
        std::fs::read(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => "No such file or directory".to_owned(),
            std::io::ErrorKind::PermissionDenied => "Permission denied".to_owned(),
            _ => e.to_string(),
        })
    }
}

/// What a caller may give a Voximplant client. At most one of `credentials`, `token`,
/// `token_provider` and `auth`; with none, [`CREDENTIALS_ENV`] is read.
#[derive(Debug, Default)]
pub struct VoximplantOptions {
    /// Authorisation the caller made itself (typed credentials, the deprecated API key).
    pub auth: Option<VoximplantAuth>,
    /// How service-account tokens are made (lifetime, back-dating, refresh margin).
    pub token_settings: TokenSettings,
    /// Acts for a child account: its id becomes the tokens' `iss`.
    pub issuer: Option<i64>,
    /// A `credentials.json`: its path or its text, as text or bytes.
    pub credentials: Option<Secret<Vec<u8>>>,
    /// A token minted elsewhere, sent as is.
    pub token: Option<Secret<Vec<u8>>>,
    /// The host asks a callback for tokens (see [`crate::call::TokenRequest`]).
    pub token_provider: bool,
    /// The host signs tokens itself (WebCrypto): credentials make a [`HostSigner`] instead of
    /// a [`ServiceAccount`], and their key is handed to the host
    /// ([`VoximplantSettings::host_key`]).
    pub host_signs: bool,
    /// Another host, a proxy or the emulator; may carry a port and a path prefix.
    pub base_url: Option<String>,
}

/// What a caller may give a Voiso client; with no `api_key`, [`VOISO_API_KEY_ENV`] is read.
#[derive(Debug, Clone, Default)]
pub struct VoisoOptions {
    /// The contact center's API key, as text or bytes.
    pub api_key: Option<Secret<Vec<u8>>>,
    /// The cluster's base URL; may carry a path prefix such as `/api`.
    pub base_url: Option<String>,
}

/// A resolved Voximplant client configuration.
#[derive(Debug)]
pub struct VoximplantSettings {
    /// How requests are authorised.
    pub auth: VoximplantAuth,
    /// Where they go.
    pub base_url: BaseUrl,
    /// With [`VoximplantOptions::host_signs`]: the service account's private key (PEM,
    /// PKCS#8), for the host to import into its own crypto once.
    pub host_key: Option<Secret<String>>,
}

/// A resolved Voiso client configuration.
#[derive(Debug)]
pub struct VoisoSettings {
    /// The API key, trimmed and checked.
    pub api_key: Secret<String>,
    /// Where requests go.
    pub base_url: BaseUrl,
}

/// Resolves a Voximplant client's settings.
pub fn resolve_voximplant(
    options: VoximplantOptions,
    host: &dyn Host,
) -> Result<VoximplantSettings, Error> {
    let given = [
        options.credentials.is_some(),
        options.token.is_some(),
        options.token_provider,
        options.auth.is_some(),
    ];
    if given.iter().filter(|g| **g).count() > 1 {
        return Err(Error::Config(
            "give one of credentials, token and token provider, not several".to_owned(),
        ));
    }
    let signing = (options.token_settings, options.issuer, options.host_signs);
    let (auth, host_key) = if let Some(auth) = options.auth {
        (auth, None)
    } else if let Some(token) = options.token {
        let token = secret_text("the token", &Source::Argument("token"), token.expose())?;
        (VoximplantAuth::Token(token), None)
    } else if options.token_provider {
        let provided = crate::auth::ProvidedToken::default();
        (VoximplantAuth::Provider(provided), None)
    } else if let Some(credentials) = options.credentials {
        let source = Source::Argument("credentials");
        service_account(credentials.expose(), source, host, signing)?
    } else if let Some(value) = env(host, CREDENTIALS_ENV) {
        let source = Source::Variable(CREDENTIALS_ENV);
        service_account(value.as_bytes(), source, host, signing)?
    } else {
        return Err(Error::Config(format!(
            "no Voximplant credentials: pass credentials (the path of credentials.json or its \
             text), a token or a token provider, or set {CREDENTIALS_ENV}"
        )));
    };
    let base_url = base_url(
        options.base_url,
        host,
        VOXIMPLANT_BASE_URL_ENV,
        crate::api::voximplant::DEFAULT_BASE_URL,
    )?;
    Ok(VoximplantSettings {
        auth,
        base_url,
        host_key,
    })
}

/// Resolves a Voiso client's settings.
pub fn resolve_voiso(options: VoisoOptions, host: &dyn Host) -> Result<VoisoSettings, Error> {
    let api_key = match options.api_key {
        Some(key) => secret_text(
            "the Voiso API key",
            &Source::Argument("api_key"),
            key.expose(),
        )?,
        None => match env(host, VOISO_API_KEY_ENV) {
            Some(key) => secret_text(
                "the Voiso API key",
                &Source::Variable(VOISO_API_KEY_ENV),
                key.as_bytes(),
            )?,
            None => {
                return Err(Error::Config(format!(
                    "no Voiso API key: pass api_key or set {VOISO_API_KEY_ENV}"
                )))
            }
        },
    };
    let base_url = base_url(
        options.base_url,
        host,
        VOISO_BASE_URL_ENV,
        crate::api::voiso::DEFAULT_BASE_URL,
    )?;
    Ok(VoisoSettings { api_key, base_url })
}

/// A variable's value; blank counts as unset.
fn env(host: &dyn Host, name: &str) -> Option<String> {
    host.env(name).filter(|v| !v.trim().is_empty())
}

fn base_url(
    explicit: Option<String>,
    host: &dyn Host,
    variable: &'static str,
    default: &str,
) -> Result<BaseUrl, Error> {
    let (text, source) = match explicit {
        Some(text) => (text, Source::Argument("base_url")),
        None => match env(host, variable) {
            Some(text) => (text, Source::Variable(variable)),
            None => return BaseUrl::parse(default),
        },
    };
    BaseUrl::parse(&text).map_err(|e| match e {
        Error::Config(why) => Error::Config(format!("{why} (from {source})")),
        other => other,
    })
}

/// Reads credentials given as a path or as JSON text, from `source`.
fn service_account(
    raw: &[u8],
    source: Source,
    host: &dyn Host,
    (token_settings, issuer, host_signs): (TokenSettings, Option<i64>, bool),
) -> Result<(VoximplantAuth, Option<Secret<String>>), Error> {
    let text = clean_text(raw).map_err(|why| config(&source, "Voximplant credentials", why))?;
    let (json, source) = if text.starts_with('{') {
        (text.to_owned(), source)
    } else if is_path(text) {
        let path = shown_path(text);
        let bytes = host.read_file(text).map_err(|reason| {
            Error::Config(format!(
                "cannot read the Voximplant credentials file {path} (named by {source}): {reason}"
            ))
        })?;
        let file = Source::File {
            named_by: Box::new(source),
            path,
        };
        let json = clean_text(&bytes)
            .map_err(|why| config(&file, "Voximplant credentials", why))?
            .to_owned();
        (json, file)
    } else {
        return Err(config(
            &source,
            "Voximplant credentials",
            "are neither the JSON of a credentials file nor a path to one".to_owned(),
        ));
    };
    // Errors of the credentials and of their key name where they came from.
    let named = |e: Error| match e {
        Error::Auth(why) | Error::Config(why) => Error::Config(format!("{why} (from {source})")),
        other => other,
    };
    let credentials = Credentials::from_json(&json).map_err(named)?;
    if host_signs {
        let issuer = issuer.unwrap_or(credentials.account_id);
        let signer = HostSigner::new(&credentials.key_id, issuer, token_settings).map_err(named)?;
        let key = credentials.private_key;
        return Ok((VoximplantAuth::HostSigned(Box::new(signer)), Some(key)));
    }
    let account = ServiceAccount::new(&credentials, token_settings, issuer).map_err(named)?;
    Ok((VoximplantAuth::ServiceAccount(Box::new(account)), None))
}

fn config(source: &Source, what: &str, why: String) -> Error {
    Error::Config(format!(
        "the {what} from {source} {why} (the value is not shown)"
    ))
}

/// UTF-8 text without a byte-order mark or surrounding whitespace.
fn clean_text(raw: &[u8]) -> Result<&str, String> {
    let text = std::str::from_utf8(raw).map_err(|_| "are not UTF-8 text".to_owned())?;
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err("are empty".to_owned());
    }
    Ok(text)
}

/// Whether `text` can be a path at all: one line, of a sane length, with no key material.
fn is_path(text: &str) -> bool {
    text.len() <= MAX_PATH_LEN
        && !text.chars().any(char::is_control)
        && !text.contains(['{', '}', '"'])
        && !text.contains("PRIVATE KEY")
}

/// What an error may show of a path: the path when it plainly is one (it names a `.json`
/// file), else only its length, since a key given where a path was expected is still a key.
fn shown_path(path: &str) -> String {
    let plain = path.len() <= 255
        && path.to_ascii_lowercase().ends_with(".json")
        && path
            .chars()
            .all(|c| c == ' ' || c.is_ascii_graphic() || (!c.is_ascii() && c.is_alphanumeric()));
    if plain {
        format!("{path:?}")
    } else {
        format!("(a path of {} characters, not shown)", path.chars().count())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const CREDENTIALS: &str = include_str!("../../tests/fixtures/credentials.json");

    #[derive(Default)]
    struct MapHost {
        env: HashMap<&'static str, String>,
        files: HashMap<String, Vec<u8>>,
    }

    impl Host for MapHost {
        fn env(&self, name: &str) -> Option<String> {
            self.env.get(name).cloned()
        }
        fn read_file(&self, path: &str) -> Result<Vec<u8>, String> {
            self.files
                .get(path)
                .cloned()
                .ok_or_else(|| "No such file or directory".to_owned())
        }
    }

    fn key_fragments() -> Vec<String> {
        let creds: serde_json::Value = serde_json::from_str(CREDENTIALS).unwrap();
        let key = creds["private_key"].as_str().unwrap();
        key.lines()
            .filter(|l| !l.starts_with("-----") && l.len() > 20)
            .map(|l| l[..16].to_owned())
            .collect()
    }

    fn assert_no_key(message: &str) {
        for fragment in key_fragments() {
            assert!(!message.contains(&fragment), "key leaked in {message}");
        }
        assert!(!message.contains("PRIVATE KEY"), "{message}");
    }

    fn vox(options: VoximplantOptions, host: &MapHost) -> Result<VoximplantSettings, String> {
        resolve_voximplant(options, host).map_err(|e| {
            assert_eq!(e.code(), "config", "{e}");
            e.to_string()
        })
    }

    fn given(credentials: impl Into<Vec<u8>>) -> VoximplantOptions {
        VoximplantOptions {
            credentials: Some(Secret::new(credentials.into())),
            ..VoximplantOptions::default()
        }
    }

    #[test]
    fn credentials_as_json_text_bytes_bom_and_newline() {
        let host = MapHost::default();
        for form in [
            CREDENTIALS.to_owned(),
            format!("\u{feff}{CREDENTIALS}"),
            format!("  {CREDENTIALS}\n\n"),
        ] {
            let s = vox(given(form), &host).unwrap();
            assert!(matches!(s.auth, VoximplantAuth::ServiceAccount(_)));
        }
    }

    #[test]
    fn credentials_text_in_the_variable_is_read_as_json() {
        let mut host = MapHost::default();
        host.env.insert(CREDENTIALS_ENV, CREDENTIALS.to_owned());
        let s = vox(VoximplantOptions::default(), &host).unwrap();
        assert!(matches!(s.auth, VoximplantAuth::ServiceAccount(_)));
    }

    #[test]
    fn a_path_is_read_through_the_host() {
        let mut host = MapHost::default();
        host.files
            .insert("/etc/c.json".into(), CREDENTIALS.as_bytes().to_vec());
        host.env.insert(CREDENTIALS_ENV, "/etc/c.json\n".into());
        assert!(vox(VoximplantOptions::default(), &host).is_ok());
        let e = vox(given("/etc/missing.json"), &host).unwrap_err();
        assert!(e.contains("\"/etc/missing.json\""), "{e}");
        assert!(e.contains("`credentials` argument"), "{e}");
        assert!(e.contains("No such file"), "{e}");
    }

    #[test]
    fn a_key_given_as_a_path_is_never_shown() {
        let host = MapHost::default();
        let creds: serde_json::Value = serde_json::from_str(CREDENTIALS).unwrap();
        let key = creds["private_key"].as_str().unwrap();
        for wrong in [
            key.to_owned(),
            key.replace('\n', ""),
            CREDENTIALS.replace('{', "["),
            format!("x{CREDENTIALS}"),
        ] {
            let e = vox(given(wrong), &host).unwrap_err();
            assert_no_key(&e);
        }
        let e = vox(given("sk_live_0123456789abcdef"), &host).unwrap_err();
        assert!(!e.contains("sk_live"), "{e}");
        assert!(e.contains("24 characters"), "{e}");
    }

    #[test]
    fn malformed_credentials_name_the_source_not_the_key() {
        let mut host = MapHost::default();
        let broken = CREDENTIALS.replacen("\"key_id\"", "\"kid\"", 1);
        host.env.insert(CREDENTIALS_ENV, broken.clone());
        let e = vox(VoximplantOptions::default(), &host).unwrap_err();
        assert!(e.contains(CREDENTIALS_ENV) && e.contains("key_id"), "{e}");
        assert_no_key(&e);
        let truncated = &CREDENTIALS[..CREDENTIALS.len() / 2];
        host.files
            .insert("c.json".into(), truncated.as_bytes().to_vec());
        let e = vox(given("c.json"), &host).unwrap_err();
        assert!(
            e.contains("\"c.json\"") && e.contains("not valid JSON"),
            "{e}"
        );
        assert_no_key(&e);
        let e = vox(given(vec![0xff, 0xfe, b'{']), &host).unwrap_err();
        assert!(e.contains("not UTF-8"), "{e}");
    }

    #[test]
    fn a_host_that_signs_gets_the_key_and_the_core_a_signer() {
        let options = VoximplantOptions {
            host_signs: true,
            ..given(CREDENTIALS)
        };
        let s = vox(options, &MapHost::default()).unwrap();
        assert!(matches!(s.auth, VoximplantAuth::HostSigned(_)));
        let key = s.host_key.expect("the key for the host");
        assert!(key.expose().contains("PRIVATE KEY"));
        let s = vox(given(CREDENTIALS), &MapHost::default()).unwrap();
        assert!(s.host_key.is_none() && matches!(s.auth, VoximplantAuth::ServiceAccount(_)));
    }

    #[test]
    fn missing_credentials_and_blank_variables() {
        let mut host = MapHost::default();
        host.env.insert(CREDENTIALS_ENV, "  ".into());
        let e = vox(VoximplantOptions::default(), &host).unwrap_err();
        assert!(e.contains("no Voximplant credentials"), "{e}");
        let both = VoximplantOptions {
            token: Some(Secret::new(b"t".to_vec())),
            token_provider: true,
            ..VoximplantOptions::default()
        };
        assert!(vox(both, &host).unwrap_err().contains("not several"));
    }

    #[test]
    fn explicit_settings_win_over_the_environment() {
        let mut host = MapHost::default();
        host.env
            .insert(VOXIMPLANT_BASE_URL_ENV, "https://env.test/p".into());
        host.env.insert(CREDENTIALS_ENV, "/nowhere.json".into());
        let token = || VoximplantOptions {
            token: Some(Secret::new(b"tok\n".to_vec())),
            ..VoximplantOptions::default()
        };
        let s = vox(token(), &host).unwrap();
        assert_eq!(s.base_url.to_string(), "https://env.test/p");
        assert!(matches!(&s.auth, VoximplantAuth::Token(t) if t.expose() == "tok"));
        let s = vox(
            VoximplantOptions {
                base_url: Some("https://arg.test".into()),
                ..token()
            },
            &host,
        )
        .unwrap();
        assert_eq!(s.base_url.to_string(), "https://arg.test");
        let s = resolve_voiso(VoisoOptions::default(), &{
            let mut h = MapHost::default();
            h.env.insert(VOISO_API_KEY_ENV, "k3y\r\n".into());
            h
        })
        .unwrap();
        assert_eq!(s.api_key.expose(), "k3y");
        assert_eq!(s.base_url.to_string(), "https://cluster1.voiso.com");
    }

    #[cfg(feature = "process-host")]
    #[test]
    fn the_process_host_reads_files_and_never_quotes_them() {
        let path = std::env::temp_dir().join(format!("roster-core-{}.json", std::process::id()));
        std::fs::write(&path, b"{\"k\":1}").unwrap();
        let text = path.to_string_lossy().into_owned();
        assert_eq!(ProcessHost.read_file(&text).unwrap(), b"{\"k\":1}");
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            ProcessHost.read_file(&text).unwrap_err(),
            "No such file or directory"
        );
    }

    #[test]
    fn keys_and_tokens_follow_one_rule() {
        let src = Source::Argument("api_key");
        assert_eq!(
            secret_text("k", &src, b"\xef\xbb\xbfabc\n")
                .unwrap()
                .expose(),
            "abc"
        );
        for bad in [
            &b"ab c"[..],
            b"Bearer abc",
            b"a\nb",
            b"",
            b"\n",
            b"ab\xc3\xa9",
            b"\xff",
        ] {
            let e = secret_text("the key", &src, bad).unwrap_err().to_string();
            assert!(e.contains("`api_key` argument"), "{e}");
            assert!(!e.contains("abc"), "{e}");
        }
    }

    #[test]
    fn a_base_url_password_is_never_shown() {
        let host = MapHost::default();
        let e = resolve_voiso(
            VoisoOptions {
                api_key: Some(Secret::new(b"k".to_vec())),
                base_url: Some("https://admin:Hunter2@127.0.0.1:9".into()),
            },
            &host,
        )
        .unwrap_err()
        .to_string();
        assert!(!e.contains("Hunter2") && !e.contains("admin"), "{e}");
        assert!(e.contains("`base_url` argument"), "{e}");
    }
}
