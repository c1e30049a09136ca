import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  receivedAtSeconds: number;
  answeredWith: number;
}

/**
 * A merchant's webhook receiver on 127.0.0.1. `respond` decides the status of each request from
 * how many arrived before it, so a test can make it fail for a while and then recover.
 */
export async function startWebhookReceiver(respond: (index: number, request: { body: string }) => number = () => 200) {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = respond(received.length, { body });
      received.push({ headers: request.headers, body, receivedAtSeconds: Math.floor(Date.now() / 1000), answeredWith: status });
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Requests answered 2xx, parsed. */
    accepted: () => received.filter((r) => r.answeredWith < 300).map((r) => ({ ...r, event: JSON.parse(r.body) as { id: string; type: string; data: any } })),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
