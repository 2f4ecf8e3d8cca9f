//! The command line: clap definitions with Helm's flag names and short forms. Thin: it turns
//! arguments into the commands' inputs and nothing else.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "chartr",
    version,
    about = "A Helm-compatible chart renderer whose templates are Jinja",
    long_about = "chartr renders Helm charts whose templates are Jinja (minijinja) without a cluster: \
values are layered exactly as Helm layers them, validated against the charts' JSON Schemas, and \
printed in `helm template`'s exact format."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render a chart's manifests, as `helm template` prints them
    #[command(
        after_help = "Example:\n  chartr template dataflow charts/dataflow -n csghub -f values/dataflow/external-postgresql.yaml"
    )]
    Template(TemplateArgs),
    /// Print the values the chart's templates will see, after Helm's coalescing
    #[command(
        after_help = "Example:\n  chartr values charts/dataflow --set global.edition=ce --output json"
    )]
    Values(ValuesArgs),
    /// Show a chart's Chart.yaml, values.yaml, README or CRDs, as `helm show` does
    #[command(after_help = "Example:\n  chartr show values charts/dataflow")]
    Show(ShowArgs),
    /// Print a shell completion script
    #[command(after_help = "Example:\n  chartr completion bash > /etc/bash_completion.d/chartr")]
    Completion {
        /// The shell: bash, zsh or fish
        shell: CompletionShell,
    },
    /// Print chartr's version
    #[command(after_help = "Example:\n  chartr version")]
    Version,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
}

/// The value flags shared by every command that computes values.
#[derive(Debug, Clone, Default, Args)]
pub struct ValueFlags {
    /// Values file (YAML); repeatable, later files win. `-` reads standard input; a folder
    /// applies its *.yaml and *.yml files in name order (a chartr extension)
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<String>,
    /// Set values (key1=val1,key2=val2); ints and bools are typed
    #[arg(long = "set", allow_hyphen_values = true, value_name = "KEY=VAL")]
    pub set: Vec<String>,
    /// Set string values (never typed)
    #[arg(
        long = "set-string",
        allow_hyphen_values = true,
        value_name = "KEY=VAL"
    )]
    pub set_string: Vec<String>,
    /// Set values from files (key=path)
    #[arg(long = "set-file", allow_hyphen_values = true, value_name = "KEY=PATH")]
    pub set_file: Vec<String>,
    /// Set JSON values (key=jsonval, or a JSON object)
    #[arg(long = "set-json", allow_hyphen_values = true, value_name = "KEY=JSON")]
    pub set_json: Vec<String>,
    /// Set a literal string value (no escapes, no lists)
    #[arg(
        long = "set-literal",
        allow_hyphen_values = true,
        value_name = "KEY=VAL"
    )]
    pub set_literal: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct TemplateArgs {
    /// [NAME] CHART: the release name (default "release-name") and the chart folder or archive
    /// (more than two is Helm's error, exit code 1)
    #[arg(value_name = "NAME_OR_CHART", num_args = 1.., required = true)]
    pub args: Vec<String>,
    #[command(flatten)]
    pub values: ValueFlags,
    /// Namespace of the release
    #[arg(short = 'n', long = "namespace", default_value = "default")]
    pub namespace: String,
    /// Only show manifests rendered from the given templates (repeatable; globs allowed)
    #[arg(short = 's', long = "show-only", value_name = "TEMPLATE")]
    pub show_only: Vec<String>,
    /// Write each template to files under this folder instead of standard output
    #[arg(long = "output-dir", value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// With --output-dir: put the files under DIR/RELEASE/
    #[arg(long = "release-name")]
    pub release_name: bool,
    /// Generate the release name
    #[arg(short = 'g', long = "generate-name")]
    pub generate_name: bool,
    /// Include the CRDs of crds/ in the output
    #[arg(long = "include-crds")]
    pub include_crds: bool,
    /// Accepted for Helm compatibility; helm template prints no CRDs unless --include-crds
    #[arg(long = "skip-crds")]
    pub skip_crds: bool,
    /// Kubernetes version for Capabilities.KubeVersion
    #[arg(long = "kube-version", value_name = "VERSION")]
    pub kube_version: Option<String>,
    /// Kubernetes API versions for Capabilities.APIVersions (repeatable, comma-separated)
    #[arg(
        short = 'a',
        long = "api-versions",
        value_name = "VERSION",
        value_delimiter = ','
    )]
    pub api_versions: Vec<String>,
    /// Set .Release.IsUpgrade instead of .Release.IsInstall
    #[arg(long = "is-upgrade")]
    pub is_upgrade: bool,
    /// Leave out hooks
    #[arg(long = "no-hooks")]
    pub no_hooks: bool,
    /// Leave out test hooks
    #[arg(long = "skip-tests")]
    pub skip_tests: bool,
    /// Do not validate values against the charts' values.schema.json
    #[arg(long = "skip-schema-validation")]
    pub skip_schema_validation: bool,
    /// Pipe the manifests through this executable (Helm v3's post-renderer protocol)
    #[arg(long = "post-renderer", value_name = "PATH")]
    pub post_renderer: Option<PathBuf>,
    /// Arguments for the post-renderer (repeatable)
    #[arg(long = "post-renderer-args", value_name = "ARG")]
    pub post_renderer_args: Vec<String>,
    /// Answer `lookup` from these manifests: a stream, a folder of them, or `kubectl get -o yaml`
    #[arg(long = "lookup-from", value_name = "PATH")]
    pub lookup_from: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ValuesArgs {
    /// The chart folder or archive
    pub chart: PathBuf,
    #[command(flatten)]
    pub values: ValueFlags,
    /// Output format
    #[arg(short = 'o', long = "output", value_enum, default_value = "yaml")]
    pub output: OutputFormatArg,
    /// Do not validate values against the charts' values.schema.json
    #[arg(long = "skip-schema-validation")]
    pub skip_schema_validation: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutputFormatArg {
    Yaml,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// What to show
    pub what: ShowWhat,
    /// The chart folder or archive
    pub chart: PathBuf,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ShowWhat {
    All,
    Chart,
    Values,
    Readme,
    Crds,
}
