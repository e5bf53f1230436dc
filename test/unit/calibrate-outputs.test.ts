import fs from "fs";
import path from "path";
import { expect } from "chai";
import { calibrateTask } from "../../src/cli/calibrate";
import type { CliContext } from "../../src/cli/context";
import { rejectionOf } from "./thrown";
import { tempDirs } from "./temp-dirs";

const DATA = path.join(__dirname, "..", "..", "sims", "amm", "data");

/** A context whose only netlist has a param `volatility` on [0, 3] and a choice `mode` (no range). */
function context(lines: string[]): CliContext {
  const netlist = { params: { volatility: { type: "float", default: 0.8, min: 0, max: 3 }, mode: { type: "choice", default: "a", choices: ["a", "b"] } } };
  return {
    environment: { load: () => ({ name: "world", file: "world.ts", netlist }) },
    output: { log: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) },
  } as unknown as CliContext;
}

describe("sim-calibrate fit: a params file, and the range from the netlist's param", () => {
  const tmp = tempDirs("tokenspice-calibrate-out-");

  it("--params-out writes the GBM's point values as sim --params takes them; never over a file without --force; needs --gbm", async () => {
    const dir = tmp();
    const lines: string[] = [];
    const args = { mode: "fit", data: path.join(DATA, "eth-usd-daily.csv"), time: "date", value: "close", gbm: true, out: path.join(dir, "c.json"), paramsOut: path.join(dir, "params.txt") };
    await calibrateTask(context(lines), args);
    expect(fs.readFileSync(args.paramsOut, "utf8")).to.equal("drift=2.745,volatility=1.065\n");
    expect(lines.join("\n")).to.contain(`Wrote ${args.paramsOut}: run with --params "$(cat `);
    const again = await rejectionOf(() => calibrateTask(context([]), { ...args, out: path.join(dir, "d.json") }));
    expect(again.code).to.equal("OUT_FILE_EXISTS");
    expect(fs.existsSync(path.join(dir, "d.json"))).to.equal(false); // refused before anything is written
    const noGbm = await rejectionOf(() => calibrateTask(context([]), { ...args, gbm: false, dist: "normal", out: path.join(dir, "e.json"), paramsOut: path.join(dir, "p2.txt") }));
    expect(noGbm.message).to.match(/--params-out .* add --gbm/);
  });

  it("fit <netlist> --param fits a triangular on the param's [min, max]; --min wins; a param without a range or unknown is refused, named", async () => {
    const dir = tmp();
    const lines: string[] = [];
    const base = { mode: "fit", data: path.join(DATA, "eth-usd-30d-volatility.csv"), time: "start", value: "volatility", dist: "triangular", param: "volatility", netlist: "world", resamples: "99" };
    await calibrateTask(context(lines), { ...base, out: path.join(dir, "a.json") });
    const a = JSON.parse(fs.readFileSync(path.join(dir, "a.json"), "utf8"));
    expect([a.params.volatility.min, a.params.volatility.max]).to.deep.equal([0, 3]);
    expect(lines).to.include("Range of volatility: [0, 3] (from world's param)");
    await calibrateTask(context([]), { ...base, min: "0.2", out: path.join(dir, "b.json") });
    expect(JSON.parse(fs.readFileSync(path.join(dir, "b.json"), "utf8")).params.volatility.min).to.equal(0.2);
    expect((await rejectionOf(() => calibrateTask(context([]), { ...base, param: "mode", out: path.join(dir, "c.json") }))).message).to.contain("world's param mode has no [min, max] range");
    expect((await rejectionOf(() => calibrateTask(context([]), { ...base, param: "fee", out: path.join(dir, "c.json") }))).message).to.contain(
      'netlist world has no param "fee"; its params: volatility, mode',
    );
  });
});
