import { spawn, spawnSync } from "child_process";
import fs from "fs";
import net from "net";
import os from "os";
import path from "path";
import { expect } from "chai";
import { ROOT, cliIn, fixture, readJson, shippedModels, spawnCli, waitFor } from "./helpers";

/**
 * `npx hardhat sim` as a user and a CI job see it: exit codes, what is on disk after a hang, an
 * endless loop, a signal or a second process, reproduce commands run in a shell, and a run over
 * JSON-RPC to a node on loopback.
 */
describe("npx hardhat sim: exit codes, signals, locks, hangs (testbed fixture project)", function () {
  this.timeout(180_000);
  const testbed = fixture("testbed");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-cli-"));
  const out = (name: string) => path.join(tmp, name);
  const sim = (args: string[], env?: NodeJS.ProcessEnv) => cliIn(testbed, ["sim", ...args, "--no-compile"], env);
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  before(() => {
    for (const project of [testbed, ROOT]) {
      const r = cliIn(project, ["compile", "--quiet"]);
      expect(r.status, r.output).to.equal(0);
    }
  });

  describe("exit codes: 0 success, 1 a failed run or baseline, 2 bad input", () => {
    it("0 for a run that completes", () => {
      const r = sim(["faults", "--seed", "1", "--out", out("ok"), "--quiet"]);
      expect(r.status, r.output).to.equal(0);
    });

    it("1 for an agent that throws; the error says where the files are", () => {
      const r = sim(["faults", "--seed", "1", "--params", "mode=throwString", "--out", out("threw")]);
      expect(r.status, r.output).to.equal(1);
      // a thrown string carries no stack: the message says so, and how to get a file and line
      expect(r.stderr).to.match(
        /^Error in plugin hardhat-tokenspice: Agent "faulty" threw \(netlist "faults", tick 2, seed 1\): a plain string \(no file and line: a string was thrown, which carries no stack; throw an Error to see where\)$/m,
      );
      expect(r.stderr).to.contain(`Everything recorded before the failure is in ${out("threw")}`);
      expect(readJson(path.join(out("threw"), "manifest.json")).status).to.equal("failed");
    });

    it("1 for an agent that throws an Error: one line naming the file and line of the throw, also in the manifest and report", () => {
      const file = path.join(testbed, "sims", "faults.ts");
      const line =
        fs
          .readFileSync(file, "utf8")
          .split("\n")
          .findIndex((l) => l.includes('throw new Error("boom")')) + 1;
      const r = sim(["faults", "--seed", "1", "--params", "mode=throwError", "--out", out("threw-error")]);
      expect(r.status, r.output).to.equal(1);
      const where = new RegExp(`^sims/faults\\.ts:${line}:\\d+$`);
      const shown = /^Error in plugin hardhat-tokenspice: Agent "faulty" threw \(netlist "faults", tick 2, seed 1\): boom \(at (\S+)\)$/m.exec(r.stderr);
      expect(shown?.[1], r.stderr).to.match(where);
      // One line per error, even where Hardhat takes the machine for CI: no stack trace without --show-stack-traces.
      expect(r.stderr.match(/^Error in plugin/gm)).to.have.length(1);
      expect(r.output).to.not.match(/^\s+at |Caused by/m);
      const manifest = readJson(path.join(out("threw-error"), "manifest.json"));
      expect(manifest.errorDetails.at).to.equal(shown![1]);
      expect(manifest.errorDetails.stack).to.match(new RegExp(`^Error: boom\\n\\s+at .*\\(sims/faults\\.ts:${line}:\\d+\\)`));
      expect(fs.readFileSync(path.join(out("threw-error"), "report.html"), "utf8")).to.contain(`(at ${shown![1]})`);
    });

    it("2 for a fork that cannot be reached: one error naming the setting, no key printed, nothing written", () => {
      // Keys where providers put them: the first host label (Rivet), the path (Alchemy, Infura), the query (dRPC).
      const keys = ["hostkey0123456789abcdef", "PathKey0123456789", "QueryKey0123456789"];
      const url = `https://${keys[0]}.eth.rpc.example.invalid/v2/${keys[1]}?dkey=${keys[2]}`;
      const r = cliIn(testbed, ["--config", "hardhat.fork.config.ts", "sim", "faults", "--seed", "1", "--out", out("fork"), "--no-compile"], { TOKENSPICE_FORK_URL: url });
      expect(r.status, r.output).to.equal(2);
      expect(r.stderr).to.match(/^Error in plugin hardhat-tokenspice: networks\.hardhat\.forking \(url https:\/\/\*\.example\.invalid, blockNumber 19000000\) cannot be forked: /m);
      expect(r.stderr.match(/^Error in plugin/gm)).to.have.length(1);
      for (const key of keys) expect(r.output, key).to.not.contain(key);
      expect(fs.existsSync(out("fork"))).to.equal(false);
    });

    it("1 for a step that never settles (never 0 with the run unfinished), also under --baseline", () => {
      const r = sim(["faults", "--seed", "1", "--params", "mode=hang", "--step-timeout", "500", "--out", out("hang")]);
      expect(r.status, r.output).to.equal(1);
      expect(r.stderr).to.match(/Agent "faulty" did not finish within 500 ms \(netlist "faults", tick 2, seed 1\)/);
      expect(readJson(path.join(out("hang"), "manifest.json"))).to.include({ status: "failed", errorCode: "STEP_TIMEOUT" });
      const file = out("hang-baseline.json");
      expect(sim(["faults", "--seed", "1", "--baseline", file, "--update-baseline", "--quiet", "--out", out("hang-b1")]).status).to.equal(0);
      const edited = readJson(file);
      edited.run.params.mode = "hang";
      fs.writeFileSync(file, JSON.stringify(edited));
      const check = sim(["faults", "--baseline", file, "--step-timeout", "500", "--quiet", "--out", out("hang-b2")]);
      expect(check.status, check.output).to.equal(1);
      expect(check.output).to.not.match(/within tolerance/);
    });

    it("2 for bad input, before compiling or writing anything", () => {
      for (const [args, message] of [
        [["faults", "--params", "mode=nope"], /Param "mode" of netlist "faults": "nope" is not a choice/],
        [["faults", "--params", "mode"], /Malformed --params "mode"/],
        [["faults", "--step-timeout", "-1"], /Step timeout -1 is not valid/],
        [["faults", "--seed", "abc"], /--seed "abc" is not valid: use a decimal integer/],
        [["faults", "--seed", "-1"], /Seed -1 is not valid: use an integer in \[0, 4294967295\]/],
        [["faults", "--steps", "0"], /Steps 0 is not valid: use a positive integer/],
        [["nope"], /Unknown netlist "nope"/],
      ] as const) {
        const r = sim([...args, "--out", out("bad")]);
        expect(r.status, r.output).to.equal(2);
        expect(r.stderr).to.match(message);
        expect(fs.existsSync(out("bad"))).to.equal(false);
      }
    });
  });

  describe("a synchronous endless loop", () => {
    it("is stopped by the watchdog, which marks the manifest and ends the process non-zero", async () => {
      const dir = out("spin");
      // In the background, so that the test's timeout fails it if the watchdog does not end the process.
      const r = await spawnCli(testbed, ["sim", "faults", "--seed", "3", "--params", "mode=spin", "--step-timeout", "1500", "--out", dir, "--no-compile"]).done;
      expect(r.status === 0, r.output).to.equal(false);
      expect(r.signal).to.equal("SIGKILL"); // exit status 137 in a shell
      expect(r.stderr).to.match(/Agent "faulty" blocked the event loop for more than 1500 ms \(netlist "faults", tick 2, seed 3\)/);
      const manifest = readJson(path.join(dir, "manifest.json"));
      expect([manifest.status, manifest.errorCode]).to.deep.equal(["failed", "STEP_HUNG"]);
      expect(manifest.error).to.match(/Agent "faulty" blocked the event loop/);
      expect(fs.existsSync(path.join(dir, ".tokenspice.lock")), "lock released").to.equal(false);
      expect(fs.readFileSync(path.join(dir, "kpis.csv"), "utf8").trim().split("\n")).to.have.length(3); // header, ticks 0 and 1
    });
  });

  describe("signals", () => {
    const exitCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      it(`${signal} marks the manifest interrupted, releases the folder and ends the process non-zero`, async () => {
        const dir = out(`signal-${signal}`);
        const { child, done } = spawnCli(testbed, ["sim", "faults", "--seed", "1", "--steps", "40", "--params", "sleepMs=300", "--out", dir, "--no-compile"]);
        await waitFor("the run's first rows", () => fs.existsSync(path.join(dir, "kpis.csv")) && fs.readFileSync(path.join(dir, "kpis.csv"), "utf8").split("\n").length > 3);
        child.kill(signal);
        const r = await done;
        expect(r.status === 0, r.output).to.equal(false);
        expect(r.signal ?? r.status).to.be.oneOf([signal, exitCodes[signal]]);
        const manifest = readJson(path.join(dir, "manifest.json"));
        expect(manifest.status).to.equal("interrupted");
        expect(manifest.error).to.equal(`interrupted by ${signal}`);
        expect(Date.parse(manifest.interruptedAt)).to.be.greaterThan(0);
        expect(fs.existsSync(path.join(dir, ".tokenspice.lock"))).to.equal(false);
      });
    }
  });

  describe("signals stop a search", () => {
    it("SIGINT: the search says where its runs are and the --search-seed and --out that continue it, and releases its folder", async () => {
      const dir = out("search-SIGINT");
      const args = [
        "sim-worst-case",
        "faults",
        "--objective",
        "pokes final",
        "--over",
        "at",
        "--budget",
        "33",
        "--search-seed",
        "5",
        "--steps",
        "8",
        "--params",
        "sleepMs=300",
        "--workers",
        "1",
        "--out",
        dir,
        "--no-compile",
      ];
      const { child, done } = spawnCli(testbed, args);
      await waitFor("the search's first run to write rows", () => {
        const runs = path.join(dir, "runs");
        const kpis = fs.existsSync(runs)
          ? fs
              .readdirSync(runs)
              .map((p) => path.join(runs, p, "r0", "kpis.csv"))
              .find((f) => fs.existsSync(f))
          : undefined;
        return !!kpis && fs.readFileSync(kpis, "utf8").split("\n").length > 2;
      });
      child.kill("SIGINT");
      const r = await done;
      expect(r.signal ?? r.status, r.output).to.be.oneOf(["SIGINT", 130]);
      expect(r.stderr).to.contain(`Search interrupted by SIGINT. The runs that ended are kept in ${dir}; continue it where it stopped with the same command and --search-seed 5 --out ${dir}.`);
      expect(
        fs.readdirSync(dir).filter((f) => f.startsWith(".tokenspice.lock")),
        "lock released",
      ).to.deep.equal([]);
    });
  });

  describe("signals stop a campaign", () => {
    const exitCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      it(`${signal}: status.json says interrupted, the folder is released, the resume command is printed and works`, async () => {
        const dir = out(`campaign-${signal}`);
        const { child, done } = spawnCli(testbed, ["sim", "faults", "--runs", "2", "--campaign-seed", "1", "--steps", "10", "--params", "sleepMs=300", "--workers", "1", "--out", dir, "--no-compile"]);
        const firstRun = () => readJson(path.join(dir, "campaign.json"))?.runs?.[0]?.dir as string | undefined;
        await waitFor("the campaign's first run to write rows", () => {
          const run = firstRun();
          const kpis = run && path.join(dir, run, "kpis.csv");
          return readJson(path.join(dir, "status.json"))?.state === "running" && !!kpis && fs.existsSync(kpis) && fs.readFileSync(kpis, "utf8").split("\n").length > 2;
        });
        child.kill(signal);
        const r = await done;
        expect(r.signal ?? r.status, r.output).to.be.oneOf([signal, exitCodes[signal]]);
        const resume = `npx hardhat sim --resume ${dir}`;
        expect(readJson(path.join(dir, "status.json"))).to.include({ state: "interrupted", signal, resume, pid: child.pid });
        expect(r.stderr).to.contain(`Campaign interrupted by ${signal}. Runs that ended are kept; continue it with:\n  ${resume}\n`);
        expect(readJson(path.join(dir, firstRun()!, "manifest.json")).status).to.equal("interrupted");
        expect(
          fs.readdirSync(dir).filter((f) => f.startsWith(".tokenspice.lock")),
          "lock released",
        ).to.deep.equal([]);
        if (signal !== "SIGINT") {
          const report = cliIn(testbed, ["sim-report", dir]);
          expect(report.stdout, report.output).to.contain(`Status: interrupted; continue it with: ${resume}`);
          return;
        }
        const resumed = cliIn(testbed, [...resume.split(" ").slice(2), "--no-compile", "--quiet"]);
        expect(resumed.status, resumed.output).to.equal(0);
        expect(readJson(path.join(dir, "status.json"))).to.include({ state: "complete", failed: 0 });
      });
    }
  });

  describe("one folder, two processes", () => {
    it("refuses the second --force run while the first is writing; the first finishes alone", async () => {
      const dir = out("locked");
      // Long enough (40 ticks of 300 ms) for the second process to boot Hardhat while it runs.
      const first = spawnCli(testbed, ["sim", "faults", "--seed", "1", "--steps", "40", "--params", "sleepMs=300", "--out", dir, "--force", "--quiet", "--no-compile"]);
      await waitFor("the first run to start writing", () => readJson(path.join(dir, "manifest.json"))?.status === "running");
      const second = sim(["faults", "--seed", "2", "--out", dir, "--force", "--quiet"]);
      expect(readJson(path.join(dir, "manifest.json"))?.status, "the first run was still going").to.equal("running");
      expect(second.status, second.output).to.equal(2);
      expect(second.stderr).to.match(/is being written by another run/);
      expect(second.stderr, "the refused run recorded nothing").to.not.match(/Everything recorded/);
      const r = await first.done;
      expect(r.status, r.output).to.equal(0);
      const manifest = readJson(path.join(dir, "manifest.json"));
      expect([manifest.seed, manifest.status]).to.deep.equal([1, "complete"]);
      const ticks = fs
        .readFileSync(path.join(dir, "kpis.csv"), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(",")[0]);
      expect(ticks).to.deep.equal(Array.from({ length: 41 }, (_, t) => String(t)));
    });
  });

  describe("bad input fails before any work", () => {
    it("a flag its task takes once, repeated (--objective of sim-worst-case; sim-corners takes several): exit 2 naming it", () => {
      const r = cliIn(testbed, ["sim-worst-case", "design-fee", "--no-compile", "--objective", "revenue final", "--objective", "volume final", "--out", out("twice")]);
      expect(r.status, r.output).to.equal(2);
      expect(r.stderr).to.contain("--objective was given more than once; sim-worst-case takes one --objective.");
      expect(fs.existsSync(out("twice"))).to.equal(false);
    });

    it("--out: a file, a path through a file, a folder of someone else's files", () => {
      const file = out("a-file");
      fs.writeFileSync(file, "x");
      const other = out("not-ours");
      fs.mkdirSync(other);
      fs.writeFileSync(path.join(other, "notes.txt"), "mine");
      for (const [dir, message] of [
        [file, /Cannot write a run to .*a-file: it is a file, not a folder/],
        [path.join(file, "sub"), /Cannot write a run to .*a-file\/sub: .*not a folder/],
        [other, /holds files that are not a hardhat-tokenspice run \(notes\.txt\)/],
      ] as const) {
        const r = sim(["faults", "--seed", "1", "--out", dir, "--force"]);
        expect(r.status, r.output).to.equal(2);
        expect(r.stderr).to.match(message);
        expect(r.output).to.not.match(/EEXIST|ENOTDIR|EROFS|EPERM|ENOENT/);
        expect(r.stderr, "nothing was recorded").to.not.match(/Everything recorded/);
      }
      expect(fs.readdirSync(other)).to.deep.equal(["notes.txt"]);
      expect(fs.readFileSync(path.join(other, "notes.txt"), "utf8")).to.equal("mine");
    });

    it("a baseline with a missing or null section, and --update-baseline into a missing folder", () => {
      const good = out("good-baseline.json");
      expect(sim(["faults", "--seed", "1", "--steps", "2", "--baseline", good, "--update-baseline", "--quiet", "--out", out("bl")]).status).to.equal(0);
      for (const [edit, field] of [
        [(b: any) => (b.kpis = null), "kpis"],
        [(b: any) => delete b.run, "run"],
        [(b: any) => (b.kpis.pokes.mean = null), 'kpis["pokes"].mean'],
        [(b: any) => (b.tolerance = { relative: -1 }), "tolerance"],
      ] as const) {
        const file = out(`broken-${field.replace(/\W/g, "")}.json`);
        const b = readJson(good);
        edit(b);
        fs.writeFileSync(file, JSON.stringify(b));
        const run = out(`broken-run-${field.replace(/\W/g, "")}`);
        const r = sim(["faults", "--baseline", file, "--quiet", "--out", run]);
        expect(r.status, r.output).to.equal(2);
        expect(r.stderr).to.contain(`Baseline ${file}: ${field}`);
        expect(fs.existsSync(run), "refused before the run started").to.equal(false);
      }
      const missing = sim(["faults", "--baseline", out("no-such-folder/b.json"), "--update-baseline", "--quiet"]);
      expect(missing.status, missing.output).to.equal(2);
      expect(missing.stderr).to.match(/Cannot write baseline .*no-such-folder\/b\.json: its folder .* does not exist/);
    });

    it("two files for one netlist name: refused naming both; --list lists it as broken and the rest in full", () => {
      const sims = path.join(testbed, "sims");
      fs.writeFileSync(path.join(sims, "twin.ts"), 'export default require("./pokes").default;\n');
      fs.mkdirSync(path.join(sims, "twin"), { recursive: true });
      fs.writeFileSync(path.join(sims, "twin", "netlist.ts"), 'export default require("../pokes").default;\n');
      try {
        const r = sim(["twin", "--seed", "1"]);
        expect(r.status, r.output).to.equal(2);
        expect(r.stderr).to.contain(`Netlist "twin" is defined by 2 files: ${path.join(sims, "twin", "netlist.ts")} and ${path.join(sims, "twin.ts")}`);
        const list = sim(["--list"]);
        expect(list.status).to.equal(2);
        expect(list.stdout).to.match(/^pokes — Pokers poke a testbed/m);
        expect(list.stdout).to.match(/^treasury — /m);
        expect(list.stdout).to.match(/^twin — BROKEN \(NETLIST_AMBIGUOUS\)/m);
        expect(list.stdout).to.match(/^not-a-netlist — BROKEN \(NETLIST_INVALID\)/m);
      } finally {
        fs.rmSync(path.join(sims, "twin.ts"));
        fs.rmSync(path.join(sims, "twin"), { recursive: true });
      }
    });
  });

  describe("the reproduce command reproduces", () => {
    /** Runs the printed command in a shell (with --out added), and compares the files byte for byte. */
    function reproduces(cwd: string, args: string[], name: string) {
      const first = cliIn(cwd, ["sim", ...args, "--out", out(`${name}-a`), "--no-compile"]);
      expect(first.status, first.output).to.equal(0);
      const command = first.stdout.match(/^Reproduce: (.*)$/m)![1];
      expect(readJson(path.join(out(`${name}-a`), "manifest.json")).command).to.equal(command);
      const again = spawnSync("bash", ["-c", `${command} --out ${JSON.stringify(out(`${name}-b`))} --no-compile --quiet`], {
        cwd,
        encoding: "utf8",
        env: { ...process.env, PATH: `${path.join(ROOT, "node_modules", ".bin")}:${process.env.PATH}` },
      });
      expect(again.status, `${command}\n${again.stdout}${again.stderr}`).to.equal(0);
      for (const f of ["kpis.csv", "reverts.csv", "result.json"]) {
        expect(fs.readFileSync(path.join(out(`${name}-b`), f)).equals(fs.readFileSync(path.join(out(`${name}-a`), f))), `${name} ${f}`).to.equal(true);
      }
      return command;
    }

    it("for a netlist name with a space and choice values holding , = ' \\ $ and spaces", () => {
      // each label holds two of the characters a shell or --params reads: three run-and-reproduce pairs, not six
      for (const [i, label] of ["a\\,b x y", "k=v it's", "back\\\\slash $HOME"].entries()) {
        const command = reproduces(testbed, ["odd names", "--seed", "3", "--params", `label=${label},size=2`], `odd-${i}`);
        expect(command).to.match(/^npx hardhat sim 'odd names' --seed 3 --steps 2 --params /);
      }
    });

    for (const model of shippedModels()) {
      it(`for the shipped model ${model}`, () => {
        reproduces(ROOT, [model, "--seed", "11", "--steps", "3"], model);
      });
    }
  });

  describe("over JSON-RPC to a node on loopback", () => {
    let node: ReturnType<typeof spawn> | undefined;
    let url = "";
    before(async () => {
      const port = await new Promise<number>((resolve) => {
        const s = net.createServer().listen(0, "127.0.0.1", () => {
          const p = (s.address() as net.AddressInfo).port;
          s.close(() => resolve(p));
        });
      });
      url = `http://127.0.0.1:${port}`;
      node = spawn(path.join(ROOT, "node_modules", ".bin", "hardhat"), ["node", "--hostname", "127.0.0.1", "--port", String(port)], { cwd: ROOT });
      let log = "";
      node.stdout!.on("data", (d) => (log += d));
      await waitFor("the node to listen", () => log.includes("Started HTTP"), 90_000);
    });
    after(() => node?.kill("SIGTERM"));

    it("runs a shipped model end to end, recording mined reverts with their hashes", () => {
      const dir = out("loopback");
      const r = cliIn(ROOT, ["--network", "loopback", "sim", "token-flow", "--seed", "5", "--steps", "10", "--out", dir, "--no-compile"], { TOKENSPICE_LOOPBACK_URL: url });
      expect(r.status, r.output).to.equal(0);
      expect(r.stdout).to.match(/^Reproduce: npx hardhat --network loopback sim token-flow --seed 5 --steps 10 /m);
      const manifest = readJson(path.join(dir, "manifest.json"));
      expect(manifest).to.include({ status: "complete", blockTime: "tick+tx" });
      expect(manifest.network).to.include({ name: "loopback", chainId: 31337 });
      expect(fs.readFileSync(path.join(dir, "kpis.csv"), "utf8").trim().split("\n")).to.have.length(12);
      const reverts = fs.readFileSync(path.join(dir, "reverts.csv"), "utf8").trim().split("\n").slice(1);
      expect(reverts.length, "token-flow's holders misjudge their balances now and then").to.be.greaterThan(0);
      for (const row of reverts) expect(row, "txHash and gasUsed end each row").to.match(/,0x[0-9a-f]{64},[1-9]\d*$/);
      // Same netlist, params and seed on the same node: the same files.
      const again = cliIn(ROOT, ["--network", "loopback", "sim", "token-flow", "--seed", "5", "--steps", "10", "--out", out("loopback-2"), "--no-compile", "--quiet"], {
        TOKENSPICE_LOOPBACK_URL: url,
      });
      expect(again.status, again.output).to.equal(0);
      expect(fs.readFileSync(path.join(out("loopback-2"), "kpis.csv")).equals(fs.readFileSync(path.join(dir, "kpis.csv")))).to.equal(true);
    });
  });
});
