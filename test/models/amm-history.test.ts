import path from "path";
import { expect } from "chai";
import { logReturns, oneSeries, readSeries, withDrift } from "../../src/calibrate";
import { ROOT, useEnvironment } from "../helpers";

const ETH = path.join(ROOT, "sims", "amm", "data", "eth-usd-daily.csv");

describe("amm and uniswap-v2 on ETH/USD history (amm-history, amm-bootstrap, uniswap-v2-history)", function () {
  useEnvironment(ROOT);
  this.timeout(300_000);

  it("amm-history replays the data: the external price is initialPrice × P_t/P_0 at every tick, whatever the seed", async function () {
    const closes = oneSeries(await readSeries(ETH, { time: "date", value: "close" })).values;
    const params = { numNoiseTraders: 0, numLPs: 0 };
    const a = await this.hre.tokenspice.run("amm-history", { seed: 1, steps: 20, params });
    const b = await this.hre.tokenspice.run("amm-history", { seed: 2, steps: 20, params });
    a.kpi<number>("externalPrice").values.forEach((price, tick) => expect(price).to.be.closeTo((2000 * closes[tick]) / closes[0], 1e-9 * price));
    expect(b.kpi<number>("externalPrice").values).to.deep.equal(a.kpi<number>("externalPrice").values);
    expect(a.params).to.not.have.property("volatility");
  });

  it("uniswap-v2-history replays the same path on the published pair", async function () {
    const closes = oneSeries(await readSeries(ETH, { time: "date", value: "close" })).values;
    const r = await this.hre.tokenspice.run("uniswap-v2-history", { seed: 1, steps: 10, params: { numNoiseTraders: 0, numLPs: 0 } });
    r.kpi<number>("externalPrice").values.forEach((price, tick) => expect(price).to.be.closeTo((2000 * closes[tick]) / closes[0], 1e-9 * price));
    expect(r.kpi<number>("arbTrades").final()).to.be.above(0);
  });

  it("amm-bootstrap gives each seed its own path, made of the data's daily moves moved to the drift param", async function () {
    const closes = oneSeries(await readSeries(ETH, { time: "date", value: "close" })).values;
    const moves = new Set(withDrift(logReturns(closes), 0, 1 / 365).map((r) => r.toFixed(9)));
    const params = { numNoiseTraders: 0, numLPs: 0 };
    const a = await this.hre.tokenspice.run("amm-bootstrap", { seed: 1, steps: 15, params });
    const b = await this.hre.tokenspice.run("amm-bootstrap", { seed: 2, steps: 15, params });
    const pa = a.kpi<number>("externalPrice").values;
    expect(b.kpi<number>("externalPrice").values).to.not.deep.equal(pa);
    for (let t = 1; t < pa.length; t++) expect(moves.has(Math.log(pa[t] / pa[t - 1]).toFixed(9)), `tick ${t}`).to.equal(true);
  });
});
