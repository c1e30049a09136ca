import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Queue } from 'bullmq';
import { providedInstancesOf } from './provided-instances';

/** What this file needs of an ioredis client's private state: the commands it holds for Redis. */
interface HeldCommands {
  status: string;
  flushQueue(error: Error): void;
  prevCommandQueue?: { length: number; shift(): { command: { reject(error: Error): void } } | undefined } | null;
}

/** What this file needs of BullMQ's connection of a queue (private in BullMQ: `connection`, its `_client`). */
interface QueueConnection {
  _client?: HeldCommands;
  close(force: boolean): Promise<void>;
}

function connectionOf(queue: Queue): QueueConnection | undefined {
  return (queue as unknown as { connection?: QueueConnection }).connection;
}

/**
 * Rejects every command the client holds for Redis: those queued while it was down, and those sent
 * before the connection dropped, which ioredis keeps to send again on reconnect. A disconnected
 * client would otherwise leave their callers waiting for good.
 */
function rejectHeldCommands(client: HeldCommands, error: Error): void {
  if (typeof client.flushQueue !== 'function') return; // another ioredis: its commands are left waiting, as before
  client.flushQueue(error);
  const sentBeforeTheDrop = client.prevCommandQueue;
  client.prevCommandQueue = null;
  for (let item = sentBeforeTheDrop?.shift(); item; item = sentBeforeTheDrop?.shift()) item.command.reject(error);
}

/**
 * Closes with force, at shutdown, the queues whose Redis connection is not up, so that neither the
 * close nor the work waiting on Redis holds the shutdown.
 *
 * Why: BullMQ closes a queue with ioredis's `quit`, which, while ioredis reconnects, is answered at
 * once only if the client holds no other command; otherwise it waits behind them until Redis answers.
 * During an outage the commands of work cut off half-way (a reconciler pass, a dispatch after a
 * commit) are such commands, and that work, still waiting, may hold a PostgreSQL connection the
 * pool's close waits for. So each such queue is closed with BullMQ's own force close (disconnect,
 * client marked ended), and the commands its client held are rejected: the work waiting on them
 * fails and lets go of what it holds. What they would have written is in PostgreSQL, and the
 * reconciler of a process that runs later puts it on BullMQ. A connection that is up is left to the
 * normal `quit` (one that is up but does not answer is not detected here).
 *
 * The processes' shutdown calls `closeNow()` as soon as their workers are stopped, before the app
 * closes (so periodic passes waiting on Redis end before their timers are stopped); a plain
 * `app.close()` gets it in beforeApplicationShutdown, before Nest's BullMQ module closes the queues.
 */
@Injectable()
export class UnreachableQueues implements BeforeApplicationShutdown {
  private readonly logger = new Logger('shutdown');

  constructor(private readonly discovery: DiscoveryService) {}

  /** The queues whose Redis client is not connected now (BullMQ's connection not found: none). */
  list(): Queue[] {
    return providedInstancesOf(this.discovery, Queue).filter((queue) => {
      const status = connectionOf(queue)?._client?.status;
      return status !== undefined && status !== 'ready' && status !== 'end';
    });
  }

  async closeNow(): Promise<void> {
    const unreachable = this.list();
    if (unreachable.length === 0) return;
    this.logger.warn(`Redis is not connected: closing ${unreachable.map((queue) => queue.name).join(', ')} without it (PostgreSQL keeps what was not enqueued)`);
    await Promise.all(
      unreachable.map(async (queue) => {
        const connection = connectionOf(queue)!;
        await connection.close(true);
        if (connection._client) rejectHeldCommands(connection._client, new Error(`Connection is closed: ${queue.name} was closed at shutdown while Redis was unreachable`));
      }),
    );
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.closeNow();
  }
}
