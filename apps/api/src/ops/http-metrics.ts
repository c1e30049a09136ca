import type { FastifyReply, FastifyRequest } from 'fastify';
import { Histogram, type Registry } from 'prom-client';
import { routeOf } from '@app/observability';

/** Request duration by method, route pattern and status, from the first byte in to the last byte out (or the client going away). */
export function httpMetrics(registry: Registry): (request: FastifyRequest, reply: FastifyReply) => void {
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status: how long from arrival to the answer sent',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (request, reply) => {
    const end = duration.startTimer();
    const response = reply.raw;
    response.once('close', () => end({ method: request.method, route: routeOf(request.raw, response), status: String(response.statusCode) }));
  };
}
