// A campaign and a verify from a plain Node script: no Hardhat runtime, only hardhat-tokenspice's
// public API (hardhat-tokenspice/core), solc-js to compile the contract, and an EDR provider made here.
//   node run.js [out folder]      (default ./sim-results)
"use strict";
const fs = require("fs");
const path = require("path");
const solc = require("solc");
const { createEdrProvider } = require("./edr-provider");
// TOKENSPICE_MODULE: the package's tests point it at the sources; you import the package.
const { Agent, defineNetlist, param, createEnvironment, startCampaign, runSearch } = require(process.env.TOKENSPICE_MODULE || "hardhat-tokenspice/core");

const out = path.resolve(process.argv[2] || "sim-results");

/** Compiles Jar.sol with solc-js into <out>/artifacts/Jar.json (abi, bytecode, deployedBytecode). */
function compileJar() {
  const input = {
    language: "Solidity",
    sources: { "Jar.sol": { content: fs.readFileSync(path.join(__dirname, "Jar.sol"), "utf8") } },
    settings: { outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object", "metadata"] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors || []).filter((e) => e.severity === "error");
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  const jar = output.contracts["Jar.sol"].Jar;
  const dir = path.join(out, "artifacts");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "Jar.json");
  const artifact = {
    contractName: "Jar",
    sourceName: "Jar.sol",
    abi: jar.abi,
    bytecode: `0x${jar.evm.bytecode.object}`,
    deployedBytecode: `0x${jar.evm.deployedBytecode.object}`,
    metadata: jar.metadata,
  };
  fs.writeFileSync(file, JSON.stringify(artifact, null, 2));
  return { dir, file };
}

class Saver extends Agent {
  async step({ world, params, rng }) {
    const jar = world.jar.connect(this.wallet.signer);
    if (rng() < params.greed)
      await jar.take(rng.int(1, 5)); // may revert: recorded, the run goes on
    else await jar.put(rng.int(1, 3));
  }
}

async function main() {
  const artifacts = compileJar();
  const jar = defineNetlist({
    description: "Savers put coins in a jar and sometimes take too many",
    params: {
      savers: param.int({ default: 2, min: 1, max: 5, doc: "Savers (a design choice)" }),
      greed: param.float({ default: 0.4, min: 0, max: 0.8, kind: "uncontrollable", doc: "Chance to take instead of put" }),
    },
    time: { steps: 10, stepSeconds: 86_400 },
    async setup({ deployArtifact, wallet, params }) {
      const deployed = await deployArtifact(artifacts.file);
      const agents = [];
      for (let i = 0; i < params.savers; i++) agents.push(new Saver(await wallet(`saver-${i}`)));
      return { world: { jar: deployed }, agents };
    },
    kpis: {
      total: { value: ({ world }) => world.jar.total(), label: "Coins in the jar", unit: "coins" },
      reverts: ({ reverts }) => reverts,
    },
  });

  const environment = createEnvironment({ provider: await createEdrProvider(), root: out, artifactsDir: "artifacts" });

  // A campaign: 2 and 4 savers, 3 replicates each
  const campaign = await startCampaign(environment, jar, { sweep: { savers: [2, 4] }, replicates: 3, seed: 1, out: path.join(out, "campaign") });
  console.log(`campaign: ${campaign.complete} of ${campaign.runs} runs complete, ${campaign.failed.length} failed, in ${path.relative(out, campaign.dir)}/`);
  for (const line of fs
    .readFileSync(path.join(campaign.dir, "points.csv"), "utf8")
    .trim()
    .split("\n")
    .filter((l) => /total/.test(l) || l.startsWith("point")))
    console.log(`  ${line}`);

  // A verify: does the jar end with at least 5 coins in 90% of worlds, over the savers' greed?
  const verdict = await runSearch(environment, jar, "verify", { spec: "total final >= 5", target: 0.9, batch: 20, maxRuns: 60, searchSeed: 1, out: path.join(out, "verify") });
  console.log(
    `verify: ${verdict.yield.k} of ${verdict.yield.n} runs met "total final >= 5"; ${Number((100 * verdict.level).toPrecision(4))}% interval (look ${verdict.batches.length} of ${verdict.looks}) [${verdict.yield.lo.toFixed(4)}, ${verdict.yield.hi.toFixed(4)}] against 0.9: ${verdict.verdict.toUpperCase()}`,
  );
  console.log(
    `files: ${["campaign/campaign.json", "campaign/points.csv", "campaign/report.html", "verify/search.json", "verify/report.html"].filter((f) => fs.existsSync(path.join(out, f))).join(", ")}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
