export { APP_CONFIG, ConfigError, loadConfig, type AppConfig, type EvidenceStorageConfig, type WalletConfig } from './config';
export { ConfigModule } from './config.module';
export { Clock, SystemClock } from './clock';
export { PeriodicTask } from './periodic-task';
export { logUnhandledRejections, type ProcessErrorLog } from './process-errors';
