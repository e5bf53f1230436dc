/**
 * The observed side of the LP backtest (README.md, "Backtest: LP value against holding"): from the
 * daily closes beside this file, `npx ts-node sims/amm/data/lp-vs-hold.ts` writes
 * eth-usd-lp-vs-hold.csv with `date,close,lpVsHoldNoFees`, where lpVsHoldNoFees = 2√r/(1+r),
 * r = close / the close of START: the value of a fee-free constant-product LP position opened at
 * START against holding its deposit, at the observed price (the amm model's KPI of that name,
 * computed from the data instead of a run). Rows before START hold the same formula (unused by a
 * backtest whose test window starts at START).
 */
import fs from "fs";
import path from "path";
import { readSeries } from "../../../src/core";
import { isoTime } from "../../../src/calibrate/time";

const START = "2021-01-01";

async function main(): Promise<void> {
  const data = await readSeries(path.join(__dirname, "eth-usd-daily.csv"), { time: "date", value: "close" });
  const { times, values } = data.series[0];
  const p0 = values[times.findIndex((t) => isoTime(t) === START)];
  const rows = ["date,close,lpVsHoldNoFees"];
  times.forEach((t, i) => {
    const r = values[i] / p0;
    rows.push(`${isoTime(t)},${values[i]},${((2 * Math.sqrt(r)) / (1 + r)).toPrecision(8)}`);
  });
  fs.writeFileSync(path.join(__dirname, "eth-usd-lp-vs-hold.csv"), rows.join("\n") + "\n");
}

void main();
