import type { NextFunction, Request, Response } from 'express';
import type { ErrorBody } from './error-body';

interface BodyParserError {
  type?: string;
}

/**
 * Express error middleware placed right after the body parsers. Nest would turn a malformed body
 * into a generic 400 carrying the parser's message; clients deserve a stable code instead.
 */
export function bodyParserErrors(error: BodyParserError, _request: Request, response: Response, next: NextFunction): void {
  const known: Record<string, [number, ErrorBody]> = {
    'entity.parse.failed': [400, { code: 'MALFORMED_JSON', message: 'The request body is not valid JSON.' }],
    'entity.too.large': [413, { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than this endpoint accepts.' }],
    'encoding.unsupported': [415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The request body encoding is not supported.' }],
  };
  const match = error?.type ? known[error.type] : undefined;
  if (!match) return next(error);
  response.status(match[0]).json(match[1]);
}
