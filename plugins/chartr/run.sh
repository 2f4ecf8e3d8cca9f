#!/bin/sh
# Runs chartr for Helm 4's post-renderer plugin, with the --post-renderer-args Helm passes.
# The binary is, in this order: $CHARTR_BIN; bin/chartr in this folder (for example after
# `cargo install --path . --root plugins/chartr`); chartr on PATH.
# Helm 4 keeps a plugin's standard error to itself, so this script's messages are seen only
# when it is run by hand.
if [ -n "${CHARTR_BIN:-}" ]; then
  exec "$CHARTR_BIN" "$@"
fi
here=$(dirname "$0")
if [ -x "$here/bin/chartr" ]; then
  exec "$here/bin/chartr" "$@"
fi
if command -v chartr >/dev/null 2>&1; then
  exec chartr "$@"
fi
echo "chartr plugin: no chartr binary: set CHARTR_BIN, put chartr in $here/bin/, or on PATH" >&2
exit 127
