import { expect } from "chai";
import fs from "fs";
import path from "path";
import { resetHardhatContext } from "hardhat/plugins-testing";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { renderDocs } from "../scripts/gen-docs";
import { ROOT } from "./helpers";

/** The markdown files whose links must hold: the README, CONTRIBUTING, every page under docs/ and the models' READMEs. */
function markdownFiles(): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".md") ? [path.join(dir, e.name)] : []));
  const models = fs
    .readdirSync(path.join(ROOT, "sims"))
    .map((m) => path.join(ROOT, "sims", m, "README.md"))
    .filter((f) => fs.existsSync(f));
  return [path.join(ROOT, "README.md"), path.join(ROOT, "CONTRIBUTING.md"), ...walk(path.join(ROOT, "docs")), ...models];
}

/** The text of a markdown file outside fenced code blocks and inline code. */
function prose(text: string): string {
  return text
    .split(/^```.*$/m)
    .filter((_, i) => i % 2 === 0)
    .join("\n")
    .replace(/`[^`\n]*`/g, "");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slugOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Every anchor a markdown file offers: its headings' slugs, numbered as GitHub numbers repeats. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const withoutFences = text
    .split(/^```.*$/m)
    .filter((_, i) => i % 2 === 0)
    .join("\n");
  for (const [, heading] of withoutFences.matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = slugOf(heading);
    const n = seen.get(slug) ?? 0;
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
    seen.set(slug, n + 1);
  }
  return anchors;
}

describe("docs", function () {
  describe("generated reference pages", function () {
    let hre: HardhatRuntimeEnvironment;
    let previousCwd: string;
    before(function () {
      previousCwd = process.cwd();
      process.chdir(ROOT);
      hre = require("hardhat");
    });
    after(function () {
      resetHardhatContext();
      process.chdir(previousCwd);
    });

    it("docs/reference/cli.md and errors.md are what scripts/gen-docs.ts writes from the code", function () {
      for (const [file, text] of Object.entries(renderDocs(hre.tasks))) {
        const committed = fs.existsSync(path.join(ROOT, file)) ? fs.readFileSync(path.join(ROOT, file), "utf8") : "";
        expect(committed === text, `${file} differs from the task definitions or src/errors.ts: run npm run docs`).to.equal(true);
      }
    });

    it("the CLI reference names every flag of every sim* task", function () {
      const cli = fs.readFileSync(path.join(ROOT, "docs/reference/cli.md"), "utf8");
      const tasks = Object.values(hre.tasks).filter((t) => /^sim($|-)/.test(t.name));
      expect(tasks.map((t) => t.name)).to.include.members(["sim", "sim-report", "sim-merge", "sim-verify", "sim-worst-case", "sim-corners", "sim-optimize"]);
      for (const task of tasks) {
        const section = cli.slice(cli.indexOf(`## ${task.name}\n`)).split(/\n## /)[0];
        for (const name of Object.keys(task.paramDefinitions)) {
          const flag = `--${name.replace(/([A-Z])/g, (c) => `-${c.toLowerCase()}`)}`;
          expect(section, `${task.name} ${flag}`).to.include(`| \`${flag}\` |`);
        }
      }
    });
  });

  describe("links", function () {
    it("every relative link in README.md, CONTRIBUTING.md, docs/ and the models' READMEs points at a file that exists, and at a heading there", function () {
      const broken: string[] = [];
      for (const file of markdownFiles()) {
        const text = fs.readFileSync(file, "utf8");
        for (const [, target] of prose(text).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
          if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
          const [rel, anchor] = target.split("#");
          const dest = rel === "" ? file : path.resolve(path.dirname(file), decodeURIComponent(rel));
          const where = `${path.relative(ROOT, file)}: ${target}`;
          if (!fs.existsSync(dest)) {
            broken.push(`${where} (no such file)`);
          } else if (anchor !== undefined && dest.endsWith(".md") && !anchorsOf(fs.readFileSync(dest, "utf8")).has(anchor)) {
            broken.push(`${where} (no such heading)`);
          }
        }
      }
      expect(broken).to.deep.equal([]);
    });

    it("anchors are GitHub's", function () {
      expect(slugOf("Charts and report.html")).to.equal("charts-and-reporthtml");
      expect(slugOf("Shared reads: `sample(ctx)`")).to.equal("shared-reads-samplectx");
      expect(slugOf("The design loop: verify, worst case, corners, optimize")).to.equal("the-design-loop-verify-worst-case-corners-optimize");
      expect([...anchorsOf("# A\n## Determinism\n```\n# not a heading\n```\n### Determinism\n")]).to.deep.equal(["a", "determinism", "determinism-1"]);
    });
  });
});
