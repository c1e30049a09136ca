import type { NextFunction, Request, Response } from 'express';
import { sendError, type ErrorBody } from './error-body';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
  message?: string;
}

const KNOWN: Record<string, [number, ErrorBody]> = {
  'entity.parse.failed': [400, { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON.' }],
  'entity.too.large': [413, { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than this endpoint accepts.' }],
  'encoding.unsupported': [415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The request body encoding is not supported (identity, gzip, deflate and br are).' }],
  'charset.unsupported': [415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The request body must be UTF-8.' }],
  'json.too_deep': [400, { code: 'JSON_TOO_DEEP', message: 'The JSON body is nested too deeply.' }],
  'json.control_character': [400, { code: 'VALIDATION_FAILED', message: 'Text fields must not contain control characters.' }],
};

/**
 * Express error middleware placed right after the body parsers. Nest would turn a malformed body
 * into a generic 400 carrying the parser's message (or a 500 for errors it does not know);
 * clients deserve a stable code instead. Any other client error of the parser (a body that does
 * not decompress, one cut short) is a 400 MALFORMED_BODY.
 */
export function bodyParserErrors(error: BodyParserError, request: Request, response: Response, next: NextFunction): void {
  const match = error?.type ? KNOWN[error.type] : undefined;
  if (match) {
    sendError(request, response, match[0], match[1]);
    return;
  }
  // The parser's own client errors: typed ones, and a body that does not decompress (zlib's error, untyped).
  if (error?.expose && error.status && error.status >= 400 && error.status < 500) {
    sendError(request, response, 400, { code: 'MALFORMED_BODY', message: 'The request body could not be read (bad compression, cut short, or not what Content-Type says).' });
    return;
  }
  next(error);
}
