//! Shared helpers for the integration tests: the chartr binary, the reference Helm binaries.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The chartr binary under test.
pub fn chartr() -> Command {
    Command::new(env!("CARGO_BIN_EXE_chartr"))
}

/// The project's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The reference Helm binaries: `CHARTR_HELM_V3` / `CHARTR_HELM_V4` (scripts/test sets them),
/// else whatever scripts/get-helm fetches. Never skipped: a differential test needs both.
pub fn helms() -> &'static [(&'static str, PathBuf); 2] {
    static HELMS: OnceLock<[(&'static str, PathBuf); 2]> = OnceLock::new();
    HELMS.get_or_init(|| {
        let from_env = (
            std::env::var_os("CHARTR_HELM_V3"),
            std::env::var_os("CHARTR_HELM_V4"),
        );
        if let (Some(v3), Some(v4)) = from_env {
            return [("v3", PathBuf::from(v3)), ("v4", PathBuf::from(v4))];
        }
        let out = Command::new(root().join("scripts/get-helm"))
            .output()
            .expect("scripts/get-helm runs");
        assert!(
            out.status.success(),
            "scripts/get-helm failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let find = |m: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(m).map(|p| PathBuf::from(p.trim())))
                .unwrap_or_else(|| panic!("scripts/get-helm printed no {m} path"))
        };
        [("v3", find("v3 ")), ("v4", find("v4 "))]
    })
}

/// Points Helm's cache, config and data folders at temporary ones, so tests never read or
/// write the user's Helm set-up (repositories, plugins).
pub fn isolate_helm(cmd: &mut Command) -> &mut Command {
    let tmp = std::env::temp_dir();
    cmd.env("HELM_CACHE_HOME", tmp.join("chartr-helm-cache"))
        .env("HELM_CONFIG_HOME", tmp.join("chartr-helm-config"))
        .env("HELM_DATA_HOME", tmp.join("chartr-helm-data"))
}

/// Runs a command with `args` in `dir` (standard input empty) and returns its output.
pub fn run_in(mut cmd: Command, dir: &Path, args: &[&str]) -> Output {
    isolate_helm(&mut cmd)
        .current_dir(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("command runs")
}

/// The `shared/` folder the project's tests read (corpus, reference renders, tools):
/// `CHARTR_SHARED` when set, else `shared/` beside the project's folder or one of its ancestors
/// (CI checks it out beside the repository; a git worktree may sit a level deeper). None on a
/// machine that has only the clone.
pub fn shared() -> Option<PathBuf> {
    static SHARED: OnceLock<Option<PathBuf>> = OnceLock::new();
    SHARED
        .get_or_init(|| {
            if let Some(dir) = std::env::var_os("CHARTR_SHARED") {
                return Some(PathBuf::from(dir)).filter(|d| d.join("tools").is_dir());
            }
            root()
                .ancestors()
                .skip(1)
                .map(|dir| dir.join("shared"))
                .find(|d| d.join("tools").is_dir())
        })
        .clone()
}

/// [`shared`], or — when it is absent — one line on standard error (written past the test
/// harness's capture, so it shows in the run's output) saying that `test` was skipped and why.
pub fn shared_or_skip(test: &str) -> Option<PathBuf> {
    let found = shared();
    if found.is_none() {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "skipped {test}: ../shared (corpus, reference renders, tools) is not beside the project"
        );
    }
    found
}

/// `shared/tools/NAME`; only call it after [`shared_or_skip`] found the folder.
pub fn shared_tool(name: &str) -> PathBuf {
    match shared() {
        Some(dir) => dir.join("tools").join(name),
        None => panic!("shared/tools/{name}: ../shared is not beside the project"),
    }
}
