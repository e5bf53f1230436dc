import fs from "fs";
import os from "os";
import path from "path";
import { expect } from "chai";
import { thrownBy } from "./thrown";
import { checkFolder, decideFolder, inspectFolder, takeFolder, type FolderContents, type FolderKind } from "../../src/output/take-folder";
import { lockFolder } from "../../src/output/folder-lock";
import { writeRunManifest } from "../../src/output/formats/run-manifest";
import { writeCampaignFile, type CampaignFile } from "../../src/output/formats/campaign-file";
import { writeSearchFile } from "../../src/output/formats/search-file";

/** One rule for whether a run, campaign, merge or search may write a folder (src/output/take-folder.ts). */
describe("takeFolder", () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), "tokenspice-take-"))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const KINDS: FolderKind[] = ["run", "campaign", "merge", "search"];
  const OUTPUT_OF = { run: "run", campaign: "campaign", merge: "campaign", search: "search" } as const;

  describe("the decision table (decideFolder, pure)", () => {
    const ours = (holds: "run" | "campaign" | "search"): FolderContents => ({ state: "ours", holds, entries: ["x"] });
    const cases: [string, FolderContents][] = [
      ["missing", { state: "missing" }],
      ["empty", { state: "empty" }],
      ["a file", { state: "unusable", why: "it is a file, not a folder" }],
      ["foreign files", { state: "foreign", entries: ["notes.txt"] }],
      ["a run", ours("run")],
      ["a campaign", ours("campaign")],
      ["a search", ours("search")],
    ];
    const flagSets = [{}, { force: true }, { resume: true }, { force: true, resume: true }];
    /** Per case, under no flag, --force, resume, both: N taken new, P replaced, R resumed, H OUT_HOLDS_RUN, X OUT_NOT_A_RUN, U OUT_UNUSABLE. */
    const EXPECTED: Record<FolderKind, string[]> = {
      run: ["NNNN", "NNNN", "UUUU", "XXXX", "HPRR", "XXXX", "XXXX"],
      campaign: ["NNNN", "NNNN", "UUUU", "XXXX", "XXXX", "HPRR", "XXXX"],
      merge: ["NNNN", "NNNN", "UUUU", "XXXX", "XXXX", "HPRR", "XXXX"],
      search: ["NNNN", "NNNN", "UUUU", "XXXX", "XXXX", "XXXX", "HPRR"],
    };
    const letter = (d: ReturnType<typeof decideFolder>) => ("take" in d ? { new: "N", replace: "P", resume: "R" }[d.take] : { OUT_HOLDS_RUN: "H", OUT_NOT_A_RUN: "X", OUT_UNUSABLE: "U" }[d.refuse]);

    for (const kind of KINDS) {
      it(`for a ${kind}`, () => {
        const table = Object.fromEntries(cases.map(([what, contents]) => [what, flagSets.map((flags) => letter(decideFolder(contents, kind, flags))).join("")]));
        expect(table).to.deep.equal(Object.fromEntries(cases.map(([what], i) => [what, EXPECTED[kind][i]])));
      });
    }
  });

  describe("folders on disk", () => {
    const campaign: CampaignFile = {
      tool: "hardhat-tokenspice",
      kind: "campaign",
      spec: {
        netlist: { name: "jar", file: "sims/jar.ts" },
        steps: 1,
        params: {},
        runs: 1,
        sweep: [],
        zip: false,
        sample: null,
        seed: 1,
        stepTimeoutMs: null,
        network: { name: "hardhat", chainId: 31337 },
      },
      specHash: "abc",
      points: [],
      runs: [],
      versions: {},
      command: "x",
    };
    const folder = (name: string, fill: (dir: string) => void = () => undefined) => {
      const dir = path.join(root, name);
      fs.mkdirSync(dir);
      fill(dir);
      return dir;
    };

    it("tells nothing, our run, campaign and search, and files that are not ours apart", () => {
      const seen = {
        missing: inspectFolder(path.join(root, "nowhere")).state,
        file: (fs.writeFileSync(path.join(root, "a-file"), "x"), inspectFolder(path.join(root, "a-file")).state),
        empty: inspectFolder(folder("empty")).state,
        lockOnly: inspectFolder(folder("lock-only", (d) => fs.mkdirSync(path.join(d, ".tokenspice.lock")))).state,
        run: inspectFolder(folder("run", (d) => writeRunManifest(d, { tool: "hardhat-tokenspice", status: "complete" }))),
        handWritten: inspectFolder(folder("hand", (d) => writeRunManifest(d, { status: "complete" }))).state,
        campaign: inspectFolder(folder("campaign", (d) => writeCampaignFile(d, campaign))),
        search: inspectFolder(folder("search", (d) => writeSearchFile(d, { tool: "hardhat-tokenspice", kind: "verify", netlist: "jar", seed: 1, steps: 1, params: {}, result: {} }))),
        firstBatch: inspectFolder(folder("batch", (d) => fs.mkdirSync(path.join(d, "runs")))),
        foreign: inspectFolder(folder("notes", (d) => fs.writeFileSync(path.join(d, "notes.txt"), "mine"))),
      };
      expect(seen).to.deep.equal({
        missing: "missing",
        file: "unusable",
        empty: "empty",
        lockOnly: "empty",
        run: { state: "ours", holds: "run", entries: ["manifest.json"] },
        handWritten: "foreign",
        campaign: { state: "ours", holds: "campaign", entries: ["campaign.json"] },
        search: { state: "ours", holds: "search", entries: ["search.json"] },
        firstBatch: { state: "ours", holds: "search", entries: ["runs"] },
        foreign: { state: "foreign", entries: ["notes.txt"] },
      });
    });

    it("refuses a search into a folder of files that are not ours, and a run, campaign or merge too, even with --force, writing nothing", () => {
      const notes = folder("notes", (d) => fs.writeFileSync(path.join(d, "notes.txt"), "mine"));
      for (const kind of KINDS) {
        const e = thrownBy(() => takeFolder(notes, kind, { force: true, resume: kind === "search" }));
        expect([e.code, e.details], kind).to.deep.equal(["OUT_NOT_A_RUN", { dir: notes, entries: ["notes.txt"] }]);
        expect(e.message, kind).to.contain(`holds files that are not a hardhat-tokenspice ${OUTPUT_OF[kind]} (notes.txt). Nothing was written`);
      }
      expect(fs.readdirSync(notes)).to.deep.equal(["notes.txt"]);
    });

    it("refuses a folder of another kind, naming both kinds, even with --force", () => {
      const run = folder("run", (d) => writeRunManifest(d, { tool: "hardhat-tokenspice", status: "complete" }));
      const e = thrownBy(() => takeFolder(run, "search", { resume: true, force: true }));
      expect([e.code, e.details]).to.deep.equal(["OUT_NOT_A_RUN", { dir: run, entries: ["manifest.json"], holds: "run" }]);
      expect(e.message).to.contain(`${run} holds a hardhat-tokenspice run, not a search: a search is never written into a run's folder`);
      const c = folder("campaign", (d) => writeCampaignFile(d, campaign));
      expect(thrownBy(() => takeFolder(c, "run", { force: true })).message).to.contain("holds a hardhat-tokenspice campaign, not a run");
      expect(fs.readdirSync(run)).to.deep.equal(["manifest.json"]);
    });

    it("replaces only what the writer replaces, under its lock, and refuses a folder another process holds", () => {
      const c = folder("campaign", (d) => {
        writeCampaignFile(d, campaign);
        fs.mkdirSync(path.join(d, "runs", "p-a"), { recursive: true });
        fs.writeFileSync(path.join(d, "notes.md"), "kept");
      });
      expect(thrownBy(() => takeFolder(c, "merge")).code).to.equal("OUT_HOLDS_RUN");
      const { taken, release } = takeFolder(c, "merge", { force: true });
      expect(taken).to.equal("replace");
      expect(
        fs
          .readdirSync(c)
          .filter((f) => !f.startsWith(".tokenspice.lock"))
          .sort(),
      ).to.deep.equal(["campaign.json", "notes.md"]);
      const held = thrownBy(() => takeFolder(c, "campaign", { resume: true }));
      expect([held.code, held.details]).to.deep.equal(["OUT_LOCKED", { dir: c }]);
      expect(held.message).to.contain(`process ${process.pid} on this host holds its lock`);
      release();
      expect(takeFolder(c, "campaign", { resume: true }).taken).to.equal("resume");
    });

    it("checks without writing: a path under a file, or a folder it cannot make, is OUT_UNUSABLE before anything is made", () => {
      fs.writeFileSync(path.join(root, "a-file"), "x");
      for (const kind of KINDS) {
        expect(thrownBy(() => checkFolder(path.join(root, "a-file", "sub"), kind)).code, kind).to.equal("OUT_UNUSABLE");
        expect(thrownBy(() => checkFolder(path.join(root, "a-file"), kind)).message, kind).to.match(/^Cannot write a .* to .*a-file: it is a file, not a folder\./);
      }
      expect(checkFolder(path.join(root, "new", "deeper"), "search")).to.equal("new");
      expect(fs.existsSync(path.join(root, "new"))).to.equal(false);
      const lock = lockFolder(folder("locked"));
      expect(checkFolder(path.join(root, "locked"), "run")).to.equal("new"); // a lock alone is nothing: takeFolder's lock refuses
      lock!.release();
    });
  });
});
