//! The `chartr` binary: parses arguments, runs a command, prints its result, maps errors to
//! exit codes (1 for bad input, 2 for usage errors, as clap reports them).

mod cli;

use chartr::commands;
use chartr::values::ValueOptions;
use clap::{CommandFactory, Parser};
use cli::{Cli, Command};
use std::io::Write;
use std::process::ExitCode;

fn value_options(f: &cli::ValueFlags) -> ValueOptions {
    ValueOptions {
        values_files: f.values.clone(),
        set: f.set.clone(),
        set_string: f.set_string.clone(),
        set_file: f.set_file.clone(),
        set_json: f.set_json.clone(),
        set_literal: f.set_literal.clone(),
    }
}

fn run(cli: Cli) -> anyhow::Result<String> {
    match cli.command {
        Command::Values(a) => {
            let format = match a.output {
                cli::OutputFormatArg::Json => commands::values::OutputFormat::Json,
                cli::OutputFormatArg::Yaml => commands::values::OutputFormat::Yaml,
            };
            commands::values::run(
                &a.chart,
                &value_options(&a.values),
                a.skip_schema_validation,
                format,
                &mut std::io::stdin(),
            )
        }
        Command::Template(a) => {
            let opts = commands::template::TemplateOptions {
                args: a.args,
                values: value_options(&a.values),
                namespace: a.namespace,
                show_only: a.show_only,
                output_dir: a.output_dir.map(|p| p.to_string_lossy().into_owned()),
                release_name_dir: a.release_name,
                generate_name: a.generate_name,
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
            };
            let out = commands::template::run(&opts, &mut std::io::stdin())?;
            for n in &out.notices {
                eprintln!("{n}");
            }
            Ok(out.stdout)
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
            commands::show::run(&a.chart, what)
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
        Command::Version => Ok(format!("chartr {}\n", env!("CARGO_PKG_VERSION"))),
    }
}

fn main() -> ExitCode {
    // Go takes arguments as bytes; where they are not UTF-8, what Helm prints has U+FFFD for
    // each bad byte (as encoding/json writes them), so they are read that way here.
    let args = std::env::args_os().map(|a| {
        use std::os::unix::ffi::OsStrExt;
        chartr::gojson::lossy_utf8(a.as_bytes())
    });
    let cli = Cli::parse_from(args);
    // Values may nest 10,000 levels deep, as Helm allows; every stage walks them recursively.
    let big_stack = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(move || run(cli))
        .map(|h| h.join());
    let result = match big_stack {
        Ok(Ok(r)) => r,
        _ => Err(anyhow::anyhow!("internal error: the render thread failed")),
    };
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
            eprintln!("Error: {e:#}");
            ExitCode::from(1)
        }
    }
}
