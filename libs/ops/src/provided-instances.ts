import type { DiscoveryService } from '@nestjs/core';

/**
 * Every provider instance of the app that is a `type` (BullMQ's queues, Nest's worker hosts),
 * whichever module declared it: the shutdown closes what the libs registered without a list of them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any class, whatever its constructor takes
export function providedInstancesOf<T>(discovery: DiscoveryService, type: abstract new (...args: any[]) => T): T[] {
  return discovery
    .getProviders()
    .map((wrapper) => wrapper.instance as unknown)
    .filter((instance): instance is T => instance instanceof type);
}
