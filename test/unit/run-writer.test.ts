import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { RunWriter } from "../../src/output/run-writer";
import { TokenspiceError } from "../../src/errors";

describe("RunWriter", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-writer-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const open = (force = false) =>
    RunWriter.open(dir, { force, kpiNames: ["supply", "price"], manifest: { netlist: { name: "x" }, seed: 1, startedAt: "t" } });

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
    open();
    fs.writeFileSync(path.join(dir, "notes.txt"), "mine");
    const w = open(true);
    expect(fs.readFileSync(w.file("kpis"), "utf8")).to.equal("tick,timestamp,supply,price\n");
    expect(fs.readFileSync(path.join(dir, "notes.txt"), "utf8")).to.equal("mine");
  });

  it("records a failure in the manifest and keeps the rows", () => {
    const w = open();
    w.onSample({ tick: 0, time: 1, values: { supply: 1n, price: 1 } });
    w.fail(new Error("agent threw"), {});
    const m = JSON.parse(fs.readFileSync(w.file("manifest"), "utf8"));
    expect([m.status, m.error]).to.deep.equal(["failed", "agent threw"]);
    expect(fs.readFileSync(w.file("kpis"), "utf8").trim().split("\n")).to.have.length(2);
  });
});
