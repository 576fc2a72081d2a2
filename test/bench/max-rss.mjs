// Preloaded (`node --import`) into a child the import bench spawns: prints the process's peak resident
// set size when it exits, so the bench can read the memory of a whole CLI run from outside it.
process.on('exit', () => {
  process.stderr.write(`\nmax-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
