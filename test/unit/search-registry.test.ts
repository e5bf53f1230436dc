import fs from "fs";
import path from "path";
import { expect } from "chai";
import { SEARCH_KINDS, searchTaskName } from "../../src/output/search-kinds";
import { SEARCH_METHODS } from "../../src/search/registry";
import { runSearch } from "../../src/search/run-search";
import type { TokenspiceEnvironment } from "../../src/campaign/environment";
import { TokenspiceError } from "../../src/errors";

// A search kind is named in SEARCH_KINDS (the search file's format checks `kind` with it) and
// registered once, with everything the core needs of it, in SEARCH_METHODS. These fail when a
// kind is in one list and not the other, or lacks a part the core takes from its entry.

const ROOT = path.join(__dirname, "..", "..");

describe("search methods: one registry", () => {
  it("SEARCH_METHODS holds every kind of SEARCH_KINDS, in the same order, and no other", () => {
    expect(Object.keys(SEARCH_METHODS)).to.deep.equal([...SEARCH_KINDS]);
  });

  it("each method has its loop, its run counts and its part of the report", () => {
    for (const kind of SEARCH_KINDS) {
      const method = SEARCH_METHODS[kind];
      expect(method.run, kind).to.be.a("function");
      expect(method.runCounts, kind).to.be.a("function");
      expect(method.report.render, kind).to.be.a("function");
      expect(method.report.nonFinite, kind).to.be.a("function");
      expect(method.report.nonFiniteMeaning, kind).to.be.a("string").and.not.equal("");
    }
  });

  it("each kind's run counts are refused above the most a search holds, before the environment is touched", async () => {
    let touched = 0;
    const environment = {
      outDir: "/nonexistent",
      load: () => void touched++,
      runEnvironment: () => void touched++,
      runSpec: () => void touched++,
    } as unknown as TokenspiceEnvironment;
    for (const kind of SEARCH_KINDS) {
      // every option a method reads asks for a billion runs
      const huge = new Proxy({}, { get: () => 1e9 }) as never;
      expect(Object.keys(SEARCH_METHODS[kind].runCounts(huge)), kind).to.not.be.empty;
      const error = await runSearch(environment, "walk", kind, huge).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, kind).to.be.instanceOf(TokenspiceError);
      expect((error as TokenspiceError).code, kind).to.equal("CAMPAIGN_TOO_LARGE");
    }
    expect(touched).to.equal(0);
  });

  it("each kind has its command in the generated CLI reference (a task of the same name)", () => {
    const cli = fs.readFileSync(path.join(ROOT, "docs", "reference", "cli.md"), "utf8");
    const missing = SEARCH_KINDS.filter((kind) => !cli.includes(`\n## ${searchTaskName(kind)}\n`));
    expect(missing, "kinds without a sim-<kind> task: add it in tasks/ and run npm run docs").to.deep.equal([]);
  });
});
