//! A symbolic link in a chart: Helm follows it (the linked contents reach `.Files`, wherever
//! the link points) and says so on standard error. chartr must print the same output and the
//! same notice as helm v4.

mod common;

use std::process::Command;

#[test]
fn symlink_is_followed_with_helms_notice() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let top = tmp.path();
    std::fs::write(top.join("outside.txt"), "from outside the chart\n").expect("write");
    for (dir, tpl) in [
        (
            "go",
            "data:\n  f: {{ .Files.Get \"linked.txt\" | quote }}\n",
        ),
        (
            "jinja",
            "data:\n  f: {{ Files.Get(\"linked.txt\") | quote }}\n",
        ),
    ] {
        let c = top.join(dir);
        std::fs::create_dir_all(c.join("templates")).expect("mkdir");
        std::fs::write(
            c.join("Chart.yaml"),
            if dir == "jinja" {
                "apiVersion: v2\nname: c\nversion: 0.1.0\nannotations:\n  chartr.dev/template-dialect: jinja\n"
            } else {
                "apiVersion: v2\nname: c\nversion: 0.1.0\n"
            },
        )
        .expect("write");
        std::os::unix::fs::symlink("../outside.txt", c.join("linked.txt")).expect("symlink");
        std::fs::write(
            c.join("templates/cm.yaml"),
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n{tpl}"),
        )
        .expect("write");
    }
    let ours = common::run_in(common::chartr(), top, &["template", "jinja"]);
    let (_, v4) = &common::helms()[1];
    let theirs = common::run_in(Command::new(v4), top, &["template", "go"]);
    assert!(
        ours.status.success(),
        "{}",
        String::from_utf8_lossy(&ours.stderr)
    );
    assert!(theirs.status.success());
    assert_eq!(
        String::from_utf8_lossy(&ours.stdout),
        String::from_utf8_lossy(&theirs.stdout)
    );
    assert!(String::from_utf8_lossy(&ours.stdout).contains("from outside the chart"));
    let ours_err = String::from_utf8_lossy(&ours.stderr).replace("/jinja/", "/CHART/");
    let theirs_err = String::from_utf8_lossy(&theirs.stderr).replace("/go/", "/CHART/");
    assert_eq!(ours_err, theirs_err);
    assert!(ours_err.contains("found symbolic link in path"));
}
