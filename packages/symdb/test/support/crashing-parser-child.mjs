// The real parser process (the compiled entry), made to die on any file named crash.js: the
// way a process that runs out of memory on one huge file looks to the parent.
process.on('message', (request) => {
  if (request.path.endsWith('crash.js')) process.exit(70);
});
await import('../../dist/extract/parser-process/parser-child-main.js');
