import fs from "fs";
import path from "path";
import { getAddress, keccak256, type InterfaceAbi } from "ethers";
import { TokenspiceError, messageOf } from "../errors";

/**
 * A contract's compiled artifact, whichever tool wrote it: Hardhat (`_format: "hh-sol-artifact-1"`,
 * `linkReferences`), Truffle (`contractName`, `compiler.version`, `__Lib___` placeholders) or Waffle
 * (`evm.bytecode.object`, `metadata`). Published protocols ship these in their npm packages
 * (`@uniswap/v2-core/build/UniswapV2Factory.json`), so their exact bytecode can be deployed.
 */
export interface LoadedArtifact {
  name: string;
  abi: InterfaceAbi;
  /** Creation bytecode (0x…), placeholders for libraries not yet linked. */
  bytecode: string;
  /** Runtime bytecode (0x…) when the artifact has it. */
  deployedBytecode?: string;
  /** Library placeholders by byte offset: { "path.sol": { Lib: [{ start, length }] } }. */
  linkReferences?: Record<string, Record<string, { start: number; length: number }[]>>;
  /** Where it came from: `package@version/file` for an npm package, the path relative to the project otherwise, or "(object)". */
  source: string;
  /** The solc version that compiled it (from the artifact, or the metadata solc appends to bytecode), or null. */
  compiler: string | null;
}

type Json = Record<string, any>;

/**
 * Reads an artifact: an object, or a path (absolute, relative to the project, or a package path
 * such as `@uniswap/v2-core/build/UniswapV2Pair.json` resolved from the project).
 *
 * @throws TokenspiceError ARTIFACT_INVALID naming the file and what it lacks
 */
export function loadArtifact(artifactOrPath: string | Json, projectRoot: string): LoadedArtifact {
  if (typeof artifactOrPath !== "string") return readArtifact(artifactOrPath, undefined, projectRoot);
  const key = `${projectRoot}\0${artifactOrPath}`;
  const cached = loadedArtifacts.get(key);
  if (cached !== undefined) {
    const stat = statOf(cached.file);
    if (stat !== undefined && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.artifact;
  }
  const file = resolveArtifactFile(artifactOrPath, projectRoot);
  const stat = statOf(file);
  let json: Json;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new TokenspiceError("ARTIFACT_INVALID", `Cannot read artifact ${file}: ${messageOf(error)}`, { file }, error);
  }
  const artifact = readArtifact(json, file, projectRoot);
  if (stat !== undefined) loadedArtifacts.set(key, { file, mtimeMs: stat.mtimeMs, size: stat.size, artifact });
  return artifact;
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined; // gone: resolved and read again, which says why
  }
}

/**
 * Artifacts read from files, by project and the path given, while the file is unchanged (its mtime and size):
 * a model that attaches to every pool it creates (`at(artifact, address)`) would otherwise read and
 * parse the same JSON each time (6% of an oceanv3 run's CPU). Callers treat the artifact as read-only.
 */
const loadedArtifacts = new Map<string, { file: string; mtimeMs: number; size: number; artifact: LoadedArtifact }>();

function readArtifact(json: Json, file: string | undefined, projectRoot: string): LoadedArtifact {
  const where = file ?? "the artifact object";
  const bad = (why: string) => new TokenspiceError("ARTIFACT_INVALID", `${where} is not a contract artifact (Hardhat, Truffle or Waffle JSON): ${why}.`, { file: where });
  if (!Array.isArray(json?.abi)) throw bad("it has no abi array");
  const rawBytecode = typeof json.bytecode === "string" ? json.bytecode : (json.bytecode?.object ?? json.evm?.bytecode?.object);
  if (typeof rawBytecode !== "string" || rawBytecode.replace(/^0x/, "") === "") throw bad("it has no bytecode (an interface or an abstract contract cannot be deployed)");
  const rawDeployed = typeof json.deployedBytecode === "string" ? json.deployedBytecode : (json.deployedBytecode?.object ?? json.evm?.deployedBytecode?.object);
  const name = json.contractName ?? (file ? path.basename(file, ".json") : "Contract");
  const bytecode = "0x" + rawBytecode.replace(/^0x/, "");
  const deployedBytecode = typeof rawDeployed === "string" && rawDeployed.replace(/^0x/, "") !== "" ? "0x" + rawDeployed.replace(/^0x/, "") : undefined;
  return {
    name,
    abi: json.abi,
    bytecode,
    deployedBytecode,
    linkReferences: json.linkReferences ?? json.evm?.bytecode?.linkReferences,
    source: file ? describeSource(file, projectRoot) : "(object)",
    compiler: compilerOf(json, deployedBytecode ?? bytecode),
  };
}

function resolveArtifactFile(given: string, projectRoot: string): string {
  const candidates = path.isAbsolute(given) ? [given] : [path.resolve(projectRoot, given)];
  if (candidates.every((c) => !fs.existsSync(c))) {
    try {
      candidates.push(require.resolve(given, { paths: [projectRoot] }));
    } catch {
      // not a package path either
    }
  }
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) {
    throw new TokenspiceError(
      "ARTIFACT_INVALID",
      `No artifact at ${JSON.stringify(given)}: give a path (relative to the project root) or a package path such as "@uniswap/v2-core/build/UniswapV2Pair.json".`,
      { artifact: given },
    );
  }
  return found;
}

/** `package@version/file` when the file is inside an installed npm package, else the path relative to the project. */
export function describeSource(file: string, projectRoot: string): string {
  const inPackages = `${path.sep}node_modules${path.sep}`;
  for (let dir = path.dirname(file); dir.includes(inPackages) && dir !== projectRoot; dir = path.dirname(dir)) {
    try {
      const { name, version } = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
      if (name && version) return `${name}@${version}/${path.relative(dir, file).split(path.sep).join("/")}`;
    } catch {
      // no package.json here: keep looking up
    }
  }
  return path.relative(projectRoot, file).split(path.sep).join("/");
}

/** The solc version: the artifact's own field (Truffle), its metadata (Waffle), or the CBOR solc appends to runtime code (0.5.9+). */
export function compilerOf(json: Json, bytecode: string): string | null {
  const own = json?.compiler?.version;
  if (typeof own === "string") return own.replace(/\.Emscripten.*$/, "");
  if (typeof json?.metadata === "string") {
    try {
      const v = JSON.parse(json.metadata)?.compiler?.version;
      if (typeof v === "string") return v;
    } catch {
      // not JSON metadata
    }
  }
  const m = /64736f6c6343([0-9a-f]{6})0033$/i.exec(bytecode);
  if (m) return [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16)).join(".");
  return null;
}

/**
 * Links library addresses into creation bytecode: at the byte offsets of `linkReferences` (Hardhat,
 * Waffle, solc's standard JSON), or in Truffle's textual `__LibName___…` placeholders. Libraries are
 * named as "LibName" or fully qualified, "contracts/Lib.sol:LibName".
 *
 * The rules are Hardhat's own (hardhat-ethers' `collectLibrariesAndLink`): each given name must
 * match exactly one library the bytecode links, by its short or fully qualified name; a short name
 * two libraries share (two `Fee` in different sources) matches neither, and the fully qualified
 * name must be used; one library given twice (as "Lib" and "path.sol:Lib") is refused; every
 * library must be given.
 *
 * @throws TokenspiceError LIBRARY_ADDRESS_INVALID for an address that is not 0x and 40 hex digits
 *   (or a mixed-case address whose EIP-55 checksum is wrong); LIBRARY_UNKNOWN for a name that is
 *   none of the contract's libraries (listing them); LIBRARY_AMBIGUOUS for a short name that two
 *   libraries share (listing their fully qualified names) or a library given twice;
 *   LIBRARY_MISSING naming every library the bytecode needs and was not given
 */
export function linkBytecode(art: LoadedArtifact, libraries: Record<string, string> = {}): string {
  const where = `${art.name} (${art.source})`;
  let code = art.bytecode.slice(2);
  // The libraries the bytecode links: fully qualified where the artifact says the source, and how to match a given name.
  const needed: { fqn: string; matches: (key: string) => boolean }[] = [];
  const byOffset = art.linkReferences && Object.keys(art.linkReferences).length > 0 ? art.linkReferences : undefined;
  if (byOffset) {
    for (const [file, libs] of Object.entries(byOffset)) {
      for (const lib of Object.keys(libs)) needed.push({ fqn: `${file}:${lib}`, matches: (key) => key === lib || key === `${file}:${lib}` });
    }
  } else {
    // Truffle and old solc: "__" + name (short, or "path.sol:Name" cut to 36 characters) + underscores, 40 characters in all.
    const names = new Set<string>();
    for (const m of code.matchAll(TRUFFLE_PLACEHOLDER)) if (m[0].length === 40) names.add(m[1]);
    for (const name of names) {
      const short = name.slice(name.lastIndexOf(":") + 1);
      needed.push({ fqn: name, matches: (key) => key === name || key.slice(0, 36) === name || key === short || (!name.includes(":") && key.slice(key.lastIndexOf(":") + 1) === name) });
    }
  }
  const linked = new Map<string, { key: string; address: string }>();
  for (const [key, address] of Object.entries(libraries)) {
    const hex = libraryAddress(where, key, address);
    const matching = needed.filter((lib) => lib.matches(key));
    if (matching.length === 0) {
      throw new TokenspiceError(
        "LIBRARY_UNKNOWN",
        `${where} does not link a library ${JSON.stringify(key)}: ` +
          (needed.length === 0 ? "it links no libraries (leave out libraries)." : `the libraries it links are ${needed.map((l) => JSON.stringify(l.fqn)).join(", ")}.`),
        { contract: art.name, library: key, libraries: needed.map((l) => l.fqn) },
      );
    }
    if (matching.length > 1) {
      throw new TokenspiceError(
        "LIBRARY_AMBIGUOUS",
        `The library name ${JSON.stringify(key)} is ambiguous for ${where}: it links ${matching.length} libraries of that name, ` +
          `${matching.map((l) => JSON.stringify(l.fqn)).join(" and ")}. Give each by its fully qualified name: ` +
          `{ libraries: { ${matching.map((l) => `${JSON.stringify(l.fqn)}: address`).join(", ")} } }.`,
        { contract: art.name, library: key, candidates: matching.map((l) => l.fqn) },
      );
    }
    const { fqn } = matching[0];
    const before = linked.get(fqn);
    if (before !== undefined) {
      throw new TokenspiceError("LIBRARY_AMBIGUOUS", `The library names ${JSON.stringify(before.key)} and ${JSON.stringify(key)} both name ${JSON.stringify(fqn)} of ${where}: give it once.`, {
        contract: art.name,
        library: fqn,
        given: [before.key, key],
      });
    }
    linked.set(fqn, { key, address: hex });
  }
  const missing = needed.filter((lib) => !linked.has(lib.fqn)).map((lib) => lib.fqn);
  if (missing.length === 0) {
    if (byOffset) {
      for (const [file, libs] of Object.entries(byOffset)) {
        for (const [lib, refs] of Object.entries(libs)) {
          const { address } = linked.get(`${file}:${lib}`)!;
          for (const { start, length } of refs) code = code.slice(0, start * 2) + address.padStart(length * 2, "0") + code.slice((start + length) * 2);
        }
      }
    } else {
      code = code.replace(TRUFFLE_PLACEHOLDER, (placeholder, name: string) => (placeholder.length === 40 ? linked.get(name)!.address : placeholder));
    }
  }
  if (missing.length > 0 || /__\$[0-9a-f]{34}\$__/.test(code)) {
    const names = missing;
    throw new TokenspiceError(
      "LIBRARY_MISSING",
      `${where} calls ${names.length === 1 ? "library" : "libraries"} ${names.join(", ") || "that are not linked"}: deploy ${names.length === 1 ? "it" : "them"} first and pass the address${names.length === 1 ? "" : "es"}: ` +
        `{ libraries: { ${names.map((n) => `${JSON.stringify(n)}: address`).join(", ") || '"path.sol:Lib": address'} } }.`,
      { contract: art.name, missing: names },
    );
  }
  return "0x" + code;
}

/** Truffle's and old solc's library placeholder: "__" + name + underscores, 40 characters in all. */
const TRUFFLE_PLACEHOLDER = /__([A-Za-z0-9_$.:/-]{1,36}?)_*__(?=[0-9a-fA-F_]|$)/g;

/**
 * A library's address as 40 lowercase hex digits.
 * @throws TokenspiceError LIBRARY_ADDRESS_INVALID unless it is 0x and 40 hex digits (20 bytes), with
 *   a valid EIP-55 checksum when its letters are of mixed case
 */
export function libraryAddress(where: string, library: string, address: unknown): string {
  let valid = typeof address === "string" && /^0x[0-9a-fA-F]{40}$/.test(address);
  if (valid) {
    try {
      getAddress(address as string); // a mixed-case address must carry its checksum
    } catch {
      valid = false;
    }
  }
  if (!valid) {
    const shown = typeof address === "string" ? JSON.stringify(address) : typeof address === "object" && address !== null ? "an object" : String(address);
    throw new TokenspiceError(
      "LIBRARY_ADDRESS_INVALID",
      `Library ${JSON.stringify(library)} of ${where} was given ${shown}, which is not an address: give 0x and 40 hex digits ` +
        `(20 bytes; mixed case only with a valid EIP-55 checksum), such as await lib.getAddress().`,
      { library, address: typeof address === "string" ? address : String(address) },
    );
  }
  return (address as string).slice(2).toLowerCase();
}

/** keccak256 of bytecode (0x…), for the manifest's provenance. */
export function bytecodeHash(bytecode: string): string {
  return keccak256(bytecode);
}
