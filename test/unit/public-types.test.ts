import { expect } from "chai";
import path from "path";
import ts from "typescript";

// The package exports every type its public signatures mention (issue 16): a user can name the
// options they pass and the results they get (`CampaignResult`, `VerifyOptions`, `TokenspiceEnvironment`…)
// without deep imports. This walks the declarations src/index.ts exports (the package root), their
// signatures and public members, down through every type of ours they mention.

const SRC = path.resolve(__dirname, "..", "..", "src");
const ENTRY = path.join(SRC, "index.ts");

/** Types of ours (declared under src/) that public signatures mention but the package root does not export. */
function missingPublicTypes(): { missing: string[]; walked: number } {
  const program = ts.createProgram([ENTRY], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const entry = checker.getSymbolAtLocation(program.getSourceFile(ENTRY)!)!;
  const resolve = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const exported = new Set(checker.getExportsOfModule(entry).map(resolve));
  const ours = (d: ts.Declaration) => d.getSourceFile().fileName.startsWith(SRC + path.sep) || d.getSourceFile().fileName.startsWith(SRC + "/");
  const internal = (d: ts.Node) =>
    ts.getJSDocTags(d).some((t) => t.tagName.text === "internal" || t.tagName.text === "deprecated") || /@internal\b/.test(d.getFullText().slice(0, d.getLeadingTriviaWidth()));
  const hidden = (d: ts.Node) =>
    (ts.getCombinedModifierFlags(d as ts.Declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0 ||
    internal(d) ||
    (ts.isClassElement(d) && d.name !== undefined && ts.isPrivateIdentifier(d.name));
  const seen = new Set<ts.Symbol>();
  const missing = new Map<string, string>();

  const visitNode = (node: ts.Node, from: string): void => {
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node) || ts.isTypeQueryNode(node)) {
      const name = ts.isTypeReferenceNode(node) ? node.typeName : ts.isTypeQueryNode(node) ? node.exprName : node.expression;
      const symbol = checker.getSymbolAtLocation(name);
      if (symbol) visitSymbol(resolve(symbol), from);
    }
    ts.forEachChild(node, (child) => {
      if (hidden(child)) return; // private members, @internal entries, deprecated aliases
      visitNode(child, from);
    });
  };
  const visitSymbol = (symbol: ts.Symbol, from: string): void => {
    if (seen.has(symbol)) return;
    const decls = (symbol.declarations ?? []).filter(ours);
    if (decls.length === 0) return; // a library's or a built-in type
    if (decls.every((d) => ts.isTypeParameterDeclaration(d))) return;
    seen.add(symbol);
    const isType = (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Class | ts.SymbolFlags.Enum)) !== 0;
    // a module's own local alias (not exported from its file) is walked through, not asked for
    const local = decls.every((d) => !(ts.getCombinedModifierFlags(d) & ts.ModifierFlags.Export));
    if (isType && !local && !exported.has(symbol)) missing.set(symbol.name, `${path.relative(SRC, decls[0].getSourceFile().fileName)} (from ${from})`);
    for (const d of decls) visitNode(d, symbol.name);
  };
  for (const symbol of exported) {
    // the declarations themselves: a function's signature, a class's public members, an interface's fields
    for (const d of (symbol.declarations ?? []).filter(ours)) {
      seen.add(symbol);
      if (ts.isModuleDeclaration(d) || ts.isSourceFile(d)) continue; // a namespace export (RampedExp): its own module
      visitNode(d, symbol.name);
    }
  }
  return { missing: [...missing].map(([name, where]) => `${name}: ${where}`).sort(), walked: seen.size };
}

describe("the package's public types", function () {
  this.timeout(120_000);
  it("every type of ours a public signature mentions is exported from the package root", () => {
    const { missing, walked } = missingPublicTypes();
    expect(walked).to.be.greaterThan(60);
    expect(missing).to.deep.equal([]);
  });
});
