//! Usage errors as Helm (cobra and pflag) reports them: exit status 1 and Helm's words, where
//! clap's own would exit 2 with clap's. Pure functions over the clap command tree and the
//! arguments; main prints what they return.
//!
//! - `--flag=VALUE` on a boolean flag takes Go's `strconv.ParseBool` spellings (`--include-crds=true`,
//!   `--skip-tests=0`), as pflag does; anything else is pflag's "invalid argument" error.
//! - A missing or extra positional argument is the command's argument rule in Helm's words
//!   (`"chartr pull" requires at least 1 argument`, then a blank line and the usage line).
//! - A flag without its value is pflag's `flag needs an argument: --x` (`'n' in -n`).
//! - An unknown command is cobra's `unknown command "x" for "chartr"`; a command group given
//!   no subcommand, or an unknown one, prints its help and succeeds, as Helm's groups do.
//!
//! `chartr diff` is the exception: it follows diff(1), whose trouble status is 2.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Command};
use std::error::Error as _;

/// What main prints and the status it exits with, for arguments clap refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub stdout: String,
    pub stderr: String,
    pub code: u8,
}

impl Refusal {
    fn error(message: String) -> Refusal {
        Refusal {
            stdout: String::new(),
            stderr: format!("Error: {message}\n"),
            code: 1,
        }
    }
}

/// Go's `strconv.ParseBool`.
pub fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

fn is_bool_flag(arg: &clap::Arg) -> bool {
    matches!(arg.get_action(), ArgAction::SetTrue)
}

fn takes_value(arg: &clap::Arg) -> bool {
    arg.get_action().takes_values()
        && arg
            .get_num_args()
            .is_none_or(|n| n.min_values() > 0 || !arg.is_require_equals_set())
}

fn find_long<'c>(cmd: &'c Command, name: &str) -> Option<&'c clap::Arg> {
    cmd.get_arguments().find(|a| {
        a.get_long() == Some(name) || a.get_all_aliases().is_some_and(|v| v.contains(&name))
    })
}

fn find_short(cmd: &Command, c: char) -> Option<&clap::Arg> {
    cmd.get_arguments().find(|a| a.get_short() == Some(c))
}

fn find_sub<'c>(cmd: &'c Command, word: &str) -> Option<&'c Command> {
    cmd.get_subcommands()
        .find(|s| s.get_name() == word || s.get_all_aliases().any(|a| a == word))
}

/// The subcommand path the arguments name (`["repo", "add"]`), and the arguments with every
/// `--bool=VALUE` rewritten as clap takes it (`--bool`, or nothing for false). `cmd` must be
/// built (global flags propagated).
pub fn normalize(cmd: &Command, args: Vec<String>) -> Result<(Vec<String>, Vec<String>), Refusal> {
    let mut out = Vec::with_capacity(args.len());
    let mut path = Vec::new();
    let mut current = cmd;
    let mut iter = args.into_iter();
    if let Some(argv0) = iter.next() {
        out.push(argv0);
    }
    let mut positional_seen = false;
    while let Some(a) = iter.next() {
        if a == "--" {
            out.push(a);
            out.extend(iter);
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            match find_long(current, name) {
                Some(arg) if is_bool_flag(arg) => match value {
                    None => out.push(a),
                    Some(v) => match parse_go_bool(v) {
                        Some(true) => out.push(format!("--{name}")),
                        Some(false) => {}
                        None => {
                            return Err(Refusal::error(format!(
                                "invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax"
                            )))
                        }
                    },
                },
                Some(arg) if value.is_none() && takes_value(arg) => {
                    out.push(a);
                    if let Some(v) = iter.next() {
                        out.push(v);
                    }
                }
                _ => out.push(a),
            }
            continue;
        }
        if let Some(shorts) = a.strip_prefix('-').filter(|s| !s.is_empty()) {
            // `-n ns`, `-nns`, `-gn ns`: the first flag that takes a value takes the rest of
            // the word, or the next argument.
            let mut needs_next = false;
            for (i, c) in shorts.char_indices() {
                match find_short(current, c) {
                    Some(arg) if takes_value(arg) => {
                        needs_next = i + c.len_utf8() == shorts.len();
                        break;
                    }
                    Some(_) => {}
                    None => break,
                }
            }
            out.push(a);
            if needs_next {
                if let Some(v) = iter.next() {
                    out.push(v);
                }
            }
            continue;
        }
        if !positional_seen {
            // `chartr show WHAT` is Helm's `helm show WHAT` subcommand.
            if path == ["show"] && SHOW_WHAT.contains(&a.as_str()) {
                path.push(a.clone());
                out.push(a);
                continue;
            }
            if let Some(sub) = find_sub(current, &a) {
                path.push(sub.get_name().to_string());
                current = sub;
                out.push(a);
                continue;
            }
            positional_seen = true;
        }
        out.push(a);
    }
    Ok((path, out))
}

const SHOW_WHAT: &[&str] = &["all", "chart", "values", "readme", "crds"];

/// The argument rule and the usage line of a command, as Helm declares its counterpart.
/// `None`: the command has no Helm counterpart rule (clap's own check stands, in Helm's form).
fn rule(path: &[String]) -> Option<(Rule, &'static str)> {
    let p: Vec<&str> = path.iter().map(String::as_str).collect();
    Some(match p.as_slice() {
        ["template"] => (Rule::AtLeast(1), "[NAME] [CHART] [flags]"),
        ["values"] => (Rule::Exactly(1), "CHART [flags]"),
        ["show", _] => (Rule::Exactly(1), "[CHART] [flags]"),
        ["pull"] => (
            Rule::AtLeast(1),
            "[chart URL | repo/chartname] [...] [flags]",
        ),
        ["repo", "add"] => (Rule::Exactly(2), "[NAME] [URL] [flags]"),
        ["repo", "remove"] => (Rule::AtLeast(1), "[REPO1 [REPO2 ...]] [flags]"),
        ["repo", "list"] => (Rule::None, "[flags]"),
        ["dependency", "update" | "build" | "list"] => (Rule::AtMost(1), "CHART [flags]"),
        ["post-render"] => (Rule::None, "[flags]"),
        ["completion"] => (Rule::Exactly(1), "[bash|zsh|fish] [flags]"),
        ["version"] => (Rule::None, "[flags]"),
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy)]
enum Rule {
    None,
    Exactly(usize),
    AtLeast(usize),
    AtMost(usize),
}

fn arguments(n: usize) -> &'static str {
    if n == 1 {
        "argument"
    } else {
        "arguments"
    }
}

fn arg_count_message(path: &[String], rule: Rule, use_line: &str) -> String {
    let cmd = format!("chartr {}", path.join(" "));
    let what = match rule {
        Rule::None => "accepts no arguments".to_string(),
        Rule::Exactly(n) => format!("requires {n} {}", arguments(n)),
        Rule::AtLeast(n) => format!("requires at least {n} {}", arguments(n)),
        Rule::AtMost(n) => format!("accepts at most {n} {}", arguments(n)),
    };
    format!("\"{cmd}\" {what}\n\nUsage:  {cmd} {use_line}")
}

/// Helm's answer to arguments clap refused with `err`; `path` is what [`normalize`] found and
/// `cmd` the built command tree (for the help of command groups).
pub fn refusal(cmd: &Command, path: &[String], args: &[String], err: &clap::Error) -> Refusal {
    let context_string = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    if path.first().map(String::as_str) == Some("diff") {
        // diff(1): trouble is status 2; clap's message is clear.
        return Refusal {
            stdout: String::new(),
            stderr: err.render().to_string(),
            code: 2,
        };
    }
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Refusal {
            stdout: err.render().to_string(),
            stderr: String::new(),
            code: 0,
        },
        ErrorKind::InvalidSubcommand if path.is_empty() => {
            let word = context_string(ContextKind::InvalidSubcommand).unwrap_or_default();
            Refusal {
                stdout: String::new(),
                stderr: format!(
                    "Error: unknown command \"{word}\" for \"chartr\"\nRun 'chartr --help' for usage.\n"
                ),
                code: 1,
            }
        }
        ErrorKind::InvalidSubcommand
        | ErrorKind::MissingSubcommand
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => group_help(cmd, path),
        // `chartr show` alone, or `chartr show bogus`: Helm's show group prints its help.
        ErrorKind::MissingRequiredArgument | ErrorKind::InvalidValue if path == ["show"] => {
            group_help(cmd, path)
        }
        ErrorKind::MissingRequiredArgument | ErrorKind::TooManyValues => match rule(path) {
            Some((rule, use_line)) => Refusal::error(arg_count_message(path, rule, use_line)),
            None => clap_in_helm_form(err),
        },
        ErrorKind::UnknownArgument => {
            let arg = context_string(ContextKind::InvalidArg).unwrap_or_default();
            let flag = arg.split('=').next().unwrap_or(&arg).to_string();
            if let Some(short) = flag.strip_prefix('-').filter(|f| !f.starts_with('-')) {
                Refusal::error(format!(
                    "unknown shorthand flag: '{}' in {flag}",
                    short.chars().next().unwrap_or('?')
                ))
            } else if flag.starts_with("--") {
                Refusal::error(format!("unknown flag: {flag}"))
            } else {
                // A positional argument too many.
                match rule(path) {
                    Some((rule, use_line)) => {
                        Refusal::error(arg_count_message(path, rule, use_line))
                    }
                    None => clap_in_helm_form(err),
                }
            }
        }
        ErrorKind::InvalidValue | ErrorKind::NoEquals
            if context_string(ContextKind::InvalidValue).is_none_or(|v| v.is_empty()) =>
        {
            let arg = context_string(ContextKind::InvalidArg).unwrap_or_default();
            Refusal::error(format!(
                "flag needs an argument: {}",
                as_typed(cmd, path, args, &arg)
            ))
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let arg = context_string(ContextKind::InvalidArg).unwrap_or_default();
            let value = context_string(ContextKind::InvalidValue).unwrap_or_default();
            let word = flag_word(&arg);
            if word.starts_with('-') {
                let why = err
                    .source()
                    .map(|s| s.to_string())
                    .or_else(|| {
                        context_string(ContextKind::ValidValue).map(|_| "invalid value".to_string())
                    })
                    .unwrap_or_else(|| "invalid value".to_string());
                Refusal::error(format!(
                    "invalid argument \"{value}\" for \"{}\" flag: {why}",
                    long_form(&word)
                ))
            } else {
                clap_in_helm_form(err)
            }
        }
        _ => clap_in_helm_form(err),
    }
}

/// A command group without a (known) subcommand: its help on standard output, status 0, as
/// Helm prints it.
fn group_help(cmd: &Command, path: &[String]) -> Refusal {
    let mut group = cmd.clone();
    for word in path {
        match group.find_subcommand(word) {
            Some(sub) => group = sub.clone(),
            None => break,
        }
    }
    let mut group = group.bin_name(format!("chartr {}", path.join(" ")));
    Refusal {
        stdout: group.render_long_help().to_string(),
        stderr: String::new(),
        code: 0,
    }
}

/// The flag clap names (`--namespace <NAMESPACE>`) as the user typed it: `--namespace`, or
/// pflag's `'n' in -n` when the last mention was the short form.
fn as_typed(cmd: &Command, path: &[String], args: &[String], clap_arg: &str) -> String {
    let long = flag_word(clap_arg);
    let Some(name) = long.strip_prefix("--") else {
        return long;
    };
    let mut sub = cmd;
    for word in path {
        match find_sub(sub, word) {
            Some(s) => sub = s,
            None => break,
        }
    }
    let short = find_long(sub, name).and_then(|a| a.get_short());
    for a in args.iter().rev() {
        if a == &long || a.starts_with(&format!("{long}=")) {
            return long;
        }
        if let (Some(c), Some(word)) = (short, a.strip_prefix('-')) {
            if !word.starts_with('-') && word.ends_with(c) {
                // pflag names the shorthand and what follows it in the word: `'n' in -n`.
                return format!("'{c}' in -{c}");
            }
        }
    }
    long
}

/// `--namespace <NAMESPACE>` → `--namespace`; `-n` → `'n' in -n`.
fn flag_word(arg: &str) -> String {
    let first = arg.split([' ', '=']).next().unwrap_or(arg);
    let first = first.split(',').next().unwrap_or(first).trim();
    match first.strip_prefix('-') {
        Some(s) if !s.starts_with('-') && !s.is_empty() => {
            format!("'{}' in {first}", s.chars().next().unwrap_or('?'))
        }
        _ => first.to_string(),
    }
}

fn long_form(word: &str) -> String {
    word.rsplit(' ').next().unwrap_or(word).to_string()
}

/// Any other refusal: clap's explanation, as an `Error:` line, exit 1.
fn clap_in_helm_form(err: &clap::Error) -> Refusal {
    let text = err.render().to_string();
    let text = text.trim_end();
    let text = text.strip_prefix("error: ").unwrap_or(text);
    Refusal::error(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn run(args: &[&str]) -> Result<crate::cli::Cli, Refusal> {
        let mut cmd = crate::cli::Cli::command();
        cmd.build();
        let args = args.iter().map(|s| s.to_string()).collect();
        let (path, args) = normalize(&cmd, args)?;
        <crate::cli::Cli as clap::Parser>::try_parse_from(&args)
            .map_err(|e| refusal(&cmd, &path, &args, &e))
    }

    fn refused(args: &[&str]) -> Refusal {
        match run(args) {
            Ok(c) => panic!("{args:?} parsed: {c:?}"),
            Err(r) => r,
        }
    }

    #[test]
    fn go_bool_spellings() {
        for t in ["1", "t", "T", "TRUE", "true", "True"] {
            assert_eq!(parse_go_bool(t), Some(true));
        }
        for f in ["0", "f", "F", "FALSE", "false", "False"] {
            assert_eq!(parse_go_bool(f), Some(false));
        }
        for bad in ["", "yes", "tRUE", "2", " true"] {
            assert_eq!(parse_go_bool(bad), None);
        }
    }

    #[test]
    fn bool_flags_take_go_values() {
        let cli = run(&[
            "chartr",
            "template",
            "x",
            "--include-crds=true",
            "--skip-tests=0",
        ])
        .expect("parses");
        let crate::cli::Command::Template(t) = cli.command else {
            panic!("not template")
        };
        assert!(t.include_crds);
        assert!(!t.skip_tests);
        let r = refused(&["chartr", "template", "x", "--include-crds=maybe"]);
        assert_eq!(r.code, 1);
        assert_eq!(
            r.stderr,
            "Error: invalid argument \"maybe\" for \"--include-crds\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\n"
        );
    }

    #[test]
    fn values_of_value_flags_are_not_rewritten() {
        // `--post-renderer-args` takes the next word, even one that looks like a bool flag.
        let cli = run(&[
            "chartr",
            "template",
            "x",
            "--post-renderer-args",
            "--include-crds=false",
        ])
        .expect("parses");
        let crate::cli::Command::Template(t) = cli.command else {
            panic!("not template")
        };
        assert_eq!(
            t.post_renderer_args,
            vec!["--include-crds=false".to_string()]
        );
        assert!(!t.include_crds);
    }

    #[test]
    fn argument_counts_in_helms_words() {
        let r = refused(&["chartr", "template"]);
        assert_eq!(
            r.stderr,
            "Error: \"chartr template\" requires at least 1 argument\n\nUsage:  chartr template [NAME] [CHART] [flags]\n"
        );
        assert_eq!(r.code, 1);
        let r = refused(&["chartr", "repo", "add", "x"]);
        assert!(r
            .stderr
            .starts_with("Error: \"chartr repo add\" requires 2 arguments\n"));
        let r = refused(&["chartr", "dep", "update", "a", "b"]);
        assert!(
            r.stderr
                .starts_with("Error: \"chartr dependency update\" accepts at most 1 argument\n"),
            "{}",
            r.stderr
        );
        let r = refused(&["chartr", "show", "values"]);
        assert_eq!(
            r.stderr,
            "Error: \"chartr show values\" requires 1 argument\n\nUsage:  chartr show values [CHART] [flags]\n"
        );
        let r = refused(&["chartr", "repo", "list", "x"]);
        assert!(r
            .stderr
            .starts_with("Error: \"chartr repo list\" accepts no arguments\n"));
    }

    #[test]
    fn flags_without_values() {
        let r = refused(&["chartr", "template", "x", "-n"]);
        assert_eq!(r.stderr, "Error: flag needs an argument: 'n' in -n\n");
        let r = refused(&["chartr", "template", "x", "-gn"]);
        assert_eq!(r.stderr, "Error: flag needs an argument: 'n' in -n\n");
        let r = refused(&["chartr", "template", "x", "--output-dir"]);
        assert_eq!(r.stderr, "Error: flag needs an argument: --output-dir\n");
    }

    #[test]
    fn commands_unknown_and_groups() {
        let r = refused(&["chartr", "bogus"]);
        assert_eq!(
            r.stderr,
            "Error: unknown command \"bogus\" for \"chartr\"\nRun 'chartr --help' for usage.\n"
        );
        assert_eq!(r.code, 1);
        for (args, group) in [
            (&["chartr", "repo"][..], "repo"),
            (&["chartr", "repo", "bogus"], "repo"),
            (&["chartr", "show"], "show"),
            (&["chartr", "show", "bogus", "x"], "show"),
        ] {
            let r = refused(args);
            assert_eq!(r.code, 0, "{args:?}");
            assert!(
                r.stdout.contains(&format!("Usage: chartr {group}")),
                "{}",
                r.stdout
            );
            assert!(r.stderr.is_empty());
        }
    }

    #[test]
    fn diff_keeps_diff1_status() {
        let r = refused(&["chartr", "diff"]);
        assert_eq!(r.code, 2);
    }
}
