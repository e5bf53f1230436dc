import fs from "fs";
import path from "path";
import { expect } from "chai";
import { calibrateCommand } from "../../src/cli/calibrate";
import { confinedPath, findGaps, parseTime, readCalibration, readSeries, writeCalibration, calibrate } from "../../src/calibrate";
import { rejectionOf, thrownBy } from "./thrown";
import { tempDirs } from "./temp-dirs";

describe("calibrate: observed data in", function () {
  this.timeout(30_000);
  const tmp = tempDirs("calib-data-");
  const csv = (body: string, name = "data.csv") => {
    const file = path.join(tmp(), name);
    fs.writeFileSync(file, body);
    return file;
  };

  it("reads ISO dates, zoned times and unix seconds as UTC seconds", () => {
    expect(parseTime("2021-03-28")).to.deep.equal({ seconds: Date.UTC(2021, 2, 28) / 1000 });
    expect(parseTime("2021-03-28T02:00:00+02:00")).to.deep.equal({ seconds: Date.UTC(2021, 2, 28) / 1000 });
    expect(parseTime("2021-03-28 00:00:00")).to.deep.equal({ seconds: Date.UTC(2021, 2, 28) / 1000 }, "no zone is UTC");
    expect(parseTime("2021-03-27T19:00:00-0500")).to.deep.equal({ seconds: Date.UTC(2021, 2, 28) / 1000 });
    expect(parseTime("1616889600")).to.deep.equal({ seconds: 1616889600 });
    expect(parseTime("1616889600000"))
      .to.have.property("why")
      .that.matches(/milliseconds/);
    expect(parseTime("2021-02-30"))
      .to.have.property("why")
      .that.matches(/calendar date/);
    expect(parseTime("20210328", "iso")).to.have.property("why");
    expect(parseTime("2021-03-28", "unix")).to.have.property("why");
  });

  it("reads a CSV by its column mapping, one series per group, and reports gaps without filling them", async () => {
    const file = csv("day,pool,price\n2021-01-01,a,1\n2021-01-01,b,10\n2021-01-02,a,2\n2021-01-05,a,3\n2021-01-02,b,11\n");
    const data = await readSeries(file, { time: "day", value: "price", group: "pool" });
    expect(data.series.map((s) => [s.group, s.values])).to.deep.equal([
      ["a", [1, 2, 3]],
      ["b", [10, 11]],
    ]);
    expect(data.sha256).to.match(/^[0-9a-f]{64}$/);
    const a = data.series[0];
    expect(a.values.length).to.equal(3, "the gap is not filled");
    expect(findGaps([0, 1, 2, 3, 6, 7]).gaps).to.deep.equal([{ after: "1970-01-01T00:00:03Z", before: "1970-01-01T00:00:06Z", seconds: 3, missing: 2 }]);
  });

  it("reads Parquet through DuckDB, typed timestamps included", async function () {
    const dir = tmp();
    const file = path.join(dir, "prices.parquet");
    const duckdb = require("@duckdb/node-api") as typeof import("@duckdb/node-api");
    const instance = await duckdb.DuckDBInstance.create(":memory:");
    const c = await instance.connect();
    await c.run(`COPY (SELECT TIMESTAMP '2021-01-01 00:00:00' + INTERVAL (i) DAY AS t, 100.0 + i AS p FROM range(5) r(i)) TO '${file}' (FORMAT parquet)`);
    c.closeSync();
    instance.closeSync();
    const data = await readSeries(file, { time: "t", value: "p" });
    expect(data.format).to.equal("parquet");
    expect(data.series[0].times[0]).to.equal(Date.UTC(2021, 0, 1) / 1000);
    expect(data.series[0].values).to.deep.equal([100, 101, 102, 103, 104]);
  });

  const refusals: [string, string, string, RegExp][] = [
    ["an empty file", "", "close", /is empty/],
    ["a header without rows", "date,close\n", "close", /no data rows/],
    ["a missing column", "date,close\n2021-01-01,1\n", "price", /no column "price"; its columns are "date", "close"/],
    ["a non-numeric cell", "date,close\n2021-01-01,1\n2021-01-02,1.2.3\n", "close", /row 2, column "close": "1.2.3" is not a finite number/],
    ["an empty value", "date,close\n2021-01-01,1\n2021-01-02,\n", "close", /row 2, column "close": the value is empty/],
    ["a bad time", "date,close\n2021-01-01,1\n2021-13-02,2\n", "close", /row 2, column "date": "2021-13-02" is not a calendar date/],
    ["unsorted times", "date,close\n2021-01-02,1\n2021-01-01,2\n", "close", /row 2, column "date": time 2021-01-01 comes before row 1's/],
    ["a duplicate time", "date,close\n2021-01-01,1\n2021-01-02,2\n2021-01-02,3\n", "close", /row 3, column "date": time 2021-01-02 duplicates row 2's/],
  ];
  for (const [what, body, value, message] of refusals) {
    it(`refuses ${what} with DATA_FILE_INVALID naming the file, row and column`, async () => {
      const file = csv(body);
      const error = await rejectionOf(() => readSeries(file, { time: "date", value }));
      expect(error.code).to.equal("DATA_FILE_INVALID");
      expect(error.message).to.contain(file).and.match(message);
    });
  }

  it("refuses a missing file with DATA_FILE_NOT_FOUND", async () => {
    expect((await rejectionOf(() => readSeries(path.join(tmp(), "nope.csv"), { time: "t", value: "v" }))).code).to.equal("DATA_FILE_NOT_FOUND");
  });

  it("confines a path read from a file to that file's folder", () => {
    const dir = tmp();
    const from = path.join(dir, "calibration.json");
    expect(confinedPath(from, "data/eth.csv")).to.equal(path.join(dir, "data", "eth.csv"));
    for (const bad of ["../eth.csv", "data/../../eth.csv", "/etc/passwd"]) {
      const error = thrownBy(() => confinedPath(from, bad));
      expect(error.code, bad).to.equal("DATA_PATH_OUTSIDE");
    }
  });

  it("writes a calibration file with the data's hash, refuses to overwrite it, and notices the data changing", async () => {
    const dir = tmp();
    const data = path.join(dir, "prices.csv");
    const rows = ["date,close", ...Array.from({ length: 30 }, (_, i) => `${new Date(Date.UTC(2021, 0, 1 + i)).toISOString().slice(0, 10)},${100 * Math.exp(0.01 * Math.sin(i * 7))}`)];
    fs.writeFileSync(data, rows.join("\n") + "\n");
    const out = path.join(dir, "calibration.json");
    const { calibration } = await calibrate({ data, time: "date", value: "close", gbm: true, out });
    writeCalibration(out, calibration);
    expect(thrownBy(() => writeCalibration(out, calibration)).code).to.equal("OUT_FILE_EXISTS");
    const read = readCalibration(out);
    expect(read.data.file).to.equal("prices.csv");
    expect(read.data.sha256).to.equal(calibration.data.sha256);
    fs.appendFileSync(data, "2021-02-01,101\n");
    expect(thrownBy(() => readCalibration(out)).message).to.match(/changed since the fit/);
    const escaping = { ...calibration, data: { ...calibration.data, file: "../prices.csv" } };
    fs.writeFileSync(out, JSON.stringify(escaping));
    expect(thrownBy(() => readCalibration(out)).code).to.equal("DATA_PATH_OUTSIDE");
  });
});

describe("sim-calibrate fit (the command, without Hardhat)", function () {
  this.timeout(30_000);
  const tmp = tempDirs("calib-cmd-");
  const output = () => {
    const lines: string[] = [];
    return { lines, output: { log: (l: string) => lines.push(l), warn: (l: string) => lines.push(l) } };
  };

  it("fits, prints the result in words, writes calibration.json, and refuses to overwrite it without --force", async () => {
    const dir = tmp();
    const data = path.join(dir, "values.csv");
    const values = [3.1, 2.2, 4.5, 3.3, 2.9, 3.8, 3.0, 2.5, 4.1, 3.6, 2.8, 3.4];
    fs.writeFileSync(data, "t,v\n" + values.map((v, i) => `${1_600_000_000 + i * 3600},${v}`).join("\n") + "\n");
    const out = path.join(dir, "calibration.json");
    const { lines, output: o } = output();
    const args = { mode: "fit", data, time: "t", value: "v", dist: "normal,lognormal", param: "fee", resamples: "99", out };
    const c = await calibrateCommand(args, o);
    expect(Object.keys(c.params)).to.deep.equal(["fee"]);
    expect(JSON.parse(fs.readFileSync(out, "utf8")).params.fee.dist.type).to.be.oneOf(["normal", "lognormal"]);
    expect(lines.join("\n"))
      .to.match(/Param fee: (normal|lognormal) by maximum likelihood on 12 values/)
      .and.match(/Kolmogorov-Smirnov: D = /);
    expect((await rejectionOf(() => calibrateCommand(args, o))).code).to.equal("OUT_FILE_EXISTS");
    await calibrateCommand({ ...args, force: true }, o);
  });

  it("refuses a mode, a dist or a number it does not know", async () => {
    const { output: o } = output();
    const base = { mode: "fit", data: "x.csv", time: "t", value: "v" };
    expect((await rejectionOf(() => calibrateCommand({ ...base, mode: "predict" }, o))).message).to.match(/mode "predict" is not one of fit/);
    expect((await rejectionOf(() => calibrateCommand({ ...base, dist: "gamma" }, o))).message).to.match(/--dist "gamma" is not one of/);
    expect((await rejectionOf(() => calibrateCommand({ ...base, confidence: "95" }, o))).code).to.equal("OPTION_INVALID");
  });
});
