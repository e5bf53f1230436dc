import fs from "fs";
import path from "path";

/** A folder no run has used: `<outRoot>/<netlist>/<UTC time>-<label>`, suffixed if two start in the same second. */
export function freshRunDir(outRoot: string, netlist: string, label: string): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[:]/g, "-")
    .replace(/\.\d+Z$/, "Z");
  const base = path.join(outRoot, netlist, `${stamp}-${label}`);
  let dir = base;
  for (let i = 2; fs.existsSync(dir); i++) dir = `${base}-${i}`;
  return dir;
}
