import fs from "fs";
import path from "path";
import { getAddress, isAddress, keccak256, type InterfaceAbi } from "ethers";
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
  let json: Json;
  let file: string | undefined;
  if (typeof artifactOrPath === "string") {
    file = resolveArtifactFile(artifactOrPath, projectRoot);
    try {
      json = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      throw new TokenspiceError("ARTIFACT_INVALID", `Cannot read artifact ${file}: ${messageOf(error)}`, { file }, error);
    }
  } else {
    json = artifactOrPath;
  }
  const where = file ?? "the artifact object";
  const bad = (why: string) => new TokenspiceError("ARTIFACT_INVALID", `${where} is not a contract artifact (Hardhat, Truffle or Waffle JSON): ${why}.`, { file: where });
  if (!Array.isArray(json?.abi)) throw bad("it has no abi array");
  const rawBytecode = typeof json.bytecode === "string" ? json.bytecode : json.bytecode?.object ?? json.evm?.bytecode?.object;
  if (typeof rawBytecode !== "string" || rawBytecode.replace(/^0x/, "") === "") throw bad("it has no bytecode (an interface or an abstract contract cannot be deployed)");
  const rawDeployed = typeof json.deployedBytecode === "string" ? json.deployedBytecode : json.deployedBytecode?.object ?? json.evm?.deployedBytecode?.object;
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
 * @throws TokenspiceError LIBRARY_MISSING naming every library the bytecode needs and how to pass them
 */
export function linkBytecode(art: LoadedArtifact, libraries: Record<string, string> = {}): string {
  const given = new Map<string, string>();
  for (const [key, address] of Object.entries(libraries)) {
    if (!isAddress(address)) throw new TokenspiceError("LIBRARY_MISSING", `Library ${key}'s address ${JSON.stringify(address)} is not an address.`, { library: key });
    given.set(key, getAddress(address).slice(2).toLowerCase());
  }
  const lookup = (file: string, lib: string) => given.get(`${file}:${lib}`) ?? given.get(lib);
  let code = art.bytecode.slice(2);
  const missing: string[] = [];
  if (art.linkReferences && Object.keys(art.linkReferences).length > 0) {
    for (const [file, libs] of Object.entries(art.linkReferences)) {
      for (const [lib, refs] of Object.entries(libs)) {
        const address = lookup(file, lib);
        if (address === undefined) {
          missing.push(`${file}:${lib}`);
          continue;
        }
        for (const { start, length } of refs) code = code.slice(0, start * 2) + address.padStart(length * 2, "0") + code.slice((start + length) * 2);
      }
    }
  } else {
    // Truffle and old solc: "__" + name + underscores, 40 characters in all.
    code = code.replace(/__([A-Za-z0-9_$.:/-]{1,36}?)_*__(?=[0-9a-fA-F_]|$)/g, (placeholder, name: string) => {
      if (placeholder.length !== 40) return placeholder;
      const address = given.get(name) ?? [...given.entries()].find(([k]) => k.endsWith(`:${name}`))?.[1];
      if (address === undefined) {
        missing.push(name);
        return placeholder;
      }
      return address;
    });
  }
  if (missing.length > 0 || /__\$[0-9a-f]{34}\$__/.test(code)) {
    const names = [...new Set(missing)];
    throw new TokenspiceError(
      "LIBRARY_MISSING",
      `${art.name} (${art.source}) calls ${names.length === 1 ? "library" : "libraries"} ${names.join(", ") || "that are not linked"}: deploy ${names.length === 1 ? "it" : "them"} first and pass the address${names.length === 1 ? "" : "es"}: ` +
        `{ libraries: { ${names.map((n) => `${JSON.stringify(n)}: address`).join(", ") || '"path.sol:Lib": address'} } }.`,
      { contract: art.name, missing: names },
    );
  }
  return "0x" + code;
}

/** keccak256 of bytecode (0x…), for the manifest's provenance. */
export function bytecodeHash(bytecode: string): string {
  return keccak256(bytecode);
}
