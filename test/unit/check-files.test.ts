import fs from "fs";
import path from "path";
import { expect } from "chai";
import { checksFileNetlist, defineChecks, failureReport, findChecksFiles, runChecksFiles, selectChecksFiles } from "../../src/check/check-files";
import type { CheckOptions } from "../../src/check";
import { findNetlists } from "../../src/runner/netlists";
import { tempDirs } from "./temp-dirs";
import { thrownBy } from "./thrown";

const CHECK_FILES = path.resolve(__dirname, "../../src/check/check-files");

describe("netlist checks files (src/check/check-files.ts)", () => {
  const tempDir = tempDirs("tokenspice-checks-");

  /** A sims folder with a flat netlist and its checks, a folder netlist and its checks, and a stray file. */
  function simsFolder(): string {
    const sims = tempDir();
    fs.writeFileSync(path.join(sims, "jar.ts"), "export default 1;\n");
    fs.writeFileSync(path.join(sims, "jar.checks.js"), `const { defineChecks } = require(${JSON.stringify(CHECK_FILES)});\nmodule.exports = defineChecks({ "a": { runs: 1 }, "b": { runs: 2 } });\n`);
    fs.mkdirSync(path.join(sims, "amm"));
    fs.writeFileSync(path.join(sims, "amm", "netlist.ts"), "export default 1;\n");
    fs.writeFileSync(path.join(sims, "amm", "checks.js"), "module.exports = { not: 'checks' };\n");
    fs.writeFileSync(path.join(sims, "notes.md"), "");
    return sims;
  }

  it("names a checks file's netlist from its place in the sims folder, and nothing else", () => {
    const sims = "/p/sims";
    expect(checksFileNetlist(sims, "/p/sims/jar.checks.ts")).to.equal("jar");
    expect(checksFileNetlist(sims, "/p/sims/amm/checks.cjs")).to.equal("amm");
    expect(checksFileNetlist(sims, "/p/sims/jar.ts")).to.equal(undefined);
    expect(checksFileNetlist(sims, "/p/sims/amm/netlist.ts")).to.equal(undefined);
    expect(checksFileNetlist(sims, "/p/sims/jar.checks.d.ts")).to.equal(undefined);
    expect(checksFileNetlist(sims, "/p/sims/a/b/checks.ts")).to.equal(undefined);
    expect(checksFileNetlist(sims, "/p/test/jar.checks.ts")).to.equal(undefined);
  });

  it("finds every checks file by netlist, and findNetlists takes none of them for a netlist", () => {
    const sims = simsFolder();
    expect(findChecksFiles(sims).map((f) => [f.netlist, path.relative(sims, f.file)])).to.deep.equal([
      ["amm", path.join("amm", "checks.js")],
      ["jar", "jar.checks.js"],
    ]);
    expect(findNetlists(sims).map((n) => n.name)).to.deep.equal(["amm", "jar"]);
  });

  it("refuses a named file that is not a checks file in the sims folder, or is missing (CHECKS_FILE_INVALID)", () => {
    const sims = simsFolder();
    const notChecks = thrownBy(() => selectChecksFiles(sims, ["jar.ts"], sims));
    expect(notChecks.code).to.equal("CHECKS_FILE_INVALID");
    expect(notChecks.message).to.equal("jar.ts is not a netlist's checks file: name it <netlist>.checks.ts or <netlist>/checks.ts (also .js, .cts, .cjs).");
    expect(thrownBy(() => selectChecksFiles(sims, ["gone.checks.ts"], sims)).message).to.equal("Checks file gone.checks.ts does not exist.");
    expect(selectChecksFiles(sims, ["jar.checks.js"], sims)).to.deep.equal([{ netlist: "jar", file: path.join(sims, "jar.checks.js") }]);
  });

  it("refuses checks that are not a record of options (CHECK_INVALID)", () => {
    expect(thrownBy(() => defineChecks({})).code).to.equal("CHECK_INVALID");
    expect(thrownBy(() => defineChecks({ " ": {} })).message).to.include("a check's name is empty");
    expect(thrownBy(() => defineChecks({ a: null as unknown as CheckOptions })).message).to.include('check "a" is null');
  });

  it("runs every check, counts a failure or a file that does not load without stopping, numbers failures from firstIndex", async () => {
    const sims = simsFolder();
    const lines: string[] = [];
    const asked: string[] = [];
    const check = async (netlist: string, options: CheckOptions) => {
      asked.push(`${netlist}:${options.runs}`);
      if (options.runs === 2) throw new Error("invariant broke at tick 3\n\n  shrunk to x=1");
      return { netlist, seed: 7, runs: options.runs ?? 0, interrupted: false };
    };
    const summary = await runChecksFiles(findChecksFiles(sims), check, { log: (l) => lines.push(l), cwd: sims, firstIndex: 4 });
    expect(asked).to.deep.equal(["jar:1", "jar:2"]);
    expect([summary.passed, summary.failed]).to.deep.equal([1, 2]);
    expect(lines).to.deep.equal([`  amm (${path.join("amm", "checks.js")})`, "    4) (load)", "  jar (jar.checks.js)", "    ✔ a (1 run, fast-check seed 7)", "    5) b"]);
    const report = failureReport(summary, 4);
    expect(report).to.include("  4) amm: (load)\n     ");
    expect(report).to.include("does not default-export netlist checks");
    expect(report).to.include("  5) jar: b\n     invariant broke at tick 3\n\n       shrunk to x=1\n");
  });
});
