import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { assertPublicTarget, guardedLookup } from '../ssrf/address-policy';

export interface SendResult {
  statusCode: number | null;
  error: string | null;
  responseExcerpt: string | null;
  durationMs: number;
}

const EXCERPT_BYTES = 1024;

/**
 * One POST, no redirects (a 3xx is a failure: following it would let a public host bounce us to
 * an internal one), bounded in time, reading at most a short excerpt of the answer.
 */
export async function postWebhook(input: { url: string; headers: Record<string, string>; body: string; timeoutMs: number; allowPrivate: boolean }): Promise<SendResult> {
  const started = Date.now();
  const done = (partial: Omit<SendResult, 'durationMs'>): SendResult => ({ ...partial, durationMs: Date.now() - started });
  let url: URL;
  try {
    url = new URL(input.url);
    await assertPublicTarget(url, input.allowPrivate);
  } catch (error) {
    return done({ statusCode: null, error: String((error as Error).message ?? error).slice(0, 500), responseExcerpt: null });
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...input.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(input.body), 'user-agent': 'dispute-engine-webhooks/1' },
        lookup: guardedLookup(input.allowPrivate) as never,
        signal: AbortSignal.timeout(input.timeoutMs),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk.subarray(0, EXCERPT_BYTES - size));
          size += chunk.length;
          if (size > 64 * 1024) response.destroy();
        });
        const finish = () => resolve(done({ statusCode: response.statusCode ?? null, error: null, responseExcerpt: Buffer.concat(chunks).toString('utf8') || null }));
        response.on('end', finish);
        response.on('close', finish);
        response.on('error', finish);
      },
    );
    request.on('error', (error) => resolve(done({ statusCode: null, error: String(error.message ?? error).slice(0, 500), responseExcerpt: null })));
    request.end(input.body);
  });
}
