import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { allDefinitions } from '../machines/registry';
import { pureTransition, type MachineEvent } from './case-transition';

/**
 * pureTransition stands in for XState's `transition()` on every command; it reuses one inert actor
 * per machine, which is sound only while no machine invokes actors. Both are held here, and the
 * two are compared on a walk through every machine: the first event each state allows, with its
 * documented example payload, a few dozen steps deep.
 */
describe('pureTransition: XState transition() without the per-call actor', () => {
  it('no machine invokes an actor (a child would register in the shared inert system)', () => {
    for (const definition of allDefinitions()) {
      // Every state node of the machine, by id (XState keeps them in a Map).
      const nodes = [...(definition.machine as unknown as { idMap: Map<string, { id: string; invoke: unknown[] }> }).idMap.values()];
      expect(nodes.length).toBeGreaterThan(1);
      const invoking = nodes.filter((node) => node.invoke.length > 0);
      expect({ machine: `${definition.kind} v${definition.version}`, invoking: invoking.map((node) => node.id) }).toEqual({
        machine: `${definition.kind} v${definition.version}`,
        invoking: [],
      });
    }
  });

  it('gives the same snapshots and actions as transition() on a walk through every machine', () => {
    for (const definition of allDefinitions()) {
      let [snapshot] = initialTransition(definition.machine, sampleInput());
      let steps = 0;
      for (let step = 0; step < 40; step += 1) {
        const event = firstAllowedEvent(definition, snapshot);
        if (!event) break;
        const [expected, expectedActions] = transition(definition.machine, snapshot, event);
        const [actual, actualActions] = pureTransition(definition.machine, snapshot, event);
        expect(definition.machine.getPersistedSnapshot(actual)).toEqual(definition.machine.getPersistedSnapshot(expected));
        expect(actualActions.map((action) => [action.type, action.params])).toEqual(expectedActions.map((action) => [action.type, action.params]));
        snapshot = actual;
        steps += 1;
      }
      expect(steps).toBeGreaterThan(0);
    }
  });
});

function sampleInput() {
  return {
    amount: { amountMinor: 12_800, currency: 'CNY' },
    reason: 'not_received',
    transactionRef: 'T-1',
    purchasedAt: null,
    openedAt: '2026-05-04T08:00:00.000Z',
    securityReport: null,
    windows: { merchantResponseMs: 60_000, infoReplyMs: 60_000, appealMs: 60_000 },
  };
}

function firstAllowedEvent(definition: ReturnType<typeof allDefinitions>[number], snapshot: AnyMachineSnapshot): MachineEvent | undefined {
  for (const [type, spec] of Object.entries(definition.events)) {
    const event = { type, ...(spec.examples[0] as object), by: { kind: 'agent', id: 'a-1', role: 'supervisor' } } as MachineEvent;
    if (snapshot.can(event)) return event;
  }
  return undefined;
}
