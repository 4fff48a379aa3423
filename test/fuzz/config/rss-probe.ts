/**
 * Preloaded into the CLI child by the config fuzz (`node --import rss-probe.ts main.js …`): at exit, writes
 * the process's peak RSS and heap to the file named by TRIBUTARY_FUZZ_PROBE. It changes nothing else.
 */
import { writeFileSync } from 'node:fs';

const out = process.env['TRIBUTARY_FUZZ_PROBE'];
if (out !== undefined && out !== '') {
  process.on('exit', () => {
    writeFileSync(out, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, heapUsedBytes: process.memoryUsage().heapUsed }));
  });
}
