import { expect } from "chai";
import { renderSvg } from "../../src/report/render";
import { convergenceOption, yieldOption } from "../../src/report/search";

describe("search views (pure)", () => {
  it("convergence: the global and local phases as two step lines of (runs, best) with a marker per entry, the local one from the global's last point (unmarked), NaN left out", () => {
    const trace = [
      { evaluations: 10, best: NaN, phase: "global" as const },
      { evaluations: 20, best: 5, phase: "global" as const },
      { evaluations: 30, best: 7, phase: "global" as const },
      { evaluations: 36, best: 7.5, phase: "local" as const },
    ];
    const option = convergenceOption(trace, "revenue final");
    expect(option.series.map((s: any) => s.data)).to.deep.equal([
      [
        [20, 5],
        [30, 7],
      ],
      [{ value: [30, 7], symbol: "none" }, [36, 7.5]],
    ]);
    expect(option.series.every((s: any) => s.step === "end" && s.showSymbol === true)).to.equal(true);
    // a phase of one entry (the smallest budgets) is still drawn: a marker, and the local line from it
    const short = convergenceOption(
      [
        { evaluations: 30, best: 0.98, phase: "global" },
        { evaluations: 36, best: 0.97, phase: "local" },
      ],
      "objective",
    );
    expect(short.series.map((s: any) => [s.showSymbol, s.data])).to.deep.equal([
      [true, [[30, 0.98]]],
      [true, [{ value: [30, 0.98], symbol: "none" }, [36, 0.97]]],
    ]);
    // optimize before its first feasible design: the best design's objective as grey hollow markers
    const opt = convergenceOption(
      [
        { evaluations: 8, best: 3, phase: "global", feasible: false },
        { evaluations: 16, best: 2, phase: "global", feasible: true },
        { evaluations: 20, best: 1.5, phase: "local", feasible: true },
      ],
      "objective",
    );
    expect(opt.series.map((s: any) => [s.name, s.data])).to.deep.equal([
      ["global (differential evolution)", [[16, 2]]],
      ["local (Nelder–Mead)", [{ value: [16, 2], symbol: "none" }, [20, 1.5]]],
      ["no feasible design yet", [[8, 3]]],
    ]);
    // plots/convergence.svg: a marker (an arc) for the global phase's one point, not a bare "M x y"
    expect(renderSvg(convergenceOption([{ evaluations: 30, best: 0.98, phase: "global" }], "objective"))).to.match(
      /<path d="M[^"]*A[^"]*"[^>]*ecmeta_series_index="0" ecmeta_data_index="0" ecmeta_ssr_type="chart"/,
    );
    expect(renderSvg(option)).to.match(/^<svg/);
  });

  it("yield: the interval as a band stacked on its lower end, k/n per batch, and the target across", () => {
    const batches = [
      { n: 100, k: 99, lo: 0.9455, hi: 0.9997 },
      { n: 200, k: 198, lo: 0.9643, hi: 0.9988 },
    ];
    const option = yieldOption(batches, 0.95);
    const [lo, band, y, target] = option.series;
    expect(lo.data).to.deep.equal([
      [100, 0.9455],
      [200, 0.9643],
    ]);
    expect(band.data.map((d: number[]) => d[1])).to.deep.equal([0.9997 - 0.9455, 0.9988 - 0.9643]);
    expect(band.stack).to.equal(lo.stack);
    expect(y.data).to.deep.equal([
      [100, 0.99],
      [200, 0.99],
    ]);
    expect(target.data).to.deep.equal([
      [0, 0.95],
      [200, 0.95],
    ]);
    expect(option.yAxis.min).to.be.at.most(0.94); // the band and the target both in view
    expect(renderSvg(option)).to.match(/^<svg/);
  });
});
