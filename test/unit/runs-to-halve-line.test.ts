import { expect } from "chai";
import { runsToHalveLine } from "../../src/report/campaign";

describe("runsToHalveLine: what halves a campaign's Monte Carlo intervals", () => {
  it("four times the replicates, and the runs that takes over every point", () => {
    expect(runsToHalveLine(20, 3)).to.equal(
      "each point's percentiles and mean come from 20 replicates; their intervals narrow as 1/√n, so 80 replicates a point (--replicates 80, 240 runs) would halve them",
    );
  });

  it("says nothing for one replicate: no spread to estimate", () => {
    expect(runsToHalveLine(1, 5)).to.equal(undefined);
  });
});
