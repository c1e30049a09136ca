// A merchant's webhook receiver as its own process, checking every request with the Standard
// Webhooks reference library (`standardwebhooks`), not with this project's signer. It keeps the
// secrets it knows (PUT /secrets) and what arrived (GET /received), and answers 200 when one of
// its secrets verifies the request, 400 otherwise, as a real receiver would.
'use strict';
const { createServer } = require('node:http');
const { Webhook } = require('standardwebhooks');

let secrets = JSON.parse(process.env.RECEIVER_SECRETS || '[]');
const received = [];

const readBody = (request) =>
  new Promise((resolve) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

const server = createServer(async (request, response) => {
  const body = await readBody(request);
  if (request.method === 'GET' && request.url === '/received') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
    return;
  }
  if (request.method === 'PUT' && request.url === '/secrets') {
    secrets = JSON.parse(body);
    response.writeHead(204).end();
    return;
  }
  // Which of the secrets it knows verify this request (each checked on its own).
  const verifiedWith = secrets.filter((secret) => {
    try {
      new Webhook(secret).verify(body, request.headers);
      return true;
    } catch {
      return false;
    }
  });
  const status = verifiedWith.length > 0 ? 200 : 400;
  received.push({ path: request.url, headers: request.headers, body, verifiedWith, status });
  response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'bad signature');
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
