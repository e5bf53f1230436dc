import fs from "fs";
import path from "path";
import { TokenspiceError } from "../errors";
import { isNetlist, type AnyNetlist } from "../model/netlist";

export interface NetlistFile {
  name: string;
  file: string;
}

export interface LoadedNetlist extends NetlistFile {
  netlist: AnyNetlist;
}

const EXTENSIONS = [".ts", ".js", ".cts", ".cjs"];

function isSource(file: string): boolean {
  return EXTENSIONS.some((e) => file.endsWith(e)) && !file.endsWith(".d.ts");
}

/** Netlists in `simsDir`: `<name>/netlist.ts` (a folder with its agents) or `<name>.ts`. */
export function findNetlists(simsDir: string): NetlistFile[] {
  if (!fs.existsSync(simsDir)) return [];
  const found: NetlistFile[] = [];
  for (const entry of fs.readdirSync(simsDir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      const file = EXTENSIONS.map((e) => path.join(simsDir, entry.name, `netlist${e}`)).find((f) => fs.existsSync(f));
      if (file) found.push({ name: entry.name, file });
    } else if (entry.isFile() && isSource(entry.name)) {
      found.push({ name: entry.name.replace(/\.(c?ts|c?js)$/, ""), file: path.join(simsDir, entry.name) });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

export function loadNetlistFile({ name, file }: NetlistFile): LoadedNetlist {
  const mod = require(file);
  const candidate = mod?.default ?? mod;
  if (!isNetlist(candidate)) {
    throw new TokenspiceError(
      `${file} does not default-export a netlist (got ${describe(candidate)}). ` +
        `Write \`export default defineNetlist({ ... })\` with defineNetlist from "hardhat-tokenspice".`,
    );
  }
  return { name, file, netlist: candidate };
}

export function loadNetlist(simsDir: string, name: string): LoadedNetlist {
  const all = findNetlists(simsDir);
  const match = all.find((n) => n.name === name);
  if (!match) {
    throw new TokenspiceError(
      `Unknown netlist "${name}" in ${simsDir}. ` +
        (all.length ? `Known netlists: ${all.map((n) => n.name).join(", ")}.` : `It holds no netlists (sims/<name>/netlist.ts or sims/<name>.ts).`),
    );
  }
  return loadNetlistFile(match);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "object") return `an object with keys ${Object.keys(value).slice(0, 5).join(", ") || "(none)"}`;
  return typeof value;
}
