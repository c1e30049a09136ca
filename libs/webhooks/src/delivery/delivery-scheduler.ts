import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Clock } from '@app/config';
import { jobOrigin } from '@app/observability';
import { JOB_OPTIONS, QUEUES, jobIds, type JobPayloads } from '@app/queues';

/**
 * Puts the next attempt of a delivery on the webhooks queue. The job id names the delivery, its
 * generation and the attempt number, so scheduling the same attempt twice is a no-op and a job
 * left over from an earlier attempt or replay is recognised as stale by the processor.
 */
@Injectable()
export class DeliveryScheduler {
  constructor(
    @InjectQueue(QUEUES.webhooks) private readonly queue: Queue,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async schedule(deliveries: ReadonlyArray<{ id: string; generation: number; attempts: number; nextAttemptAt: Date | null }>): Promise<void> {
    if (deliveries.length === 0) return;
    const now = this.clock.now().getTime();
    // The request (or job) scheduling it: the delivery logs and traces as part of it.
    const origin = jobOrigin();
    await this.queue.addBulk(
      deliveries.map((delivery) => {
        const attempt = delivery.attempts + 1;
        return {
          name: 'webhook.deliver',
          data: { deliveryId: delivery.id, generation: delivery.generation, attempt, ...origin } satisfies JobPayloads['webhook.deliver'],
          opts: {
            ...JOB_OPTIONS['webhook.deliver'],
            jobId: jobIds.webhook(delivery.id, delivery.generation, attempt),
            delay: Math.max(0, (delivery.nextAttemptAt?.getTime() ?? now) - now),
          },
        };
      }),
    );
  }
}
