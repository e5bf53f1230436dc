import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { BUNDLE_FILE, ForkBundle, canonicalJson, readKey } from "../../src/fork/bundle";
import type { TokenspiceError } from "../../src/errors";

const POINT = { chainId: 31337, blockNumber: 4, blockHash: "0x" + "ab".repeat(32) };
const balance = (address: string) => ({ method: "eth_getBalance", params: [address, "0x4"] });

function thrown(fn: () => unknown): TokenspiceError {
  try {
    fn();
  } catch (error) {
    return error as TokenspiceError;
  }
  throw new Error("expected an error");
}

describe("fork bundle: content-addressed reads on disk", function () {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "fork-bundle-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("keys a read by the hash of its canonical JSON: key order and the JSON-RPC id do not matter", function () {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).to.equal('{"a":[{"c":null,"d":2}],"b":1}');
    const a = readKey({ method: "eth_call", params: [{ to: "0x1", data: "0x2" }, "0x4"] });
    const b = readKey({ method: "eth_call", params: [{ data: "0x2", to: "0x1" }, "0x4"] });
    expect(a)
      .to.equal(b)
      .and.match(/^[0-9a-f]{64}$/);
    expect(readKey(balance("0x1"))).to.not.equal(readKey(balance("0x2")));
  });

  it("answers a read another process recorded into the folder since it opened (a campaign's other worker), and checks it", function () {
    const folder = path.join(dir, "shared");
    const first = ForkBundle.open(folder, POINT);
    first.put(balance("0x0"), "0x0");
    const second = ForkBundle.open(folder, POINT);
    first.put(balance("0x1"), "0x10");
    expect(second.get(balance("0x1"))).to.deep.equal({ result: "0x10" });
    expect(second.get(balance("0x2"))).to.equal(undefined);
    first.put(balance("0x3"), "0x30");
    const key = readKey(balance("0x3"));
    fs.writeFileSync(path.join(folder, "entries", key.slice(0, 2), `${key}.json`), canonicalJson({ method: "eth_getBalance", params: ["0x3", "0x4"], result: "0x99" }));
    expect(thrown(() => second.get(balance("0x3"))).code).to.equal("FORK_BUNDLE_INVALID");
  });

  it("lets one process claim a read it fetches while another waits; a stale claim is taken over, and claims are no part of the bundle", function () {
    const folder = path.join(dir, "claims");
    const [a, b] = [ForkBundle.open(folder, POINT), ForkBundle.open(folder, POINT)];
    expect(a.claim(balance("0x1"), 60_000)).to.equal(true);
    expect(b.claim(balance("0x1"), 60_000)).to.equal(false);
    expect(b.claimed(balance("0x1"))).to.equal(true);
    expect(b.claim(balance("0x1"), 0)).to.equal(true); // older than 0 ms: its process is taken for dead
    a.put(balance("0x1"), "0x10");
    a.release(balance("0x1"));
    expect(b.claimed(balance("0x1"))).to.equal(false);
    expect(a.claim(balance("0x2"), 60_000)).to.equal(true); // left claimed, as by a process that died
    const hash = a.save().hash;
    const again = ForkBundle.open(folder, POINT);
    expect(again.size).to.equal(1); // 0x1; the claim on 0x2 is no entry
    expect(again.hash()).to.equal(hash);
  });

  it("writes nothing until a read is put, then one file per read under entries/<kk>/<key>.json", function () {
    const b = ForkBundle.open(path.join(dir, "b"), POINT);
    expect(fs.existsSync(path.join(dir, "b"))).to.equal(false);
    b.put(balance("0x1"), "0x10");
    const key = readKey(balance("0x1"));
    const file = path.join(dir, "b", "entries", key.slice(0, 2), `${key}.json`);
    expect(fs.readFileSync(file, "utf8")).to.equal('{"method":"eth_getBalance","params":["0x1","0x4"],"result":"0x10"}\n');
  });

  it("has the same hash for the same reads whatever order they came in, and another for another answer", function () {
    const one = ForkBundle.open(path.join(dir, "one"), POINT);
    one.put(balance("0x1"), "0x10");
    one.put(balance("0x2"), "0x20");
    const two = ForkBundle.open(path.join(dir, "two"), POINT);
    two.put(balance("0x2"), "0x20");
    two.put(balance("0x1"), "0x10");
    expect(one.save().hash)
      .to.equal(two.save().hash)
      .and.match(/^sha256:[0-9a-f]{64}$/);
    expect(fs.readFileSync(path.join(dir, "one", BUNDLE_FILE), "utf8")).to.equal(fs.readFileSync(path.join(dir, "two", BUNDLE_FILE), "utf8"));
    const three = ForkBundle.open(path.join(dir, "three"), POINT);
    three.put(balance("0x2"), "0x20");
    three.put(balance("0x1"), "0x11");
    expect(three.save().hash).to.not.equal(one.hash());
  });

  it("reads a saved bundle back, offline, with its point, answers and hash", function () {
    const b = ForkBundle.open(path.join(dir, "b"), POINT, { recordedFrom: "https://*.alchemy.com" });
    b.put(balance("0x1"), "0x10");
    const saved = b.save();
    const again = ForkBundle.open(path.join(dir, "b"), undefined, { mustExist: true });
    expect(again.point).to.deep.equal(POINT);
    expect(again.get(balance("0x1"))).to.deep.equal({ result: "0x10" });
    expect(again.get(balance("0x2"))).to.equal(undefined);
    expect(again.manifest()).to.deep.equal(saved);
    expect(saved.recordedFrom).to.equal("https://*.alchemy.com");
  });

  it("refuses a bundle that is missing offline, of another fork, or changed on disk, naming what is wrong", function () {
    expect(thrown(() => ForkBundle.open(path.join(dir, "none"), undefined, { mustExist: true })).message).to.match(/holds no bundle\.json: --offline forks from a bundle recorded before/);
    const b = ForkBundle.open(path.join(dir, "b"), POINT);
    b.put(balance("0x1"), "0x10");
    b.put(balance("0x2"), "0x20");
    b.save();
    const other = thrown(() => ForkBundle.open(path.join(dir, "b"), { ...POINT, blockHash: "0x" + "cd".repeat(32) }));
    expect(other.code).to.equal("FORK_BUNDLE_INVALID");
    expect(other.message).to.match(/was recorded at chain id 31337, block 4 \(hash 0xabab.*\), but the fork is chain id 31337, block 4 \(hash 0xcdcd/);

    const key = readKey(balance("0x1"));
    const file = path.join(dir, "b", "entries", key.slice(0, 2), `${key}.json`);
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, original.replace("0x10", "0x99")); // another answer, still canonical
    const changed = thrown(() => ForkBundle.open(path.join(dir, "b"), undefined, { mustExist: true }));
    expect(changed.code).to.equal("FORK_BUNDLE_INVALID");
    expect(changed.message).to.match(/does not match its hash: bundle\.json says sha256:\w+ over 2 entries/);

    fs.writeFileSync(file, original.replace("0x1", "0x3")); // another read under the first one's name
    expect(thrown(() => ForkBundle.open(path.join(dir, "b"), undefined, { mustExist: true })).message).to.match(/whose name is not the hash of the read it holds \(eth_getBalance \["0x3","0x4"\]\)/);

    fs.writeFileSync(file, original);
    fs.writeFileSync(path.join(dir, "b", "entries", "zz"), "");
    expect(thrown(() => ForkBundle.open(path.join(dir, "b"), undefined, { mustExist: true })).message).to.match(/holds entries.zz, which is not an entry folder/);
  });

  it("never writes a bundle into a folder of something else", function () {
    fs.writeFileSync(path.join(dir, "hardhat.config.ts"), "");
    const e = thrown(() => ForkBundle.open(dir, POINT));
    expect(e.code).to.equal("FORK_BUNDLE_INVALID");
    expect(e.message).to.match(/holds hardhat\.config\.ts, which are not a fork bundle's \(bundle\.json, entries\/\): give an empty or new folder/);
  });

  it("takes entries another process added after the last save (each checked), and counts them at the next save", function () {
    const b = ForkBundle.open(path.join(dir, "b"), POINT);
    b.put(balance("0x1"), "0x10");
    b.save();
    const other = ForkBundle.open(path.join(dir, "b"), POINT);
    other.put(balance("0x2"), "0x20"); // not saved
    const reopened = ForkBundle.open(path.join(dir, "b"), undefined, { mustExist: true });
    expect(reopened.get(balance("0x2"))).to.deep.equal({ result: "0x20" });
    expect(b.save().entries).to.equal(2);
  });
});
