import type { IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { ErrorBody } from './error-body';
import { inspectJsonText, type UnsafeJson } from './json-guards';

/** Why a body could not be read; AllExceptionsFilter answers each with its status and stable code (BODY_REFUSALS). */
type BodyProblem = 'malformed-json' | 'too-large' | 'encoding' | 'charset' | 'unreadable' | UnsafeJson;

const BODY_REFUSALS: Record<BodyProblem, [number, ErrorBody]> = {
  'malformed-json': [400, { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON.' }],
  'too-large': [413, { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than this endpoint accepts.' }],
  encoding: [415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The request body encoding is not supported (identity, gzip, deflate and br are).' }],
  charset: [415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The request body must be UTF-8.' }],
  unreadable: [400, { code: 'MALFORMED_BODY', message: 'The request body could not be read (bad compression, cut short, or not what Content-Type says).' }],
  'json.too_deep': [400, { code: 'JSON_TOO_DEEP', message: 'The JSON body is nested too deeply.' }],
  'json.control_character': [400, { code: 'VALIDATION_FAILED', message: 'Text fields must not contain control characters.' }],
};

/**
 * A body the API will not read, raised by the content-type parser; Nest hands it to the exception
 * filter (AllExceptionsFilter), which answers with its status and body.
 */
export class UnreadableBodyError extends Error {
  readonly status: number;
  readonly body: ErrorBody;

  constructor(problem: BodyProblem) {
    const [status, body] = BODY_REFUSALS[problem];
    super(body.message);
    this.status = status;
    this.body = body;
  }
}

const DECOMPRESSORS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** A JSON body as sent, once read: the wallet's signed callbacks are verified over these bytes. */
export type WithRawBody = { rawBody?: Buffer };

/**
 * How the API reads request bodies, replacing Fastify's parsers (which differ from what clients of
 * this API were promised when it ran on Express's body parser):
 *   - `application/json`: up to `limitBytes` (413 beyond), identity, gzip, deflate or br (415 for
 *     another encoding), UTF-8 only (415), an empty body read as `{}`, a leading byte-order mark
 *     ignored, an object or array at the top (400 MALFORMED_JSON otherwise), no nesting deeper
 *     than MAX_JSON_DEPTH and no escaped control characters (inspectJsonText); the bytes are kept
 *     as `request.rawBody`. A refused body's connection is closed after the answer (Fastify's
 *     rule: the rest of what the client sends may still be that body).
 *   - anything else (multipart uploads among them) is not read here: the body stays unread on the
 *     request, for the route that takes it (the evidence uploads stream `request.raw` through
 *     busboy), and a route that expects JSON sees no body and answers 400, as before. Fastify would
 *     refuse other types with a 415 before the route.
 */
export function useJsonBodyReader(app: FastifyInstance, limitBytes: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', (request, payload, done) => {
    readJson(request, payload, limitBytes).then(
      (body) => done(null, body),
      (error: Error) => done(error as FastifyError, undefined),
    );
  });
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}

async function readJson(request: FastifyRequest & WithRawBody, payload: IncomingMessage, limitBytes: number): Promise<unknown> {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw drained(payload, 'charset');
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let inflate: Transform | undefined;
  if (encoding !== 'identity') {
    const decompressor = DECOMPRESSORS[encoding];
    if (!decompressor) throw drained(payload, 'encoding');
    inflate = payload.pipe(decompressor());
  } else if (Number(request.headers['content-length'] ?? 0) > limitBytes) {
    throw drained(payload, 'too-large');
  }
  const body = await readAtMost(payload, inflate, limitBytes);
  request.rawBody = body;
  if (body.length === 0) return {};
  // A byte-order mark is no part of the JSON (Express's parser dropped it too); rawBody keeps it.
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  const problem = inspectJsonText(text);
  if (problem) throw new UnreadableBodyError(problem);
  // Objects and arrays only, as Express's strict JSON parser took them.
  const first = /\S/.exec(text)?.[0];
  if (first !== '{' && first !== '[') throw new UnreadableBodyError('malformed-json');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UnreadableBodyError('malformed-json');
  }
}

/** The body's bytes (through `inflate` if compressed), or a refusal once more than `limitBytes` arrive or the stream fails. */
function readAtMost(payload: IncomingMessage, inflate: Transform | undefined, limitBytes: number): Promise<Buffer> {
  const source: Readable = inflate ?? payload;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (problem: BodyProblem) => {
      if (settled) return;
      settled = true;
      if (inflate) {
        // Unpiped first: a destroyed destination would pause the request again, and the rest of it would never be read.
        payload.unpipe(inflate);
        inflate.destroy();
      }
      reject(drained(payload, problem));
    };
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) return fail('too-large');
      chunks.push(chunk);
    });
    source.on('error', () => fail('unreadable'));
    // The client went away before the whole body arrived.
    payload.on('close', () => {
      if (!payload.complete) fail('unreadable');
    });
    source.on('end', () => {
      if (settled) return;
      const declared = payload.headers['content-length'];
      // Cut short or longer than declared (Node's parser stops at the declared length; a short one ends early only if the client half-closes).
      if (!inflate && declared !== undefined && Number(declared) !== size) return fail('unreadable');
      settled = true;
      resolve(Buffer.concat(chunks, size));
    });
  });
}

/**
 * The refusal, with the rest of the body read and thrown away so that the answer can go out (Fastify
 * then closes the connection: what the client sends next may still be this body's).
 */
function drained(payload: IncomingMessage, problem: BodyProblem): UnreadableBodyError {
  payload.resume();
  return new UnreadableBodyError(problem);
}
