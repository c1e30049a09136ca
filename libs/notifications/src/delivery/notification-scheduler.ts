import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Clock } from '@app/config';
import { jobOrigin } from '@app/observability';
import { JOB_OPTIONS, QUEUES, jobIds, type JobPayloads } from '@app/queues';

/** Puts deliveries on the notifications queue, delayed to their quiet-hours time; the id makes a second add a no-op. */
@Injectable()
export class NotificationScheduler {
  constructor(
    @InjectQueue(QUEUES.notifications) private readonly queue: Queue,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async schedule(deliveries: ReadonlyArray<{ id: string; notBefore: Date | null }>): Promise<void> {
    if (deliveries.length === 0) return;
    const now = this.clock.now().getTime();
    // The request (or job) scheduling it: the delivery logs and traces as part of it.
    const origin = jobOrigin();
    await this.queue.addBulk(
      deliveries.map((delivery) => ({
        name: 'notification.deliver',
        data: { deliveryId: delivery.id, ...origin } satisfies JobPayloads['notification.deliver'],
        opts: { ...JOB_OPTIONS['notification.deliver'], jobId: jobIds.notification(delivery.id), delay: Math.max(0, (delivery.notBefore?.getTime() ?? now) - now) },
      })),
    );
  }
}
