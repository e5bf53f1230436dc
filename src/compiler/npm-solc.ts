import fs from "fs";
import path from "path";
import { TokenspiceError } from "../errors";

/*
 * The npm `solc` packages (solcjs) a project can compile with offline, and the one for a version:
 * Hardhat-free, shared by the Hardhat 2 adapter (src/hardhat/offline-compiler.ts: a compile subtask)
 * and the Hardhat 3 one (src/hardhat3/solc-paths.ts: `solidity` compilers' `path`, filled in by the
 * config hook). Errors are TokenspiceErrors (COMPILER_UNAVAILABLE, OPTION_INVALID); each adapter
 * turns them into its Hardhat's plugin errors.
 */

/** An npm `solc` package (solcjs) installed where this project can use it. */
export interface InstalledSolc {
  /** The compiler version, "0.8.28": the package's `version`. */
  version: string;
  /** What the project calls it: "solc", an alias such as "solc-0.5.16", or the `tokenspice.solcPackages` value. */
  name: string;
  /**
   * How it was found: `config` (`tokenspice.solcPackages`), `alias` (a dependency of the project's
   * package.json installed from npm's `solc`, as `"solc-0.5.16": "npm:solc@0.5.16"`), `solc` (the
   * project's own `solc`) or `plugin` (the `solc` this plugin depends on).
   */
  via: "config" | "alias" | "solc" | "plugin";
  /** The package's folder (the real path, symlinks resolved). */
  dir: string;
  soljsonPath: string;
}

const VERSION = /^\d+\.\d+\.\d+$/;

/** Checks `tokenspice.solcPackages` (compiler version → npm package name, or a path to a `solc` package folder). */
export function validateSolcPackages(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TokenspiceError("OPTION_INVALID", `tokenspice.solcPackages must map compiler versions to package names or paths, as { "0.5.16": "solc-0.5.16" }; got ${JSON.stringify(value)}`);
  }
  const map: Record<string, string> = {};
  for (const [version, pkg] of Object.entries(value)) {
    if (!VERSION.test(version)) {
      throw new TokenspiceError("OPTION_INVALID", `tokenspice.solcPackages: "${version}" is not a compiler version; use an exact version such as "0.5.16"`);
    }
    if (typeof pkg !== "string" || pkg.trim() === "") {
      throw new TokenspiceError("OPTION_INVALID", `tokenspice.solcPackages["${version}"] must be a package name (as "solc-${version}") or a path to a solc package folder; got ${JSON.stringify(pkg)}`);
    }
    map[version] = pkg;
  }
  return map;
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** `dir` and every folder above it: where Node looks for node_modules, and where package.json files name dependencies. */
function selfAndAncestors(dir: string): string[] {
  const dirs: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    dirs.push(d);
    if (path.dirname(d) === d) return dirs;
  }
}

/** The folder of package `name` as Node would find it from `from` (node_modules of `from` and its ancestors). */
function findPackageDir(name: string, from: string): string | undefined {
  for (const d of selfAndAncestors(from)) {
    const dir = path.join(d, "node_modules", name);
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
  }
  return undefined;
}

/** A folder holding an npm `solc` package: its version, or why it is not one. */
function inspectSolcPackage(dir: string): { version: string; soljsonPath: string } | { problem: string } {
  const pkg = readJson(path.join(dir, "package.json"));
  if (pkg === undefined) return { problem: `${dir} has no readable package.json` };
  if (pkg.name !== "solc") return { problem: `${dir} holds the npm package "${String(pkg.name)}", not "solc"` };
  const soljsonPath = path.join(dir, "soljson.js");
  if (!fs.existsSync(soljsonPath)) return { problem: `${dir} (solc ${String(pkg.version)}) has no soljson.js` };
  return { version: String(pkg.version), soljsonPath };
}

/** Dependency names of every package.json from `projectRoot` up (a Hardhat project inside a monorepo, or a fixture without one). */
function declaredDependencies(projectRoot: string): string[] {
  const names = new Set<string>();
  for (const d of selfAndAncestors(projectRoot)) {
    const pkg = readJson(path.join(d, "package.json"));
    if (pkg === undefined) continue;
    for (const field of ["dependencies", "devDependencies", "optionalDependencies"]) {
      const deps = pkg[field];
      if (deps !== null && typeof deps === "object") for (const name of Object.keys(deps)) names.add(name);
    }
  }
  return [...names];
}

/**
 * Every npm `solc` package this project can compile with offline, best first:
 * 1. `solcPackages` (hardhat.config's `tokenspice.solcPackages`): version → package name or path
 *    (absolute, or relative to the project root, starting with "."). An entry that does not lead to
 *    a `solc` package of exactly that version is an error: the config asked for it.
 * 2. npm aliases: any dependency named in the project's package.json (or one above it) whose
 *    installed package.json says `"name": "solc"`, e.g. `"solc-0.5.16": "npm:solc@0.5.16"`.
 * 3. the project's own `solc`, and 4. the one this plugin depends on (npm may nest it below another
 *    copy: Hardhat depends on a `solc` of its own).
 * The same folder found twice is listed once.
 */
export function findInstalledSolcs(projectRoot: string, solcPackages: Record<string, string> = {}): InstalledSolc[] {
  const found = new Map<string, InstalledSolc>();
  const add = (dir: string, name: string, via: InstalledSolc["via"]) => {
    const real = fs.realpathSync(dir);
    if (found.has(real)) return;
    const inspected = inspectSolcPackage(real);
    if ("problem" in inspected) return;
    found.set(real, { version: inspected.version, name, via, dir: real, soljsonPath: path.join(real, "soljson.js") });
  };

  for (const [version, pkg] of Object.entries(solcPackages)) {
    const isPath = pkg.startsWith(".") || path.isAbsolute(pkg);
    const dir = isPath ? path.resolve(projectRoot, pkg) : findPackageDir(pkg, projectRoot);
    const entry = `tokenspice.solcPackages["${version}"] = "${pkg}"`;
    if (dir === undefined || !fs.existsSync(dir)) {
      throw new TokenspiceError(
        "COMPILER_UNAVAILABLE",
        `${entry}: ${isPath ? `there is no folder ${dir}` : `no package "${pkg}" is installed`}. ` +
          `Install it with \`npm install --save-dev ${isPath ? `solc-${version}` : pkg}@npm:solc@${version}\`.`,
        { version, package: pkg },
      );
    }
    const inspected = inspectSolcPackage(fs.realpathSync(dir));
    if ("problem" in inspected) throw new TokenspiceError("COMPILER_UNAVAILABLE", `${entry}: ${inspected.problem}.`, { version, package: pkg });
    if (inspected.version !== version) {
      throw new TokenspiceError(
        "COMPILER_UNAVAILABLE",
        `${entry}: that package is solc ${inspected.version}, not ${version}. Point it at a solc ${version} package (\`npm install --save-dev solc-${version}@npm:solc@${version}\`).`,
        { version, package: pkg },
      );
    }
    add(dir, pkg, "config");
  }

  for (const name of declaredDependencies(projectRoot)) {
    if (name === "solc") continue;
    const dir = findPackageDir(name, projectRoot);
    if (dir !== undefined && readJson(path.join(dir, "package.json"))?.name === "solc") add(dir, name, "alias");
  }

  const own = findPackageDir("solc", projectRoot);
  if (own !== undefined) add(own, "solc", "solc");
  try {
    add(path.dirname(require.resolve("solc/package.json", { paths: [__dirname] })), "solc", "plugin");
  } catch {
    // this plugin's solc is not installed (it is a dependency, so only in a broken install)
  }
  return [...found.values()];
}

/** One line per package found, for error messages. */
export function describeSolcs(solcs: InstalledSolc[]): string {
  return solcs
    .map((s) => {
      const how = s.via === "config" ? "from tokenspice.solcPackages" : s.via === "alias" ? `npm alias "${s.name}"` : s.via === "plugin" ? `"solc", hardhat-tokenspice's` : `"solc"`;
      return `solc ${s.version} (${how}, ${s.dir})`;
    })
    .join("; ");
}

/** The installed package for `version`, or an error that lists what was found and the command that installs it. */
export function chooseSolc(version: string, solcs: InstalledSolc[], downloadError?: unknown): InstalledSolc {
  const match = solcs.find((s) => s.version === version);
  if (match !== undefined) return match;
  const why = downloadError !== undefined ? "the compiler download failed, and " : "";
  const install = `npm install --save-dev solc-${version}@npm:solc@${version}`;
  const found = solcs.length === 0 ? `no npm "solc" package is installed` : `no installed npm "solc" package is ${version}. Found: ${describeSolcs(solcs)}`;
  // A found compiler of the same minor version can usually take the sources instead: the newest such.
  const minor = (v: string) => v.split(".").slice(0, 2).join(".");
  const patch = (v: string) => Number(v.split(".")[2]);
  const sameMinor = solcs
    .map((s) => s.version)
    .filter((v) => minor(v) === minor(version))
    .sort((a, b) => patch(b) - patch(a));
  const orPragma =
    sameMinor.length === 0
      ? ""
      : ` Or compile these sources with ${sameMinor[0]}: set it in hardhat.config's \`solidity\` and use a pragma that accepts it (e.g. \`pragma solidity ^${sameMinor[0]};\`).`;
  throw new TokenspiceError(
    "COMPILER_UNAVAILABLE",
    `Cannot get solc ${version}: ${why}${found}. To compile offline, install it under an npm alias (it is found by its "name": "solc"):\n` +
      `  ${install}\n` +
      `or map the version to a solc package in hardhat.config: \`tokenspice: { solcPackages: { "${version}": "<package name or path>" } }\`.${orPragma}`,
    { version, installed: solcs.map((s) => s.version) },
    downloadError,
  );
}

const longVersions = new Map<string, string>();

/**
 * The long version (with commit) of a solcjs build, from its own wrapper: old soljson files do not
 * hold it as text. Loading soljson takes a few hundred milliseconds, so only for builds used, once.
 */
export function longVersionOf(solc: InstalledSolc): string {
  let long = longVersions.get(solc.soljsonPath);
  if (long === undefined) {
    const loaded = require(path.join(solc.dir, "index.js")) as { version(): string };
    long = loaded.version().replace(/\.Emscripten.*$/, "");
    longVersions.set(solc.soljsonPath, long);
  }
  return long;
}

/**
 * The compiler file a Hardhat 3 `solidity` compiler entry should use (`path`), for offline
 * compilation with npm `solc` packages: Hardhat 3 takes a `path` and never checks it against
 * `version` (a 0.8.28 soljson given as 0.8.30 compiles, and the build-info says 0.8.30), so:
 * - a `path` the user set that is an npm solc's soljson.js must be that version (else an error);
 *   any other `path` (a native solc) is left to the user;
 * - without one: mode "never" leaves it unset (Hardhat downloads); "auto" fills in the installed
 *   package of exactly `version` when there is one, else leaves it unset; "always" must find one.
 *
 * @returns the soljson.js path, or undefined to leave the entry as it is
 * @throws TokenspiceError COMPILER_UNAVAILABLE naming the package to install, or the mismatch
 */
export function solcPathFor(version: string, configuredPath: string | undefined, mode: "auto" | "always" | "never", solcs: () => InstalledSolc[]): string | undefined {
  if (configuredPath !== undefined) {
    const dir = path.dirname(configuredPath);
    if (path.basename(configuredPath) === "soljson.js") {
      const inspected = inspectSolcPackage(dir);
      if (!("problem" in inspected) && inspected.version !== version) {
        throw new TokenspiceError(
          "COMPILER_UNAVAILABLE",
          `solidity compiler ${version} has path ${configuredPath}, which is the npm solc ${inspected.version}, not ${version}: ` +
            `Hardhat 3 would compile with ${inspected.version} and record ${version}. Set the version to ${inspected.version}, or install solc ${version} ` +
            `(\`npm install --save-dev --save-exact solc-${version}@npm:solc@${version}\`) and point path at it.`,
          { version, path: configuredPath, found: inspected.version },
        );
      }
    }
    return undefined;
  }
  if (mode === "never") return undefined;
  const installed = solcs();
  if (mode === "auto") return installed.find((s) => s.version === version)?.soljsonPath;
  return chooseSolc(version, installed).soljsonPath;
}
