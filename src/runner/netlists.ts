import fs from "fs";
import path from "path";
import { TokenspiceError, isTokenspiceError, messageOf } from "../errors";
import { isNetlist, type AnyNetlist } from "../model/netlist";
import { netlistNameProblem } from "../model/names";

/** The `file` of a netlist passed as an object rather than by name. */
export const INLINE = "(inline)";

/** A netlist's name (its file or folder name in simsDir) and the file that defines it. */
export interface NetlistFile {
  name: string;
  file: string;
  /** Every file that claims this name: more than one makes the name ambiguous. */
  files: string[];
}

/** A netlist loaded from its file: its name, file and the `defineNetlist` value it exports. */
export interface LoadedNetlist {
  name: string;
  file: string;
  netlist: AnyNetlist;
}

/** The file extensions of netlists (and of their checks files, src/check/check-files.ts). */
export const NETLIST_EXTENSIONS = [".ts", ".js", ".cts", ".cjs"];
const EXTENSIONS = NETLIST_EXTENSIONS;

/** True for a netlist's checks file (`<name>.checks.ts` and its kin, src/check/check-files.ts): not a netlist. */
export function isChecksFileName(fileName: string): boolean {
  return EXTENSIONS.some((e) => fileName.endsWith(`.checks${e}`));
}

function isSource(file: string): boolean {
  return EXTENSIONS.some((e) => file.endsWith(e)) && !file.endsWith(".d.ts");
}

/**
 * Netlists in `simsDir`: `<name>/netlist.ts` (a folder, with its agents beside it) or `<name>.ts`
 * (also .js, .cts, .cjs). A name claimed by several files is listed once, with all of them.
 * Checks files (`<name>.checks.ts`, src/check/check-files.ts) are not netlists.
 */
export function findNetlists(simsDir: string): NetlistFile[] {
  if (!fs.existsSync(simsDir)) return [];
  const byName = new Map<string, string[]>();
  const claim = (name: string, file: string) => byName.set(name, [...(byName.get(name) ?? []), file]);
  for (const entry of fs.readdirSync(simsDir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      for (const e of EXTENSIONS) {
        const file = path.join(simsDir, entry.name, `netlist${e}`);
        if (fs.existsSync(file)) claim(entry.name, file);
      }
    } else if (entry.isFile() && isSource(entry.name) && !isChecksFileName(entry.name)) {
      claim(entry.name.replace(/\.(c?ts|c?js)$/, ""), path.join(simsDir, entry.name));
    }
  }
  return [...byName.entries()].map(([name, files]) => ({ name, file: files[0], files })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Loads a netlist's file and checks it default-exports a netlist.
 *
 * @throws TokenspiceError NETLIST_AMBIGUOUS (two files, naming both), NAME_INVALID, NETLIST_INVALID
 *   (the file throws while loading, or exports something else); errors the netlist's own
 *   defineNetlist raises keep their code
 */
export function loadNetlistFile(found: NetlistFile): LoadedNetlist {
  const { name, file, files } = found;
  if (files.length > 1) {
    throw new TokenspiceError("NETLIST_AMBIGUOUS", `Netlist "${name}" is defined by ${files.length} files: ${files.join(" and ")}. Rename or remove all but one.`, { netlist: name, files });
  }
  const problem = netlistNameProblem(name);
  if (problem) {
    throw new TokenspiceError("NAME_INVALID", `Netlist name ${JSON.stringify(name)} (${file}) cannot be used: ${problem}. Rename the file or folder.`, {
      netlist: name,
      file,
    });
  }
  let mod: { default?: unknown } | undefined;
  try {
    mod = require(file);
  } catch (error) {
    if (isTokenspiceError(error)) {
      error.details.file ??= file;
      throw error;
    }
    throw new TokenspiceError("NETLIST_INVALID", `Netlist "${name}" (${file}) failed to load: ${messageOf(error)}`, { netlist: name, file }, error);
  }
  const candidate = mod?.default ?? mod;
  if (!isNetlist(candidate)) {
    throw new TokenspiceError(
      "NETLIST_INVALID",
      `${file} does not default-export a netlist (got ${describe(candidate)}). ` + `Write \`export default defineNetlist({ ... })\` with defineNetlist from "hardhat-tokenspice".`,
      { netlist: name, file },
    );
  }
  return { name, file, netlist: candidate };
}

/** @throws TokenspiceError NETLIST_NOT_FOUND naming the known netlists, or what loadNetlistFile throws */
export function loadNetlist(simsDir: string, name: string): LoadedNetlist {
  const all = findNetlists(simsDir);
  const match = all.find((n) => n.name === name);
  if (!match) {
    throw new TokenspiceError(
      "NETLIST_NOT_FOUND",
      `Unknown netlist "${name}" in ${simsDir}. ` + (all.length ? `Known netlists: ${all.map((n) => n.name).join(", ")}.` : `It holds no netlists (sims/<name>/netlist.ts or sims/<name>.ts).`),
      { netlist: name, known: all.map((n) => n.name) },
    );
  }
  return loadNetlistFile(match);
}

/** A netlist as `--list` shows it: loaded, or broken with the error that says why. */
export type ListedNetlist = (LoadedNetlist & { error?: undefined }) | (NetlistFile & { error: TokenspiceError });

/** Every netlist in `simsDir`; one that fails to load is listed with its error instead of failing the list. */
export function listNetlists(simsDir: string): ListedNetlist[] {
  return findNetlists(simsDir).map((found) => {
    try {
      return loadNetlistFile(found);
    } catch (error) {
      const e = isTokenspiceError(error) ? error : new TokenspiceError("NETLIST_INVALID", `${found.file}: ${messageOf(error)}`, { netlist: found.name, file: found.file }, error);
      return { ...found, error: e };
    }
  });
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return `an object with keys ${Object.keys(value).slice(0, 5).join(", ") || "(none)"}`;
  return typeof value;
}

/**
 * A netlist by name (`loadNetlist` in `simsDir`) or one made by `defineNetlist` in code, named for
 * its folders and commands by its description: lowercase, runs of other characters as one "-", at
 * most 40 characters ("inline" when nothing is left). Its `file` is INLINE.
 *
 * @throws TokenspiceError OPTION_INVALID for a value that is neither; what `loadNetlist` throws for a name
 */
export function loadNetlistOrInline(simsDir: string, nameOrNetlist: string | AnyNetlist): LoadedNetlist {
  if (typeof nameOrNetlist === "string") return loadNetlist(simsDir, nameOrNetlist);
  if (!isNetlist(nameOrNetlist)) throw new TokenspiceError("OPTION_INVALID", "Pass a netlist name or a value made by defineNetlist(...).");
  return { name: inlineName(nameOrNetlist.description), file: INLINE, netlist: nameOrNetlist };
}

/** The name an inline netlist's folders and commands use (see `loadNetlistOrInline`). */
export function inlineName(description: string): string {
  return (
    description
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "inline"
  );
}
