//! The `chartr` binary: parses arguments, runs a command, prints its result, maps errors to
//! exit codes (1 for bad input, 2 for usage errors, as clap reports them).

// No unwrap/expect outside tests: user data must end in an error, never a panic (clippy.toml
// allows them in tests).
#![deny(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod usage;

use chartr::commands;
use chartr::values::ValueOptions;
use clap::{CommandFactory, Parser};

use cli::{Cli, Command};
use std::io::Write;
use std::process::ExitCode;

/// mimalloc, chosen by measurement (README, Performance): a run is mostly small short-lived
/// allocations (values, template output, YAML trees), where glibc's malloc and free cost a
/// quarter of all instructions.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn value_options(f: &cli::ValueFlags) -> ValueOptions {
    ValueOptions {
        values_files: f.values.clone(),
        set: f.set.clone(),
        set_string: f.set_string.clone(),
        set_file: f.set_file.clone(),
        set_json: f.set_json.clone(),
        set_literal: f.set_literal.clone(),
        max_values_bytes: f.max_values_bytes,
    }
}

/// Helm's paths, with the global flags that move them.
fn helm_paths(g: &cli::GlobalFlags) -> chartr::source::HelmPaths {
    let mut p = chartr::source::HelmPaths::from_env();
    if let Some(x) = &g.repository_config {
        p.repository_config = x.clone();
    }
    if let Some(x) = &g.repository_cache {
        p.repository_cache = x.clone();
    }
    if let Some(x) = &g.registry_config {
        p.registry_config = x.clone();
    }
    if let Some(x) = &g.content_cache {
        p.content_cache = x.clone();
    }
    p
}

fn transport(t: &cli::TransportFlags) -> chartr::source::http::Transport {
    chartr::source::http::Transport {
        username: t.username.clone().unwrap_or_default(),
        password: t.password.clone().unwrap_or_default(),
        ca_file: t.ca_file.clone().unwrap_or_default(),
        cert_file: t.cert_file.clone().unwrap_or_default(),
        key_file: t.key_file.clone().unwrap_or_default(),
        insecure_skip_tls_verify: t.insecure_skip_tls_verify,
        pass_credentials_all: t.pass_credentials,
        plain_http: t.plain_http,
    }
}

fn source_options(
    f: &cli::SourceFlags,
    g: &cli::GlobalFlags,
) -> anyhow::Result<chartr::source::SourceOptions> {
    refuse_verify(f.verify)?;
    Ok(chartr::source::SourceOptions {
        version: f.version.clone().unwrap_or_default(),
        devel: f.devel,
        repo_url: f.repo.clone().unwrap_or_default(),
        transport: transport(&f.transport),
        paths: Some(helm_paths(g)),
    })
}

/// Go's `time.ParseDuration` check, with its messages.
fn check_duration(d: &str) -> Result<(), String> {
    let invalid = || format!("time: invalid duration {d:?}");
    let mut rest = d.strip_prefix(['+', '-']).unwrap_or(d);
    if rest == "0" {
        return Ok(());
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let num = &rest[..num_len];
        if num.is_empty() || num == "." {
            return Err(invalid());
        }
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        match unit {
            "" => return Err(format!("time: missing unit in duration {d:?}")),
            "ns" | "us" | "µs" | "μs" | "ms" | "s" | "m" | "h" => {}
            u => return Err(format!("time: unknown unit {u:?} in duration {d:?}")),
        }
        rest = &rest[unit_len..];
    }
    Ok(())
}

/// The values Helm's flag parser checks for install's flags that chartr otherwise ignores,
/// with Helm's messages.
fn check_install_flags(f: &cli::InstallNoopFlags) -> anyhow::Result<()> {
    if f.force_replace && f.force_conflicts {
        anyhow::bail!("if any flags in the group [force-replace force-conflicts] are set none of the others can be; [force-conflicts force-replace] were all set");
    }
    for l in &f.labels {
        if !l.contains('=') {
            anyhow::bail!("invalid argument {l:?} for \"-l, --labels\" flag: {l} must be formatted as key=value");
        }
    }
    if let Some(w) = f.wait.as_deref() {
        if !matches!(w, "watcher" | "hookOnly" | "legacy") {
            anyhow::bail!("invalid argument {w:?} for \"--wait\" flag: invalid wait input {w:?}. Valid inputs are watcher, hookOnly, and legacy");
        }
    }
    if let Some(t) = f.timeout.as_deref() {
        check_duration(t)
            .map_err(|e| anyhow::anyhow!("invalid argument {t:?} for \"--timeout\" flag: {e}"))?;
    }
    if let Some(b) = f.server_side.as_deref() {
        if !matches!(
            b,
            "1" | "t"
                | "T"
                | "TRUE"
                | "true"
                | "True"
                | "0"
                | "f"
                | "F"
                | "FALSE"
                | "false"
                | "False"
        ) {
            anyhow::bail!("invalid argument {b:?} for \"--server-side\" flag: strconv.ParseBool: parsing {b:?}: invalid syntax");
        }
    }
    Ok(())
}

fn refuse_verify(verify: bool) -> anyhow::Result<()> {
    if verify {
        anyhow::bail!("--verify: chartr cannot check provenance (.prov) signatures; verify with `helm verify` or leave --verify out");
    }
    Ok(())
}

fn printed(p: commands::repo::Printed) -> anyhow::Result<String> {
    eprint!("{}", p.stderr);
    match p.failure {
        Some(f) => {
            print!("{}", p.stdout);
            Err(anyhow::anyhow!(f))
        }
        None => Ok(p.stdout),
    }
}

fn run(cli: Cli) -> anyhow::Result<String> {
    let global = cli.global;
    match cli.command {
        Command::Values(a) => {
            let format = match a.output {
                cli::OutputFormatArg::Json => commands::values::OutputFormat::Json,
                cli::OutputFormatArg::Yaml => commands::values::OutputFormat::Yaml,
            };
            Ok(commands::values::run(
                &a.chart,
                &value_options(&a.values),
                a.skip_schema_validation,
                format,
                &mut std::io::stdin(),
            )?)
        }
        Command::Template(a) => {
            match a.install.dry_run.as_deref() {
                None | Some("unset") | Some("client") | Some("true") | Some("none") | Some("false") => {}
                Some("server") => anyhow::bail!("--dry-run=server needs a cluster; chartr renders without one (use --dry-run=client, the default)"),
                Some(v) => anyhow::bail!("invalid dry-run value ({v:?}). Must be \"none\", \"server\", or \"client\""),
            }
            check_install_flags(&a.install)?;
            let source = source_options(&a.source, &global)?;
            let opts = commands::template::TemplateOptions {
                args: a.args,
                values: value_options(&a.values),
                namespace: a.namespace,
                show_only: a.show_only,
                output_dir: a.output_dir.map(|p| p.to_string_lossy().into_owned()),
                release_name_dir: a.release_name,
                generate_name: a.generate_name,
                name_template: a.name_template,
                include_crds: a.include_crds,
                kube_version: a.kube_version,
                api_versions: a.api_versions,
                is_upgrade: a.is_upgrade,
                no_hooks: a.no_hooks,
                skip_tests: a.skip_tests,
                skip_schema_validation: a.skip_schema_validation,
                post_renderer: a.post_renderer.map(|p| p.to_string_lossy().into_owned()),
                post_renderer_args: a.post_renderer_args,
                lookup_from: a.lookup_from,
                source,
                dependency_update: a.dependency_update,
                max_output_bytes: a.max_output_bytes,
            };
            let out = commands::template::run(&opts, &mut std::io::stdin()).map_err(|e| {
                if e.has_debug_hint() && !global.debug {
                    anyhow::anyhow!("{e}\n\n{}", chartr::error::DEBUG_HINT)
                } else {
                    e.into()
                }
            })?;
            for n in &out.notices {
                eprintln!("{n}");
            }
            Ok(out.stdout)
        }
        Command::PostRender(a) => {
            let flags = chartr::manifest::transform::config::Flags {
                config: a.config,
                image_registry: a.image_registry,
                registry_map: a.registry_map,
                labels: a.labels,
                annotations: a.annotations,
                namespace: a.namespace,
                cluster_scoped: a.cluster_scoped,
                pull_secrets: a.pull_secrets,
                patches: a.patches,
            };
            Ok(commands::post_render::run(&flags, &mut std::io::stdin())?)
        }
        Command::Show(a) => {
            use commands::show::Show;
            let what = match a.what {
                cli::ShowWhat::All => Show::All,
                cli::ShowWhat::Chart => Show::Chart,
                cli::ShowWhat::Values => Show::Values,
                cli::ShowWhat::Readme => Show::Readme,
                cli::ShowWhat::Crds => Show::Crds,
            };
            Ok(commands::show::run(&a.chart, what)?)
        }
        Command::Completion { shell } => {
            let mut buf = Vec::new();
            let shell = match shell {
                cli::CompletionShell::Bash => clap_complete::Shell::Bash,
                cli::CompletionShell::Zsh => clap_complete::Shell::Zsh,
                cli::CompletionShell::Fish => clap_complete::Shell::Fish,
            };
            clap_complete::generate(shell, &mut Cli::command(), "chartr", &mut buf);
            Ok(String::from_utf8_lossy(&buf).into_owned())
        }
        Command::Help { command } => {
            let mut cmd = Cli::command();
            cmd.build();
            let mut cur = &mut cmd;
            for name in &command {
                match cur.find_subcommand_mut(name) {
                    Some(sub) => cur = sub,
                    None => anyhow::bail!("unknown help topic {command:?}"),
                }
            }
            Ok(cur.render_long_help().to_string())
        }
        Command::Version { short: true } => Ok(format!("v{}\n", env!("CARGO_PKG_VERSION"))),
        Command::Version { short: false } => Ok(format!("chartr {}\n", env!("CARGO_PKG_VERSION"))),
        Command::Repo { command } => {
            let so = chartr::source::SourceOptions {
                paths: Some(helm_paths(&global)),
                ..Default::default()
            };
            match command {
                cli::RepoCommand::Add(a) => {
                    printed(commands::repo::add(&commands::repo::AddOptions {
                        name: a.name,
                        url: a.url,
                        force_update: a.force_update,
                        source: chartr::source::SourceOptions {
                            transport: transport(&a.transport),
                            ..so
                        },
                    })?)
                }
                cli::RepoCommand::List => printed(commands::repo::list(&so)?),
                cli::RepoCommand::Update { names, .. } => {
                    printed(commands::repo::update(&so, &names)?)
                }
                cli::RepoCommand::Remove { names } => printed(commands::repo::remove(&so, &names)?),
            }
        }
        Command::Pull(a) => {
            let notices = commands::pull::run(&commands::pull::PullOptions {
                reference: a.chart,
                source: source_options(&a.source, &global)?,
                destination: a.destination,
                untar: a.untar,
                untar_dir: a.untar_dir,
            })?;
            for n in notices {
                eprintln!("{n}");
            }
            Ok(String::new())
        }
        Command::Dependency { command } => match command {
            cli::DependencyCommand::List { chart } => Ok(commands::dependency::list(&chart)?),
            cli::DependencyCommand::Build(a) | cli::DependencyCommand::Update(a) if a.verify => {
                refuse_verify(true).map(|_| String::new())
            }
            cli::DependencyCommand::Build(a) => Ok(commands::dependency::build(
                &dependency_options(a, &global),
            )?),
            cli::DependencyCommand::Update(a) => Ok(commands::dependency::update(
                &dependency_options(a, &global),
            )?),
        },
        // main() hands diff to run_diff before this: it has exit statuses of its own.
        Command::Diff(_) => anyhow::bail!("internal error: chartr diff reached the common path"),
    }
}

/// `chartr diff`: exit statuses as diff(1) (0 equal, 1 different, 2 error) and 3 for
/// `--check-upgrade` findings.
fn run_diff(a: cli::DiffArgs, color: Option<String>) -> ExitCode {
    use commands::diff::{DiffOptions, Format};
    use std::io::IsTerminal;
    // Helm's global --color (and --colour): auto, always or never.
    let color = match color.as_deref().unwrap_or("auto") {
        "always" => true,
        "never" => false,
        "auto" => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        other => {
            eprintln!("Error: invalid --color {other:?}: use auto, always or never");
            return ExitCode::from(2);
        }
    };
    let opts = DiffOptions {
        old: a.old,
        new: a.new,
        namespace: a.namespace,
        context: a.context,
        ignore: a.ignore,
        show_secrets: a.show_secrets,
        format: match a.output {
            cli::DiffFormatArg::Text => Format::Text,
            cli::DiffFormatArg::Json => Format::Json,
            cli::DiffFormatArg::Markdown => Format::Markdown,
            cli::DiffFormatArg::Crds => Format::Crds,
        },
        color,
        check_upgrade: a.check_upgrade,
        cluster: a.cluster,
        kube_version: a.kube_version,
        release: a.release,
    };
    match commands::diff::run(&opts, &mut std::io::stdin()) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(out.stdout.as_bytes())
                .and_then(|_| stdout.flush())
                .is_err()
            {
                return ExitCode::from(2);
            }
            ExitCode::from(out.outcome.exit_code())
        }
        Err(e) => {
            eprintln!("Error: {e}");
            ExitCode::from(2)
        }
    }
}

fn dependency_options(
    a: cli::DependencyArgs,
    g: &cli::GlobalFlags,
) -> commands::dependency::DependencyOptions {
    commands::dependency::DependencyOptions {
        chart_dir: a.chart,
        skip_refresh: a.skip_refresh,
        source: chartr::source::SourceOptions {
            transport: transport(&a.transport),
            paths: Some(helm_paths(g)),
            ..Default::default()
        },
    }
}

/// Parses the command line. What clap refuses ends as Helm's usage errors do (exit 1, Helm's
/// words: [`usage`]); `--bool=VALUE` takes Go's spellings of booleans, as in Helm.
fn parse(args: Vec<String>) -> Result<Cli, ExitCode> {
    let mut cmd = Cli::command();
    cmd.build();
    let refused = |r: usage::Refusal| {
        print!("{}", r.stdout);
        eprint!("{}", r.stderr);
        ExitCode::from(r.code)
    };
    let (path, args) = usage::normalize(&cmd, args).map_err(refused)?;
    Cli::try_parse_from(&args).map_err(|e| refused(usage::refusal(&cmd, &path, &args, &e)))
}

/// Stack for the command's thread. Helm reads values nested up to 10,000 levels deep (Go's
/// encoding/json limit), and every stage walks them recursively: the main thread's 8 MiB is
/// not enough for that in every build. Only what is used is committed.
const COMMAND_STACK: usize = 1 << 30;

/// mimalloc's `mi_option_purge_delay` (15 in mimalloc v2 and v3's `mi_option_t`).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

extern "C" {
    /// mimalloc's option setter (part of the mimalloc library the global allocator links).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

fn main() -> ExitCode {
    // Freed memory goes back to the system at once instead of after mimalloc's default 10 ms
    // purge delay, which outlasts most of a run: measured on the bundled chart, -0.9 MiB
    // peak RSS. An explicit MIMALLOC_PURGE_DELAY in the environment still wins.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: called before any other thread exists (mimalloc's option setters are not
        // thread safe); the option number and value are valid for the linked mimalloc.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    }
    // Go takes arguments as bytes; where they are not UTF-8, what Helm prints has U+FFFD for
    // each bad byte (as encoding/json writes them), so they are read that way here.
    let args: Vec<String> = std::env::args_os()
        .map(|a| {
            use std::os::unix::ffi::OsStrExt;
            chartr::gojson::lossy_utf8(a.as_bytes())
        })
        .collect();
    let cli = match parse(args) {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Command::Diff(a) = cli.command {
        return run_diff(a, cli.global.color.or(cli.global.colour));
    }
    let result = std::thread::Builder::new()
        .name("chartr".into())
        .stack_size(COMMAND_STACK)
        .spawn(move || {
            chartr::engine::declare_stack(COMMAND_STACK);
            run(cli)
        })
        .map_err(|e| anyhow::anyhow!("cannot start the command's thread: {e}"))
        .and_then(|t| {
            t.join()
                .map_err(|_| anyhow::anyhow!("internal error: the command panicked"))?
        });
    match result {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(out.as_bytes())
                .and_then(|_| stdout.flush())
                .is_err()
            {
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            // As anyhow's `{:#}`, except that a chartr::Error's message is complete.
            eprintln!("Error: {}", chartr::error::chain_message(e.as_ref()));
            ExitCode::from(1)
        }
    }
}
