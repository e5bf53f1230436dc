import { expect } from "chai";
import { param } from "../../src/model/params";
import { assertSample, parseSweep } from "../../src/campaign/axes";
import { canonicalJson, planCampaign, pointKey, runSeed, shardRuns, unitSamples } from "../../src/campaign/plan";
import { campaignCommand } from "../../src/campaign/spec";
import type { CampaignSpec } from "../../src/campaign/types";
import type { RunSpec } from "../../src/runner/run-spec";
import { thrownBy as errorOf } from "./thrown";

const specs = {
  feeBps: param.int({ default: 30, min: 0, max: 1000 }),
  volatility: param.float({ default: 0.5, min: 0.01, max: 2, kind: "uncontrollable" }),
  drift: param.float({ default: 0, min: -1, max: 1, kind: "uncontrollable" }),
  curve: param.choice({ choices: ["linear", "exp, fast"], default: "linear" }),
  arb: param.bool({ default: true }),
};

const campaign = (over: Partial<CampaignSpec> = {}): CampaignSpec => ({
  netlist: { name: "amm", file: "sims/amm/netlist.ts" },
  steps: 10,
  params: {},
  runs: 2,
  sweep: [],
  zip: false,
  sample: null,
  seed: 7,
  stepTimeoutMs: 60_000,
  network: { name: "hardhat", chainId: 31337 },
  ...over,
});
const toRunSpec =
  (c: CampaignSpec) =>
  (params: Record<string, unknown>, seed: number): RunSpec => ({
    netlist: c.netlist,
    params: params as RunSpec["params"],
    seed,
    steps: c.steps,
    stepTimeoutMs: c.stepTimeoutMs,
    network: c.network,
  });
const plan = (c: CampaignSpec) => planCampaign(c, specs, toRunSpec(c), { stepTimeoutMs: 60_000 });

describe("campaign plan", () => {
  describe("--sweep", () => {
    it("takes lists, lo:hi:n and log:lo:hi:n, typed and checked against the param", () => {
      expect(parseSweep("amm", specs, "feeBps=5,30,100").values).to.deep.equal([5, 30, 100]);
      expect(parseSweep("amm", specs, "feeBps=0:100:5").values).to.deep.equal([0, 25, 50, 75, 100]);
      expect(parseSweep("amm", specs, "volatility=0.1:0.5:3").values).to.deep.equal([0.1, 0.30000000000000004, 0.5]);
      const log = parseSweep("amm", specs, "volatility=log:0.01:1:3").values as number[];
      expect(log[0]).to.equal(0.01);
      expect(log[1]).to.be.closeTo(0.1, 1e-12);
      expect(log[2]).to.equal(1);
      expect(parseSweep("amm", specs, "feeBps=log:1:1000:4").values).to.deep.equal([1, 10, 100, 1000]);
      expect(parseSweep("amm", specs, "curve=exp\\, fast,linear").values).to.deep.equal(["exp, fast", "linear"]);
      expect(parseSweep("amm", specs, "arb=true,false").values).to.deep.equal([true, false]);
    });

    it("refuses an unknown param, a value out of range, an empty list, a range that does not fit an int", () => {
      expect(errorOf(() => parseSweep("amm", specs, "fee=1,2")).code).to.equal("PARAM_UNKNOWN");
      const range = errorOf(() => parseSweep("amm", specs, "feeBps=5,2000"));
      expect([range.code, range.message]).to.deep.equal(["PARAM_INVALID", 'Param "feeBps" of netlist "amm": 2000 is out of range. Valid: int in [0, 1000].']);
      expect(errorOf(() => parseSweep("amm", specs, "feeBps=")).message).to.match(/the list of values is empty/);
      expect(errorOf(() => parseSweep("amm", specs, "feeBps=1,,2")).message).to.match(/a value in the list is empty/);
      expect(errorOf(() => parseSweep("amm", specs, "feeBps=0:10:4")).message).to.match(/is not an integer, and feeBps is an int/);
      expect(errorOf(() => parseSweep("amm", specs, "volatility=log:0:1:3")).message).to.match(/needs lo > 0/);
    });

    it("refuses a value repeated within a crossed list (the same point twice), naming the value and its positions", () => {
      const repeated = errorOf(() => plan(campaign({ sweep: [parseSweep("amm", specs, "feeBps=5,30,5")] })));
      expect([repeated.code, repeated.message]).to.deep.equal([
        "OPTION_INVALID",
        "--sweep feeBps: 5 is value 1 and value 3 of (5, 30, 5), so the grid would run the same points twice. Give each value once (for an int log range, ask for fewer values).",
      ]);
      // an int log range whose rounding repeats a value: 1, 1.3, 1.7, 2.3, 3 rounds to 1, 1, 2, 2, 3
      expect(parseSweep("amm", specs, "feeBps=log:1:3:5").values).to.deep.equal([1, 1, 2, 2, 3]);
      expect(errorOf(() => plan(campaign({ sweep: [parseSweep("amm", specs, "feeBps=log:1:3:5")] }))).message).to.match(/^--sweep feeBps: 1 is value 1 and value 2 of \(1, 1, 2, 2, 3\)/);
      // crossed with another axis, the hint names --zip
      const crossed = errorOf(() => plan(campaign({ sweep: [parseSweep("amm", specs, "arb=true,false"), parseSweep("amm", specs, "curve=linear,linear")] })));
      expect(crossed.message).to.match(/^--sweep curve: "linear" is value 1 and value 2 .* with --zip a value may repeat within a list\.$/);
      // typed sweeps from code are held to the same rule
      expect(errorOf(() => plan(campaign({ sweep: [{ param: "feeBps", values: [1, 1] }] }))).code).to.equal("OPTION_INVALID");
    });
  });

  describe("--sample", () => {
    it("defaults to every uncontrollable param, and needs finite ranges", () => {
      expect(assertSample("amm", specs, "lhs", 8, undefined).over).to.deep.equal(["volatility", "drift"]);
      const open = { x: param.float({ default: 1, kind: "uncontrollable" }) };
      expect(errorOf(() => assertSample("n", open, "random", 4, undefined)).message).to.match(/param "x" has no finite range to sample/);
      expect(errorOf(() => assertSample("amm", specs, "grid", 4, undefined)).message).to.match(/not one of random, lhs, sobol/);
      expect(errorOf(() => assertSample("amm", specs, "lhs", 0, undefined)).message).to.match(/--samples must be a positive integer/);
    });

    it("Latin hypercube: each dimension has exactly one point in each of the K strata", () => {
      const k = 16;
      const points = unitSamples("lhs", k, 3, 1);
      for (let d = 0; d < 3; d++) {
        const strata = points.map((p) => Math.floor(p[d] * k)).sort((a, b) => a - b);
        expect(strata).to.deep.equal(Array.from({ length: k }, (_, i) => i));
      }
      expect(unitSamples("lhs", k, 3, 1)).to.deep.equal(points); // seeded
      expect(unitSamples("lhs", k, 3, 2)).to.not.deep.equal(points);
    });

    it("Sobol: the sequence's first points, and balanced halves for a power of two", () => {
      expect(unitSamples("sobol", 4, 2, 1)).to.deep.equal([
        [0, 0],
        [0.5, 0.5],
        [0.75, 0.25],
        [0.25, 0.75],
      ]);
      const pts = unitSamples("sobol", 64, 2, 1);
      for (let d = 0; d < 2; d++) expect(pts.filter((p) => p[d] < 0.5)).to.have.length(32);
    });
  });

  describe("points, seeds and shards", () => {
    it("crosses sweeps into a grid (first axis slowest), or pairs them with --zip", () => {
      const grid = plan(campaign({ runs: 1, sweep: [parseSweep("amm", specs, "feeBps=5,30"), parseSweep("amm", specs, "arb=true,false")] }));
      expect(grid.points.map((p) => p.varying)).to.deep.equal([
        { feeBps: 5, arb: true },
        { feeBps: 5, arb: false },
        { feeBps: 30, arb: true },
        { feeBps: 30, arb: false },
      ]);
      const zip = plan(campaign({ runs: 1, zip: true, sweep: [parseSweep("amm", specs, "feeBps=5,30"), parseSweep("amm", specs, "arb=true,false")] }));
      expect(zip.points.map((p) => p.varying)).to.deep.equal([
        { feeBps: 5, arb: true },
        { feeBps: 30, arb: false },
      ]);
      expect(errorOf(() => plan(campaign({ zip: true, sweep: [parseSweep("amm", specs, "feeBps=5,30"), parseSweep("amm", specs, "arb=true")] }))).message).to.match(
        /"feeBps" has 2 values and "arb" 1/,
      );
    });

    it("with --zip, takes a value repeated within one list when the zipped points differ, and refuses a point given twice", () => {
      const zip = (a: string, b: string) => plan(campaign({ runs: 1, zip: true, sweep: [parseSweep("amm", specs, a), parseSweep("amm", specs, b)] }));
      const p = zip("feeBps=5,5,30", "volatility=0.2,0.8,0.8");
      expect(p.points.map((x) => x.varying)).to.deep.equal([
        { feeBps: 5, volatility: 0.2 },
        { feeBps: 5, volatility: 0.8 },
        { feeBps: 30, volatility: 0.8 },
      ]);
      expect(new Set(p.runs.map((r) => r.seed)).size).to.equal(3); // three points, three seeds
      const same = errorOf(() => zip("feeBps=5,30,5", "volatility=0.2,0.8,0.2"));
      expect([same.code, same.message]).to.deep.equal([
        "OPTION_INVALID",
        "--zip: positions 1 and 3 of the --sweep lists are the same point (feeBps=5, volatility=0.2), which would run twice. Values may repeat within one list, but each zipped point must differ in at least one param.",
      ]);
      // one zipped list is one list: a repeat is the same point
      expect(errorOf(() => plan(campaign({ zip: true, sweep: [parseSweep("amm", specs, "feeBps=5,5")] }))).message).to.match(/^--zip: positions 1 and 2 .* \(feeBps=5\)/);
    });

    it("gives each run a seed from (campaign seed, point params, replicate) only", () => {
      const small = plan(campaign({ sweep: [parseSweep("amm", specs, "feeBps=5,30")] }));
      const big = plan(campaign({ sweep: [parseSweep("amm", specs, "feeBps=1,5,30,100")] }));
      const seedOf = (p: typeof small, key: string) => p.runs.find((r) => r.key === key)!.seed;
      for (const run of small.runs) expect(seedOf(big, run.key), run.key).to.equal(run.seed); // other points change nothing
      expect(new Set(big.runs.map((r) => r.seed)).size).to.equal(big.runs.length);
      const other = plan(campaign({ seed: 8, sweep: [parseSweep("amm", specs, "feeBps=5,30")] }));
      expect(other.runs.map((r) => r.seed)).to.not.deep.equal(small.runs.map((r) => r.seed));
      expect(runSeed(7, small.points[0].params, 0)).to.equal(small.runs[0].seed);
      // key order never matters
      expect(pointKey({ a: 1, b: "x" })).to.equal(pointKey({ b: "x", a: 1 }));
      expect(canonicalJson({ b: [1, { d: 2, c: 3 }], a: true })).to.equal('{"a":true,"b":[1,{"c":3,"d":2}]}');
    });

    it("with common seeds, gives replicate r the same seed at every point, and says so in the spec hash and the command", () => {
      const sweep = [parseSweep("amm", specs, "feeBps=1,5,30")];
      const common = plan(campaign({ runs: 3, sweep, commonSeeds: true }));
      const byReplicate = (p: typeof common, r: number) => new Set(p.runs.filter((x) => x.replicate === r).map((x) => x.seed));
      for (const r of [0, 1, 2]) expect(byReplicate(common, r).size, `replicate ${r}`).to.equal(1);
      expect(new Set(common.runs.map((x) => x.seed)).size).to.equal(3); // replicates still differ
      expect(common.runs[0].seed).to.equal(runSeed(7, {}, 0));
      // the run folders and keys are a campaign's as ever; only seeds and the spec hash change
      const independent = plan(campaign({ runs: 3, sweep }));
      expect(common.runs.map((x) => x.key)).to.deep.equal(independent.runs.map((x) => x.key));
      expect(byReplicate(independent, 0).size).to.equal(3);
      expect(common.specHash).to.not.equal(independent.specHash);
      expect(campaignCommand(campaign({ runs: 3, sweep, commonSeeds: true }), { stepTimeoutMs: 60_000 })).to.match(/ --common-seeds$/);
    });

    it("names each run by point and replicate, with its folder and a command that repeats it", () => {
      const p = plan(campaign({ runs: 3, params: { feeBps: 10 } }));
      expect(p.points).to.have.length(1);
      expect(p.runs.map((r) => r.key)).to.deep.equal([0, 1, 2].map((i) => `${p.points[0].key}/r${i}`));
      expect(p.runs[1].dir).to.equal(`runs/${p.points[0].key}/r1`);
      expect(p.runs[1].command).to.equal(`npx hardhat sim amm --seed ${p.runs[1].seed} --steps 10 --params feeBps=10,volatility=0.5,drift=0,curve=linear,arb=true`);
    });

    it("refuses a param both fixed and varied, or varied twice", () => {
      expect(errorOf(() => plan(campaign({ params: { feeBps: 5 }, sweep: [parseSweep("amm", specs, "feeBps=5,30")] }))).message).to.match(/both fixed .* and varied/);
      const sample = assertSample("amm", specs, "random", 4, ["volatility"]);
      expect(errorOf(() => plan(campaign({ sample, sweep: [parseSweep("amm", specs, "volatility=0.1,0.2")] }))).message).to.match(/varied twice/);
    });

    it("shards by hash-sort-slice: the shards partition the runs, in plan order, whatever the count", () => {
      const p = plan(campaign({ runs: 5, sweep: [parseSweep("amm", specs, "feeBps=0:100:11")] }));
      for (const count of [1, 2, 3, 7]) {
        const shards = Array.from({ length: count }, (_, i) => shardRuns(p.runs, i + 1, count));
        const keys = shards.flat().map((r) => r.key);
        expect(keys.sort()).to.deep.equal(p.runs.map((r) => r.key).sort());
        for (const s of shards) expect(s.length).to.be.within(Math.floor(p.runs.length / count), Math.ceil(p.runs.length / count));
      }
      expect(errorOf(() => shardRuns(p.runs, 4, 3)).message).to.match(/Shard 4\/3 is not valid/);
      expect(errorOf(() => shardRuns(p.runs, 0, 3)).code).to.equal("OPTION_INVALID");
    });
  });
});
