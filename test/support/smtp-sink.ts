/**
 * A real SMTP server for the tests, run as a child process (test/support/child-process.ts): it
 * accepts mail on a free port and writes every message, raw, as a file into the folder given as
 * its first argument (`<n>.eml`). Recipients starting with `bounce` are refused with 550, as a
 * mail server refuses an unknown mailbox. Prints `{"port": …}` once listening.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

const dir = process.argv[2];
if (!dir) throw new Error('usage: smtp-sink.ts <folder for received messages>');
mkdirSync(dir, { recursive: true });
let received = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onRcptTo(address, _session, callback) {
    if (address.address.startsWith('bounce')) {
      // Quoting the address, as real servers do: the engine must not store it in the clear.
      const error = Object.assign(new Error(`5.1.1 <${address.address}>: No such mailbox here`), { responseCode: 550 });
      return callback(error);
    }
    callback();
  },
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      received += 1;
      writeFileSync(join(dir, `${String(received).padStart(4, '0')}.eml`), Buffer.concat(chunks));
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
