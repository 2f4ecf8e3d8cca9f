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
    /// Transform a manifest stream (standard input to standard output): Helm's post-renderer
    #[command(
        long_about = "Transform a manifest stream, read on standard input and written to standard output, as \
Helm's post-renderers do: a Helm 4 `postrenderer/v1` plugin (plugins/chartr) or a Helm 3 executable. \
Helm 3's `# Source:` lines and Helm 4's postrenderer.helm.sh/postrender-filename annotation are kept, \
so Helm puts every document back in its file; documents no transform changes come back as they were.\n\n\
Transforms run in this order, whatever the order of the flags: patches; --namespace; --label, \
--annotation; --registry-map and --image-registry; --pull-secret. --config's settings come first, \
flags add to them.\n\n\
Images are rewritten in the pod specs of Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, \
ReplicationController, Job, CronJob and PodTemplate (containers, initContainers, \
ephemeralContainers, image volumes) and in Envoy Gateway's EnvoyProxy (envoyDeployment / \
envoyDaemonSet container and initContainers). Out of reach: an image named inside text (a \
ConfigMap's data, such as Envoy Gateway's own config, args, env values), custom resources other \
than EnvoyProxy, and images a controller picks by default. Under Helm 3 hooks are not sent to \
post-renderers; Helm 4 sends them.",
        after_help = "Examples:\n  chartr template dataflow charts/dataflow | chartr post-render --image-registry mirror.example.com --pull-secret regcred\n  helm template dataflow charts/dataflow --post-renderer chartr --post-renderer-args post-render --post-renderer-args --image-registry --post-renderer-args mirror.example.com"
    )]
    PostRender(PostRenderArgs),
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
    #[arg(long = "set", value_name = "KEY=VAL")]
    pub set: Vec<String>,
    /// Set string values (never typed)
    #[arg(long = "set-string", value_name = "KEY=VAL")]
    pub set_string: Vec<String>,
    /// Set values from files (key=path)
    #[arg(long = "set-file", value_name = "KEY=PATH")]
    pub set_file: Vec<String>,
    /// Set JSON values (key=jsonval, or a JSON object)
    #[arg(long = "set-json", value_name = "KEY=JSON")]
    pub set_json: Vec<String>,
    /// Set a literal string value (no escapes, no lists)
    #[arg(long = "set-literal", value_name = "KEY=VAL")]
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
    /// Arguments for the post-renderer (repeatable; may start with `-`, as in Helm)
    #[arg(
        long = "post-renderer-args",
        value_name = "ARG",
        allow_hyphen_values = true
    )]
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

#[derive(Debug, Clone, Args)]
pub struct PostRenderArgs {
    /// Every container image gets registry REG (host[:port][/path]), keeping path, tag and
    /// digest; Docker Hub short names are normalised first (redis:7 → REG/library/redis:7)
    #[arg(long = "image-registry", value_name = "REG")]
    pub image_registry: Option<String>,
    /// Images of registry (or registry path) FROM move to TO; repeatable; wins over
    /// --image-registry (docker.io=mirror.example.com/hub)
    #[arg(long = "registry-map", value_name = "FROM=TO")]
    pub registry_map: Vec<String>,
    /// A label on every object and its pod templates, never on selectors; repeatable
    #[arg(long = "label", value_name = "K=V")]
    pub labels: Vec<String>,
    /// An annotation on every object and its pod templates; repeatable
    #[arg(long = "annotation", value_name = "K=V")]
    pub annotations: Vec<String>,
    /// The namespace of namespaced objects that have none (never cluster-scoped kinds)
    #[arg(long = "namespace", value_name = "NS")]
    pub namespace: Option<String>,
    /// One more cluster-scoped kind, KIND or KIND.GROUP (besides the built-in kinds and the
    /// stream's CRDs with spec.scope: Cluster); repeatable
    #[arg(long = "cluster-scoped", value_name = "KIND")]
    pub cluster_scoped: Vec<String>,
    /// A Secret in every pod spec's imagePullSecrets, without duplicates; repeatable
    #[arg(long = "pull-secret", value_name = "NAME")]
    pub pull_secrets: Vec<String>,
    /// A JSON Patch (RFC 6902) or merge patch (RFC 7386) file with a kustomize-like target
    /// (`target:` kind, name, namespace, labelSelector; `patch:`); repeatable
    #[arg(long = "patch", value_name = "FILE")]
    pub patches: Vec<PathBuf>,
    /// All of the above in one YAML file (schemas/post-render.schema.json)
    #[arg(long = "config", value_name = "FILE")]
    pub config: Option<PathBuf>,
}
