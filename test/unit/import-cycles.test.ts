import fs from "fs";
import path from "path";
import { expect } from "chai";

/**
 * The layers of src/ (one folder each, DESIGN.md) import one way: no two folders import each other.
 * (A cycle between campaign and report once meant neither could be read, or changed, alone.)
 */
const SRC = path.join(__dirname, "..", "..", "src");

/** Top-level folder (or file) of src/ each relative import of each .ts file points at. */
function folderImports(): Map<string, Map<string, string>> {
  const edges = new Map<string, Map<string, string>>(); // from → to → an example file
  const top = (file: string) => path.relative(SRC, file).split(path.sep)[0].replace(/\.ts$/, "");
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (fs.statSync(file).isDirectory()) walk(file);
      else if (name.endsWith(".ts")) {
        for (const m of fs.readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]*)"/g)) {
          const target = path.resolve(path.dirname(file), m[1]);
          if (!target.startsWith(SRC + path.sep)) continue;
          const [a, b] = [top(file), top(target)];
          if (a === b) continue;
          if (!edges.has(a)) edges.set(a, new Map());
          if (!edges.get(a)!.has(b)) edges.get(a)!.set(b, path.relative(SRC, file));
        }
      }
    }
  };
  walk(SRC);
  return edges;
}

describe("import direction of src/", () => {
  it("no two folders import each other", () => {
    const edges = folderImports();
    const cycles: string[] = [];
    for (const [a, to] of edges) for (const [b, file] of to) if (a < b && edges.get(b)?.has(a)) cycles.push(`${a} ↔ ${b} (${file} → ${b}, ${edges.get(b)!.get(a)} → ${a})`);
    expect(cycles).to.deep.equal([]);
  });

  it("the report imports nothing from the campaign layer, which writes its data", () => {
    expect(folderImports().get("report")?.has("campaign") ?? false).to.equal(false);
    expect(folderImports().get("campaign")?.has("report")).to.equal(true); // the direction that holds: campaign/outputs/report.ts
  });
});
