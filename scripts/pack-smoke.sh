#!/usr/bin/env bash
# Packs the package, installs the tarball in a scratch project and runs what a user would:
# `turbine --help`, an import of the public API, and the demo on the embedded broker and on a
# private Redis. Catches files missing from `files`/`exports` or from the bundle's side (Lua
# scripts, SQL migrations).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
redis_pid=""
cleanup() {
  if [ -n "$redis_pid" ]; then kill "$redis_pid"; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
tarball="$(cd "$root" && npm pack --silent --pack-destination "$scratch" | tail -n 1)"
cd "$scratch"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "$scratch/$tarball"
npx --no-install turbine --help >/dev/null
node --input-type=module -e "
  import { Turbine, PermanentError, currentTask } from 'turbine-queue';
  if (typeof Turbine !== 'function' || typeof currentTask !== 'function' || !(new PermanentError('x') instanceof Error)) process.exit(1);
"
npx --no-install turbine demo >/dev/null
port="$(node -e "const s = require('net').createServer().listen(0, () => { console.log(s.address().port); s.close(); })")"
redis-server --port "$port" --save '' --appendonly no >/dev/null &
redis_pid=$!
npx --no-install turbine demo --broker "redis://127.0.0.1:$port" >/dev/null
echo "pack smoke test passed ($tarball)"
