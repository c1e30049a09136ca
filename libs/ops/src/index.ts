export { OpsModule } from './ops.module';
export { MetricsRegistry } from './metrics-registry';
export { METRICS_REFUSALS, metricsAccess, type MetricsAccess } from './metrics-access';
export { ReadinessProbe, type DependencyCheck, type ReadinessReport } from './readiness';
export { ShutdownState } from './shutdown-state';
export { BullWorkers } from './bull-workers';
export { UnreachableQueues } from './unreachable-queues';
export { onShutdownSignals, type ShutdownLog } from './shutdown-signals';
