import { expect } from "chai";
import { campaignTiming } from "../../bench/campaign-timing";
import { floorFigures, type FloorSums } from "../../bench/floor-figures";
import { loadLine, markdownTable, milliseconds, percent, seconds, times, wallCpu } from "../../bench/markdown-table";
import { summarizeModel, type ModelRound, type ModelStart } from "../../bench/model-figures";
import { between, medianSpan, minusSpan, sumSpans, type Span } from "../../bench/span";

const span = (wallMs: number, cpuMs: number): Span => ({ wallMs, cpuMs });

/** A floor replay's sums where each transaction's call costs `txCall` and each read `readCall`, the no-code call 1 ms (wall) / 0.5 ms (CPU). */
function sums(transactions: number, reads: number, txCall: Span, readCall: Span, send: Span): FloorSums {
  return {
    transactions,
    reads,
    tx: { roundTrip: span(transactions * 0.1, transactions * 0.1), noop: span(transactions, transactions / 2), call: txCall, send },
    read: { noop: span(reads, reads / 2), call: readCall },
    callReverts: 0,
    sendReverts: 0,
  };
}

describe("bench figures", () => {
  describe("spans", () => {
    it("take the median of each clock on its own, over an odd and an even count", () => {
      expect(medianSpan([span(3, 30), span(1, 50), span(2, 10)])).to.deep.equal(span(2, 30));
      expect(medianSpan([span(4, 1), span(1, 2), span(2, 8), span(3, 4)])).to.deep.equal(span(2.5, 3));
      expect(() => medianSpan([])).to.throw(/no spans/);
    });

    it("subtract, add and measure between two stamps clock by clock", () => {
      expect(between(span(10, 4), span(25, 9))).to.deep.equal(span(15, 5));
      expect(minusSpan(span(10, 4), span(3, 5))).to.deep.equal(span(7, -1));
      expect(sumSpans([span(1, 2), span(3, 4), span(5, 6)])).to.deep.equal(span(9, 12));
      expect(sumSpans([])).to.deep.equal(span(0, 0));
    });
  });

  describe("markdownTable", () => {
    it("pads every column to its widest cell, the first left-aligned and the rest right-aligned", () => {
      const table = markdownTable(
        ["model", "loop"],
        [
          ["amm", "16.6"],
          ["token-flow", "2.1"],
        ],
      );
      expect(table.split("\n")).to.deep.equal(["| model      | loop |", "| ---------- | ---: |", "| amm        | 16.6 |", "| token-flow |  2.1 |"]);
    });

    it("escapes a pipe in a cell, takes an alignment, and refuses a row of the wrong length", () => {
      expect(markdownTable(["a", "b"], [["x|y", "z"]], ["left", "left"]).split("\n")[2]).to.equal("| x\\|y | z   |");
      expect(() => markdownTable(["a", "b"], [["only one"]])).to.throw(/1 cells, the header 2/);
    });
  });

  describe("number formats", () => {
    it("writes seconds, milliseconds, spans, ratios and shares with the digits the tables use", () => {
      expect([seconds(21_149), seconds(560), seconds(undefined), seconds(NaN)]).to.deep.equal(["21.1", "0.56", "–", "–"]);
      expect([milliseconds(512.4), milliseconds(40.66), milliseconds(3.775)]).to.deep.equal(["512", "40.7", "3.77"]);
      expect(wallCpu(span(21_149, 11_020))).to.equal("21.1 / 11.0");
      expect(wallCpu(span(40.66, 32.3), "ms")).to.equal("40.7 / 32.3");
      expect([times(19.2), times(5.54), times(0.9), times(NaN), times(Infinity)]).to.deep.equal(["19×", "5.5×", "0.90×", "–", "–"]);
      expect([percent(0.657), percent(NaN)]).to.deep.equal(["66%", "–"]);
      expect(loadLine([4.36, 2.71, 1.98], 2)).to.equal("load average 4.4 2.7 2.0 (1, 5, 15 min; 2 cores)");
    });
  });

  describe("floorFigures", () => {
    it("is the transactions' and reads' execution less the no-code call, and the tick loop over it", () => {
      // 100 transactions: calls 300 ms wall / 150 ms CPU, no-code calls 100 / 50; 50 reads: 150 / 100, no-code 50 / 25.
      const f = floorFigures(span(4000, 2250), sums(100, 50, span(300, 150), span(150, 100), span(700, 400)));
      expect(f.txExecution).to.deep.equal(span(200, 100));
      expect(f.readExecution).to.deep.equal(span(100, 75));
      expect(f.execution).to.deep.equal(span(300, 175));
      expect(f.blockBuilding).to.deep.equal(span(400, 250));
      expect(f.raw).to.deep.equal(span(850, 500));
      expect(f.loopOverExecution.wall).to.be.closeTo(4000 / 300, 1e-12);
      expect(f.loopOverExecution.cpu).to.be.closeTo(2250 / 175, 1e-12);
      expect(f.loopOverRaw.wall).to.be.closeTo(4000 / 850, 1e-12);
      expect(f.loopOverRaw.cpu).to.be.closeTo(4.5, 1e-12);
    });

    it("gives no ratio (NaN) when there is nothing to divide by", () => {
      const f = floorFigures(span(100, 50), sums(0, 0, span(0, 0), span(0, 0), span(0, 0)));
      expect(f.loopOverExecution.wall).to.be.NaN;
      expect(f.loopOverRaw.cpu).to.be.NaN;
    });
  });

  describe("summarizeModel", () => {
    const start: ModelStart = { kind: "start", netlist: "amm", boot: span(4000, 1500), compile: span(300, 200), network: span(100, 50), netlistLoad: span(150, 100) };
    const round = (i: number, loop: Span, floorTxCall: number): ModelRound => ({
      kind: "round",
      round: i,
      load: [i, 0, 0],
      ticks: 10,
      agentTxs: 20,
      reverts: 1,
      phases: { setup: span(100 * i, 50), loop, revert: span(1, 1), outputs: span(2, 2), report: span(3, 3), total: span(loop.wallMs + 106, loop.cpuMs + 56) },
      profile: { sends: loop.wallMs / 2, chainTime: 0, kpis: loop.wallMs / 4, reads: 0, decisions: loop.wallMs / 4, engine: 0 },
      rssMB: 400 + i,
      floor: { sums: sums(20, 10, span(20 + floorTxCall, 10 + floorTxCall), span(10, 5), span(60, 30)), agentCalls: 4, kpiCalls: 6 },
    });

    it("takes the start once, the medians of the phases and shares, and each round's floor ratio against its own loop", () => {
      const s = summarizeModel(start, [round(1, span(1000, 500), 10), round(2, span(3000, 1500), 30), round(3, span(2000, 1000), 20)]);
      expect(s.start.total).to.deep.equal(span(4550, 1850));
      expect(s.phases.loop).to.deep.equal(span(2000, 1000));
      expect(s.phases.setup).to.deep.equal(span(200, 50));
      expect(s.loopShares).to.deep.equal({ sends: 0.5, chainTime: 0, kpis: 0.25, reads: 0, decisions: 0.25, engine: 0 });
      expect(s.loads).to.deep.equal([1, 2, 3]);
      expect(s.rssMB).to.equal(403);
      // Each round's loop is 100× its execution (tx 10·i + reads 0 wall): the median ratio is 100, whatever the order.
      expect(s.floor!.figures.loopOverExecution.wall).to.be.closeTo(100, 1e-9);
      expect(s.floor!.figures.txExecution.wallMs).to.equal(20);
      expect([s.floor!.agentCalls, s.floor!.kpiCalls, s.floor!.transactions, s.floor!.reads]).to.deep.equal([4, 6, 20, 10]);
    });

    it("has no floor when no round replayed one, and refuses no rounds", () => {
      const { floor: _floor, ...noFloor } = round(1, span(1000, 500), 10);
      expect(summarizeModel(start, [noFloor]).floor).to.equal(undefined);
      expect(() => summarizeModel(start, [])).to.throw(/amm: no rounds/);
    });
  });

  describe("campaignTiming", () => {
    it("times the first run, the runs' span and what follows from the command's start and the run manifests", () => {
      const t0 = Date.parse("2026-12-08T04:00:00.000Z");
      const t = campaignTiming(["token-flow"], t0, t0 + 30_000, [
        { startedAt: "2026-12-08T04:00:05.000Z", finishedAt: "2026-12-08T04:00:08.000Z", status: "complete" },
        { startedAt: "2026-12-08T04:00:06.000Z", finishedAt: "2026-12-08T04:00:25.000Z", status: "failed" },
        { startedAt: "2026-12-08T04:00:08.000Z", finishedAt: "2026-12-08T04:00:15.000Z", status: "complete" },
      ]);
      expect(t).to.deep.include({ runs: 3, failed: 1, toFirstRunStartMs: 5000, toFirstRunDoneMs: 8000, runsSpanMs: 20_000, afterRunsMs: 5000, totalMs: 30_000 });
      expect(t.runsPerMinute).to.be.closeTo(6, 1e-12);
      expect(t.runsPerMinuteSteady).to.be.closeTo(9, 1e-12);
      expect(() => campaignTiming(["amm"], t0, t0 + 1, [{ status: "running" }])).to.throw(/no run finished/);
    });
  });
});
