//! New users' passwords during `apply`, and the private file generated ones are handed out in.
//!
//! Generated passwords are written to the file *before* the users are created, and a password
//! already in the file is reused. So when an apply is interrupted after the server created a
//! user but before we heard back, the password that user got is on disk, and the next apply
//! (which finds the user and does not create it again) has nothing to hand out that is lost.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use roster::Secret;

use crate::fail::CliError;
use crate::roster_file::PasswordSource;

/// `user_name,password` lines in a file only its owner can read.
pub struct PasswordsFile {
    path: PathBuf,
    entries: BTreeMap<String, Secret<String>>,
    generated: usize,
}

impl PasswordsFile {
    /// The default place: beside the roster file, `team.toml` → `team.passwords.csv`.
    pub fn default_path(roster_file: &Path) -> PathBuf {
        roster_file.with_extension("passwords.csv")
    }

    /// Reads the file if it exists.
    pub fn load(path: &Path) -> Result<Self, CliError> {
        let mut entries = BTreeMap::new();
        if path.exists() {
            let what = || format!("cannot read the passwords file {}", path.display());
            let mut reader = csv::Reader::from_path(path)
                .map_err(|e| CliError::io(what(), std::io::Error::other(e.to_string())))?;
            for record in reader.records() {
                let record = record
                    .map_err(|e| CliError::io(what(), std::io::Error::other(e.to_string())))?;
                if let (Some(user), Some(password)) = (record.get(0), record.get(1)) {
                    entries.insert(user.to_owned(), Secret::new(password.to_owned()));
                }
            }
        }
        Ok(Self {
            path: path.to_owned(),
            entries,
            generated: 0,
        })
    }

    /// How many passwords this run generated.
    pub fn generated(&self) -> usize {
        self.generated
    }

    /// The password of a new user: from its source, or the one already in the file, or a new
    /// one (recorded here; call [`save`](Self::save) before using it).
    pub fn resolve(
        &mut self,
        user: &str,
        source: &PasswordSource,
    ) -> Result<Secret<String>, String> {
        match source {
            PasswordSource::Env(var) => std::env::var(var)
                .ok()
                .filter(|v| !v.is_empty())
                .map(Secret::new)
                .ok_or_else(|| format!("the password variable {var} is not set")),
            PasswordSource::File(path) => crate::resources::password::first_line(path)
                .map(Secret::new)
                .map_err(|e| e.to_string()),
            PasswordSource::Generate => {
                if let Some(known) = self.entries.get(user) {
                    return Ok(known.clone());
                }
                let password = Secret::new(crate::resources::password::generate());
                self.entries.insert(user.to_owned(), password.clone());
                self.generated += 1;
                Ok(password)
            }
        }
    }

    /// Writes every entry, atomically, readable only by the owner.
    pub fn save(&self) -> Result<(), CliError> {
        let what = || format!("cannot write the passwords file {}", self.path.display());
        let mut text = Vec::new();
        {
            let mut writer = csv::Writer::from_writer(&mut text);
            let rows = std::iter::once(("user_name", "password")).chain(
                self.entries
                    .iter()
                    .map(|(u, p)| (u.as_str(), p.expose().as_str())),
            );
            for (user, password) in rows {
                writer
                    .write_record([user, password])
                    .map_err(|e| CliError::io(what(), std::io::Error::other(e.to_string())))?;
            }
            writer.flush().map_err(|e| CliError::io(what(), e))?;
        }
        write_private(&self.path, &text).map_err(|e| CliError::io(what(), e))
    }
}

/// Replaces `path` with `contents` through a private temporary file beside it, so a reader
/// (or a crash) never sees half a file and the secret is never world-readable, not even
/// briefly.
fn write_private(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let temp = path.with_extension(format!("tmp{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = options.open(&temp).and_then(|mut file| {
        file.write_all(contents)?;
        file.sync_all()
    });
    let result = result.and_then(|()| std::fs::rename(&temp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_are_kept_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("team.passwords.csv");
        let mut file = PasswordsFile::load(&path).unwrap();
        let first = file.resolve("ana", &PasswordSource::Generate).unwrap();
        assert!(roster::core::rules::password_problem(first.expose()).is_none());
        file.save().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        // A later run (say, after an interruption) hands out the same password.
        let mut again = PasswordsFile::load(&path).unwrap();
        let second = again.resolve("ana", &PasswordSource::Generate).unwrap();
        assert_eq!(first.expose(), second.expose());
        assert_eq!(again.generated(), 0);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            format!("user_name,password\nana,{}\n", first.expose())
        );
    }

    #[test]
    fn sources_are_read_and_their_problems_named() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = PasswordsFile::load(&dir.path().join("p.csv")).unwrap();
        let secret = dir.path().join("ana.txt");
        std::fs::write(&secret, "Fr0m-a-file!\n").unwrap();
        let from_file = file.resolve("ana", &PasswordSource::File(secret)).unwrap();
        assert_eq!(from_file.expose(), "Fr0m-a-file!");
        let missing = file
            .resolve(
                "ben",
                &PasswordSource::Env("ROSTER_TEST_UNSET_VARIABLE".into()),
            )
            .unwrap_err();
        assert!(
            missing.contains("ROSTER_TEST_UNSET_VARIABLE is not set"),
            "{missing}"
        );
        assert_eq!(file.generated(), 0);
    }
}
