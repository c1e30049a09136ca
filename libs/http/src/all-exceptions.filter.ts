import { randomUUID } from 'node:crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@app/domain';
import { HTTP_ERROR_CODES, STATUS_OF, sendError, type ErrorBody } from './error-body';
import { UnreadableBodyError } from './json-body';

/**
 * Turns every thrown thing into `{ code, message, ... }`. Domain errors keep their code; framework
 * errors get a code from their status, a body the API will not read its own (useJsonBodyReader);
 * anything else is a 500 whose body carries only an error id that is also in the log. Every body
 * carries the request's id.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const [status, body] = this.describe(exception);
    if (reply.sent) return;
    // Every refusal that says when to come back says it the standard way too.
    if (typeof body.retryAfterSeconds === 'number' && !reply.getHeader('Retry-After')) reply.header('Retry-After', String(body.retryAfterSeconds));
    sendError(host.switchToHttp().getRequest<FastifyRequest>(), reply, status, body);
  }

  private describe(exception: unknown): [number, ErrorBody] {
    if (exception instanceof DomainError) {
      return [STATUS_OF[exception.code], { code: exception.code, message: exception.message, ...exception.details }];
    }
    if (exception instanceof UnreadableBodyError) return [exception.status, exception.body];
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
      if (status < 500) {
        return [status, { code: HTTP_ERROR_CODES[status] ?? 'BAD_REQUEST', message: Array.isArray(message) ? message.join('; ') : String(message) }];
      }
    }
    const errorId = randomUUID();
    this.logger.error(`error ${errorId}: ${exception instanceof Error ? exception.stack : String(exception)}`);
    return [HttpStatus.INTERNAL_SERVER_ERROR, { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side. Quote this error id when reporting it.', errorId }];
  }
}
