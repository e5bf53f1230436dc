import { expect } from "chai";
import { chooseTimeUnit, formatAxis, formatNumber, formatParam, formatPercent, formatValue, networkText, plural, scaled, timeLabel, TIME_UNITS, versionsText, withUnit } from "../../src/report/format";
import { kpiSummaryTable, sparkline } from "../../src/report/table";

const DAY = 86_400;

describe("report formatting", () => {
  it("scales bigints by decimals without losing their leading digits", () => {
    expect(scaled(540647551691695229860n, 18)).to.be.closeTo(540.6475516916952, 1e-12);
    expect(scaled(-1500000000000000000n, 18)).to.equal(-1.5);
    expect(scaled(12345n, 0)).to.equal(12345);
    expect(scaled(2500, 3)).to.equal(2.5);
    // 30 significant digits: the whole part alone is beyond a double's exact range
    expect(scaled(123456789012345678901234567890n, 18)).to.be.closeTo(123456789012.34567, 1e-3);
  });

  it("shows values as a person reads them, with the unit", () => {
    expect(formatValue(540647551691695229860n, { unit: "OCEAN", decimals: 18 })).to.equal("540.65 OCEAN");
    expect(formatValue(939236111111111111111111n, { unit: "FLOW", decimals: 18 })).to.equal("939,236.11 FLOW");
    expect(formatValue(174, { unit: "", decimals: 0 })).to.equal("174");
    const cases: [number, string][] = [
      [0, "0"],
      [12191, "12,191"],
      [1.5, "1.5"],
      [0.51393, "0.5139"],
      [0.00123, "0.00123"],
      [1_410_000_000, "1.41B"],
      [2_345_678, "2.346M"],
      [-42.125, "-42.13"],
      [1.2e-7, "1.2e-7"],
      [2.5e21, "2.5e+21"],
      [NaN, "NaN"],
      [Infinity, "Infinity"],
    ];
    for (const [x, shown] of cases) expect(formatNumber(x), String(x)).to.equal(shown);
  });

  it("counts with the noun singular for exactly 1, ratios as percent, params rounded to 6 significant digits", () => {
    expect([plural(1, "run"), plural(0, "run"), plural(2, "day"), plural(12000, "run"), plural(1, "replicate", "replicates")]).to.deep.equal([
      "1 run",
      "0 runs",
      "2 days",
      "12,000 runs",
      "1 replicate",
    ]);
    expect([
      withUnit("1", "transactions"),
      withUnit("2", "transactions"),
      withUnit("-1", "swaps"),
      withUnit("1", "USD"),
      withUnit("1", "bps"),
      withUnit("1", "gas"),
      withUnit("1", "class"),
      withUnit("1.5", "days"),
      withUnit("3", ""),
      withUnit("1", "boxes"),
      withUnit("1", "batches"),
      withUnit("1", "addresses"),
      withUnit("1", "parties"),
      withUnit("1", "days"),
    ]).to.deep.equal(["1 transaction", "2 transactions", "-1 swap", "1 USD", "1 bps", "1 gas", "1 class", "1.5 days", "3", "1 box", "1 batch", "1 address", "1 party", "1 day"]);
    expect(formatValue(10n ** 18n, { unit: "tokens", decimals: 18 })).to.equal("1 token");
    expect([0.125, 1, 0, 0.33333, NaN].map(formatPercent)).to.deep.equal(["12.5%", "100%", "0%", "33.3%", "—"]);
    expect([0.1 + 0.2, 1_000_000, 0.123456789, 1234.56789, -2.5, 1e-9, "a", true].map(formatParam)).to.deep.equal(["0.3", "1,000,000", "0.123457", "1,234.57", "-2.5", "1e-9", "a", "true"]);
  });

  it("describes a network and versions as a person reads them (no [object Object])", () => {
    expect(networkText({ name: "hardhat", chainId: 31337, blockTime: "tick", hardfork: "osaka", blockGasLimit: "60000000", initialBaseFeePerGas: "1000000000", fork: null })).to.equal(
      "hardhat · chain id 31337 · hardfork osaka · block gas limit 60,000,000 · initial base fee 1,000,000,000 wei · blocks at the tick's time",
    );
    expect(networkText({ name: "localhost", chainId: 1, blockTime: "tick+tx", fork: { url: "https://x/KEY", blockNumber: 19000000 } })).to.equal(
      "localhost · chain id 1 · blocks at the tick's time + 1 s per transaction · forked at block 19,000,000",
    );
    const recorded = { url: "https://*.alchemy.com", chainId: 1, blockNumber: 4, blockHash: "0x9b4f8b8f5c77af5aea8c8b126c3e72935534f66dcc23d935991f768dbd84dd1b" };
    expect(networkText({ name: "hardhat", chainId: 31337, fork: recorded }, { hash: "sha256:4b5fcb9d2a8b1a32743662dcb834049011ad25189731bf301b5bad10950ae1a4" })).to.equal(
      "hardhat · chain id 31337 · forked at block 4 of chain 1 (0x9b4f8b8f…) · fork bundle sha256:4b5fcb9d2a8b…",
    );
    expect([networkText("hardhat"), networkText(undefined)]).to.deep.equal(["hardhat", "hardhat"]);
    expect(versionsText({ "hardhat-tokenspice": "0.1.0", solc: ["0.8.28", "0.8.20"], odd: { a: 1 } })).to.equal('hardhat-tokenspice 0.1.0 · solc 0.8.28, 0.8.20 · odd {"a":1}');
  });

  it("labels axis ticks compactly from 10,000 up", () => {
    expect([0, 5000, 800_000, 1_000_000, 0.25, 0.0005, 2e-8].map(formatAxis)).to.deep.equal(["0", "5,000", "800K", "1M", "0.25", "0.0005", "2e-8"]);
  });

  it("counts the x axis in hours, days, months or years, from tick length and horizon", () => {
    const unit = (stepSeconds: number, steps: number) => chooseTimeUnit(stepSeconds, stepSeconds * steps).name;
    expect(unit(3600, 20)).to.equal("hours"); // a day of hourly ticks
    expect(unit(DAY, 365)).to.equal("days"); // token-flow
    expect(unit(DAY, 180)).to.equal("days"); // oceanv3
    expect(unit(DAY, 1461)).to.equal("months"); // vesting: 4 years
    expect(unit(5 * DAY, 730)).to.equal("years"); // wsloop: 10 years
    expect(unit(30 * DAY, 10)).to.equal("months"); // never finer than a tick: not 300 days
    expect(unit(60, 10)).to.equal("hours");
    expect(TIME_UNITS.months.seconds).to.equal(30 * DAY);
    expect(TIME_UNITS.years.seconds).to.equal(365 * DAY);
  });

  it("says when a sample is, in the axis unit and as a date", () => {
    const start = 1_893_456_000; // 2030-01-01
    expect(timeLabel(start + 42 * DAY, start, "days", DAY)).to.equal("day 42 · 2030-02-12");
    expect(timeLabel(start + 45 * DAY, start, "months", 30 * DAY)).to.equal("month 1.5 · 2030-02-15");
    expect(timeLabel(start + 5 * 3600, start, "hours", 3600)).to.equal("hour 5 · 2030-01-01 05:00");
  });

  it("draws a sparkline from min to max, a bucket's mean per character", () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).to.equal("▁▂▃▄▅▆▇█");
    expect(sparkline([7, 6, 5, 4, 3, 2, 1, 0])).to.equal("█▇▆▅▄▃▂▁");
    expect(sparkline([3, 3, 3])).to.equal("▄▄▄");
    expect(sparkline([])).to.equal("");
    const long = Array.from({ length: 1000 }, (_, i) => i);
    expect(sparkline(long, 10)).to.have.length(10);
    expect(sparkline(long, 10)[0]).to.equal("▁");
    expect(sparkline(long, 10)[9]).to.equal("█");
    expect(sparkline([0, NaN, 1])).to.equal("▁ █");
  });

  it("puts scaled values, units and a sparkline in the terminal table", () => {
    const meta = { name: "ocean", label: "OCEAN", unit: "OCEAN", decimals: 18, scale: "linear" as const, group: null, doc: "" };
    const values = [0n, 100n * 10n ** 18n, 540647551691695229860n];
    const table = kpiSummaryTable([{ meta, final: values[2], min: values[0], max: values[2], mean: Number(values[1] + values[2]) / 3, values }]);
    const row = table.split("\n").find((l) => l.includes("ocean"))!;
    expect(row).to.contain("540.65 OCEAN");
    expect(row).to.contain("0 OCEAN");
    expect(row).to.contain("213.55 OCEAN"); // mean
    expect(row).to.contain("▁▂█");
    expect(table).to.match(/KPI .*final .*min .*max .*mean .*trend/);
  });
});
