import { TokenspiceError } from "../../src/errors";
import { expect } from "chai";
import { createRng, runRng } from "../../src/model/rng";

describe("rng", () => {
  it("repeats for the same seed and differs for another", () => {
    const draw = (seed: number) => Array.from({ length: 5 }, runRng(seed));
    expect(draw(7)).to.deep.equal(draw(7));
    expect(draw(7)).to.not.deep.equal(draw(8));
  });

  it("forks independent streams: drawing from one does not shift another", () => {
    const a = runRng(1);
    const untouched = a.fork("agent/bob");
    const b = runRng(1);
    b.fork("agent/alice")();
    b();
    const afterOthersDrew = b.fork("agent/bob");
    expect([untouched(), untouched()]).to.deep.equal([afterOthersDrew(), afterOthersDrew()]);
  });

  it("keeps helpers in their ranges", () => {
    const r = createRng("ranges");
    // Checked in plain JavaScript and asserted once: chai assertions in a loop of thousands cost
    // seconds in the full suite, where plugins (hardhat-chai-matchers) wrap them once per config load.
    const outOfRange: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const f = r();
      if (!(f >= 0 && f < 1)) outOfRange.push(`r() = ${f}`);
      const n = r.int(-3, 3);
      if (!(Number.isInteger(n) && n >= -3 && n <= 3)) outOfRange.push(`r.int(-3, 3) = ${n}`);
    }
    expect(outOfRange).to.deep.equal([]);
    const seen = new Set(Array.from({ length: 500 }, () => r.int(1, 6)));
    expect([...seen].sort()).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(() => r.int(2, 1)).to.throw(TokenspiceError, /need integers with min <= max/);
    expect(() => r.choice([])).to.throw(TokenspiceError, /empty array/);
  });

  it("draws normals with the asked mean and spread", () => {
    const r = createRng("normal");
    const xs = Array.from({ length: 20_000 }, () => r.normal(10, 2));
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).to.be.closeTo(10, 0.05);
    expect(sd).to.be.closeTo(2, 0.05);
  });

  it("shuffles into a permutation, deterministically", () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const s1 = createRng("s").shuffle(items);
    expect([...s1].sort()).to.deep.equal(items);
    expect(createRng("s").shuffle(items)).to.deep.equal(s1);
    expect(items).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
