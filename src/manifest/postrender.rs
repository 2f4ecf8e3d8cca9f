//! `--post-renderer PATH`: Helm v3's exec protocol. The executable gets the rendered stream on
//! standard input and its standard output replaces it.
//!
//! PATH is found as Go's `exec.LookPath` finds it (a name without `/` is searched in `$PATH`)
//! and run by its absolute path, as Helm v3 does. Helm v4 reads `--post-renderer` as the name
//! of a `postrenderer/v1` plugin instead and rejects an executable path.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A resolved post-renderer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRenderer {
    /// The absolute path it runs by (and is named by in messages).
    pub path: PathBuf,
    pub args: Vec<String>,
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

impl PostRenderer {
    /// Finds `binary` as Helm v3 does; the error is Helm's flag error text.
    pub fn new(binary: &str, args: Vec<String>) -> Result<PostRenderer, String> {
        let fail = |why: String| {
            format!(
                "invalid argument \"{binary}\" for \"--post-renderer\" flag: unable to find binary at {binary}: exec: \"{binary}\": {why}"
            )
        };
        let found = if binary.contains('/') {
            let p = Path::new(binary);
            if std::fs::metadata(p).is_err() {
                return Err(fail(format!("stat {binary}: no such file or directory")));
            }
            if !is_executable(p) {
                return Err(fail("permission denied".into()));
            }
            p.to_path_buf()
        } else {
            let paths = std::env::var_os("PATH").unwrap_or_default();
            match std::env::split_paths(&paths)
                .map(|d| d.join(binary))
                .find(|p| is_executable(p))
            {
                Some(p) => p,
                None => return Err(fail("executable file not found in $PATH".into())),
            }
        };
        let path = if found.is_absolute() {
            found
        } else {
            std::env::current_dir()
                .map_err(|e| fail(e.to_string()))?
                .join(found)
        };
        let clean = super::output::go_clean(&path.to_string_lossy());
        Ok(PostRenderer {
            path: PathBuf::from(clean),
            args,
        })
    }

    /// Runs the post-renderer on `input` and returns its standard output. A failure to start,
    /// a non-zero exit, and an output that is only white space are errors.
    pub fn run(&self, input: &str) -> Result<String, String> {
        let shown = self.path.display();
        let mut child = Command::new(&self.path)
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("error while running command {shown}: {e}"))?;
        let mut stdin = child.stdin.take();
        let data = input.as_bytes().to_vec();
        let writer = std::thread::spawn(move || {
            if let Some(s) = stdin.as_mut() {
                // A post-renderer may exit without reading all of its input; that is its
                // business, as in Helm.
                let _ = s.write_all(&data);
            }
            drop(stdin);
        });
        let out = child
            .wait_with_output()
            .map_err(|e| format!("error while running command {shown}: {e}"))?;
        let _ = writer.join();
        if !out.status.success() {
            let status = match out.status.code() {
                Some(c) => format!("exit status {c}"),
                None => "signal: killed".to_string(),
            };
            return Err(format!(
                "error while running command {shown}. error output:\n{}: {status}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        if out.stdout.iter().all(u8::is_ascii_whitespace) {
            return Err(format!("post-renderer \"{shown}\" produced empty output"));
        }
        // What is not UTF-8 cannot be YAML: refused with go-yaml's words by [`check_output`].
        Ok(match String::from_utf8(out.stdout) {
            Ok(text) => text,
            Err(e) => return Err(not_yaml(e.as_bytes())),
        })
    }
}

/// What Helm v4 says of a post-renderer's output it cannot read back (`splitAndDeannotate`:
/// kyaml's `kio.ParseAll`, one document at a time). Starts with "error while" (a render failure).
fn not_yaml(detail: &[u8]) -> String {
    let message = match crate::yaml::parse(detail, "post-renderer output") {
        Err(e) => e.message,
        Ok(_) => "yaml: invalid UTF-8".to_string(),
    };
    let message = message
        .strip_prefix("error converting YAML to JSON: ")
        .unwrap_or(&message)
        .to_string();
    format!("error while parsing post rendered output: error parsing YAML: MalformedYAMLError: {message}")
}

/// Checks a post-renderer's output as Helm v4 reads it back before sorting or writing anything:
/// every document must be YAML and a map (or empty). The error is Helm's message.
pub fn check_output(text: &str) -> Result<(), String> {
    for doc in super::split_manifests(text) {
        let value = crate::yaml::parse(&doc, "post-renderer output")
            .map_err(|_| not_yaml(doc.as_bytes()))?;
        let kind = match value {
            crate::Value::Null | crate::Value::Object(_) => continue,
            crate::Value::Array(_) => "SequenceNode",
            _ => "ScalarNode",
        };
        return Err(format!(
            "error while parsing post rendered output: error parsing YAML: wrong node kind: expected MappingNode but got {kind}: node contents:\n{doc}\n"
        ));
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn finds_binaries_on_path_and_by_path() {
        let sh = PostRenderer::new("sh", vec![]).unwrap();
        assert!(sh.path.is_absolute());
        let e = PostRenderer::new("./no-such-renderer", vec![]).unwrap_err();
        assert_eq!(
            e,
            "invalid argument \"./no-such-renderer\" for \"--post-renderer\" flag: unable to find binary at ./no-such-renderer: exec: \"./no-such-renderer\": stat ./no-such-renderer: no such file or directory"
        );
        let e = PostRenderer::new("no-such-renderer-xyz", vec![]).unwrap_err();
        assert!(e.ends_with("executable file not found in $PATH"), "{e}");
    }

    #[test]
    fn pipes_stdin_to_stdout_and_reports_failures() {
        let pr = PostRenderer::new(
            "sh",
            vec![
                "-c".into(),
                "echo \"# $1\"; cat".into(),
                "x".into(),
                "arg".into(),
            ],
        )
        .unwrap();
        assert_eq!(pr.run("a: 1\n").unwrap(), "# arg\na: 1\n");
        let fail =
            PostRenderer::new("sh", vec!["-c".into(), "echo oops >&2; exit 3".into()]).unwrap();
        let e = fail.run("a: 1\n").unwrap_err();
        assert!(e.ends_with(". error output:\noops\n: exit status 3"), "{e}");
        let empty =
            PostRenderer::new("sh", vec!["-c".into(), "cat >/dev/null; echo".into()]).unwrap();
        assert!(empty
            .run("a: 1\n")
            .unwrap_err()
            .contains("produced empty output"));
    }

    #[test]
    fn output_that_is_not_yaml_or_not_maps_is_helms_error() {
        let head = "error while parsing post rendered output: error parsing YAML: ";
        for (text, want) in [
            ("a: 1\n---\n# only a comment\n", None),
            ("not: [yaml\n", Some("MalformedYAMLError: yaml: line 1: did not find expected ',' or ']'")),
            ("a: 1\n---\nb: [\n", Some("MalformedYAMLError: yaml: line 1: did not find expected node content")),
            ("\u{1}binary\n", Some("MalformedYAMLError: yaml: control characters are not allowed")),
            ("just text\n", Some("wrong node kind: expected MappingNode but got ScalarNode: node contents:\njust text\n")),
            ("a: b\n---\n- x\n", Some("wrong node kind: expected MappingNode but got SequenceNode: node contents:\n- x\n")),
        ] {
            let got = check_output(text).err();
            assert_eq!(got, want.map(|w| format!("{head}{w}")), "{text:?}");
        }
        let bad = PostRenderer::new(
            "sh",
            vec![
                "-c".into(),
                "cat >/dev/null; printf 'a: caf\\351\\n'".into(),
            ],
        )
        .unwrap();
        assert_eq!(
            bad.run("a: 1\n").unwrap_err(),
            format!("{head}MalformedYAMLError: yaml: incomplete UTF-8 octet sequence")
        );
    }
}
