import { expect } from "chai";
import { builtinModules } from "module";
import fs from "fs";
import os from "os";
import path from "path";
import type { TokenspiceEnvironment } from "../src/campaign/environment";
import type { Eip1193Provider } from "../src/engine/provider";
import { startCampaign } from "../src/campaign/start";
import { CampaignResult } from "../src/campaign/result";
import { loadNetlist } from "../src/runner/netlists";
import { runSpec, type RunEnvironment } from "../src/runner/run";
import { INLINE } from "../src/runner/run-spec";
import { runSearch } from "../src/search/run-search";
import { isNetlist } from "../src/model/netlist";
import { TokenspiceError } from "../src/errors";
import { simCommand, verifyCommand, type CliContext } from "../src/cli";

// The core (src/ outside src/hardhat) runs campaigns and searches with no Hardhat runtime: what a
// Hardhat 3 adapter, or a plain Node script, builds on. Everything here is built by hand.

const SIMS = path.join(__dirname, "fixtures", "core-sims");

/**
 * A stub EIP-1193 node that answers only what the engine asks of a netlist without contracts:
 * chain id, snapshots and reverts, blocks (number, timestamp, gas) mined at the times the engine
 * pins, and balances for the agents' wallets. A netlist with contracts needs a real node (EDR);
 * one that sends nothing needs no EVM. Any other method is refused, naming it, so a change in what
 * the engine needs shows up here.
 */
function stubNode(): Eip1193Provider & { methods: Set<string> } {
  type State = { blocks: { timestamp: number }[]; balances: Map<string, string>; nextTimestamp?: number };
  let state: State = { blocks: [{ timestamp: Date.UTC(2020, 0, 1) / 1000 }], balances: new Map() };
  const snapshots: State[] = [];
  const copy = (s: State): State => ({ blocks: [...s.blocks], balances: new Map(s.balances), nextTimestamp: s.nextTimestamp });
  const hex = (n: number) => `0x${n.toString(16)}`;
  const block = (n: number) => ({ number: hex(n), timestamp: hex(state.blocks[n].timestamp), gasLimit: hex(30_000_000), gasUsed: "0x0", baseFeePerGas: "0x0", transactions: [] });
  const mine = (timestamp?: number) => {
    const last = state.blocks[state.blocks.length - 1].timestamp;
    state.blocks.push({ timestamp: timestamp ?? state.nextTimestamp ?? last + 1 });
    state.nextTimestamp = undefined;
  };
  const methods = new Set<string>();
  return {
    methods,
    async request({ method, params = [] }) {
      methods.add(method);
      const p = params as unknown[];
      switch (method) {
        case "eth_chainId":
          return "0x7a69";
        case "eth_blockNumber":
          return hex(state.blocks.length - 1);
        case "eth_getBlockByNumber": {
          const tag = p[0] as string;
          return block(tag === "latest" || tag === "pending" ? state.blocks.length - 1 : Number(tag));
        }
        case "evm_snapshot":
          snapshots.push(copy(state));
          return hex(snapshots.length);
        case "evm_revert": {
          const i = Number(p[0]) - 1;
          if (snapshots[i] === undefined) return false;
          state = copy(snapshots[i]);
          snapshots.length = i;
          return true;
        }
        case "evm_setNextBlockTimestamp":
          state.nextTimestamp = Number(p[0]);
          return null;
        case "evm_mine":
          mine(p[0] === undefined ? undefined : Number(p[0]));
          return "0x0";
        case "hardhat_mine": {
          const count = Number(p[0] ?? 1);
          const interval = Number(p[1] ?? 1);
          for (let i = 0; i < count; i++) mine(state.blocks[state.blocks.length - 1].timestamp + (i === 0 && state.nextTimestamp !== undefined ? 0 : interval));
          return null;
        }
        case "hardhat_setBalance":
          state.balances.set(String(p[0]).toLowerCase(), String(p[1]));
          return true;
        case "hardhat_impersonateAccount":
        case "hardhat_stopImpersonatingAccount":
          return true;
        case "eth_getBalance":
          return state.balances.get(String(p[0]).toLowerCase()) ?? "0x0";
        case "eth_feeHistory": {
          const count = Number(p[0]);
          return { oldestBlock: hex(Math.max(0, state.blocks.length - count)), baseFeePerGas: [], gasUsedRatio: Array(count).fill(0) };
        }
        default:
          throw new Error(`the stub node does not answer ${method}`);
      }
    },
  };
}

/** An environment built by hand: the netlist loader on a fixture sims folder, the stub node, no workers. */
function handMadeEnvironment(outDir: string): TokenspiceEnvironment & { node: ReturnType<typeof stubNode> } {
  const node = stubNode();
  const env: RunEnvironment = {
    provider: node,
    walletWei: 10n ** 21n,
    network: { name: "hardhat", chainId: 31337 },
    node: { blockTime: "tick" },
    root: SIMS,
    projectContracts: [],
    stepTimeoutMs: null,
    versions: { "hardhat-tokenspice": "test", node: process.version },
    git: null,
  };
  return {
    node,
    outDir,
    load(nameOrNetlist) {
      if (typeof nameOrNetlist === "string") return loadNetlist(SIMS, nameOrNetlist);
      if (!isNetlist(nameOrNetlist)) throw new TokenspiceError("OPTION_INVALID", "not a netlist");
      return { name: "inline", file: INLINE, netlist: nameOrNetlist };
    },
    runEnvironment: async () => env,
    runSpec: (e, loaded, spec, controls) => runSpec(e, loaded, spec, controls),
  };
}

/** The modules a file imports (static `import … from`, `export … from`, `require(…)`, `import(…)`). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const out: string[] = [];
  for (const re of [/^\s*(?:import|export)\s[^;]*?\sfrom\s+["']([^"']+)["']/gm, /^\s*import\s+["']([^"']+)["']/gm, /\brequire\(\s*["']([^"']+)["']\s*\)/g, /\bimport\(\s*["']([^"']+)["']\s*\)/g]) {
    for (const m of text.matchAll(re)) out.push(m[1]);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
}

const isHardhat = (spec: string) => spec === "hardhat" || spec.startsWith("hardhat/");
const SRC = path.join(__dirname, "..", "src");

describe("the core without Hardhat", function () {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-core-"));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("runs a campaign from a hand-made environment: its folder, runs and result", async function () {
    const environment = handMadeEnvironment(tmp);
    const out = path.join(tmp, "campaign");
    const summary = await startCampaign(environment, "walk", { runs: 3, sweep: { agents: [1, 3] }, seed: 11, out });
    expect(summary).to.include({ dir: out, runs: 6, complete: 6, skipped: 0 });
    expect(summary.failed).to.deep.equal([]);
    for (const file of ["campaign.json", "status.json", "bands.csv", "points.csv", "runs.csv"]) expect(fs.existsSync(path.join(out, file)), file).to.equal(true);
    const result = CampaignResult.read(out);
    expect(result.spec.netlist.name).to.equal("walk");
    expect(result.runs).to.have.length(6);
    expect(result.points.map((p) => p.varying)).to.deep.equal([{ agents: 1 }, { agents: 3 }]);
    for (const run of result.runs) {
      expect(run.status).to.equal("complete");
      expect(
        fs
          .readFileSync(path.join(out, run.run.dir, "kpis.csv"), "utf8")
          .trim()
          .split("\n"),
      ).to.have.length(8); // header, tick 0 (after setup) and 6 steps
    }
    // The engine asked the node for nothing beyond what the stub answers, and reverted every run.
    expect([...environment.node.methods]).to.include.members(["evm_snapshot", "evm_revert"]);
  });

  it("gives byte-identical runs for the same campaign seed", async function () {
    const a = path.join(tmp, "a");
    const b = path.join(tmp, "b");
    await startCampaign(handMadeEnvironment(tmp), "walk", { runs: 2, seed: 5, out: a });
    await startCampaign(handMadeEnvironment(tmp), "walk", { runs: 2, seed: 5, out: b });
    const runs = CampaignResult.read(a).runs;
    for (const run of runs) {
      expect(fs.readFileSync(path.join(b, run.run.dir, "kpis.csv"), "utf8")).to.equal(fs.readFileSync(path.join(a, run.run.dir, "kpis.csv"), "utf8"));
    }
  });

  it("runs a verify from a hand-made environment: its verdict and its folder", async function () {
    const environment = handMadeEnvironment(tmp);
    const out = path.join(tmp, "verify");
    const pass = await runSearch(environment, "walk", "verify", { spec: "level final >= -1000", target: 0.5, batch: 10, maxRuns: 20, seed: 3, out });
    // 10 of 10 met: two planned looks share the 5% (2.5% for the first), so the first look's
    // Clopper–Pearson lower end is 0.0125^(1/10) ≈ 0.645 ≥ 0.5 after one batch
    expect(pass.verdict).to.equal("pass");
    expect(pass.yield).to.include({ k: 10, n: 10 });
    expect(pass.level).to.equal(0.975);
    expect(pass.yield.lo).to.be.closeTo(Math.pow(0.0125, 1 / 10), 1e-9);
    const search = JSON.parse(fs.readFileSync(path.join(out, "search.json"), "utf8"));
    expect(search).to.include({ tool: "hardhat-tokenspice", kind: "verify", netlist: "walk", seed: 3, steps: 6 });
    expect(JSON.parse(fs.readFileSync(path.join(out, "search-runs.json"), "utf8"))).to.have.length(10);
    expect(fs.existsSync(path.join(out, "report.html"))).to.equal(true);

    const fail = await runSearch(environment, "walk", "verify", { spec: "level final >= 1000000", target: 0.5, batch: 10, maxRuns: 20, seed: 3, out: path.join(tmp, "fail"), outputs: false });
    expect(fail.verdict).to.equal("fail");
    expect(fail.yield).to.include({ k: 0, n: 10 });
    expect(fail.failures).to.have.length(10);
    expect(fail.failures[0].reason).to.match(/^does not meet /);
  });

  it("runs a sensitivity from a hand-made environment: Morris on the walk's drift, μ* = 12 exactly on common seeds", async function () {
    const environment = handMadeEnvironment(tmp);
    const options = { objective: "level final", method: "morris" as const, trajectories: 4, seed: 3, outputs: false };
    const r = await runSearch(environment, "walk", "sensitivity", { ...options, out: path.join(tmp, "sensitivity") });
    // level = 6 ticks × 2 walkers × drift + noise; every run on the same seed, so the noise cancels in
    // each elementary effect: EE = 12 × drift's range (1) on every trajectory
    expect(r.runs).to.equal(4 * 2);
    const [m] = r.outputs[0].morris!;
    expect(m.param).to.equal("drift");
    expect(m.muStar.value).to.be.closeTo(12, 1e-9);
    expect(m.sigma).to.be.closeTo(0, 1e-9);
    const again = await runSearch(environment, "walk", "sensitivity", { ...options, out: path.join(tmp, "sensitivity-again") });
    expect(again).to.deep.equal(r);
  });

  it("refuses a search into a folder of someone else's files or of a campaign, before any run, writing nothing", async function () {
    const environment = handMadeEnvironment(tmp);
    const notes = path.join(tmp, "notes");
    fs.mkdirSync(notes);
    fs.writeFileSync(path.join(notes, "notes.txt"), "mine");
    const campaign = path.join(tmp, "campaign");
    await startCampaign(environment, "walk", { replicates: 1, seed: 2, out: campaign });
    const before = fs.readdirSync(campaign).sort();
    const refusals: [string, string][] = [];
    for (const out of [notes, campaign]) {
      const error = await runSearch(environment, "walk", "verify", { spec: "level final >= -1000", target: 0.5, batch: 10, maxRuns: 20, searchSeed: 3, out }).then(
        () => undefined,
        (e: TokenspiceError) => e,
      );
      expect(error, out).to.be.instanceOf(TokenspiceError);
      refusals.push([error!.code, error!.message]);
    }
    expect(refusals.map(([code]) => code)).to.deep.equal(["OUT_NOT_A_RUN", "OUT_NOT_A_RUN"]);
    expect(refusals[0][1]).to.contain(`${notes} holds files that are not a hardhat-tokenspice search (notes.txt). Nothing was written`);
    expect(refusals[1][1]).to.contain(`${campaign} holds a hardhat-tokenspice campaign, not a search`);
    expect(fs.readdirSync(notes)).to.deep.equal(["notes.txt"]);
    expect(fs.readdirSync(campaign).sort()).to.deep.equal(before);
  });

  it("runs sim and sim-verify's commands (src/cli) from a hand-made context: their lines, and a warning for each deprecated flag", async function () {
    const lines: string[] = [];
    const warnings: string[] = [];
    let compiled = 0;
    const ctx: CliContext = {
      environment: handMadeEnvironment(tmp),
      simsDir: SIMS,
      compile: async () => void compiled++,
      commandPrefix: ["npx", "hardhat"],
      commandLine: "npx hardhat sim-verify walk",
      output: { log: (line) => lines.push(line), warn: (line) => warnings.push(line) },
    };
    const campaign = path.join(tmp, "campaign");
    await simCommand(ctx, { netlist: "walk", replicates: "2", campaignSeed: 4, out: campaign, quiet: true });
    expect(lines).to.deep.equal([campaign]);
    expect(CampaignResult.read(campaign).runs).to.have.length(2);
    expect(compiled).to.equal(1);
    expect(warnings).to.deep.equal([]);

    lines.length = 0;
    const verify = path.join(tmp, "verify");
    await verifyCommand(ctx, { netlist: "walk", spec: ["level final >= -1000"], target: "0.5", batch: "10", maxRuns: "20", seed: "3", out: verify, noCompile: true });
    expect(warnings).to.deep.equal(["Warning: --seed is deprecated: use --search-seed (same meaning)."]);
    expect(lines[0]).to.equal(`Files in ${verify}: report.html, search.json, runs/ and their store (campaign.duckdb, Parquet, CSV)`);
    // two planned looks share the 5%: the first look's interval is at 97.5%, and it decides
    expect(lines[1]).to.match(/^level final >= -1000: 10 of 10 runs met it; yield 1\.0000, 97\.5% \(look 1 of 2; 95% over all looks\) interval \[0\.6452, 1\.0000\] against 0\.5: PASS$/);
    expect(lines[2]).to.match(/^ {2}Halving this interval would take about \d+ runs in all/);
    expect(JSON.parse(fs.readFileSync(path.join(verify, "search.json"), "utf8")).seed).to.equal(3);

    // the old and the new name together: one error naming both, nothing run
    const both = await verifyCommand(ctx, { netlist: "walk", spec: ["level final >= 0"], seed: "3", searchSeed: "3", out: path.join(tmp, "both"), noCompile: true }).catch((e) => e);
    expect(both).to.be.instanceOf(TokenspiceError);
    expect((both as TokenspiceError).code).to.equal("OPTION_INVALID");
    expect((both as TokenspiceError).message).to.equal("--seed is the old name of --search-seed: give --search-seed only.");
    expect(fs.existsSync(path.join(tmp, "both"))).to.equal(false);
  });

  it("refuses several workers when the environment has no worker processes", async function () {
    const environment = handMadeEnvironment(tmp);
    let error: unknown;
    await startCampaign(environment, "walk", { runs: 2, workers: 2, out: path.join(tmp, "w") }).catch((e) => (error = e));
    expect(error).to.be.instanceOf(TokenspiceError);
    expect((error as TokenspiceError).code).to.equal("OPTION_INVALID");
    expect(fs.existsSync(path.join(tmp, "w"))).to.equal(false);
  });

  it("no module under src/ but the Hardhat adapters (src/hardhat, src/hardhat3, the plugin entry) imports hardhat", function () {
    // src/index.ts (the package's Hardhat 2 entry: extendConfig, extendEnvironment) and
    // src/type-extensions.ts (its type augmentation) belong to the adapter, beside src/hardhat.
    const hh3 = (file: string) => file.startsWith(path.join(SRC, "hardhat3") + path.sep);
    const adapter = (file: string) => file.startsWith(path.join(SRC, "hardhat") + path.sep) || hh3(file) || file === path.join(SRC, "index.ts") || file === path.join(SRC, "type-extensions.ts");
    const core = sourceFiles(SRC).filter((f) => !adapter(f));
    expect(core.length).to.be.greaterThan(50);
    const adapterImport = (spec: string) => /\/hardhat3?\//.test(spec) || /\/hardhat3?$/.test(spec) || /^\.\.?\/(index|type-extensions)$/.test(spec);
    const offenders = core.flatMap((f) =>
      importsOf(f)
        .filter((spec) => isHardhat(spec) || adapterImport(spec))
        .map((spec) => `${path.relative(SRC, f)}: ${spec}`),
    );
    expect(offenders).to.deep.equal([]);
    // The two adapters share only the core: the Hardhat 3 one imports nothing of Hardhat 2's adapter or entry.
    const hh3Files = sourceFiles(SRC).filter(hh3);
    expect(hh3Files.length).to.be.greaterThan(5);
    const crossing = hh3Files.flatMap((f) =>
      importsOf(f)
        .filter((spec) => spec.startsWith(".") && adapter(path.resolve(path.dirname(f), spec.replace(/\.js$/, ".ts"))) && !hh3(path.resolve(path.dirname(f), spec)))
        .map((spec) => `${path.relative(SRC, f)}: ${spec}`),
    );
    expect(crossing).to.deep.equal([]);
  });

  it("the core's orchestration reaches no Hardhat module through its imports", function () {
    const seen = new Set<string>();
    const reached: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(file)) {
        if (isHardhat(spec)) reached.push(`${path.relative(SRC, file)}: ${spec}`);
        if (!spec.startsWith(".")) continue;
        const base = path.resolve(path.dirname(file), spec);
        const next = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
        if (next) visit(next);
      }
    };
    for (const entry of ["campaign/start.ts", "search/run-search.ts", "campaign/environment.ts", "cli/index.ts"]) visit(path.join(SRC, entry));
    expect(seen.size).to.be.greaterThan(20);
    expect([...seen].filter((f) => f.startsWith(path.join(SRC, "cli") + path.sep)).length, "the command layer (src/cli) is scanned").to.be.greaterThan(5);
    expect([...seen].filter((f) => f.startsWith(path.join(SRC, "hardhat")))).to.deep.equal([]);
    expect(reached).to.deep.equal([]);
  });

  it("the tasks import only the adapter (src/hardhat), the public API (src/index, src/api), Node's builtins and hardhat", function () {
    const TASKS = path.join(SRC, "..", "tasks");
    const allowed = (file: string, spec: string) => {
      if (isHardhat(spec) || builtinModules.includes(spec.replace(/^node:/, ""))) return true;
      if (!spec.startsWith(".")) return false;
      const target = path.resolve(path.dirname(file), spec);
      return target.startsWith(path.join(SRC, "hardhat") + path.sep) || [path.join(SRC, "index"), path.join(SRC, "api")].includes(target);
    };
    const files = sourceFiles(TASKS);
    expect(files.length).to.be.greaterThan(3);
    const offenders = files.flatMap((f) =>
      importsOf(f)
        .filter((spec) => !allowed(f, spec))
        .map((spec) => `tasks/${path.relative(TASKS, f)}: ${spec}`),
    );
    expect(offenders).to.deep.equal([]);
  });
});
