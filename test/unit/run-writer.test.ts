import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { RunWriter, assertOutDir } from "../../src/output/run-writer";
import { TokenspiceError } from "../../src/errors";
import { thrownBy } from "./thrown";

describe("RunWriter", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-writer-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const open = (force = false) => RunWriter.open(dir, { force, kpiNames: ["supply", "price"], manifest: { netlist: { name: "x" }, seed: 1, startedAt: "t" } });

  it("writes rows as they come, bigints exact, and marks the manifest", () => {
    const w = open();
    expect(JSON.parse(fs.readFileSync(w.file("manifest"), "utf8")).status).to.equal("running");
    w.onSample({ tick: 0, time: 100, values: { supply: 10n ** 30n + 1n, price: 1.5 } });
    expect(fs.readFileSync(w.file("kpis"), "utf8")).to.equal("tick,timestamp,supply,price\n0,100,1000000000000000000000000000001,1.5\n");
    w.onRevert({ tick: 1, agent: "a", from: "0x1", to: null, call: "deploy", reason: 'bad, "quoted"', data: "0x", txHash: null, gasUsed: 21000n });
    expect(fs.readFileSync(w.file("reverts"), "utf8").split("\n")[1]).to.equal('1,a,0x1,,deploy,"bad, ""quoted""",0x,,21000');
    w.complete({ ok: 1n }, { durationMs: 5 });
    expect(JSON.parse(fs.readFileSync(w.file("result"), "utf8"))).to.deep.equal({ ok: "1" });
    expect(JSON.parse(fs.readFileSync(w.file("manifest"), "utf8")).status).to.equal("complete");
  });

  it("refuses a folder that holds a run and leaves it untouched", () => {
    const w = open();
    w.onSample({ tick: 0, time: 1, values: { supply: 1n, price: 1 } });
    const before = fs.readFileSync(w.file("kpis"), "utf8");
    expect(() => open()).to.throw(TokenspiceError, /already holds a run \(netlist "x", seed 1.*--force/);
    expect(fs.readFileSync(w.file("kpis"), "utf8")).to.equal(before);
  });

  it("with force, replaces only the run's own files", () => {
    open().complete({}, {});
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
    const w = open(true);
    expect(fs.readFileSync(w.file("kpis"), "utf8")).to.equal("tick,timestamp,supply,price\n");
    expect(fs.readFileSync(path.join(dir, "notes.txt"), "utf8")).to.equal("mine");
  });

  it("records a failure in the manifest and keeps the rows", () => {
    const w = open();
    w.onSample({ tick: 0, time: 1, values: { supply: 1n, price: 1 } });
    w.fail(new TokenspiceError("AGENT_FAILED", "agent threw", { agent: "a" }), {});
    const m = JSON.parse(fs.readFileSync(w.file("manifest"), "utf8"));
    expect([m.status, m.error, m.errorCode, m.errorDetails]).to.deep.equal(["failed", "agent threw", "AGENT_FAILED", { agent: "a" }]);
    expect(fs.readFileSync(w.file("kpis"), "utf8").trim().split("\n")).to.have.length(2);
  });

  it("is locked while it writes: a second writer into the same folder is refused, even with force", () => {
    const w = open();
    const e = thrownBy(() => open(true));
    expect(e?.code).to.equal("OUT_LOCKED");
    expect(e?.message).to.match(new RegExp(`is being written by another run \\(process ${process.pid} on this host holds its lock \\.tokenspice\\.lock\\)`));
    expect(e?.details, "refused before writing: no outDir").to.deep.equal({ dir });
    w.complete({}, {});
    expect(fs.existsSync(path.join(dir, ".tokenspice.lock")), "released").to.equal(false);
    expect(() => open(true).complete({}, {})).to.not.throw();
  });

  it("never overwrites a folder that is not a run of ours, even with force", () => {
    fs.writeFileSync(path.join(dir, "kpis.csv"), "someone else's");
    for (const force of [false, true]) {
      expect(() => open(force), String(force)).to.throw(TokenspiceError, /holds files that are not a hardhat-tokenspice run \(kpis\.csv\)/);
      try {
        open(force);
      } catch (error) {
        expect((error as TokenspiceError).details.outDir, "refused before writing: no outDir").to.equal(undefined);
      }
    }
    expect(fs.readFileSync(path.join(dir, "kpis.csv"), "utf8")).to.equal("someone else's");
  });

  it("names an output path that is a file, under a file, or not writable, before writing anything", () => {
    const file = path.join(dir, "a-file");
    fs.writeFileSync(file, "x");
    const code = (out: string) => {
      try {
        assertOutDir(out, false);
        RunWriter.open(out, { force: false, kpiNames: [], manifest: {} });
      } catch (error) {
        return [(error as TokenspiceError).code, (error as Error).message];
      }
      return ["none"];
    };
    expect(code(file)).to.deep.equal(["OUT_UNUSABLE", `Cannot write a run to ${file}: it is a file, not a folder. Choose a writable folder with --out (or \`out\`).`]);
    expect(code(path.join(file, "sub"))[0]).to.equal("OUT_UNUSABLE");
    expect(code(path.join(file, "sub"))[1]).to.match(/a-file is a file, not a folder|not a folder/);
    expect(code("/sys/tokenspice-test-run")[0]).to.equal("OUT_UNUSABLE"); // sysfs refuses new folders, even to root
  });

  it("marks the manifest interrupted, with the time, and releases the folder", () => {
    const w = open();
    const before = new Date(new Date().toISOString()).getTime(); // the manifest keeps milliseconds
    w.interrupt("interrupted by SIGINT");
    const after = Date.now();
    const m = JSON.parse(fs.readFileSync(w.file("manifest"), "utf8"));
    expect([m.status, m.error]).to.deep.equal(["interrupted", "interrupted by SIGINT"]);
    expect(Date.parse(m.interruptedAt)).to.be.within(before, after);
    expect(fs.existsSync(path.join(dir, ".tokenspice.lock"))).to.equal(false);
    w.fail(new Error("later"), {}); // the first ending wins
    expect(JSON.parse(fs.readFileSync(w.file("manifest"), "utf8")).status).to.equal("interrupted");
  });
});
