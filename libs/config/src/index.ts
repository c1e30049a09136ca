export {
  APP_CONFIG,
  ConfigError,
  LOG_LEVEL_NAMES,
  loadConfig,
  reconcileLockTtlMs,
  tracingConfig,
  type AppConfig,
  type EvidenceStorageConfig,
  type LogLevelName,
  type TracingConfig,
  type WalletConfig,
} from './config';
export { ConfigModule } from './config.module';
export { Clock, SystemClock } from './clock';
export { PeriodicTask } from './periodic-task';
export { finishedWithin } from './finished-within';
export { logUnhandledRejections, type ProcessErrorLog } from './process-errors';
