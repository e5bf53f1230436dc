import { TokenspiceError } from "../../src/errors";
import chai, { expect } from "chai";
import { Series, tokenspiceChai } from "../../src/api";

const s = <T extends number | bigint>(name: string, values: T[]) =>
  new Series<T>(
    name,
    values,
    values.map((_, i) => i * 10),
  );
const fails = (fn: () => void, message: RegExp) => expect(fn).to.throw(chai.AssertionError, message);

describe("chai assertions on KPI series", () => {
  before(() => chai.use(tokenspiceChai)); // what loading the plugin does

  it("nonDecreasing / nonIncreasing name the first move the wrong way", () => {
    expect(s("supply", [1n, 2n, 2n, 5n])).to.be.nonDecreasing;
    expect(s("price", [3, 2, 2, 1])).to.be.nonIncreasing;
    fails(() => expect(s("supply", [1n, 3n, 2n, 1n])).to.be.nonDecreasing, /expected KPI supply to be nonDecreasing, but it fell from 3 at tick 10 to 2 at tick 20/);
    fails(() => expect(s("price", [1, 2])).to.be.nonIncreasing, /KPI price to be nonIncreasing, but it rose from 1 at tick 0 to 2 at tick 10/);
    expect(s("price", [1, 0])).not.to.be.nonDecreasing;
    fails(() => expect(s("price", [1, 2])).not.to.be.nonDecreasing, /not to be nonDecreasing, but it never fell over 2 samples/);
  });

  it("stay.within names the first sample outside", () => {
    expect(s("price", [0.95, 1.0, 1.08])).to.stay.within(0.9, 1.1);
    expect(s("supply", [10n ** 24n, 2n * 10n ** 24n])).to.stay.within(10n ** 24n, 3n * 10n ** 24n);
    fails(() => expect(s("price", [1, 1.2, 0.5])).to.stay.within(0.9, 1.1), /KPI price to stay within \[0\.9, 1\.1\], but at tick 10 it was 1\.2/);
    expect(5).to.be.within(1, 10); // plain numbers keep chai's own within
  });

  it("never.dropBelow / riseAbove name where the bound was crossed", () => {
    expect(s("treasury", [100n, 50n, 80n])).to.never.dropBelow(50n);
    fails(() => expect(s("treasury", [100n, 49n, 80n])).to.never.dropBelow(50n), /KPI treasury never to drop below 50, but at tick 10 it was 49/);
    expect(s("treasury", [100n, 49n])).to.dropBelow(50);
    fails(() => expect(s("treasury", [100n, 60n])).to.dropBelow(50n), /KPI treasury to drop below 50, but its minimum was 60 at tick 10/);
    expect(s("price", [1, 3])).to.riseAbove(2);
    fails(() => expect(s("price", [1, 3, 4])).to.never.riseAbove(2), /never to rise above 2, but at tick 10 it was 3/);
  });

  it("end.closeTo checks the final value, exactly for bigints", () => {
    expect(s("supply", [0n, 999_995n])).to.end.closeTo(1_000_000n, 5n);
    fails(() => expect(s("supply", [0n, 999_994n])).to.end.closeTo(1_000_000n, 5n), /KPI supply \(tick 10\) to end close to 1000000 ± 5, but it ended at 999994/);
    expect(s("gini", [0.1, 0.3001])).to.end.closeTo(0.3, 0.001);
    expect(s("gini", [0.1, 0.3])).to.end.be.above(0.2); // end hands the final value to chai's own assertions
    expect(1.0).to.be.closeTo(1.05, 0.1);
  });

  it("refuses to read a non-series as a series", () => {
    expect(() => expect(42).to.be.nonDecreasing).to.throw(TokenspiceError, /applies to a KPI series/);
  });
});
