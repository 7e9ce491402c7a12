#!/usr/bin/env bash
# Packs the package, installs the tarball in a scratch project and runs what a user would:
# `turbine --help`, and an import of the public API. Catches files missing from `files`/`exports`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
tarball="$(cd "$root" && npm pack --silent --pack-destination "$scratch" | tail -n 1)"
cd "$scratch"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "$scratch/$tarball"
npx --no-install turbine --help >/dev/null
node --input-type=module -e "
  import { Turbine, PermanentError, currentTask } from 'turbine-queue';
  if (typeof Turbine !== 'function' || typeof currentTask !== 'function' || !(new PermanentError('x') instanceof Error)) process.exit(1);
"
echo "pack smoke test passed ($tarball)"
