import type { IncomingMessage } from 'node:http';

/** A refusal with the contract's error body `{code, message}`. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SimResponse {
  status: number;
  body: unknown;
  /** TIMEOUT- mode: the answer is held this long so the client's own timeout fires first. */
  holdMs?: number;
}

export const MAX_BODY_BYTES = 1024 * 1024;

export async function readRawBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new SimHttpError(413, 'PAYLOAD_TOO_LARGE', `Bodies are limited to ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJsonBody(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new SimHttpError(400, 'INVALID_JSON', 'The body is not valid JSON.');
  }
}
