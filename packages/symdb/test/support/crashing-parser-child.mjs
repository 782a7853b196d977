// The real parser process (the compiled entry), made to die when it comes to a file named
// crash.js (after answering every file before it): the way a process that runs out of
// memory on one huge file looks to the parent.
let received = 0;
let answered = 0;
let crashAt = -1;
const exitIfThere = () => {
  if (crashAt >= 0 && answered === crashAt) process.exit(70);
};
process.on('message', (request) => {
  if (crashAt < 0 && request.path.endsWith('crash.js')) crashAt = received;
  received++;
  exitIfThere();
});
const send = process.send.bind(process);
process.send = (message, handle, options, callback) =>
  send(message, handle, options, (error) => {
    callback?.(error);
    if (message.type === 'file') answered++;
    exitIfThere();
  });
await import('../../dist/extract/parser-process/parser-child-main.js');
