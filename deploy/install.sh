#!/bin/sh
# install.sh: put a built polygrader into the layout it searches (Sources/Sandbox/ResourcePaths.swift):
#   PREFIX/bin/polygrader
#   PREFIX/libexec/polygrader/polyjail            (and the deploy helpers beside it)
#   PREFIX/share/polygrader/{sandboxes,languages,support/python,support/java,examples}
#   PREFIX/share/doc/polygrader                   (docs/, README.md)
# Usage: deploy/install.sh [--destdir DIR] [--build-dir DIR] PREFIX
#   --build-dir: where polygrader and polyjail were built (default .build/release)
#   --destdir:   a staging root prepended to every path (packaging, the Dockerfile's build stage)
# The Dockerfile and docs/install.md both use this script, so the two layouts cannot drift apart.
set -eu

usage() { echo "usage: $0 [--destdir DIR] [--build-dir DIR] PREFIX" >&2; exit 2; }
destdir=""
build=".build/release"
while [ $# -gt 0 ]; do
    case "$1" in
        --destdir) [ $# -ge 2 ] || usage; destdir="$2"; shift 2 ;;
        --build-dir) [ $# -ge 2 ] || usage; build="$2"; shift 2 ;;
        -*) usage ;;
        *) break ;;
    esac
done
[ $# -eq 1 ] || usage
prefix="$1"
case "$prefix" in /*) ;; *) echo "install.sh: PREFIX must be absolute: $prefix" >&2; exit 2 ;; esac

repo="$(cd "$(dirname "$0")/.." && pwd)"
for exe in polygrader polyjail; do
    [ -x "$build/$exe" ] || { echo "install.sh: $build/$exe not found: build first (swift build -c release --static-swift-stdlib)" >&2; exit 1; }
done

root="$destdir$prefix"
share="$root/share/polygrader"
libexec="$root/libexec/polygrader"
install -d -m 0755 "$root/bin" "$libexec" "$share" "$share/support"
install -m 0755 "$build/polygrader" "$root/bin/polygrader"
# polyjail runs as root from polygrader (never setuid): root-owned and not writable by anyone else.
install -m 0755 "$build/polyjail" "$libexec/polyjail"
install -m 0755 "$repo/deploy/bin/polygrader-cgroup-delegate" "$repo/deploy/bin/polygrader-render-config" "$libexec/"

# Data directories: replaced whole, so a file removed upstream does not linger. Caches are left out.
copy_tree() { # SRC DEST
    rm -rf "$2"
    cp -R "$1" "$2"
    find "$2" -name __pycache__ -type d -prune -exec rm -rf {} +
    find "$2" -name '*.pyc' -type f -exec rm -f {} +
    chmod -R u+rwX,go+rX,go-w "$2"
}
copy_tree "$repo/sandboxes" "$share/sandboxes"
copy_tree "$repo/languages" "$share/languages"
copy_tree "$repo/support/python" "$share/support/python"
copy_tree "$repo/support/java" "$share/support/java"   # the warm javac and the run archive sample (docs/java-compile-service.md)
rm -rf "$share/support/python/tests"
# Legacy graders start Python twice per submission with the package read-only: ship its bytecode, compiled
# for Debian's python3 (a handler with another CODEJAIL bin_path needs its own run of precompile.py).
if [ -x /usr/bin/python3 ]; then /usr/bin/python3 "$share/support/python/precompile.py" "$share/support/python/grader_support"; fi
copy_tree "$repo/examples" "$share/examples"
install -d -m 0755 "$root/share/doc"
copy_tree "$repo/docs" "$root/share/doc/polygrader"
install -m 0644 "$repo/README.md" "$root/share/doc/polygrader/README.md"
echo "installed polygrader into $root"
