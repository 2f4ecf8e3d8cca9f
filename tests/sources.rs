//! Charts from where users keep them, against real servers on 127.0.0.1 and real helm v4.1.4:
//! a Helm repository (index.yaml and archives made by `helm package` and `helm repo index`)
//! served over HTTP by a small server in this file and over HTTPS with a test CA (openssl,
//! python3's ssl), and an OCI registry (Debian's docker-registry, with and without basic
//! auth) holding charts `helm push` put there. Each scenario runs helm and chartr with their
//! own Helm folders and compares what they print and write.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn helm() -> PathBuf {
    common::helms()[1].1.clone()
}

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/sources").join(name)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// One tool's Helm folders (config, cache, data) under a temporary folder.
struct Homes {
    dir: PathBuf,
}

impl Homes {
    fn new(parent: &Path, name: &str) -> Homes {
        let dir = parent.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        Homes { dir }
    }

    fn apply<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        for v in [
            "HELM_REPOSITORY_CONFIG",
            "HELM_REPOSITORY_CACHE",
            "HELM_REGISTRY_CONFIG",
            "HELM_CONTENT_CACHE",
            "XDG_CONFIG_HOME",
            "XDG_CACHE_HOME",
        ] {
            cmd.env_remove(v);
        }
        cmd.env("HELM_CONFIG_HOME", self.dir.join("config"))
            .env("HELM_CACHE_HOME", self.dir.join("cache"))
            .env("HELM_DATA_HOME", self.dir.join("data"))
            .stdin(Stdio::null())
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }
}

fn run(mut cmd: Command, homes: &Homes, cwd: &Path, args: &[&str]) -> Output {
    homes
        .apply(&mut cmd)
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("command runs")
}

fn helm_ok(homes: &Homes, cwd: &Path, args: &[&str]) -> Output {
    let o = run(Command::new(helm()), homes, cwd, args);
    assert!(
        o.status.success(),
        "helm {args:?}: {}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    o
}

fn chartr(homes: &Homes, cwd: &Path, args: &[&str]) -> Output {
    run(common::chartr(), homes, cwd, args)
}

fn chartr_ok(homes: &Homes, cwd: &Path, args: &[&str]) -> Output {
    let o = chartr(homes, cwd, args);
    assert!(
        o.status.success(),
        "chartr {args:?}: {}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    o
}

fn chartr_err(homes: &Homes, cwd: &Path, args: &[&str]) -> String {
    let o = chartr(homes, cwd, args);
    assert_eq!(o.status.code(), Some(1), "chartr {args:?} should fail");
    assert!(o.stdout.is_empty(), "nothing printed on error");
    text(&o.stderr)
}

/// Both tools with the same arguments: same exit, byte-identical standard output.
fn same(h: &Homes, c: &Homes, cwd: &Path, args: &[&str]) -> String {
    let ho = helm_ok(h, cwd, args);
    let co = chartr_ok(c, cwd, args);
    assert_eq!(text(&co.stdout), text(&ho.stdout), "stdout of {args:?}");
    text(&co.stdout)
}

/// A folder served over HTTP on 127.0.0.1 (GET only, HTTP/1.0), until stopped.
struct FileServer {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FileServer {
    fn start(root: &Path) -> FileServer {
        FileServer::start_with_auth(root, None)
    }

    /// With `auth` (an `Authorization` header value), other requests get 401.
    fn start_with_auth(root: &Path, auth: Option<String>) -> FileServer {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.set_nonblocking(true).unwrap();
        let port = l.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let (s, root) = (stop.clone(), root.to_path_buf());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                match l.accept() {
                    Ok((stream, _)) => serve(stream, &root, auth.as_deref()),
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        FileServer {
            port,
            stop,
            thread: Some(thread),
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }
}

impl Drop for FileServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn serve(mut stream: TcpStream, root: &Path, auth: Option<&str>) {
    stream.set_nonblocking(false).ok();
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut authorized = auth.is_none();
    loop {
        let mut h = String::new();
        match reader.read_line(&mut h) {
            Ok(0) | Err(_) => break,
            Ok(_) if h == "\r\n" || h == "\n" => break,
            Ok(_) => {
                if let (Some((k, v)), Some(want)) = (h.split_once(':'), auth) {
                    if k.eq_ignore_ascii_case("authorization") && v.trim() == want {
                        authorized = true;
                    }
                }
            }
        }
    }
    if !authorized {
        let _ = stream.write_all(
            b"HTTP/1.0 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"t\"\r\nContent-Length: 0\r\n\r\n",
        );
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let rel = path.split('?').next().unwrap_or("").trim_start_matches('/');
    let file = (!rel.contains("..")).then(|| root.join(rel));
    let resp = match file.and_then(|f| std::fs::read(f).ok()) {
        Some(body) => {
            let mut r = format!(
                "HTTP/1.0 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .into_bytes();
            r.extend(body);
            r
        }
        None => {
            b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
        }
    };
    let _ = stream.write_all(&resp);
}

/// A process this test started, killed when dropped.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Packages the web fixture at 0.1.0 and 0.2.0 and indexes them for `url`, with real helm.
fn helm_repository(tmp: &Path, url: &str) -> PathBuf {
    let repo = tmp.join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    let h = Homes::new(tmp, "packager");
    for v in ["0.1.0", "0.2.0"] {
        let src = tmp.join(format!("src-{v}/web"));
        copy_dir(&fixture("web"), &src);
        let y = std::fs::read_to_string(src.join("Chart.yaml")).unwrap();
        std::fs::write(
            src.join("Chart.yaml"),
            y.replace("version: 0.1.0", &format!("version: {v}")),
        )
        .unwrap();
        helm_ok(&h, tmp, &["package", src.to_str().unwrap(), "-d", "repo"]);
    }
    helm_ok(&h, tmp, &["repo", "index", "repo", "--url", url]);
    repo
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &t);
        } else {
            std::fs::copy(e.path(), t).unwrap();
        }
    }
}

/// Every file under `dir`, relative path → bytes.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn sorted_lines(p: &Path) -> Vec<String> {
    let mut l: Vec<String> = std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    l.sort();
    l
}

#[test]
fn helm_repository_over_http() {
    let tmp = tempfile::tempdir().unwrap();
    let tmp = tmp.path();
    // The index names the archives by absolute URL, so the server starts first.
    let staging = tmp.join("served");
    std::fs::create_dir_all(&staging).unwrap();
    let mut server = FileServer::start(&staging);
    let url = server.url();
    let repo = helm_repository(tmp, &url);
    copy_dir(&repo, &staging);
    let (h, c) = (Homes::new(tmp, "helm"), Homes::new(tmp, "chartr"));

    // repo add writes the same repositories.yaml and caches the same index.
    same(&h, &c, tmp, &["repo", "add", "local", &url]);
    assert_eq!(
        text(&std::fs::read(c.path("config/repositories.yaml")).unwrap()),
        text(&std::fs::read(h.path("config/repositories.yaml")).unwrap())
    );
    assert_eq!(
        std::fs::read(c.path("cache/repository/local-index.yaml")).unwrap(),
        std::fs::read(h.path("cache/repository/local-index.yaml")).unwrap()
    );
    assert_eq!(
        sorted_lines(&c.path("cache/repository/local-charts.txt")),
        sorted_lines(&h.path("cache/repository/local-charts.txt"))
    );
    same(&h, &c, tmp, &["repo", "add", "local", &url]);
    same(&h, &c, tmp, &["repo", "list"]);
    same(&h, &c, tmp, &["repo", "update"]);

    // Every reference form renders as helm renders it.
    let out = same(&h, &c, tmp, &["template", "local/web"]);
    assert!(out.contains("name: web"), "{out}");
    same(
        &h,
        &c,
        tmp,
        &["template", "rel", "local/web", "--version", "^0.1"],
    );
    same(
        &h,
        &c,
        tmp,
        &["template", "web", "--repo", &url, "--version", "0.1.0"],
    );
    same(&h, &c, tmp, &["template", &format!("{url}/web-0.2.0.tgz")]);

    // pull and pull --untar write the same files.
    for args in [
        vec!["pull", "local/web", "--version", "~0.1.0"],
        vec!["pull", "local/web", "-d", "out"],
        vec!["pull", "local/web", "--untar", "--untardir", "unpacked"],
        vec!["pull", "web", "--repo", url.as_str(), "--untar"],
    ] {
        let (hd, cd) = (tmp.join("pull-helm"), tmp.join("pull-chartr"));
        for d in [&hd, &cd] {
            let _ = std::fs::remove_dir_all(d);
            // helm pull -d needs an existing folder.
            std::fs::create_dir_all(d.join("out")).unwrap();
        }
        helm_ok(&h, &hd, &args);
        chartr_ok(&c, &cd, &args);
        assert_eq!(tree(&cd), tree(&hd), "files of {args:?}");
        assert!(!tree(&cd).is_empty());
    }

    // Errors that say what to do.
    let e = chartr_err(&c, tmp, &["template", "nosuch/web"]);
    assert!(
        e.contains("repo nosuch not found") && e.contains("chartr repo add nosuch"),
        "{e}"
    );
    let e = chartr_err(&c, tmp, &["template", "local/web", "--version", "0.3.0"]);
    assert!(e.contains("no chart version found for web-0.3.0"), "{e}");
    assert!(e.contains("closest versions: 0.2.0, 0.1.0"), "{e}");
    let e = chartr_err(
        &c,
        tmp,
        &["template", "web", "--repo", &url, "--version", "9"],
    );
    assert!(e.contains("closest versions: 0.2.0, 0.1.0"), "{e}");

    // An archive that is not the one the index names is refused (helm v4.1.4 does not check).
    let fresh = Homes::new(tmp, "chartr-fresh");
    chartr_ok(&fresh, tmp, &["repo", "add", "local", &url]);
    std::fs::copy(repo.join("web-0.1.0.tgz"), staging.join("web-0.2.0.tgz")).unwrap();
    let e = chartr_err(
        &fresh,
        tmp,
        &["template", "local/web", "--version", "0.2.0"],
    );
    assert!(
        e.contains("digest mismatch for") && e.contains("web-0.2.0.tgz"),
        "{e}"
    );
    std::fs::copy(repo.join("web-0.2.0.tgz"), staging.join("web-0.2.0.tgz")).unwrap();

    // With the server down, what the cache holds still renders; what it lacks says so.
    let before = chartr_ok(&c, tmp, &["template", "local/web", "--version", "0.1.0"]);
    server.stop();
    let after = chartr_ok(&c, tmp, &["template", "local/web", "--version", "0.1.0"]);
    assert_eq!(text(&after.stdout), text(&before.stdout));
    let e = chartr_err(
        &fresh,
        tmp,
        &["template", "local/web", "--version", "0.1.0"],
    );
    assert!(
        e.contains(&format!("{url}/web-0.1.0.tgz")) && e.contains("no cached copy"),
        "{e}"
    );
    // repo update prints its progress, then fails, as helm does.
    let o = chartr(&fresh, tmp, &["repo", "update"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stdout).contains(&format!(
            "...Unable to get an update from the \"local\" chart repository ({url})"
        )),
        "{}",
        text(&o.stdout)
    );
    let e = text(&o.stderr);
    assert!(
        e.contains(&format!(
            "failed to update the following repositories: [{url}]"
        )),
        "{e}"
    );

    // repo remove drops the entry and its cached index, as helm does.
    same(&h, &c, tmp, &["repo", "remove", "local"]);
    assert!(!c.path("cache/repository/local-index.yaml").exists());
    assert_eq!(
        text(&std::fs::read(c.path("config/repositories.yaml")).unwrap()),
        text(&std::fs::read(h.path("config/repositories.yaml")).unwrap())
    );
}

#[test]
fn helm_repository_behind_basic_auth() {
    use base64::Engine;
    let tmp = tempfile::tempdir().unwrap();
    let tmp = tmp.path();
    let staging = tmp.join("served");
    std::fs::create_dir_all(&staging).unwrap();
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("ci:s3cret")
    );
    let server = FileServer::start_with_auth(&staging, Some(auth));
    let url = server.url();
    copy_dir(&helm_repository(tmp, &url), &staging);
    let (h, c) = (Homes::new(tmp, "helm"), Homes::new(tmp, "chartr"));
    let e = chartr_err(&c, tmp, &["repo", "add", "private", &url]);
    assert!(e.contains("401"), "{e}");
    let creds = ["--username", "ci", "--password", "s3cret"];
    let mut a = vec!["repo", "add", "private", url.as_str()];
    a.extend(creds);
    same(&h, &c, tmp, &a);
    assert_eq!(
        text(&std::fs::read(c.path("config/repositories.yaml")).unwrap()),
        text(&std::fs::read(h.path("config/repositories.yaml")).unwrap())
    );
    // The repository's credentials go with its charts; --repo takes them from the flags.
    same(&h, &c, tmp, &["template", "private/web"]);
    let mut a = vec!["template", "web", "--repo", url.as_str()];
    a.extend(creds);
    same(&h, &c, tmp, &a);
    let e = chartr_err(&c, tmp, &["template", "web", "--repo", &url]);
    assert!(e.contains("401"), "{e}");
}

fn openssl(cwd: &Path, args: &[&str]) {
    let o = Command::new("openssl")
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("openssl runs");
    assert!(o.status.success(), "openssl {args:?}: {}", text(&o.stderr));
}

fn has(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

const HTTPS_SERVER: &str = r#"
import functools, http.server, ssl, sys
port_file, root, cert, key, client_ca = (sys.argv[1:] + [""])[:5]
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=root))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
if client_ca:
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(client_ca)
s.socket = ctx.wrap_socket(s.socket, server_side=True)
open(port_file + ".tmp", "w").write(str(s.server_address[1]))
import os; os.rename(port_file + ".tmp", port_file)
s.serve_forever()
"#;

fn wait_for_file(p: &Path) -> String {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if let Ok(s) = std::fs::read_to_string(p) {
            return s;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{} never appeared", p.display());
}

#[test]
fn helm_repository_over_https_with_a_test_ca() {
    if !has("openssl") || !has("python3") {
        println!("skipped: the HTTPS repository test needs openssl and python3");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let tmp = tmp.path();
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut a = vec!["req", "-x509"];
    a.extend(ec);
    a.extend([
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=chartr test CA",
    ]);
    openssl(tmp, &a);
    let mut a = vec!["req"];
    a.extend(ec);
    a.extend([
        "-keyout",
        "srv.key",
        "-out",
        "srv.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    openssl(tmp, &a);
    std::fs::write(
        tmp.join("ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        tmp,
        &[
            "x509",
            "-req",
            "-in",
            "srv.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "srv.crt",
            "-days",
            "2",
            "-extfile",
            "ext",
        ],
    );
    let served = tmp.join("served");
    std::fs::create_dir_all(&served).unwrap();
    let https = |name: &str, client_ca: Option<&Path>| {
        let port_file = tmp.join(name);
        let mut cmd = Command::new("python3");
        cmd.args(["-c", HTTPS_SERVER])
            .arg(&port_file)
            .arg(&served)
            .arg(tmp.join("srv.crt"))
            .arg(tmp.join("srv.key"));
        if let Some(ca) = client_ca {
            cmd.arg(ca);
        }
        let child = Killed(
            cmd.stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("python3 runs"),
        );
        let url = format!("https://127.0.0.1:{}", wait_for_file(&port_file).trim());
        (child, url)
    };
    let (_server, url) = https("port", None);
    let repo = helm_repository(tmp, &url);
    copy_dir(&repo, &served);
    let (h, c) = (Homes::new(tmp, "helm"), Homes::new(tmp, "chartr"));
    let ca = tmp.join("ca.crt");
    let ca = ca.to_str().unwrap();

    // Without the CA the server is not trusted.
    let e = chartr_err(&c, tmp, &["repo", "add", "secure", &url]);
    assert!(
        e.contains("is not a valid chart repository or cannot be reached"),
        "{e}"
    );
    let e = chartr_err(&c, tmp, &["template", "web", "--repo", &url]);
    assert!(e.contains(&url), "{e}");

    same(
        &h,
        &c,
        tmp,
        &["repo", "add", "secure", &url, "--ca-file", ca],
    );
    assert_eq!(
        text(&std::fs::read(c.path("config/repositories.yaml")).unwrap()),
        text(&std::fs::read(h.path("config/repositories.yaml")).unwrap())
    );
    same(
        &h,
        &c,
        tmp,
        &["template", "secure/web", "--version", "0.1.0"],
    );
    same(
        &h,
        &c,
        tmp,
        &["template", "web", "--repo", &url, "--ca-file", ca],
    );
    same(
        &h,
        &c,
        tmp,
        &[
            "template",
            &format!("{url}/web-0.1.0.tgz"),
            "--insecure-skip-tls-verify",
        ],
    );

    // A server that wants a client certificate (signed by the same test CA): --cert-file and
    // --key-file identify chartr as they identify helm. The index names the first server's
    // URLs, so the chart is fetched by its URL from the second.
    let mut a = vec!["req"];
    a.extend(ec);
    a.extend([
        "-keyout",
        "client.key",
        "-out",
        "client.csr",
        "-subj",
        "/CN=chartr client",
    ]);
    openssl(tmp, &a);
    std::fs::write(tmp.join("client-ext"), "extendedKeyUsage=clientAuth\n").unwrap();
    openssl(
        tmp,
        &[
            "x509",
            "-req",
            "-in",
            "client.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "client.crt",
            "-days",
            "2",
            "-extfile",
            "client-ext",
        ],
    );
    let (_mtls, mtls_url) = https("port-mtls", Some(&tmp.join("ca.crt")));
    let archive = format!("{mtls_url}/web-0.2.0.tgz");
    let e = chartr_err(&c, tmp, &["template", &archive, "--ca-file", ca]);
    assert!(e.contains(&archive), "{e}");
    let (cert, key) = (tmp.join("client.crt"), tmp.join("client.key"));
    same(
        &h,
        &c,
        tmp,
        &[
            "template",
            &archive,
            "--ca-file",
            ca,
            "--cert-file",
            cert.to_str().unwrap(),
            "--key-file",
            key.to_str().unwrap(),
        ],
    );
}

/// docker-registry on 127.0.0.1, storing in a temporary folder; with `htpasswd`, behind basic
/// auth. `None` when the package is not installed.
fn registry(tmp: &Path, htpasswd: Option<&Path>) -> Option<(Killed, String)> {
    let bin = ["/usr/bin/docker-registry", "docker-registry"]
        .into_iter()
        .find(|b| Command::new(b).arg("--version").output().is_ok())?;
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let auth = match htpasswd {
        Some(p) => format!(
            "auth:\n  htpasswd:\n    realm: chartr-test\n    path: {}\n",
            p.display()
        ),
        None => String::new(),
    };
    let config = tmp.join("registry.yml");
    std::fs::write(
        &config,
        format!(
            "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\n{auth}http:\n  addr: 127.0.0.1:{port}\n",
            tmp.join("registry-data").display()
        ),
    )
    .unwrap();
    let child = Command::new(bin)
        .arg("serve")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let child = Killed(child);
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "docker-registry never listened"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    Some((child, format!("127.0.0.1:{port}")))
}

const NO_REGISTRY: &str =
    "skipped: docker-registry is not installed (scripts/test installs it with apt-get when it runs as root)";

fn push(h: &Homes, tmp: &Path, host: &str, chart: &str) {
    let src = fixture(chart);
    helm_ok(h, tmp, &["package", src.to_str().unwrap(), "-d", "pkgs"]);
    let pkgs = std::fs::read_dir(tmp.join("pkgs")).unwrap();
    let tgz = pkgs
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(chart))
        .unwrap();
    helm_ok(
        h,
        tmp,
        &[
            "push",
            tgz.to_str().unwrap(),
            &format!("oci://{host}/charts"),
            "--plain-http",
        ],
    );
}

#[test]
fn oci_registry_without_auth() {
    let tmp = tempfile::tempdir().unwrap();
    let tmp = tmp.path();
    let Some((_registry, host)) = registry(tmp, None) else {
        println!("{NO_REGISTRY}");
        return;
    };
    let (h, c) = (Homes::new(tmp, "helm"), Homes::new(tmp, "chartr"));
    push(&h, tmp, &host, "web");
    push(&h, tmp, &host, "api");
    let oci = format!("oci://{host}/charts/web");
    let out = same(&h, &c, tmp, &["template", &oci, "--plain-http"]);
    assert!(out.contains("name: web"), "{out}");
    same(
        &h,
        &c,
        tmp,
        &[
            "template",
            &format!("oci://{host}/charts/api"),
            "--version",
            "~0.2",
            "--plain-http",
        ],
    );
    same(
        &h,
        &c,
        tmp,
        &["template", &format!("{oci}:0.1.0"), "--plain-http"],
    );
    for args in [
        vec!["pull", oci.as_str(), "--plain-http"],
        vec![
            "pull",
            oci.as_str(),
            "--plain-http",
            "--untar",
            "--version",
            "0.1.0",
        ],
    ] {
        let (hd, cd) = (tmp.join("pull-helm"), tmp.join("pull-chartr"));
        for d in [&hd, &cd] {
            let _ = std::fs::remove_dir_all(d);
            std::fs::create_dir_all(d).unwrap();
        }
        let ho = helm_ok(&h, &hd, &args);
        let co = chartr_ok(&c, &cd, &args);
        assert_eq!(
            text(&co.stderr),
            text(&ho.stderr),
            "Pulled:/Digest: of {args:?}"
        );
        assert_eq!(tree(&cd), tree(&hd), "files of {args:?}");
    }
    let e = chartr_err(
        &c,
        tmp,
        &["template", &oci, "--version", ">5", "--plain-http"],
    );
    assert!(
        e.contains("could not locate a version matching") && e.contains("0.1.0"),
        "{e}"
    );
    let e = chartr_err(
        &c,
        tmp,
        &[
            "template",
            &format!("oci://{host}/charts/none"),
            "--plain-http",
        ],
    );
    assert!(e.contains(&host), "{e}");
}

#[test]
fn oci_registry_with_basic_auth() {
    let tmp = tempfile::tempdir().unwrap();
    let tmp = tmp.path();
    let hash = Command::new("python3")
        .args(["-W", "ignore", "-c", "import crypt; print(crypt.crypt('s3cret', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))"])
        .output();
    let Ok(hash) = hash.map(|o| text(&o.stdout).trim().to_string()) else {
        println!("skipped: the registry auth test needs python3 to write a bcrypt htpasswd");
        return;
    };
    if !hash.starts_with("$2") {
        println!("skipped: python3's crypt cannot make bcrypt hashes for htpasswd");
        return;
    }
    let htpasswd = tmp.join("htpasswd");
    std::fs::write(&htpasswd, format!("ci:{hash}\n")).unwrap();
    let Some((_registry, host)) = registry(tmp, Some(&htpasswd)) else {
        println!("{NO_REGISTRY}");
        return;
    };
    let (h, c) = (Homes::new(tmp, "helm"), Homes::new(tmp, "chartr"));
    helm_ok(
        &h,
        tmp,
        &[
            "registry",
            "login",
            &host,
            "--username",
            "ci",
            "--password",
            "s3cret",
            "--plain-http",
        ],
    );
    push(&h, tmp, &host, "web");
    let oci = format!("oci://{host}/charts/web");

    // No credentials: the registry's 401, and what to do.
    let e = chartr_err(&c, tmp, &["template", &oci, "--plain-http"]);
    assert!(e.contains("401") && e.contains("--username"), "{e}");
    // Credentials on the command line.
    let flags = ["--plain-http", "--username", "ci", "--password", "s3cret"];
    let mut a = vec!["template", oci.as_str()];
    a.extend(flags);
    same(&h, &c, tmp, &a);
    // Helm's registry login file, shared with helm.
    std::fs::create_dir_all(c.path("config/registry")).unwrap();
    std::fs::copy(
        h.path("config/registry/config.json"),
        c.path("config/registry/config.json"),
    )
    .unwrap();
    same(&h, &c, tmp, &["template", &oci, "--plain-http"]);
}

#[test]
fn dependency_update_build_and_list_as_helm() {
    let tmp = tempfile::tempdir().unwrap();
    let tmp = tmp.path();
    let staging = tmp.join("served");
    std::fs::create_dir_all(&staging).unwrap();
    let _server = FileServer::start(&staging);
    let url = _server.url();
    copy_dir(&helm_repository(tmp, &url), &staging);
    let reg = registry(tmp, None);
    if reg.is_none() {
        println!("{NO_REGISTRY} (the oci:// dependency is left out)");
    }
    let (h, c) = (Homes::new(tmp, "helm"), Homes::new(tmp, "chartr"));
    for who in ["helm", "chartr"] {
        copy_dir(&fixture("lib"), &tmp.join(who).join("lib"));
    }
    let mut chart_yaml = format!(
        "apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n- name: web\n  version: ^0.1.0\n  repository: {url}\n  condition: web.enabled\n- name: lib\n  version: \">=1.0.0 <2.0.0\"\n  repository: file://../lib\n  alias: library\n"
    );
    if let Some((_, host)) = &reg {
        push(&h, tmp, host, "api");
        chart_yaml.push_str(&format!(
            "- name: api\n  version: 0.2.x\n  repository: oci://{host}/charts\n"
        ));
    }
    for who in ["helm", "chartr"] {
        let p = tmp.join(who).join("parent");
        std::fs::create_dir_all(p.join("templates")).unwrap();
        std::fs::write(p.join("Chart.yaml"), &chart_yaml).unwrap();
    }
    let (hp, cp) = (tmp.join("helm/parent"), tmp.join("chartr/parent"));
    let (hp_s, cp_s) = (hp.to_str().unwrap(), cp.to_str().unwrap());

    same(&h, &c, tmp, &["repo", "add", "local", &url]);
    let no_lock = |p: &Path| !p.join("Chart.lock").exists();
    assert!(no_lock(&hp) && no_lock(&cp));
    let ho = helm_ok(&h, tmp, &["dependency", "update", hp_s, "--plain-http"]);
    let co = chartr_ok(&c, tmp, &["dependency", "update", cp_s, "--plain-http"]);
    assert_eq!(text(&co.stdout), text(&ho.stdout));
    let lock = |p: &Path| {
        std::fs::read_to_string(p.join("Chart.lock"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("generated:"))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    };
    assert_eq!(lock(&cp), lock(&hp), "Chart.lock (but its time)");
    let charts = |p: &Path| {
        let mut n: Vec<String> = std::fs::read_dir(p.join("charts"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    assert_eq!(charts(&cp), charts(&hp));
    // Downloaded archives are the same bytes; a file:// chart is packed by each tool.
    for n in charts(&hp) {
        if !n.starts_with("lib-") {
            assert_eq!(
                std::fs::read(cp.join("charts").join(&n)).unwrap(),
                std::fs::read(hp.join("charts").join(&n)).unwrap(),
                "{n}"
            );
        }
    }
    let list_h = helm_ok(&h, tmp, &["dependency", "list", hp_s]);
    let list_c = chartr_ok(&c, tmp, &["dependency", "list", cp_s]);
    assert_eq!(
        text(&list_c.stdout).replace(cp_s, "PARENT"),
        text(&list_h.stdout).replace(hp_s, "PARENT")
    );
    let render_h = helm_ok(&h, tmp, &["template", hp_s]);
    let render_c = chartr_ok(&c, tmp, &["template", cp_s]);
    assert_eq!(text(&render_c.stdout), text(&render_h.stdout));

    // build from helm's Chart.lock into an empty charts/: the same archives again.
    for p in [&cp, &hp] {
        std::fs::remove_dir_all(p.join("charts")).unwrap();
    }
    std::fs::copy(hp.join("Chart.lock"), cp.join("Chart.lock")).unwrap();
    helm_ok(&h, tmp, &["dependency", "build", hp_s, "--plain-http"]);
    let co = chartr_ok(&c, tmp, &["dependency", "build", cp_s, "--plain-http"]);
    assert!(text(&co.stdout).contains("Saving"), "{}", text(&co.stdout));
    assert_eq!(charts(&cp), charts(&hp));
    assert_eq!(lock(&cp), lock(&hp));

    // A Chart.yaml edited after the lock: build refuses, as helm does.
    let edited = chart_yaml.replace("^0.1.0", "^0.2.0");
    std::fs::write(cp.join("Chart.yaml"), &edited).unwrap();
    let e = chartr_err(&c, tmp, &["dependency", "build", cp_s]);
    assert!(
        e.contains(
            "the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml)"
        ),
        "{e}"
    );
    // A constraint nothing satisfies: the closest versions.
    std::fs::write(
        cp.join("Chart.yaml"),
        chart_yaml.replace("^0.1.0", "^3.0.0"),
    )
    .unwrap();
    let e = chartr_err(&c, tmp, &["dependency", "update", cp_s, "--plain-http"]);
    assert!(
        e.contains("can't get a valid version for 1 subchart(s)")
            && e.contains("closest versions: 0.2.0, 0.1.0"),
        "{e}"
    );
    // --dependency-update fills a missing charts/ before rendering.
    std::fs::write(cp.join("Chart.yaml"), &chart_yaml).unwrap();
    std::fs::remove_dir_all(cp.join("charts")).unwrap();
    let e = chartr_err(&c, tmp, &["template", cp_s]);
    assert!(e.contains("missing in charts/ directory"), "{e}");
    let r = chartr_ok(
        &c,
        tmp,
        &["template", cp_s, "--dependency-update", "--plain-http"],
    );
    assert_eq!(text(&r.stdout), text(&render_h.stdout));
}

/// The long and short flags a `--help` text lists.
fn flags(help: &str) -> (Vec<String>, Vec<char>) {
    let mut long = Vec::new();
    let mut short = Vec::new();
    for l in help.lines() {
        let t = l.trim_start();
        let t = match t.strip_prefix('-') {
            Some(rest) if !rest.starts_with('-') => {
                short.extend(rest.chars().next());
                t.split_once(", ").map(|(_, r)| r).unwrap_or("")
            }
            _ => t,
        };
        if let Some(rest) = t.strip_prefix("--") {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            if !name.is_empty() {
                long.push(name);
            }
        }
    }
    long.sort();
    long.dedup();
    short.sort();
    short.dedup();
    (long, short)
}

#[test]
fn template_takes_helm_templates_whole_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let tmp = tmp.path();
    let (h, c) = (Homes::new(tmp, "helm"), Homes::new(tmp, "chartr"));
    let hh = helm_ok(&h, tmp, &["template", "--help"]);
    let ch = chartr_ok(&c, tmp, &["template", "--help"]);
    let (hl, hs) = flags(&text(&hh.stdout));
    let (cl, cs) = flags(&text(&ch.stdout));
    let missing: Vec<&String> = hl.iter().filter(|f| !cl.contains(f)).collect();
    assert!(
        missing.is_empty(),
        "helm template flags chartr lacks: {missing:?}"
    );
    let missing: Vec<&char> = hs.iter().filter(|f| !cs.contains(f)).collect();
    assert!(
        missing.is_empty(),
        "helm template short flags chartr lacks: {missing:?}"
    );
    assert!(hl.len() > 60, "helm's flags were read: {hl:?}");

    // Scripts written for helm run unchanged, and render the same.
    let web = fixture("web");
    let args = [
        "template",
        "rel",
        web.to_str().unwrap(),
        "--debug",
        "--dry-run=client",
        "--version",
        "0.1.0",
        "--create-namespace",
        "--labels",
        "a=b,c=d",
        "--wait",
        "--wait-for-jobs",
        "--timeout",
        "2m",
        "--take-ownership",
        "--atomic-not",
        "--server-side=false",
        "--hide-notes",
        "--devel",
        "--description",
        "x",
        "--kube-context",
        "k",
        "--replace",
        "--render-subchart-notes",
        "--disable-openapi-validation",
        "--enable-dns",
        "--force-replace",
        "--rollback-on-failure",
        "--skip-crds",
        "--qps",
        "5",
        "--burst-limit",
        "10",
        "-l",
        "e=f",
    ];
    // helm's unknown-flag answer, and chartr's.
    let ho = run(Command::new(helm()), &h, tmp, &args);
    let co = chartr(&c, tmp, &args);
    assert_eq!(ho.status.code(), Some(1));
    assert_eq!(co.status.code(), Some(1));
    assert_eq!(text(&co.stderr), text(&ho.stderr));
    assert_eq!(text(&co.stderr), "Error: unknown flag: --atomic-not\n");
    let known: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| *a != "--atomic-not")
        .collect();
    same(&h, &c, tmp, &known);
    let short = ["template", "-Z", web.to_str().unwrap()];
    let ho = run(Command::new(helm()), &h, tmp, &short);
    let co = chartr(&c, tmp, &short);
    assert_eq!(
        (co.status.code(), text(&co.stderr)),
        (ho.status.code(), text(&ho.stderr))
    );

    // The values helm's flag parser checks are checked, with its messages.
    let w = web.to_str().unwrap();
    for bad in [
        vec!["template", w, "--force-replace", "--force-conflicts"],
        vec!["template", w, "-l", "x"],
        vec!["template", w, "--wait=bogus"],
        vec!["template", w, "--timeout", "5x"],
        vec!["template", w, "--timeout", "5"],
        vec!["template", w, "--server-side=maybe"],
    ] {
        let ho = run(Command::new(helm()), &h, tmp, &bad);
        let co = chartr(&c, tmp, &bad);
        assert_eq!(ho.status.code(), Some(1), "{bad:?}");
        assert_eq!(
            (co.status.code(), text(&co.stderr)),
            (Some(1), text(&ho.stderr)),
            "{bad:?}"
        );
    }
    same(
        &h,
        &c,
        tmp,
        &[
            "template",
            w,
            "--timeout",
            "1h2m3.5s",
            "--wait=legacy",
            "--server-side=F",
        ],
    );

    // What cannot work without a cluster says so.
    let e = chartr_err(
        &c,
        tmp,
        &["template", web.to_str().unwrap(), "--dry-run=server"],
    );
    assert!(e.contains("needs a cluster"), "{e}");
    let e = chartr_err(
        &c,
        tmp,
        &["template", web.to_str().unwrap(), "--dry-run=bogus"],
    );
    assert_eq!(
        e,
        "Error: invalid dry-run value (\"bogus\"). Must be \"none\", \"server\", or \"client\"\n"
    );
    same(
        &h,
        &c,
        tmp,
        &[
            "template",
            web.to_str().unwrap(),
            "--name-template",
            "fixed",
        ],
    );

    // help --help and version --short.
    let o = chartr_ok(&c, tmp, &["help", "--help"]);
    assert!(text(&o.stdout).contains("help"), "{}", text(&o.stdout));
    let o = chartr_ok(&c, tmp, &["version", "--short"]);
    assert_eq!(text(&o.stdout), format!("v{}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn local_references_as_helm_reads_them() {
    let tmp = tempfile::tempdir().unwrap();
    let tmp = tmp.path();
    let c = Homes::new(tmp, "chartr");
    let e = chartr_err(&c, tmp, &["template", "./nowhere"]);
    assert_eq!(e, "Error: path \"./nowhere\" not found\n");
    let e = chartr_err(&c, tmp, &["template", "nowhere"]);
    assert!(
        e.starts_with(
            "Error: non-absolute URLs should be in form of repo_name/path_to_chart, got: nowhere"
        ),
        "{e}"
    );
    // An archive whose members climb out of the chart is refused, and pull --untar writes nothing.
    let mut ar = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    let mut put = |name: &str, data: &[u8]| {
        let mut hd = tar::Header::new_gnu();
        hd.set_size(data.len() as u64);
        hd.set_mode(0o644);
        hd.set_cksum();
        // set_path refuses "..": write the raw name, as a hostile archive would.
        let mut raw = hd.clone();
        let bytes = name.as_bytes();
        raw.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
        raw.set_cksum();
        ar.append(&raw, data).unwrap();
    };
    put(
        "evil/Chart.yaml",
        b"apiVersion: v2\nname: evil\nversion: 0.1.0\n",
    );
    put("evil/../../escaped.txt", b"x");
    let data = ar.into_inner().unwrap().finish().unwrap();
    std::fs::write(tmp.join("evil-0.1.0.tgz"), &data).unwrap();
    let e = chartr_err(&c, tmp, &["template", "evil-0.1.0.tgz"]);
    assert!(
        e.contains("chart illegally references parent directory"),
        "{e}"
    );
    let server = FileServer::start(tmp);
    let out = tmp.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let u = format!("{}/evil-0.1.0.tgz", server.url());
    let e = chartr_err(&c, &out, &["pull", &u, "--untar"]);
    assert!(
        e.contains("chart illegally references parent directory"),
        "{e}"
    );
    assert!(
        std::fs::read_dir(&out).unwrap().next().is_none(),
        "nothing unpacked"
    );
    assert!(!tmp.join("escaped.txt").exists());
}
