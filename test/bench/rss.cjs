// Preloaded by the benchmark: report the process's peak resident memory (KiB) when it exits.
process.on('exit', () => {
  process.stderr.write(`QUIRE_MAXRSS=${process.resourceUsage().maxRSS}\n`);
});
