// Preloaded (node --require) into a child the memory bench starts: at exit, writes the process's
// peak resident set size (bytes; process.resourceUsage().maxRSS is in KiB) to $BENCH_MAX_RSS_FILE.
"use strict";
const fs = require("fs");
const file = process.env.BENCH_MAX_RSS_FILE;
if (file) {
  process.on("exit", () => {
    fs.writeFileSync(file, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, pid: process.pid }));
  });
}
