import { TokenspiceError } from "../errors";
import type { Series } from "../model/series";
import type { KpiValue } from "../model/series";

type Assertion = Chai.AssertionStatic;

function isSeries(value: unknown): value is Series {
  const v = value as Series | null;
  return typeof v === "object" && v !== null && Array.isArray(v.values) && Array.isArray(v.ticks) && typeof v.final === "function";
}

const show = (v: unknown) => (typeof v === "bigint" ? v.toString() : String(v));
const isNaNValue = (v: unknown) => typeof v === "number" && Number.isNaN(v);

/** |a - b| <= tol, exactly for bigints, in floating point otherwise. */
function within(a: KpiValue, b: KpiValue, tol: KpiValue): boolean {
  const ints = [a, b, tol].every((x) => typeof x === "bigint" || Number.isInteger(x));
  if (ints && [a, b, tol].some((x) => typeof x === "bigint")) {
    const d = BigInt(a) - BigInt(b);
    return (d < 0n ? -d : d) <= BigInt(tol);
  }
  return Math.abs(Number(a) - Number(b)) <= Number(tol);
}

/**
 * Chai assertions on KPI series (`result.kpi(name)`), for number and bigint KPIs:
 *
 *   expect(r.kpi("supply")).to.be.nonDecreasing;           // and nonIncreasing
 *   expect(r.kpi("price")).to.stay.within(0.9, 1.1);
 *   expect(r.kpi("treasury")).to.never.dropBelow(1_000n);  // `never` negates, like `not`
 *   expect(r.kpi("price")).to.riseAbove(2);                 // some sample above 2
 *   expect(r.kpi("supply")).to.end.closeTo(1_000_000n, 10n);
 *
 * A failure names the KPI and the first offending tick and value. Registered when the plugin
 * loads; or `chai.use(tokenspiceChai)`.
 */
export function tokenspiceChai(chai: Chai.ChaiStatic, utils: Chai.ChaiUtils): void {
  const { Assertion } = chai;
  const series = (ctx: Assertion, word: string): Series => {
    const obj = ctx._obj;
    if (!isSeries(obj)) throw new TokenspiceError("OPTION_INVALID", `\`${word}\` applies to a KPI series (result.kpi(name)), not to ${show(obj)}`);
    return obj;
  };

  /**
   * Gives this assertion its own methods. `stay.within` and `end.closeTo` must reach ours even when
   * another plugin overwrote `within` and `closeTo` on the prototype after us (hardhat-chai-matchers
   * does, for bigints): an own property wins over the prototype chain. They go on this very object
   * because chai-as-promised re-wraps every property getter and hands back the original assertion.
   */
  const withOwnMethods = (ctx: Assertion, methods: Record<string, (this: Assertion, ...args: any[]) => void>) => {
    for (const [name, fn] of Object.entries(methods)) {
      Object.defineProperty(ctx, name, {
        configurable: true,
        value(this: Assertion, ...args: unknown[]) {
          fn.apply(this, args);
          return this;
        },
      });
    }
    return ctx;
  };

  Assertion.addProperty("never", function (this: Assertion) {
    utils.flag(this, "negate", !utils.flag(this, "negate"));
  });
  Assertion.addProperty("end", function (this: Assertion) {
    const s = series(this, "end");
    utils.flag(this, "tokenspice.end", `KPI ${s.name} (tick ${s.ticks.at(-1)})`);
    utils.flag(this, "object", s.final());
    return withOwnMethods(this, { closeTo: endCloseTo, approximately: endCloseTo });
  });

  const monotone = (word: string, direction: 1 | -1) =>
    function (this: Assertion) {
      const s = series(this, word);
      // Negated comparisons, so that NaN (unordered) breaks monotonicity instead of passing it.
      const i = s.values.findIndex((v, k) => k > 0 && (direction > 0 ? !(v >= s.values[k - 1]) : !(v <= s.values[k - 1])));
      const moved = direction > 0 ? "fell" : "rose";
      this.assert(
        i < 0,
        i < 0 ? "" : `expected KPI ${s.name} to be ${word}, but it ${moved} from ${show(s.values[i - 1])} at tick ${s.ticks[i - 1]} to ${show(s.values[i])} at tick ${s.ticks[i]}`,
        `expected KPI ${s.name} not to be ${word}, but it never ${moved} over ${s.values.length} samples`,
        undefined,
      );
    };
  Assertion.addProperty("nonDecreasing", monotone("nonDecreasing", 1));
  Assertion.addProperty("nonIncreasing", monotone("nonIncreasing", -1));

  /**
   * `dropBelow`/`riseAbove`: some sample crosses the bound. A NaN sample crosses nothing, so it
   * never satisfies the positive form; under `never`/`not` it fails the assertion, as a sample
   * that cannot be shown to stay on the right side of the bound.
   */
  const crossing = (word: string, crosses: (v: KpiValue, bound: KpiValue) => boolean, extreme: "min" | "max") =>
    function (this: Assertion, bound: KpiValue) {
      const s = series(this, word);
      const negated = utils.flag(this, "negate") === true;
      const i = s.values.findIndex((v) => crosses(v, bound) || (negated && isNaNValue(v)));
      const ordered = s.values.filter((v) => !isNaNValue(v));
      const e = ordered.length === 0 ? NaN : ordered.reduce((a, b) => (extreme === "min" ? (b < a ? b : a) : b > a ? b : a));
      const at = s.ticks[s.values.indexOf(e)];
      this.assert(
        i >= 0,
        `expected KPI ${s.name} to ${word} ${show(bound)}, but its ${extreme === "min" ? "minimum" : "maximum"} was ${show(e)}${at === undefined ? "" : ` at tick ${at}`}`,
        i < 0 ? "" : `expected KPI ${s.name} never to ${word} ${show(bound)}, but at tick ${s.ticks[i]} it was ${show(s.values[i])}`,
        bound,
      );
    };
  Assertion.addMethod(
    "dropBelow",
    crossing("drop below", (v, b) => v < b, "min"),
  );
  Assertion.addMethod(
    "riseAbove",
    crossing("rise above", (v, b) => v > b, "max"),
  );

  function seriesWithin(this: Assertion, lo: KpiValue, hi: KpiValue): void {
    const obj = series(this, "within");
    const i = obj.values.findIndex((v) => !(v >= lo && v <= hi)); // NaN is within no range
    this.assert(
      i < 0,
      i < 0 ? "" : `expected KPI ${obj.name} to stay within [${show(lo)}, ${show(hi)}], but at tick ${obj.ticks[i]} it was ${show(obj.values[i])}`,
      `expected KPI ${obj.name} not to stay within [${show(lo)}, ${show(hi)}], but all ${obj.values.length} samples did`,
      [lo, hi],
    );
  }
  Assertion.addProperty("stay", function (this: Assertion) {
    series(this, "stay");
    return withOwnMethods(this, { within: seriesWithin });
  });

  Assertion.overwriteMethod(
    "within",
    (_super: (...args: unknown[]) => unknown) =>
      function (this: Assertion, lo: KpiValue, hi: KpiValue, ...rest: unknown[]) {
        const obj = this._obj;
        if (isSeries(obj)) {
          seriesWithin.call(this, lo, hi);
        } else if (typeof obj === "bigint" || typeof lo === "bigint" || typeof hi === "bigint") {
          const what = utils.flag(this, "tokenspice.end") ?? show(obj);
          this.assert(
            (obj as KpiValue) >= lo && (obj as KpiValue) <= hi,
            `expected ${what} to be within [${show(lo)}, ${show(hi)}], but it was ${show(obj)}`,
            `expected ${what} not to be within [${show(lo)}, ${show(hi)}]`,
            [lo, hi],
          );
        } else {
          return _super.call(this, lo, hi, ...rest);
        }
        return undefined; // chai chains on from this assertion
      },
  );

  function endCloseTo(this: Assertion, expected: KpiValue, delta: KpiValue): void {
    const obj = this._obj as KpiValue;
    const end = utils.flag(this, "tokenspice.end") as string | undefined;
    const what = end ?? show(obj);
    this.assert(
      within(obj, expected, delta),
      `expected ${what} to ${end ? "end" : "be"} close to ${show(expected)} ± ${show(delta)}, but it ${end ? "ended at" : "was"} ${show(obj)}`,
      `expected ${what} not to ${end ? "end" : "be"} close to ${show(expected)} ± ${show(delta)}, but it ${end ? "ended at" : "was"} ${show(obj)}`,
      expected,
    );
  }
  const closeTo = (_super: (...args: unknown[]) => unknown) =>
    function (this: Assertion, expected: KpiValue, delta: KpiValue, ...rest: unknown[]) {
      const obj = this._obj;
      if (typeof obj !== "bigint" && typeof expected !== "bigint") return _super.call(this, expected, delta, ...rest);
      endCloseTo.call(this, expected, delta);
      return undefined; // chai chains on from this assertion
    };
  Assertion.overwriteMethod("closeTo", closeTo);
  Assertion.overwriteMethod("approximately", closeTo);
}
