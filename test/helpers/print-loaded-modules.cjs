// Preloaded by an end-to-end test: at exit, prints which of a few built-in modules the run loaded
// (the stdio streams' machinery among them), as the last line on stderr.
const watched = ['fs', 'path', 'util', 'stream', 'net', 'tty', 'worker_threads'];
process.on('exit', () => {
  const loaded = watched.filter((name) => process.moduleLoadList.includes(`NativeModule ${name}`));
  process._rawDebug(`modules: ${loaded.join(', ')}`);
});
