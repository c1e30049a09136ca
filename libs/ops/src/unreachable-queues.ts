import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Queue } from 'bullmq';

/** What this file needs of BullMQ's connection of a queue (private in BullMQ: `connection`, its `_client`). */
interface QueueConnection {
  _client?: { status: string };
  close(force: boolean): Promise<void>;
}

function connectionOf(queue: Queue): QueueConnection | undefined {
  return (queue as unknown as { connection?: QueueConnection }).connection;
}

/**
 * Closes with force, at shutdown, the queues whose Redis connection is not up, before Nest's
 * BullMQ module closes every queue (in onApplicationShutdown, with no time limit).
 *
 * Why: BullMQ closes a queue with ioredis's `quit`, and ioredis answers a `quit` at once while it
 * is reconnecting only if it holds no other command; otherwise `quit` waits behind them until
 * Redis answers. During an outage the commands of work cut off half-way (a reconciler pass
 * abandoned at stop, a dispatch after a commit) are such commands, so the close waited for Redis
 * and the process ended only by the forced exit. `close(true)` is BullMQ's own way out for a
 * connection that never came up: it disconnects instead of quitting and marks the client ended;
 * Nest's close then finds the connection closed. The commands left behind are dropped with the
 * process: what they would have written is in PostgreSQL, and the reconciler of a process that
 * runs later puts it on BullMQ. A connection that is up is left to the normal `quit`.
 */
@Injectable()
export class UnreachableQueues implements BeforeApplicationShutdown {
  private readonly logger = new Logger('shutdown');

  constructor(private readonly discovery: DiscoveryService) {}

  /** The queues whose Redis client is not connected now (BullMQ's connection not found: none). */
  list(): Queue[] {
    return this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is Queue => instance instanceof Queue)
      .filter((queue) => {
        const status = connectionOf(queue)?._client?.status;
        return status !== undefined && status !== 'ready' && status !== 'end';
      });
  }

  async beforeApplicationShutdown(): Promise<void> {
    const unreachable = this.list();
    if (unreachable.length === 0) return;
    this.logger.warn(`Redis is not connected: closing ${unreachable.map((queue) => queue.name).join(', ')} without waiting for it (PostgreSQL keeps what was not enqueued)`);
    await Promise.all(unreachable.map((queue) => connectionOf(queue)!.close(true)));
  }
}
