import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * What Fastify writes to the API's log about requests. Each request's own line comes from the
 * entry hook (request-entry.ts), so Fastify's per-request lines are left out: arrived, completed,
 * no route, a client error its default handler answered. What went wrong where no handler could
 * see it is written: a response stream that failed after its headers were sent (a download cut
 * off part-way), a failed writeHead or serializer, a server error its default handler answered.
 * (Fastify's own `disableRequestLogging` would silence those too.)
 */
export class ServerLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(): void {}

  override routeNotFound(): void {}

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) super.defaultErrorLog(error, request, reply);
  }
}
