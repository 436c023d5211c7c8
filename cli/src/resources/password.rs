//! Where a user's password comes from. Never a plain command-line value: those end up in shell
//! history and in every other user's `ps`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use rand::seq::SliceRandom;
use rand::Rng;
use roster::Secret;

use crate::fail::CliError;

/// The password options of `users add` and `users update`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct PasswordArgs {
    /// Read the password from this environment variable.
    #[arg(long, value_name = "VAR", conflicts_with_all = ["password_file", "generate_password"])]
    pub password_env: Option<String>,
    /// Read the password from the first line of this file (`-` for stdin).
    #[arg(long, value_name = "FILE", conflicts_with = "generate_password")]
    pub password_file: Option<PathBuf>,
    /// Generate a strong password; it is shown once on stderr, or written to --password-out,
    /// after every value of the command passed the spec's rules and before it is sent.
    #[arg(long)]
    pub generate_password: bool,
    /// Write the generated password to this file (created with mode 0600) instead of stderr.
    #[arg(long, value_name = "FILE", requires = "generate_password")]
    pub password_out: Option<PathBuf>,
}

const HOW: &str =
    "give a password with --password-env VAR, --password-file FILE or --generate-password";

impl PasswordArgs {
    /// The password asked for, if any option asked for one. A generated password is not shown
    /// yet: the caller checks the request that carries it first, then calls
    /// [`PasswordArgs::hand_out`], so a command refused for another value (a bad user name)
    /// never shows a password that was not used.
    pub fn read(&self) -> Result<Option<Secret<String>>, CliError> {
        if let Some(var) = &self.password_env {
            let value = std::env::var(var).map_err(|_| {
                CliError::Usage(format!("--password-env {var}: the variable is not set"))
            })?;
            return Ok(Some(Secret::new(value)));
        }
        if let Some(path) = &self.password_file {
            return first_line(path).map(|p| Some(Secret::new(p)));
        }
        if self.generate_password {
            return Ok(Some(Secret::new(generate())));
        }
        Ok(None)
    }

    /// The password, which this command cannot do without: from the options, or typed at
    /// the terminal (twice, not echoed) when a person runs the command.
    pub fn required(&self) -> Result<Secret<String>, CliError> {
        if let Some(password) = self.read()? {
            return Ok(password);
        }
        if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
            return prompt();
        }
        Err(CliError::Usage(format!(
            "a new user needs a password: {HOW}"
        )))
    }

    /// Shows a generated password to the one person who needs it: in a private file, or once
    /// on stderr (never stdout, which scripts capture and log). Does nothing for a password
    /// the user supplied.
    pub fn hand_out(&self, password: &Secret<String>) -> Result<(), CliError> {
        if !self.generate_password {
            return Ok(());
        }
        let password = password.expose();
        match &self.password_out {
            Some(path) => write_private(path, password),
            None => {
                eprintln!("roster: generated password (shown once): {password}");
                Ok(())
            }
        }
    }
}

fn prompt() -> Result<Secret<String>, CliError> {
    let ask = |question: &str| {
        rpassword::prompt_password(question)
            .map_err(|e| CliError::io("cannot read the password from the terminal", e))
    };
    let password = ask("Password for the new user: ")?;
    if password != ask("The same again: ")? {
        return Err(CliError::Usage(
            "the two passwords differ — run the command again".to_owned(),
        ));
    }
    Ok(Secret::new(password))
}

/// The first line of a file (`-`: stdin), which must not be empty.
pub fn first_line(path: &Path) -> Result<String, CliError> {
    let what = || format!("cannot read the password file {}", path.display());
    let mut line = String::new();
    if path == Path::new("-") {
        std::io::stdin().lock().read_line(&mut line)
    } else {
        let file = std::fs::File::open(path).map_err(|e| CliError::io(what(), e))?;
        std::io::BufReader::new(file).read_line(&mut line)
    }
    .map_err(|e| CliError::io(what(), e))?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(CliError::Usage(format!(
            "the password file {} starts with an empty line",
            path.display()
        )));
    }
    Ok(password)
}

/// Writes a secret to a file only its owner can read.
fn write_private(path: &Path, secret: &str) -> Result<(), CliError> {
    let what = || format!("cannot write --password-out {}", path.display());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        // A file that already existed keeps its mode on open: tighten it first.
        if path.exists() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| CliError::io(what(), e))?;
        }
    }
    let mut file = options.open(path).map_err(|e| CliError::io(what(), e))?;
    writeln!(file, "{secret}").map_err(|e| CliError::io(what(), e))
}

/// 20 characters with every class the Voximplant password policy asks for (upper, lower,
/// digit, special), from the thread's CSPRNG; look-alike characters are left out.
pub fn generate() -> String {
    const CLASSES: [&[u8]; 4] = [
        b"ABCDEFGHJKLMNPQRSTUVWXYZ",
        b"abcdefghijkmnopqrstuvwxyz",
        b"23456789",
        b"!#%+-=?@^_",
    ];
    let mut rng = rand::thread_rng();
    let all: Vec<u8> = CLASSES.concat();
    let mut chars: Vec<u8> = CLASSES
        .iter()
        .filter_map(|class| class.choose(&mut rng).copied())
        .collect();
    while chars.len() < 20 {
        chars.push(all[rng.gen_range(0..all.len())]);
    }
    chars.shuffle(&mut rng);
    String::from_utf8_lossy(&chars).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_pass_the_spec_policy() {
        for _ in 0..50 {
            let password = generate();
            assert_eq!(password.len(), 20);
            assert!(
                roster::core::rules::password_problem(&password).is_none(),
                "{password}"
            );
        }
        assert_ne!(generate(), generate());
    }

    #[test]
    fn no_option_means_no_password() {
        assert!(PasswordArgs::default().read().unwrap().is_none());
        let error = PasswordArgs::default().required().unwrap_err();
        assert!(error.to_string().contains("--password-env"));
    }

    #[cfg(unix)]
    #[test]
    fn generated_password_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pw");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let args = PasswordArgs {
            generate_password: true,
            password_out: Some(path.clone()),
            ..PasswordArgs::default()
        };
        let password = args.read().unwrap().unwrap();
        let before = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            before, "old",
            "read() handed the password out before it was checked"
        );
        args.hand_out(&password).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(written.trim_end(), password.expose());
    }
}
