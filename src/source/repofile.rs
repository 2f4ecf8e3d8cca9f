//! repositories.yaml, read and written as Helm v4.1.4 does (pkg/repo/v1/repo.go, chartrepo.go's
//! `Entry`): written through sigs.k8s.io/yaml, so keys come out sorted and every field is
//! present. `generated` is kept as read (Helm keeps it too).

use super::SourceError;
use crate::{yaml, Map, Value};
use std::path::Path;

/// One repository of repositories.yaml (`repo.Entry`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub url: String,
    pub username: String,
    pub password: String,
    pub cert_file: String,
    pub key_file: String,
    pub ca_file: String,
    pub insecure_skip_tls_verify: bool,
    pub pass_credentials_all: bool,
}

/// repositories.yaml (`repo.File`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RepoFile {
    pub api_version: String,
    /// As written in the file (RFC 3339); a new file gets the current time.
    pub generated: String,
    pub repositories: Vec<Entry>,
}

fn text(m: &Map, k: &str) -> String {
    match m.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => crate::gojson::format_number(n),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn flag(m: &Map, k: &str) -> bool {
    matches!(m.get(k), Some(Value::Bool(true)))
}

impl RepoFile {
    /// `repo.LoadFile`; `Ok(None)` when the file does not exist.
    pub fn load(path: &Path) -> Result<Option<RepoFile>, SourceError> {
        let data = match std::fs::read_to_string(path) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(SourceError::RepoFile {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        let label = path.display().to_string();
        let v = yaml::parse(&data, &label)?;
        let Value::Object(m) = v else {
            return Ok(Some(RepoFile::default()));
        };
        let mut f = RepoFile {
            api_version: text(&m, "apiVersion"),
            generated: text(&m, "generated"),
            repositories: Vec::new(),
        };
        if let Some(Value::Array(list)) = m.get("repositories") {
            for r in list {
                if let Value::Object(e) = r {
                    f.repositories.push(Entry {
                        name: text(e, "name"),
                        url: text(e, "url"),
                        username: text(e, "username"),
                        password: text(e, "password"),
                        cert_file: text(e, "certFile"),
                        key_file: text(e, "keyFile"),
                        ca_file: text(e, "caFile"),
                        insecure_skip_tls_verify: flag(e, "insecure_skip_tls_verify"),
                        pass_credentials_all: flag(e, "pass_credentials_all"),
                    });
                }
            }
        }
        Ok(Some(f))
    }

    /// `File.Get`.
    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.repositories.iter().find(|e| e.name == name)
    }

    /// `File.Update`: replaces the entry of the same name, or appends.
    pub fn update(&mut self, e: Entry) {
        match self.repositories.iter_mut().find(|x| x.name == e.name) {
            Some(x) => *x = e,
            None => self.repositories.push(e),
        }
    }

    /// `File.Remove`: whether an entry was removed.
    pub fn remove(&mut self, name: &str) -> bool {
        let n = self.repositories.len();
        self.repositories.retain(|e| e.name != name);
        n != self.repositories.len()
    }

    /// The file's text, as `File.WriteFile` marshals it.
    pub fn to_yaml(&self) -> String {
        let s = |v: &str| Value::String(v.to_string());
        let repos: Vec<Value> = self
            .repositories
            .iter()
            .map(|e| {
                let mut m = Map::new();
                m.insert("caFile".into(), s(&e.ca_file));
                m.insert("certFile".into(), s(&e.cert_file));
                m.insert(
                    "insecure_skip_tls_verify".into(),
                    Value::Bool(e.insecure_skip_tls_verify),
                );
                m.insert("keyFile".into(), s(&e.key_file));
                m.insert("name".into(), s(&e.name));
                m.insert(
                    "pass_credentials_all".into(),
                    Value::Bool(e.pass_credentials_all),
                );
                m.insert("password".into(), s(&e.password));
                m.insert("url".into(), s(&e.url));
                m.insert("username".into(), s(&e.username));
                Value::Object(m)
            })
            .collect();
        let mut top = Map::new();
        top.insert("apiVersion".into(), s(&self.api_version));
        top.insert("generated".into(), s(&self.generated));
        top.insert("repositories".into(), Value::Array(repos));
        yaml::to_yaml(&Value::Object(top))
    }

    /// Writes the file (folders created), atomically.
    pub fn write(&self, path: &Path) -> Result<(), SourceError> {
        super::write_atomic(path, self.to_yaml().as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_in_helms_layout() {
        let mut f = RepoFile {
            api_version: "v1".into(),
            generated: "2026-12-01T23:00:00.5Z".into(),
            repositories: vec![],
        };
        f.update(Entry {
            name: "local".into(),
            url: "http://127.0.0.1:1/charts".into(),
            ..Default::default()
        });
        let text = f.to_yaml();
        assert_eq!(
            text,
            "apiVersion: v1\ngenerated: \"2026-12-01T23:00:00.5Z\"\nrepositories:\n- caFile: \"\"\n  certFile: \"\"\n  insecure_skip_tls_verify: false\n  keyFile: \"\"\n  name: local\n  pass_credentials_all: false\n  password: \"\"\n  url: http://127.0.0.1:1/charts\n  username: \"\"\n"
        );
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.yaml");
        f.write(&p).unwrap();
        assert_eq!(RepoFile::load(&p).unwrap().unwrap(), f);
        assert!(f.remove("local"));
        assert!(!f.remove("local"));
        assert!(RepoFile::load(&dir.path().join("none")).unwrap().is_none());
    }
}
