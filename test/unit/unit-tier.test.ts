import fs from "fs";
import path from "path";
import { expect } from "chai";

const UNIT = __dirname;
const TEST = path.dirname(UNIT);

/** What a unit test may not load: a child process, a thread, Hardhat, or test/helpers.ts (which loads both). */
const FORBIDDEN = /^(node:)?(child_process|worker_threads|cluster)$|^hardhat(\/|$)|^@nomicfoundation\/hardhat-/;

/** Every .ts file under `dir`. */
function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

/** The module specifiers a file imports, requires or import()s. */
function specifiers(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*|^import\s+)["']([^"']+)["']/gm)].map((m) => m[1]);
}

/** What `file` loads that a unit test may not: forbidden modules, directly or through the test files it imports from test/. */
function offences(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  return specifiers(file).flatMap((s) => {
    if (FORBIDDEN.test(s)) return [s];
    if (!s.startsWith(".")) return [];
    const target = path.resolve(path.dirname(file), s);
    const resolved = [target, `${target}.ts`].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    // Test helpers outside test/unit are followed (src/ is the code under test: its imports are its own).
    if (resolved === undefined || !resolved.startsWith(TEST + path.sep) || resolved.includes(`${path.sep}fixture-projects${path.sep}`)) return [];
    return offences(resolved, seen).map((o) => `${o} (through ${path.relative(TEST, resolved)})`);
  });
}

// npm run test:unit also loads no-processes.ts, which makes starting a process or a thread throw.
describe("the unit tier (npm run test:unit)", () => {
  it("starts no process, no thread and no Hardhat: no test/unit file loads child_process, worker_threads, hardhat or test/helpers.ts", () => {
    const guard = path.join(UNIT, "no-processes.ts"); // it imports them to refuse them
    const found = tsFiles(UNIT)
      .filter((file) => file !== guard)
      .flatMap((file) => offences(file).map((o) => `${path.relative(TEST, file)}: ${o}`));
    expect(found, "move these tests to test/ (the integration tier), or test the logic without a process").to.deep.equal([]);
  });

  it("the guard sees an import of child_process, hardhat and test/helpers.ts", () => {
    const probe = path.join(UNIT, ".unit-tier-probe.ts");
    const q = (s: string) => JSON.stringify(s); // spelled so that this file itself imports none of them
    fs.writeFileSync(probe, [`import { spawn } from ${q("child_process")};`, `const hre = require(${q("hardhat")});`, `import { ROOT } from ${q("../helpers")};`].join("\n"));
    try {
      const found = offences(probe);
      expect(found.slice(0, 2)).to.deep.equal(["child_process", "hardhat"]);
      expect(found.some((o) => o.startsWith("child_process (through helpers.ts)"))).to.equal(true);
    } finally {
      fs.rmSync(probe);
    }
  });
});
