#!/usr/bin/env bash
# Installs test/fixture-projects/hardhat3 as a user's Hardhat 3 project installs the plugin: from the
# tarball `npm pack` makes of this repo (its `prepare` builds dist/ first), with npm running on Node 22
# from the npm registry (scripts/with-node22.sh; npm on Node 20 skips EDR's native binding).
# The fixture's package.json names the tarball `file:hardhat-tokenspice.tgz`; its lockfile pins every
# other package and records the tarball without an integrity hash, so each new build installs with
# `npm ci`. Run it again after changing src/.
#   scripts/install-hardhat3-fixture.sh                # pack, then npm ci in the fixture
#   scripts/install-hardhat3-fixture.sh --update-lock  # after changing the root's dependencies: the
#                                                      # fixture's lockfile re-resolved, then npm ci
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fixture="$root/test/fixture-projects/hardhat3"
node22="$root/scripts/with-node22.sh"
packed="$(cd "$root" && npm pack --silent --pack-destination "$fixture" | tail -n 1)"
mv -f "$fixture/$packed" "$fixture/hardhat-tokenspice.tgz"
cd "$fixture"
if [ "${1:-}" = "--update-lock" ]; then
  # npm trusts a locked file: tarball of the same version and would not read its new dependencies:
  # drop its entry first so that it is resolved again from the tarball.
  "$node22" node -e '
    const fs = require("fs");
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
    delete lock.packages["node_modules/hardhat-tokenspice"];
    fs.writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");'
  "$node22" npm install --package-lock-only --no-audit --no-fund
  # The tarball changes with every build: a hash of it in the lockfile would fail the next npm ci.
  "$node22" node -e '
    const fs = require("fs");
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
    delete lock.packages["node_modules/hardhat-tokenspice"].integrity;
    fs.writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");'
fi
"$node22" npm ci --no-audit --no-fund
