import { expect } from "chai";
import { createRng } from "../../src/api";
import { getAmountOut, optimalArbitrage } from "../../sims/amm/constant-product";
import { gbmStep } from "../../sims/amm/gbm";

/** What an arbitrage trade earns at the external price, in continuous (real-number) math. */
function profitOf(sell: "volatile" | "stable", amountIn: number, x: number, y: number, price: number, feeBps: number): number {
  const g = 1 - feeBps / 10_000;
  if (sell === "stable") return price * ((g * amountIn * x) / (y + g * amountIn)) - amountIn;
  return (g * amountIn * y) / (x + g * amountIn) - price * amountIn;
}

/** Reserves after the trade, in continuous math. */
function after(sell: "volatile" | "stable", amountIn: number, x: number, y: number, feeBps: number): [number, number] {
  const g = 1 - feeBps / 10_000;
  if (sell === "stable") return [x - (g * amountIn * x) / (y + g * amountIn), y + amountIn];
  return [x + amountIn, y - (g * amountIn * y) / (x + g * amountIn)];
}

describe("amm: constant-product math", () => {
  describe("getAmountOut (mirrors AmmPool)", () => {
    it("takes the fee from the input and rounds down", () => {
      // 1000·9970·10000 / (10000·10000 + 1000·9970) = 906.6…; without fee 1000·10000/11000 = 909.09…
      expect(getAmountOut(1000n, 10_000n, 10_000n, 30)).to.equal(906n);
      expect(getAmountOut(1000n, 10_000n, 10_000n, 0)).to.equal(909n);
      expect(getAmountOut(0n, 10_000n, 10_000n, 30)).to.equal(0n);
      expect(getAmountOut(5n, 0n, 0n, 30)).to.equal(0n);
    });

    it("never lets k fall, whatever the fee", () => {
      const rng = createRng("amm-k");
      for (let i = 0; i < 500; i++) {
        const reserveIn = BigInt(rng.int(1, 1e9)) * 10n ** BigInt(rng.int(0, 12));
        const reserveOut = BigInt(rng.int(1, 1e9)) * 10n ** BigInt(rng.int(0, 12));
        const amountIn = BigInt(rng.int(1, 1e9)) * 10n ** BigInt(rng.int(0, 12));
        const out = getAmountOut(amountIn, reserveIn, reserveOut, rng.int(0, 1000));
        expect(out < reserveOut).to.equal(true);
        expect((reserveIn + amountIn) * (reserveOut - out) >= reserveIn * reserveOut).to.equal(true);
      }
    });
  });

  describe("optimalArbitrage", () => {
    const x = 250; // volatile
    const y = 500_000; // stable: pool price 2000

    it("does nothing while the external price is within the fee band around the pool price", () => {
      expect(optimalArbitrage(x, y, 2000, 30)).to.equal(undefined);
      expect(optimalArbitrage(x, y, 2000 * 0.9971, 30)).to.equal(undefined); // band is [2000·0.997, 2000/0.997]
      expect(optimalArbitrage(x, y, 2000 / 0.9971, 30)).to.equal(undefined);
      expect(optimalArbitrage(x, y, 2000, 0)).to.equal(undefined);
      expect(optimalArbitrage(x, y, 2000 * 0.9969, 30)?.sell).to.equal("volatile");
      expect(optimalArbitrage(x, y, 2000 / 0.9969, 30)?.sell).to.equal("stable");
    });

    it("buys volatile when the pool is cheap and sells it when the pool is dear", () => {
      expect(optimalArbitrage(x, y, 2500, 30)?.sell).to.equal("stable");
      expect(optimalArbitrage(x, y, 1500, 30)?.sell).to.equal("volatile");
    });

    it("at zero fee, leaves the pool exactly at the external price", () => {
      for (const price of [1, 1500, 2001, 2500, 40_000]) {
        const trade = optimalArbitrage(x, y, price, 0)!;
        const [x1, y1] = after(trade.sell, trade.amountIn, x, y, 0);
        expect(y1 / x1).to.be.closeTo(price, price * 1e-9);
      }
    });

    it("with a fee, stops where extending the swap earns nothing, with the pool inside the no-arbitrage band", () => {
      for (const feeBps of [5, 30, 100, 1000]) {
        const g = 1 - feeBps / 10_000;
        for (const price of [3000, 1000]) {
          const trade = optimalArbitrage(x, y, price, feeBps)!;
          // d(out)/d(in) of the swap at that size: 1/P when buying volatile, P when selling it
          const h = trade.amountIn * 1e-6;
          const outAt = (a: number) => (trade.sell === "stable" ? x - after("stable", a, x, y, feeBps)[0] : y - after("volatile", a, x, y, feeBps)[1]);
          const rate = (outAt(trade.amountIn + h) - outAt(trade.amountIn - h)) / (2 * h);
          expect(rate).to.be.closeTo(trade.sell === "stable" ? 1 / price : price, 1e-6 * (trade.sell === "stable" ? 1 / price : price));
          const [x1, y1] = after(trade.sell, trade.amountIn, x, y, feeBps);
          const poolPrice = y1 / x1;
          if (trade.sell === "stable") expect(poolPrice).to.be.within(price * g, price * (1 + 1e-12));
          else expect(poolPrice).to.be.within(price * (1 - 1e-12), price / g);
          expect(optimalArbitrage(x1, y1, price, feeBps)).to.equal(undefined);
        }
      }
    });

    it("is the most profitable size: a fine grid search finds none better", () => {
      for (const [price, feeBps] of [
        [2600, 30],
        [1200, 30],
        [2100, 0],
        [900, 1000],
      ] as const) {
        const trade = optimalArbitrage(x, y, price, feeBps)!;
        const best = profitOf(trade.sell, trade.amountIn, x, y, price, feeBps);
        expect(best).to.be.greaterThan(0);
        for (let k = 1; k <= 400; k++) {
          const amount = (trade.amountIn * 2 * k) / 400;
          expect(profitOf(trade.sell, amount, x, y, price, feeBps)).to.be.at.most(best + 1e-9);
        }
      }
    });

    it("refuses degenerate inputs instead of returning NaN", () => {
      expect(optimalArbitrage(0, y, 2000, 30)).to.equal(undefined);
      expect(optimalArbitrage(x, 0, 2000, 30)).to.equal(undefined);
      expect(optimalArbitrage(x, y, 0, 30)).to.equal(undefined);
      expect(optimalArbitrage(x, y, Infinity, 30)).to.equal(undefined);
      expect(optimalArbitrage(x, y, 5000, 10_000)).to.equal(undefined);
    });
  });

  describe("gbmStep", () => {
    it("with zero volatility follows S0·e^(μt) exactly, whatever z is", () => {
      let price = 2000;
      const rng = createRng("gbm-zero");
      for (let i = 0; i < 365; i++) price = gbmStep(price, 0.5, 0, 1 / 365, rng.normal());
      expect(price).to.be.closeTo(2000 * Math.exp(0.5), 1e-9 * 2000);
      expect(gbmStep(100, 0, 0, 1 / 365, 3)).to.equal(100);
    });

    it("has log returns of mean (μ − σ²/2)·dt and standard deviation σ·√dt", () => {
      const rng = createRng("gbm-moments");
      const [mu, sigma, dt, n] = [0.1, 0.8, 1 / 365, 40_000];
      const logs: number[] = [];
      let price = 1;
      for (let i = 0; i < n; i++) {
        const next = gbmStep(price, mu, sigma, dt, rng.normal());
        logs.push(Math.log(next / price));
        price = next;
      }
      const mean = logs.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
      const standardError = (sigma * Math.sqrt(dt)) / Math.sqrt(n);
      expect(mean).to.be.closeTo((mu - sigma ** 2 / 2) * dt, 4 * standardError);
      expect(sd).to.be.closeTo(sigma * Math.sqrt(dt), 0.02 * sigma * Math.sqrt(dt));
    });
  });
});
