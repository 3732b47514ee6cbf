// Preloaded by an end-to-end test: records which of process.stdin, stdout and stderr the run set
// up (each loads the stream machinery, and net for a pipe) and prints them at exit as the last
// line on stderr.
const used = [];
for (const name of ['stdin', 'stdout', 'stderr']) {
  const own = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, {
    ...own,
    get() {
      Object.defineProperty(process, name, own);
      used.push(name);
      return own.get.call(process);
    },
  });
}
process.on('exit', () => {
  require('node:fs').writeSync(2, `stdio streams: ${used.join(', ') || 'none'}\n`);
});
