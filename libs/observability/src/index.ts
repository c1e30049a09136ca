// Imported first by main.ts (tracing must start before http, pg and ioredis load): nothing here may
// load those, nor bullmq or fastify (apps/api/src/tracing.spec.ts checks).
export { contextSlot, type ContextSlot } from './context-slots';
export { REQUEST_ID_HEADER, acceptRequestId, requestIdFrom, withRequestContext, currentRequestId } from './request-context';
export { REDACTED_PATHS, appLogger, createLogger, nestLogger, type AppLogOptions, type LogLevel, type LoggerSettings } from './logger';
export { jobOrigin, runJob, withJobContext, type JobOrigin, type RunnableJob } from './job-origin';
export { startTracing, type Tracing, type TracingSettings } from './tracing';
export { isProbePath, recordRoutePattern, routeOf } from './route-of';
