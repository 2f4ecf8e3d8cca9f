//! Helm's folders, as Helm v4.1.4 computes them (pkg/helmpath/lazypath.go, lazypath_unix.go and
//! pkg/cli/environment.go): `HELM_CONFIG_HOME` / `HELM_CACHE_HOME` win, else `$XDG_*_HOME/helm`,
//! else `~/.config/helm` and `~/.cache/helm`; the files inside can each be moved by their own
//! variable (`HELM_REPOSITORY_CONFIG`, `HELM_REPOSITORY_CACHE`, `HELM_REGISTRY_CONFIG`,
//! `HELM_CONTENT_CACHE`). Sharing these paths is what lets chartr and helm share a machine.

use std::path::PathBuf;

/// Where Helm keeps what chartr reads and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelmPaths {
    /// repositories.yaml: the repositories `repo add` named.
    pub repository_config: PathBuf,
    /// The repositories' downloaded `NAME-index.yaml` and `NAME-charts.txt`.
    pub repository_cache: PathBuf,
    /// Downloaded charts by their sha256 (Helm v4's content cache).
    pub content_cache: PathBuf,
    /// The OCI registry login file (docker-style `auths`).
    pub registry_config: PathBuf,
}

impl HelmPaths {
    /// The paths from the process environment.
    pub fn from_env() -> HelmPaths {
        HelmPaths::from_lookup(&|k| std::env::var(k).ok())
    }

    /// The paths from any environment (`get` answers a variable's value).
    pub fn from_lookup(get: &dyn Fn(&str) -> Option<String>) -> HelmPaths {
        let var = |k: &str| get(k).filter(|v| !v.is_empty());
        let home = || var("HOME").map(PathBuf::from).unwrap_or_default();
        // lazypath.path: the Helm variable names the folder itself; an XDG one its parent.
        let base = |helm: &str, xdg: &str, default: &str| match var(helm) {
            Some(b) => PathBuf::from(b),
            None => var(xdg)
                .map(PathBuf::from)
                .unwrap_or_else(|| home().join(default))
                .join("helm"),
        };
        let config = base("HELM_CONFIG_HOME", "XDG_CONFIG_HOME", ".config");
        let cache = base("HELM_CACHE_HOME", "XDG_CACHE_HOME", ".cache");
        let or = |k: &str, d: PathBuf| var(k).map(PathBuf::from).unwrap_or(d);
        HelmPaths {
            repository_config: or("HELM_REPOSITORY_CONFIG", config.join("repositories.yaml")),
            repository_cache: or("HELM_REPOSITORY_CACHE", cache.join("repository")),
            content_cache: or("HELM_CONTENT_CACHE", cache.join("content")),
            registry_config: or("HELM_REGISTRY_CONFIG", config.join("registry/config.json")),
        }
    }

    /// `helmpath.CacheIndexFile`: the cached index of repository `name`.
    pub fn index_file(&self, name: &str) -> PathBuf {
        self.repository_cache.join(format!("{name}-index.yaml"))
    }

    /// `helmpath.CacheChartsFile`: the cached chart names of repository `name`.
    pub fn charts_file(&self, name: &str) -> PathBuf {
        self.repository_cache.join(format!("{name}-charts.txt"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn paths(vars: &[(&str, &str)]) -> HelmPaths {
        let m: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        HelmPaths::from_lookup(&|k| m.get(k).cloned())
    }

    #[test]
    fn defaults_under_home() {
        let p = paths(&[("HOME", "/h")]);
        assert_eq!(
            p.repository_config,
            PathBuf::from("/h/.config/helm/repositories.yaml")
        );
        assert_eq!(
            p.repository_cache,
            PathBuf::from("/h/.cache/helm/repository")
        );
        assert_eq!(p.content_cache, PathBuf::from("/h/.cache/helm/content"));
        assert_eq!(
            p.registry_config,
            PathBuf::from("/h/.config/helm/registry/config.json")
        );
        assert_eq!(
            p.index_file("x"),
            PathBuf::from("/h/.cache/helm/repository/x-index.yaml")
        );
    }

    #[test]
    fn helm_variables_name_the_folder_xdg_ones_its_parent() {
        let p = paths(&[
            ("HOME", "/h"),
            ("HELM_CONFIG_HOME", "/c"),
            ("XDG_CACHE_HOME", "/x"),
        ]);
        assert_eq!(p.repository_config, PathBuf::from("/c/repositories.yaml"));
        assert_eq!(p.repository_cache, PathBuf::from("/x/helm/repository"));
        let p = paths(&[
            ("HOME", "/h"),
            ("HELM_CACHE_HOME", ""),
            ("HELM_REPOSITORY_CONFIG", "/r.yaml"),
            ("HELM_REPOSITORY_CACHE", "/rc"),
            ("HELM_CONTENT_CACHE", "/cc"),
            ("HELM_REGISTRY_CONFIG", "/reg.json"),
        ]);
        assert_eq!(p.repository_config, PathBuf::from("/r.yaml"));
        assert_eq!(p.repository_cache, PathBuf::from("/rc"));
        assert_eq!(p.content_cache, PathBuf::from("/cc"));
        assert_eq!(p.registry_config, PathBuf::from("/reg.json"));
    }
}
