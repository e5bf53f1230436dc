import { FONT_FAMILY, PALETTE } from "./charts";
import { searchNumber } from "./search";

const axisStyle = { axisLine: { lineStyle: { color: "#9ca3af" } }, splitLine: { lineStyle: { color: "#e5e7eb" } }, nameTextStyle: { color: "#4b5563" } };

/** Fraction of a category's band between two groups of bars, and the offset of each of two bars from the band's centre (as a fraction of the band). */
const CATEGORY_GAP = 0.4;
const OFFSET = (1 - CATEGORY_GAP) / 4;

/**
 * The sensitivity bar chart of one output: a bar per param (ranked, most influential first) for S1
 * and ST (Sobol) or μ* and σ (Morris), with the interval of S1, ST or μ* as a whisker on its bar.
 * The bars stand on a category axis; the whiskers on a hidden value axis over the same width
 * (category i at i), offset by ±`OFFSET` to the centres of the two bars of a group (ECharts lays
 * bars out by `barCategoryGap` and `barGap`, fixed here for that).
 * @param output a `SensitivityOutput` read back from the search file (numbers may be text: NaN)
 */
export function sensitivityOption(method: "sobol" | "morris", output: any, options: { interactive?: boolean } = {}): Record<string, any> {
  const rows: any[] = method === "sobol" ? output.sobol.indices : output.morris;
  const names = rows.map((x) => String(x.param));
  const bars =
    method === "sobol"
      ? [
          { name: "S1", values: rows.map((x) => x.S1), whisker: true },
          { name: "ST", values: rows.map((x) => x.ST), whisker: true },
        ]
      : [
          { name: "μ*", values: rows.map((x) => x.muStar), whisker: true },
          { name: "σ", values: rows.map((x) => ({ value: x.sigma })), whisker: false },
        ];
  const num = (v: unknown) => {
    const n = searchNumber(v);
    return Number.isFinite(n) ? n : "-";
  };
  const whiskers = bars.flatMap((b, k) =>
    b.whisker
      ? [
          {
            name: `${b.name} interval`,
            type: "line",
            xAxisIndex: 1,
            color: "#111827",
            symbol: "none",
            lineStyle: { width: 1.5 },
            connectNulls: false,
            // a vertical segment at the bar's centre for each param, broken between params
            data: b.values.flatMap((v: any, i: number) => {
              const x = i + (k === 0 ? -OFFSET : OFFSET);
              return [
                [x, num(v.lo)],
                [x, num(v.hi)],
                [x, "-"],
              ];
            }),
            clip: false,
          },
        ]
      : [],
  );
  return {
    animation: false,
    textStyle: { fontFamily: FONT_FAMILY },
    grid: { left: 80, right: 30, top: 50, bottom: 60 },
    legend: { top: 8, data: bars.map((b) => b.name) },
    tooltip: options.interactive ? { trigger: "axis" } : undefined,
    xAxis: [
      { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 }, ...axisStyle },
      { type: "value", min: -0.5, max: names.length - 0.5, show: false },
    ],
    // onZero false: the y axis stays at the left edge, not at the hidden value axis's 0 (the first param)
    yAxis: { type: "value", name: method === "sobol" ? "index" : "effect", axisLabel: {}, ...axisStyle, axisLine: { ...axisStyle.axisLine, onZero: false } },
    series: [
      ...bars.map((b, k) => ({
        name: b.name,
        type: "bar",
        xAxisIndex: 0,
        color: PALETTE[k],
        barGap: "0%",
        barCategoryGap: `${CATEGORY_GAP * 100}%`,
        data: b.values.map((v: any) => num(v.value)),
      })),
      ...whiskers,
    ],
  };
}
