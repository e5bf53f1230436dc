import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { thrownBy } from "./thrown";
import { RUN_MANIFEST_FILE, findRunManifest, readRunManifest, writeRunManifest, type RunManifest, type RunSpec } from "../../src/output/formats/run-manifest";
import { KPIS_CSV_FILE, kpiCellNumber, kpiCellValue, parseKpiCell, readKpisCsv, writeKpisCsv } from "../../src/output/formats/kpis-csv";
import { REVERTS_CSV_FILE, readRevertsCsv, writeRevertsCsv } from "../../src/output/formats/reverts-csv";
import { RUN_RESULT_FILE, readRunResult, writeRunResult } from "../../src/output/formats/run-result";
import { CAMPAIGN_FILE, holdsOwnCampaign, readCampaignFile, readOwnCampaignFile, writeCampaignFile, type CampaignFile } from "../../src/output/formats/campaign-file";
import { CAMPAIGN_STATUS_FILE, readCampaignStatusFile, writeCampaignStatusFile } from "../../src/output/formats/campaign-status";
import { SEARCH_FILE, readSearchFile, writeSearchFile, type SearchDocument } from "../../src/output/formats/search-file";
import { SEARCH_RUNS_FILE, readSearchRuns, writeSearchRuns } from "../../src/output/formats/search-runs";
import { CORNERS_FILE, readCornersFile, writeCornersFile, type CornersDocument } from "../../src/output/formats/corners-file";
import type { RevertRecord } from "../../src/engine/reverts";

/**
 * Each folder format (src/output/formats/): what its writer writes, its reader reads back as it
 * was; a broken file is refused with the format's one code, naming the file and what is wrong.
 */
describe("folder formats", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-formats-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
  /** The code of what `read` throws, and whether its message names the file. */
  const refusal = (read: () => unknown, file: string) => {
    const e = thrownBy(read);
    return { code: e.code, namesFile: e.message.includes(path.join(dir, file)) };
  };

  const spec: RunSpec = {
    netlist: { name: "jar", file: "sims/jar.ts" },
    params: { fee: 30, mode: "a", on: true },
    seed: 7,
    steps: 3,
    stepTimeoutMs: null,
    network: { name: "hardhat", chainId: 31337 },
  };

  describe("run manifest", () => {
    const manifest: RunManifest = { tool: "hardhat-tokenspice", status: "complete", netlist: { name: "jar", file: "sims/jar.ts" }, spec, seed: 7, steps: 3, kpis: [], errorCode: null };

    it("round-trips, and only a manifest of ours is found as a run", () => {
      writeRunManifest(dir, manifest);
      expect(readRunManifest(dir)).to.deep.equal(manifest);
      expect(findRunManifest(dir)).to.deep.equal(manifest);
      writeRunManifest(dir, { ...manifest, tool: undefined });
      expect(readRunManifest(dir).status).to.equal("complete"); // a manifest written by hand still reads
      expect(findRunManifest(dir)).to.equal(undefined); // but is no run of ours
    });

    it("refuses a missing, unparsable or malformed manifest with RUN_MANIFEST_INVALID, naming the file", () => {
      expect(refusal(() => readRunManifest(dir), RUN_MANIFEST_FILE)).to.deep.equal({ code: "RUN_MANIFEST_INVALID", namesFile: true });
      for (const text of ["{ not json", "[]", JSON.stringify({ ...manifest, status: "done" }), JSON.stringify({ ...manifest, tool: "other" }), JSON.stringify({ ...manifest, seed: 1.5 })]) {
        write(RUN_MANIFEST_FILE, text);
        expect(
          refusal(() => readRunManifest(dir), RUN_MANIFEST_FILE),
          text,
        ).to.deep.equal({ code: "RUN_MANIFEST_INVALID", namesFile: true });
        expect(findRunManifest(dir), text).to.equal(undefined);
      }
      write(RUN_MANIFEST_FILE, JSON.stringify({ ...manifest, status: "done" }));
      expect(thrownBy(() => readRunManifest(dir)).message).to.contain('"status" is "done", not one of running, complete, failed, interrupted');
    });
  });

  describe("KPI table", () => {
    const samples = [
      { tick: 0, time: 100, values: { supply: 10n ** 30n + 1n, price: 1.5, ratio: NaN } },
      { tick: 1, time: 160, values: { supply: 5n, price: -Infinity, ratio: 2e-7 } },
    ];

    it("round-trips every cell exactly, and each reader's rule turns it into the same value", () => {
      writeKpisCsv(dir, ["supply", "price", "ratio"], samples);
      const table = readKpisCsv(dir)!;
      expect(table).to.deep.equal({
        kpis: ["supply", "price", "ratio"],
        rows: [
          ["0", "100", "1000000000000000000000000000001", "1.5", "NaN"],
          ["1", "160", "5", "-Infinity", "2e-7"],
        ],
      });
      expect(table.rows.map((r) => kpiCellValue(r[2], true))).to.deep.equal([10n ** 30n + 1n, 5n]);
      expect(table.rows.map((r) => parseKpiCell(r[2]))).to.deep.equal([10n ** 30n + 1n, 5]);
      expect(kpiCellNumber(table.rows[0][2])).to.deep.equal({ value: 1e30, exact: "1000000000000000000000000000001" });
      expect(kpiCellValue(table.rows[1][3], false)).to.equal(-Infinity);
      expect(readKpisCsv(path.join(dir, "none"))).to.equal(undefined);
    });

    it("refuses a table that is not CSV, has another header or a cell that is not a KPI value with KPIS_CSV_INVALID, naming the file, row and KPI", () => {
      for (const text of ['tick,timestamp,x\n0,1,"2\n', "tock,timestamp,x\n0,1,2\n", "tick,timestamp,x\n0,1,2,3\n", "tick,timestamp,x\n0,1,two\n", "tick,timestamp,x\n-1,1,2\n"]) {
        write(KPIS_CSV_FILE, text);
        expect(
          refusal(() => readKpisCsv(dir), KPIS_CSV_FILE),
          text,
        ).to.deep.equal({ code: "KPIS_CSV_INVALID", namesFile: true });
      }
      write(KPIS_CSV_FILE, "tick,timestamp,x\n0,1,2\n1,2,two\n");
      expect(thrownBy(() => readKpisCsv(dir)).message).to.equal(
        `${path.join(dir, KPIS_CSV_FILE)}, row 3, KPI "x": "two" is not a KPI value (a number, a bigint's digits, NaN, Infinity or -Infinity).`,
      );
    });
  });

  describe("reverts", () => {
    const reverts: RevertRecord[] = [{ tick: 1, agent: "=evil", from: "0x1", to: null, call: "Jar.take", reason: 'Empty(3, "x")', data: "0x", txHash: null, gasUsed: 21000n }];

    it("round-trips (text neutralised for spreadsheets comes back as it was; null as empty)", () => {
      writeRevertsCsv(dir, reverts);
      expect(readRevertsCsv(dir)).to.deep.equal([{ tick: "1", agent: "=evil", from: "0x1", to: "", call: "Jar.take", reason: 'Empty(3, "x")', data: "0x", txHash: "", gasUsed: "21000" }]);
      fs.rmSync(path.join(dir, REVERTS_CSV_FILE));
      expect(readRevertsCsv(dir)).to.deep.equal([]);
    });

    it("refuses other columns or a tick or gas that is not a whole number with REVERTS_CSV_INVALID, naming the file", () => {
      for (const text of [
        "tick,agent\n1,a\n",
        "tick,agent,from,to,call,reason,data,txHash,gasUsed\nx,a,0x1,,c,r,0x,,1\n",
        "tick,agent,from,to,call,reason,data,txHash,gasUsed\n1,a,0x1,,c,r,0x,,lots\n",
      ]) {
        write(REVERTS_CSV_FILE, text);
        expect(
          refusal(() => readRevertsCsv(dir), REVERTS_CSV_FILE),
          text,
        ).to.deep.equal({ code: "REVERTS_CSV_INVALID", namesFile: true });
      }
    });
  });

  describe("run result", () => {
    it("round-trips (bigints and non-finite statistics as text); none for a run that did not complete", () => {
      expect(readRunResult(dir)).to.equal(undefined);
      writeRunResult(dir, { netlist: "jar", seed: 7, steps: 3, ticks: 3, kpis: { supply: { final: 10n ** 30n, min: 0, max: NaN, mean: 1, std: 0 } }, gasUsed: { a: 21000n } });
      expect(readRunResult(dir)).to.deep.equal({
        netlist: "jar",
        seed: 7,
        steps: 3,
        ticks: 3,
        kpis: { supply: { final: "1000000000000000000000000000000", min: 0, max: "NaN", mean: 1, std: 0 } },
        gasUsed: { a: "21000" },
      });
    });

    it("refuses a result that is not JSON, not an object, or whose fields are of the wrong type with RUN_RESULT_INVALID, naming the file", () => {
      for (const text of ["{", "7", JSON.stringify({ ticks: "3" }), JSON.stringify({ kpis: [] }), JSON.stringify({ netlist: 1 })]) {
        write(RUN_RESULT_FILE, text);
        expect(
          refusal(() => readRunResult(dir), RUN_RESULT_FILE),
          text,
        ).to.deep.equal({ code: "RUN_RESULT_INVALID", namesFile: true });
      }
    });
  });

  describe("campaign file", () => {
    const file: CampaignFile = {
      tool: "hardhat-tokenspice",
      kind: "campaign",
      spec: { netlist: spec.netlist, steps: 3, params: {}, runs: 1, sweep: [], zip: false, sample: null, seed: 1, stepTimeoutMs: null, network: spec.network },
      specHash: "abc",
      points: [{ key: "p-a", varying: {}, params: spec.params }],
      runs: [{ key: "p-a/r0", point: "p-a", replicate: 0, seed: 7, spec, command: "npx hardhat sim jar --seed 7", dir: "runs/p-a/r0" }],
      versions: { plugin: "1" },
      command: "npx hardhat sim jar --runs 1",
    };

    it("round-trips; only a campaign that ran (tool, kind, spec hash) is our own", () => {
      writeCampaignFile(dir, file);
      expect(readCampaignFile(dir)).to.deep.equal(file);
      expect(readOwnCampaignFile(dir)).to.deep.equal(file);
      expect(holdsOwnCampaign(dir)).to.equal(true);
      const { tool: _tool, kind: _kind, specHash: _hash, ...document } = file;
      writeCampaignFile(dir, document);
      expect(readCampaignFile(dir)).to.deep.equal(document); // a document (a test's, a search's) reads
      expect(holdsOwnCampaign(dir)).to.equal(false);
      expect(refusal(() => readOwnCampaignFile(dir), CAMPAIGN_FILE)).to.deep.equal({ code: "CAMPAIGN_FOLDER_INVALID", namesFile: true });
    });

    it("refuses a campaign file that is not JSON or does not hold together with CAMPAIGN_FOLDER_INVALID, naming the file", () => {
      for (const text of ["{", JSON.stringify({ ...file, runs: [{ ...file.runs[0], dir: "../elsewhere" }] }), JSON.stringify({ ...file, points: [] })]) {
        write(CAMPAIGN_FILE, text);
        expect(
          refusal(() => readCampaignFile(dir), CAMPAIGN_FILE),
          text,
        ).to.deep.equal({ code: "CAMPAIGN_FOLDER_INVALID", namesFile: true });
        expect(
          refusal(() => readOwnCampaignFile(dir), CAMPAIGN_FILE),
          text,
        ).to.deep.equal({ code: "CAMPAIGN_FOLDER_INVALID", namesFile: true });
      }
    });
  });

  describe("campaign status", () => {
    it("round-trips; none when the folder has none", () => {
      expect(readCampaignStatusFile(dir)).to.equal(undefined);
      const status = { state: "interrupted" as const, shard: { index: 2, count: 3 }, host: "h", pid: 1, resume: "npx hardhat sim --resume x" };
      writeCampaignStatusFile(dir, status);
      expect(readCampaignStatusFile(dir)).to.deep.equal(status);
    });

    it("refuses a status that is not JSON, of an unknown state or with a shard out of range with CAMPAIGN_STATUS_INVALID, naming the file", () => {
      for (const text of ["{", JSON.stringify({ state: "resting" }), JSON.stringify({ state: "running", shard: { index: 4, count: 3 } })]) {
        write(CAMPAIGN_STATUS_FILE, text);
        expect(
          refusal(() => readCampaignStatusFile(dir), CAMPAIGN_STATUS_FILE),
          text,
        ).to.deep.equal({ code: "CAMPAIGN_STATUS_INVALID", namesFile: true });
      }
    });
  });

  describe("search file and search runs", () => {
    const search: SearchDocument = {
      tool: "hardhat-tokenspice",
      kind: "worst-case",
      netlist: "jar",
      seed: 3,
      steps: 2,
      params: { fee: 30 },
      command: "npx hardhat sim-worst-case jar",
      result: { worst: NaN },
    };

    it("round-trip (non-finite numbers as text, each run with its params beside its spec)", () => {
      writeSearchFile(dir, search);
      expect(readSearchFile(dir)).to.deep.equal({ ...search, result: { worst: "NaN" } });
      const run = { key: "p-a/r0", point: "p-a", replicate: 0, seed: 7, spec, command: "npx hardhat sim jar --seed 7", dir: "runs/p-a/r0" };
      writeSearchRuns(dir, [run]);
      expect(readSearchRuns(dir)).to.deep.equal([{ ...run, params: spec.params }]);
    });

    it("refuse a missing or malformed file with SEARCH_FILE_INVALID or CAMPAIGN_FOLDER_INVALID, naming it", () => {
      expect(refusal(() => readSearchFile(dir), SEARCH_FILE)).to.deep.equal({ code: "SEARCH_FILE_INVALID", namesFile: true });
      for (const text of ["{", JSON.stringify({ ...search, kind: "guess" }), JSON.stringify({ ...search, seed: "3" })]) {
        write(SEARCH_FILE, text);
        expect(
          refusal(() => readSearchFile(dir), SEARCH_FILE),
          text,
        ).to.deep.equal({ code: "SEARCH_FILE_INVALID", namesFile: true });
      }
      for (const text of ["{", "{}", JSON.stringify([{ key: "x" }])]) {
        write(SEARCH_RUNS_FILE, text);
        expect(
          refusal(() => readSearchRuns(dir), SEARCH_RUNS_FILE),
          text,
        ).to.deep.equal({ code: "CAMPAIGN_FOLDER_INVALID", namesFile: true });
      }
    });
  });

  describe("corners file", () => {
    it("round-trips", () => {
      const doc: CornersDocument = {
        netlist: "jar",
        corners: [
          { name: "nominal", params: {} },
          { name: "worst fees", params: { drift: -0.5 }, from: "fees final", value: 12, nonFinite: 1 },
        ],
      };
      writeCornersFile(dir, doc);
      expect(readCornersFile(path.join(dir, CORNERS_FILE))).to.deep.equal(doc);
    });

    it("refuses a missing file or one without a list of { name, params } with CORNERS_FILE_INVALID, naming it", () => {
      expect(refusal(() => readCornersFile(path.join(dir, CORNERS_FILE)), CORNERS_FILE)).to.deep.equal({ code: "CORNERS_FILE_INVALID", namesFile: true });
      for (const text of ["{", JSON.stringify({ corners: {} }), JSON.stringify({ corners: [{ name: "x" }] })]) {
        write(CORNERS_FILE, text);
        expect(
          refusal(() => readCornersFile(path.join(dir, CORNERS_FILE)), CORNERS_FILE),
          text,
        ).to.deep.equal({ code: "CORNERS_FILE_INVALID", namesFile: true });
      }
    });
  });
});
