import { spawn, spawnSync, type ChildProcess } from "child_process";
import fs from "fs";
import path from "path";
import { expect } from "chai";
import { resetHardhatContext } from "hardhat/plugins-testing";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { rejectionOf } from "./unit/thrown";

declare module "mocha" {
  interface Context {
    hre: HardhatRuntimeEnvironment;
  }
}

export const ROOT = path.resolve(__dirname, "..");
export const fixture = (name: string) => path.join(__dirname, "fixture-projects", name);

/**
 * Loads the Hardhat project at `projectPath` (as `npx hardhat` would from there) into `this.hre`
 * for the enclosing describe, compiling it first; resets Hardhat's context afterwards.
 */
export function useEnvironment(projectPath: string): void {
  let previousCwd: string;
  before("Loading hardhat environment", async function () {
    previousCwd = process.cwd();
    process.chdir(projectPath);
    this.hre = require("hardhat");
    await this.hre.run("compile", { quiet: true });
  });
  after("Resetting hardhat", function () {
    resetHardhatContext();
    process.chdir(previousCwd);
  });
}

/** Runs `fn` and returns the error it rejects with (fails the test if it does not): test/unit/thrown.ts's, as a plain Error. */
export const errorOf = (fn: () => Promise<unknown>): Promise<Error> => rejectionOf(fn);

/** Silences console.log around each test of the enclosing describe (check() prints the seed it chose). */
export function quietConsoleLog(): void {
  let original: typeof console.log;
  beforeEach(() => {
    original = console.log;
    console.log = () => undefined;
  });
  afterEach(() => {
    console.log = original;
  });
}

export const hardhatBin = path.join(ROOT, "node_modules", ".bin", "hardhat");

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  stdout: string;
  stderr: string;
}

/** `npx hardhat <args>` in `cwd`, as a user runs it (not a terminal: plain progress lines, no colours). */
export function cliIn(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(hardhatBin, args, { cwd, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0", ...env } });
  // eslint-disable-next-line no-control-regex
  const clean = (s: string) => (s ?? "").replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
  return { status: r.status, signal: r.signal, stdout: clean(r.stdout), stderr: clean(r.stderr), output: clean(`${r.stdout}${r.stderr}`) };
}

/** Starts `npx hardhat <args>` in `cwd` in the background; `done` resolves when it exits. */
export function spawnCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(hardhatBin, args, { cwd, env: { ...process.env, FORCE_COLOR: "0", ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on("exit", (status, signal) => resolve({ status, signal, stdout, stderr, output: stdout + stderr })));
  return { child, done };
}

/** Polls `check` every 100 ms until it returns true; fails after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Resolves once the wall clock has entered a later second than when it was called (polling every
 * 10 ms): for tests of code that must not follow the wall clock, such as a node that stamps an
 * unpinned block with the current second. Waits on that condition, not a fixed time.
 */
export async function nextWallClockSecond(): Promise<void> {
  const second = Math.floor(Date.now() / 1000);
  while (Math.floor(Date.now() / 1000) === second) await new Promise((r) => setTimeout(r, 10));
}

/** Reads a JSON file, or undefined when it is missing or half-written. */
export function readJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Models that run only on a fork of a live chain they come with (their tests stand the chain up:
 * test/fork-uniswap-v2.test.ts), so not in `shippedModels`.
 */
export const FORK_MODELS = ["uniswap-v2-fork"];

/** The models this repo ships that run on a fresh chain: every folder of sims/ with a netlist.ts, sorted, but FORK_MODELS. */
export function shippedModels(): string[] {
  const sims = path.join(ROOT, "sims");
  return fs
    .readdirSync(sims)
    .filter((d) => fs.existsSync(path.join(sims, d, "netlist.ts")) && !FORK_MODELS.includes(d))
    .sort();
}

/**
 * Every file of a campaign folder (relative path → bytes), but the ones that hold timings or locks:
 * manifests and status.json (times), campaign.duckdb (DuckDB's file layout is not byte-stable; its
 * rows are checked through the CSV and Parquet files), lock folders.
 */
export function campaignFiles(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!["manifest.json", "status.json"].includes(e.name) && !e.name.endsWith(".duckdb") && !p.includes(".tokenspice.lock")) out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

export function expectSameCampaignFiles(a: string, b: string): void {
  const fa = campaignFiles(a);
  const fb = campaignFiles(b);
  expect([...fb.keys()].sort()).to.deep.equal([...fa.keys()].sort());
  for (const [name, bytes] of fa) expect(bytes.equals(fb.get(name)!), name).to.equal(true);
}
