import { TokenspiceError } from "../../src/errors";
import { expect } from "chai";
import { Series } from "../../src/model/series";

describe("Series", () => {
  it("summarises number KPIs", () => {
    const s = new Series("price", [2, 4, 4, 4, 5, 5, 7, 9], [0, 1, 2, 3, 4, 5, 6, 7]);
    expect([s.final(), s.min(), s.max(), s.mean(), s.std()]).to.deep.equal([9, 2, 9, 5, 2]);
    expect(s.at(0)).to.equal(2);
    expect(s.at(-2)).to.equal(7);
    expect(() => s.at(8)).to.throw(TokenspiceError, /"price" has 8 samples; no sample 8/);
  });

  it("keeps bigint KPIs exact for final, min and max", () => {
    const big = 10n ** 30n;
    const s = new Series("supply", [big + 1n, big, big + 3n], [0, 1, 2]);
    expect(s.min()).to.equal(big);
    expect(s.max()).to.equal(big + 3n);
    expect(s.final()).to.equal(big + 3n);
    expect(s.mean()).to.be.closeTo(1e30, 1e15);
  });

  it("refuses to summarise an empty series", () => {
    for (const stat of ["min", "max", "final", "mean", "std"] as const) {
      expect(() => new Series("x", [], [])[stat](), stat).to.throw(TokenspiceError, /KPI "x" has (no|0) samples/);
    }
  });
});
