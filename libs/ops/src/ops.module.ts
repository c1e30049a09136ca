import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullWorkers } from './bull-workers';
import { JobMetrics } from './job-metrics';
import { MetricsRegistry } from './metrics-registry';
import { ReadinessProbe } from './readiness';
import { ShutdownState } from './shutdown-state';
import { UnreachableQueues } from './unreachable-queues';

/**
 * What every process (API, worker) has for operations: its metrics registry, readiness, the
 * shutdown flag, its BullMQ workers with their job metrics, and the closing of queues Redis does
 * not answer for at shutdown. Needs DbModule and QueuesModule.
 */
@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [MetricsRegistry, ShutdownState, ReadinessProbe, BullWorkers, JobMetrics, UnreachableQueues],
  exports: [MetricsRegistry, ShutdownState, ReadinessProbe, BullWorkers],
})
export class OpsModule {}
