/**
 * ETH's realized volatility in windows of 30 days, from the daily closes beside this file:
 * `npx ts-node sims/amm/data/window-volatility.ts` writes eth-usd-30d-volatility.csv (window start,
 * annualised volatility by GBM maximum likelihood over that window's closes; gaps are longer steps).
 * Its rows are what `sim-calibrate fit --dist lognormal --param volatility` fits (README.md, "Calibration").
 */
import fs from "fs";
import path from "path";
import { fitGbm, readSeries } from "../../../src/core";
import { isoTime } from "../../../src/calibrate/time";

const WINDOW_DAYS = 30;

async function main(): Promise<void> {
  const data = await readSeries(path.join(__dirname, "eth-usd-daily.csv"), { time: "date", value: "close" });
  const { times, values } = data.series[0];
  const rows = ["start,volatility"];
  for (let from = 0; ;) {
    const end = times[from] + WINDOW_DAYS * 86_400;
    let to = from;
    while (to + 1 < times.length && times[to + 1] <= end) to++;
    if (to === times.length - 1 && times[to] < end) break; // the last, incomplete window is left out
    const fit = fitGbm(times.slice(from, to + 1), values.slice(from, to + 1));
    rows.push(`${isoTime(times[from])},${fit.volatility.estimate.toFixed(4)}`);
    from = to;
  }
  fs.writeFileSync(path.join(__dirname, "eth-usd-30d-volatility.csv"), rows.join("\n") + "\n");
  console.log(rows.join("\n"));
}

void main();
