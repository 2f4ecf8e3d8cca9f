//! The command line: clap definitions with Helm's flag names and short forms. Thin: it turns
//! arguments into the commands' inputs and nothing else.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "chartr",
    version,
    disable_help_subcommand = true,
    about = "A Helm-compatible chart renderer: Go templates as in Helm, or Jinja",
    long_about = "chartr renders Helm charts without a cluster: Go templates as Helm runs them, or Jinja \
(minijinja) for charts that declare it; values are layered exactly as Helm layers them, validated \
against the charts' JSON Schemas, and printed in `helm template`'s exact format."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: GlobalFlags,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render a chart's manifests, as `helm template` prints them
    #[command(
        after_help = "Example:\n  chartr template dataflow charts/dataflow -n csghub -f values/dataflow/external-postgresql.yaml\n  chartr template dataflow csghub/dataflow --version '^1.16' -n csghub\n  chartr template gw oci://docker.io/envoyproxy/gateway-helm --version 1.6.3"
    )]
    Template(Box<TemplateArgs>),
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
    /// Compare two renders object by object; with --check-upgrade, what `helm upgrade` would trip on
    #[command(
        after_help = "Exit status: 0 equal, 1 different, 2 error, 3 findings of --check-upgrade.\n\nExample:\n  chartr template dataflow charts/dataflow -n csghub > old.yaml\n  chartr template dataflow charts/dataflow -n csghub --lookup-from old.yaml --set dataflow.image.tag=v2 > new.yaml\n  chartr diff old.yaml new.yaml -n csghub --check-upgrade"
    )]
    Diff(DiffArgs),
    /// Print a shell completion script
    #[command(after_help = "Example:\n  chartr completion bash > /etc/bash_completion.d/chartr")]
    Completion {
        /// The shell: bash, zsh or fish
        shell: CompletionShell,
    },
    /// Help about any command
    #[command(after_help = "Example:\n  chartr help repo add")]
    Help {
        /// The command to describe (e.g. `repo add`); none for chartr itself
        command: Vec<String>,
    },
    /// Print chartr's version
    #[command(after_help = "Example:\n  chartr version --short")]
    Version {
        /// Print the version number only, as `helm version --short`
        #[arg(long = "short")]
        short: bool,
    },
    /// Add, list, update and remove chart repositories (Helm's repositories.yaml)
    #[command(
        after_help = "Example:\n  chartr repo add csghub https://charts.opencsg.com/csghub\n  chartr repo update"
    )]
    Repo {
        #[command(subcommand)]
        command: RepoCommand,
    },
    /// Download a chart from a repository, an OCI registry or a URL (and unpack it with --untar)
    #[command(
        after_help = "Example:\n  chartr pull csghub/dataflow --version '^1.16' --untar\n  chartr pull oci://registry.example.com/charts/dataflow --version 1.16.0"
    )]
    Pull(PullArgs),
    /// Manage a chart's dependencies: fill charts/ and write Chart.lock as Helm does
    #[command(
        visible_alias = "dep",
        after_help = "Example:\n  chartr dependency update charts/mychart\n  chartr dependency build charts/mychart\n  chartr dependency list charts/mychart"
    )]
    Dependency {
        #[command(subcommand)]
        command: DependencyCommand,
    },
}

/// Helm's global flags. The ones naming Helm's files work; the Kubernetes ones are accepted
/// and do nothing (chartr never talks to a cluster).
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalFlags {
    /// Path to the file containing repository names and URLs (default: Helm's, see HELM_REPOSITORY_CONFIG)
    #[arg(long = "repository-config", global = true, value_name = "FILE")]
    pub repository_config: Option<PathBuf>,
    /// Path to the folder containing cached repository indexes (default: Helm's, see HELM_REPOSITORY_CACHE)
    #[arg(long = "repository-cache", global = true, value_name = "DIR")]
    pub repository_cache: Option<PathBuf>,
    /// Path to the registry login file (default: Helm's, see HELM_REGISTRY_CONFIG)
    #[arg(long = "registry-config", global = true, value_name = "FILE")]
    pub registry_config: Option<PathBuf>,
    /// Path to the folder of cached charts (default: Helm's, see HELM_CONTENT_CACHE)
    #[arg(long = "content-cache", global = true, value_name = "DIR")]
    pub content_cache: Option<PathBuf>,
    /// Accepted for Helm compatibility; does nothing
    #[arg(long = "debug", global = true)]
    pub debug: bool,
    /// Accepted for Helm compatibility (no cluster is used); does nothing
    #[arg(
        long = "burst-limit",
        global = true,
        value_name = "INT",
        hide_short_help = true
    )]
    pub burst_limit: Option<i64>,
    /// When to colour output: auto, always or never (`chartr diff` colours its text; other
    /// commands print no colours)
    #[arg(
        long = "color",
        global = true,
        value_name = "WHEN",
        hide_short_help = true
    )]
    pub color: Option<String>,
    /// Accepted for Helm compatibility; chartr prints no colours
    #[arg(
        long = "colour",
        global = true,
        value_name = "WHEN",
        hide_short_help = true
    )]
    pub colour: Option<String>,
    /// Accepted for Helm compatibility (no cluster is used); does nothing
    #[arg(
        long = "kube-apiserver",
        global = true,
        value_name = "URL",
        hide_short_help = true
    )]
    pub kube_apiserver: Option<String>,
    /// Accepted for Helm compatibility (no cluster is used); does nothing
    #[arg(
        long = "kube-as-group",
        global = true,
        value_name = "GROUP",
        hide_short_help = true
    )]
    pub kube_as_group: Vec<String>,
    /// Accepted for Helm compatibility (no cluster is used); does nothing
    #[arg(
        long = "kube-as-user",
        global = true,
        value_name = "USER",
        hide_short_help = true
    )]
    pub kube_as_user: Option<String>,
    /// Accepted for Helm compatibility (no cluster is used); does nothing
    #[arg(
        long = "kube-ca-file",
        global = true,
        value_name = "FILE",
        hide_short_help = true
    )]
    pub kube_ca_file: Option<String>,
    /// Accepted for Helm compatibility (no cluster is used); does nothing
    #[arg(
        long = "kube-context",
        global = true,
        value_name = "NAME",
        hide_short_help = true
    )]
    pub kube_context: Option<String>,
    /// Accepted for Helm compatibility (no cluster is used); does nothing
    #[arg(
        long = "kube-insecure-skip-tls-verify",
        global = true,
        hide_short_help = true
    )]
    pub kube_insecure_skip_tls_verify: bool,
    /// Accepted for Helm compatibility (no cluster is used); does nothing
    #[arg(
        long = "kube-tls-server-name",
        global = true,
        value_name = "NAME",
        hide_short_help = true
    )]
    pub kube_tls_server_name: Option<String>,
    /// Accepted for Helm compatibility (no cluster is used); does nothing
    #[arg(
        long = "kube-token",
        global = true,
        value_name = "TOKEN",
        hide_short_help = true
    )]
    pub kube_token: Option<String>,
    /// Accepted for Helm compatibility (no cluster is used); does nothing
    #[arg(
        long = "kubeconfig",
        global = true,
        value_name = "FILE",
        hide_short_help = true
    )]
    pub kubeconfig: Option<String>,
    /// Accepted for Helm compatibility (no cluster is used); does nothing
    #[arg(
        long = "qps",
        global = true,
        value_name = "FLOAT",
        hide_short_help = true
    )]
    pub qps: Option<f32>,
}

/// Where to find a chart and how to reach it (Helm's `ChartPathOptions`).
#[derive(Debug, Clone, Default, Args)]
pub struct SourceFlags {
    /// A version or a semver constraint for the chart (e.g. 1.1.1 or ^2.0.0); the newest when not given
    #[arg(long = "version", value_name = "VERSION")]
    pub version: Option<String>,
    /// Use development versions, too (>0.0.0-0); ignored when --version is given
    #[arg(long = "devel")]
    pub devel: bool,
    /// Chart repository URL where to locate the requested chart
    #[arg(long = "repo", value_name = "URL")]
    pub repo: Option<String>,
    #[command(flatten)]
    pub transport: TransportFlags,
    /// Not supported: chartr cannot check provenance (.prov) signatures, and says so
    #[arg(long = "verify")]
    pub verify: bool,
    /// Keyring for --verify (unused: --verify is refused)
    #[arg(long = "keyring", value_name = "FILE")]
    pub keyring: Option<String>,
}

/// How to reach a repository or registry (Helm's getter options).
#[derive(Debug, Clone, Default, Args)]
pub struct TransportFlags {
    /// Chart repository username
    #[arg(long = "username", value_name = "USER")]
    pub username: Option<String>,
    /// Chart repository password
    #[arg(long = "password", value_name = "PASSWORD")]
    pub password: Option<String>,
    /// Verify certificates of HTTPS-enabled servers using this CA bundle
    #[arg(long = "ca-file", value_name = "FILE")]
    pub ca_file: Option<String>,
    /// Identify HTTPS client using this SSL certificate file
    #[arg(long = "cert-file", value_name = "FILE")]
    pub cert_file: Option<String>,
    /// Identify HTTPS client using this SSL key file
    #[arg(long = "key-file", value_name = "FILE")]
    pub key_file: Option<String>,
    /// Skip TLS certificate checks for the chart download
    #[arg(long = "insecure-skip-tls-verify")]
    pub insecure_skip_tls_verify: bool,
    /// Use insecure HTTP connections to OCI registries
    #[arg(long = "plain-http")]
    pub plain_http: bool,
    /// Pass credentials to all domains
    #[arg(long = "pass-credentials")]
    pub pass_credentials: bool,
}

/// `helm install`'s flags that `helm template` accepts but that cannot change a render without
/// a cluster: chartr accepts them and does nothing with them.
#[derive(Debug, Clone, Default, Args)]
pub struct InstallNoopFlags {
    /// Accepted; does nothing (no cluster)
    #[arg(long = "create-namespace")]
    pub create_namespace: bool,
    /// Accepted; does nothing (a description is release metadata, not rendered)
    #[arg(long = "description", value_name = "TEXT")]
    pub description: Option<String>,
    /// Accepted; does nothing (no cluster)
    #[arg(long = "disable-openapi-validation")]
    pub disable_openapi_validation: bool,
    /// "client" (the default) renders as always; "server" is refused: chartr has no cluster
    #[arg(long = "dry-run", value_name = "MODE", num_args = 0..=1, default_missing_value = "unset", require_equals = true)]
    pub dry_run: Option<String>,
    /// Accepted; does nothing (chartr's templates have no DNS lookups)
    #[arg(long = "enable-dns")]
    pub enable_dns: bool,
    /// Accepted; does nothing (no cluster)
    #[arg(long = "force-conflicts")]
    pub force_conflicts: bool,
    /// Accepted; does nothing (no cluster)
    #[arg(long = "force-replace")]
    pub force_replace: bool,
    /// Accepted; does nothing (helm template prints no notes)
    #[arg(long = "hide-notes")]
    pub hide_notes: bool,
    /// Accepted; does nothing (labels are release metadata, not rendered)
    #[arg(
        short = 'l',
        long = "labels",
        value_name = "KEY=VALUE",
        value_delimiter = ','
    )]
    pub labels: Vec<String>,
    /// Accepted; does nothing (helm template prints no notes)
    #[arg(long = "render-subchart-notes")]
    pub render_subchart_notes: bool,
    /// Accepted; does nothing (no cluster)
    #[arg(long = "replace")]
    pub replace: bool,
    /// Accepted; does nothing (no cluster)
    #[arg(long = "rollback-on-failure")]
    pub rollback_on_failure: bool,
    /// Accepted; does nothing (no cluster)
    #[arg(long = "server-side", value_name = "BOOL", num_args = 0..=1, default_missing_value = "true", require_equals = true)]
    pub server_side: Option<String>,
    /// Accepted; does nothing (no cluster)
    #[arg(long = "take-ownership")]
    pub take_ownership: bool,
    /// Accepted; does nothing (no cluster)
    #[arg(long = "timeout", value_name = "DURATION")]
    pub timeout: Option<String>,
    /// Accepted; does nothing (no cluster)
    #[arg(long = "wait", value_name = "STRATEGY", num_args = 0..=1, default_missing_value = "watcher", require_equals = true)]
    pub wait: Option<String>,
    /// Accepted; does nothing (no cluster)
    #[arg(long = "wait-for-jobs")]
    pub wait_for_jobs: bool,
}

#[derive(Debug, Clone, Subcommand)]
pub enum RepoCommand {
    /// Add a chart repository
    Add(RepoAddArgs),
    /// List chart repositories
    #[command(visible_alias = "ls")]
    List,
    /// Update the cached indexes of the chart repositories (all, or the named ones)
    #[command(visible_alias = "up")]
    Update {
        /// The repositories to update (default: all)
        names: Vec<String>,
        /// Accepted for Helm compatibility; does nothing
        #[arg(long = "timeout", value_name = "DURATION")]
        timeout: Option<String>,
    },
    /// Remove chart repositories
    #[command(visible_alias = "rm")]
    Remove {
        /// The repositories to remove
        #[arg(required = true)]
        names: Vec<String>,
    },
}

#[derive(Debug, Clone, Args)]
pub struct RepoAddArgs {
    /// The repository's name
    pub name: String,
    /// The repository's URL
    pub url: String,
    #[command(flatten)]
    pub transport: TransportFlags,
    /// Replace the repository if it exists with another configuration
    #[arg(long = "force-update")]
    pub force_update: bool,
    /// Accepted for Helm compatibility; does nothing
    #[arg(long = "timeout", value_name = "DURATION")]
    pub timeout: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct PullArgs {
    /// The chart: REPO/CHART, CHART with --repo, oci://REGISTRY/PATH/CHART or an https URL
    pub chart: String,
    #[command(flatten)]
    pub source: SourceFlags,
    /// Where to write the chart
    #[arg(
        short = 'd',
        long = "destination",
        value_name = "DIR",
        default_value = "."
    )]
    pub destination: PathBuf,
    /// Unpack the chart after downloading it
    #[arg(long = "untar")]
    pub untar: bool,
    /// With --untar: the folder to unpack into (relative to --destination)
    #[arg(long = "untardir", value_name = "DIR", default_value = ".")]
    pub untar_dir: PathBuf,
    /// Accepted for Helm compatibility; does nothing (no provenance is fetched)
    #[arg(long = "prov")]
    pub prov: bool,
}

#[derive(Debug, Clone, Subcommand)]
pub enum DependencyCommand {
    /// Fill charts/ from Chart.lock (or, without a Chart.lock, as update does)
    Build(DependencyArgs),
    /// Resolve Chart.yaml's dependencies, fill charts/ and write Chart.lock
    #[command(visible_alias = "up")]
    Update(DependencyArgs),
    /// List the chart's dependencies and their status
    #[command(visible_alias = "ls")]
    List {
        /// The chart folder
        #[arg(default_value = ".")]
        chart: PathBuf,
    },
}

#[derive(Debug, Clone, Args)]
pub struct DependencyArgs {
    /// The chart folder
    #[arg(default_value = ".")]
    pub chart: PathBuf,
    /// Do not refresh the repositories' cached indexes first
    #[arg(long = "skip-refresh")]
    pub skip_refresh: bool,
    #[command(flatten)]
    pub transport: TransportFlags,
    /// Not supported: chartr cannot check provenance (.prov) signatures, and says so
    #[arg(long = "verify")]
    pub verify: bool,
    /// Keyring for --verify (unused: --verify is refused)
    #[arg(long = "keyring", value_name = "FILE")]
    pub keyring: Option<String>,
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
    /// Refuse a values file (-f, --set-file, standard input) larger than SIZE bytes (suffixes
    /// K, M, G, Ki, Mi, Gi; default 32Mi): reading values takes about 45 times their size in
    /// memory
    #[arg(long = "max-values-bytes", value_name = "SIZE", value_parser = parse_size)]
    pub max_values_bytes: Option<u64>,
}

/// A size in bytes: digits with an optional suffix, K/M/G (powers of 1000) or Ki/Mi/Gi (of
/// 1024), as Kubernetes quantities.
fn parse_size(s: &str) -> Result<u64, String> {
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, suffix) = s.split_at(digits);
    let unit: u64 = match suffix {
        "" => 1,
        "K" => 1_000,
        "M" => 1_000_000,
        "G" => 1_000_000_000,
        "Ki" => 1 << 10,
        "Mi" => 1 << 20,
        "Gi" => 1 << 30,
        _ => {
            return Err(format!(
                "{s:?} is not a size: digits, then K, M, G, Ki, Mi or Gi"
            ))
        }
    };
    n.parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(|| format!("{s:?} is not a size: digits, then K, M, G, Ki, Mi or Gi"))
}

#[derive(Debug, Clone, Args)]
pub struct TemplateArgs {
    /// [NAME] CHART: the release name (default "release-name") and the chart: a folder, a .tgz,
    /// REPO/CHART, CHART with --repo, oci://REGISTRY/PATH/CHART or an https URL (more than two
    /// is Helm's error, exit code 1)
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
    /// Take the release name from a Go template (Sprig functions, no data), as Helm
    #[arg(long = "name-template", value_name = "TEMPLATE")]
    pub name_template: Option<String>,
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
    /// Fail when the rendered manifests, or a post-renderer's output, exceed SIZE bytes
    /// (suffixes K, M, G, Ki, Mi, Gi; default 256Mi)
    #[arg(long = "max-output-bytes", value_name = "SIZE", value_parser = parse_size)]
    pub max_output_bytes: Option<u64>,
    #[command(flatten)]
    pub source: SourceFlags,
    /// Run `dependency update` first when charts/ lacks a dependency of Chart.yaml (local chart folders)
    #[arg(long = "dependency-update")]
    pub dependency_update: bool,
    #[command(flatten)]
    pub install: InstallNoopFlags,
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

#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The earlier render: a manifest stream, a folder written by --output-dir, or - (stdin)
    pub old: String,
    /// The later render, the same way
    pub new: String,
    /// The release namespace: where objects that name none are, and what ownership metadata names
    #[arg(short = 'n', long = "namespace", default_value = "default")]
    pub namespace: String,
    /// Lines of context around each change
    #[arg(short = 'C', long = "context", value_name = "N", default_value_t = 3)]
    pub context: usize,
    /// Leave out a field (repeatable): metadata.labels["app.kubernetes.io/version"], **.annotations["checksum/config"]
    #[arg(long = "ignore", value_name = "PATH")]
    pub ignore: Vec<String>,
    /// Print Secret values and URL passwords instead of masking them
    #[arg(long = "show-secrets")]
    pub show_secrets: bool,
    /// Output format; crds prints NEW's crds/ CRDs that OLD lacks or that changed, for kubectl apply
    #[arg(short = 'o', long = "output", value_enum, default_value = "text")]
    pub output: DiffFormatArg,
    /// Check what `helm upgrade` from OLD to NEW would be refused for or would lose (exit 3 on findings)
    #[arg(long = "check-upgrade")]
    pub check_upgrade: bool,
    /// The cluster's current objects (kubectl get -o yaml output, a stream or a folder), for the adoption check
    #[arg(long = "cluster", value_name = "FILE|DIR")]
    pub cluster: Option<PathBuf>,
    /// The target Kubernetes version, for the removed-APIs check (default v1.35.0)
    #[arg(long = "kube-version", value_name = "VERSION")]
    pub kube_version: Option<String>,
    /// The release name ownership metadata must name (default: read from the cluster's copies of OLD's objects)
    #[arg(long = "release", value_name = "NAME")]
    pub release: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DiffFormatArg {
    Text,
    Json,
    Markdown,
    Crds,
}
