//! Turning rendered templates into `helm template`'s output: split into documents, drop empty
//! ones, sort in Helm's install order, hooks after, `---` / `# Source:` framing, `--output-dir`.
