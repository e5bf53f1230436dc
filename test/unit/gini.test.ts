import { expect } from "chai";
import { gini } from "../../sims/token-flow/gini";

describe("token-flow gini", () => {
  it("is 0 for equal shares and (n-1)/n when one holds all", () => {
    expect(gini([5, 5, 5, 5])).to.be.closeTo(0, 1e-12);
    expect(gini([0, 0, 0, 10])).to.be.closeTo(0.75, 1e-12);
    expect(gini([])).to.equal(0);
    expect(gini([0, 0])).to.equal(0);
  });

  it("matches the mean-absolute-difference definition", () => {
    const xs = [1, 3, 7, 15, 2];
    let sum = 0;
    for (const a of xs) for (const b of xs) sum += Math.abs(a - b);
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    expect(gini(xs)).to.be.closeTo(sum / (2 * xs.length ** 2 * mean), 1e-12);
  });
});
