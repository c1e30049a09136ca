export {
  BATCHED_EFFECT_TYPES,
  DEADLINE_WORKER_RETENTION,
  EFFECT_BATCH_MAX_ROWS,
  JOB_OPTIONS,
  JOB_QUEUE,
  QUEUES,
  isFinalFailure,
  jobIds,
  jobNamesOf,
  type JobName,
  type JobPayloads,
  type QueueName,
} from './job-catalogue';
export { QueuesModule, redisConnectionOptions } from './queues.module';
export { RedisUnreachableError, checkRedis } from './check-redis';
