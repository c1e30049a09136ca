import { getAdjacencyMap, getShortestPaths, getStateNodes, type AdjacencyMap, type AdjacencyValue } from '@xstate/graph';
import type { AnyMachineSnapshot, AnyStateMachine, AnyStateNode } from 'xstate';
import { CASE_KINDS } from '../cases/case-kind';
import { replayEvents, stateToString, toPersisted, type MachineEvent } from '../engine/case-transition';
import { SAMPLE_FACTS } from '../testing/sample-facts';
import type { CaseMachineDefinition } from './definition';
import { allDefinitions, currentDefinition } from './registry';
import { DEFAULT_WINDOWS } from './windows';

/**
 * Graph tests for every registered machine version. The traversal sends every sample payload of
 * the event catalogue and every deadline event in every reachable snapshot (state value and
 * context), breadth first, to a bounded depth: counters such as refund attempts grow without end,
 * so the full snapshot space is infinite. Raise the depth if a new state legitimately lies deeper.
 */
const MAX_DEPTH = 14;
const DEADLINE_PREFIX = 'xstate.after.';

function allNodes(machine: AnyStateMachine): AnyStateNode[] {
  return [machine.root, ...getStateNodes(machine.root)];
}

/** Every state a case can rest in: the leaves of the state tree, as dotted paths. */
function leafStatePaths(machine: AnyStateMachine): string[] {
  return allNodes(machine)
    .filter((node) => Object.keys(node.states).length === 0)
    .map((node) => node.path.join('.'))
    .sort();
}

/** Every (source state, event) the machine defines, deadlines and eventless transitions included. */
function definedTransitions(machine: AnyStateMachine): string[] {
  const keys = new Set<string>();
  for (const node of allNodes(machine)) {
    for (const eventType of node.transitions.keys()) keys.add(`${node.id} on ${eventType}`);
    (node.always ?? []).forEach((_, index) => keys.add(`${node.id} always[${index}]`));
  }
  return [...keys].sort();
}

function deadlineEvents(machine: AnyStateMachine): MachineEvent[] {
  return allNodes(machine).flatMap((node) => node.after.map((transition) => ({ type: transition.eventType })));
}

function catalogueEvents(definition: CaseMachineDefinition): MachineEvent[] {
  return Object.entries(definition.events).flatMap(([type, spec]) => spec.examples.map((example) => ({ type, ...(example as object) })));
}

function nodesOf(snapshot: AnyMachineSnapshot): Set<AnyStateNode> {
  return new Set((snapshot as unknown as { _nodes: AnyStateNode[] })._nodes);
}

interface Exploration {
  input: unknown;
  paths: ReturnType<typeof getShortestPaths<AnyStateMachine>>;
  adjacency: AdjacencyMap<AnyMachineSnapshot, MachineEvent>;
}

function explore(definition: CaseMachineDefinition): Exploration {
  const input = definition.buildInput(SAMPLE_FACTS[definition.kind], DEFAULT_WINDOWS);
  const events = [...catalogueEvents(definition), ...deadlineEvents(definition.machine)];
  // Depth is tracked per snapshot object: the traversal hands serializeState the snapshot it
  // came from, and the first (breadth-first, so shortest) way to reach a snapshot wins.
  const depth = new WeakMap<object, number>();
  const options = {
    input,
    events,
    serializeState: (snapshot: AnyMachineSnapshot, _event: unknown, previous?: AnyMachineSnapshot) => {
      if (!depth.has(snapshot)) depth.set(snapshot, previous ? depth.get(previous)! + 1 : 0);
      return JSON.stringify({ value: snapshot.value, context: snapshot.context });
    },
    stopWhen: (snapshot: AnyMachineSnapshot) => (depth.get(snapshot) ?? 0) >= MAX_DEPTH,
  };
  const paths = getShortestPaths(definition.machine, options as never);
  const adjacency = getAdjacencyMap(definition.machine as never, options as never) as AdjacencyMap<AnyMachineSnapshot, MachineEvent>;
  return { input, paths, adjacency };
}

/** Which defined transitions some explored step takes (the event's own, then any eventless ones). */
function takenTransitions(machine: AnyStateMachine, adjacency: AdjacencyMap<AnyMachineSnapshot, MachineEvent>): Set<string> {
  const taken = new Set<string>();
  const alwaysTransitions = allNodes(machine).flatMap((node) => (node.always ?? []).map((transition, index) => ({ node, transition, index })));
  for (const { state: before, transitions } of Object.values(adjacency) as Array<AdjacencyValue<AnyMachineSnapshot, MachineEvent>>) {
    for (const { event, state: after } of Object.values(transitions) as Array<{ event: MachineEvent; state: AnyMachineSnapshot }>) {
      for (const transition of machine.getTransitionData(before, event)) taken.add(`${transition.source.id} on ${transition.eventType}`);
      // XState does not report the eventless transitions a step took; one was taken when its
      // source was active before, is left after, and its targets are active after.
      const nodesBefore = nodesOf(before);
      const nodesAfter = nodesOf(after);
      for (const { node, transition, index } of alwaysTransitions) {
        const targets: ReadonlyArray<AnyStateNode> = transition.target ?? [];
        if (nodesBefore.has(node) && !nodesAfter.has(node) && targets.every((target) => nodesAfter.has(target))) {
          taken.add(`${node.id} always[${index}]`);
        }
      }
    }
  }
  return taken;
}

describe('registry', () => {
  it('has a machine for every case kind', () => {
    for (const kind of CASE_KINDS) expect(currentDefinition(kind).kind).toBe(kind);
  });
});

describe.each(allDefinitions().map((definition) => [`${definition.kind} v${definition.version}`, definition] as const))(
  'machine graph of %s',
  (_, definition) => {
    const { machine } = definition;
    let exploration: Exploration;

    beforeAll(() => {
      exploration = explore(definition);
    });

    it('has no parallel states (state paths are single dotted strings)', () => {
      expect(allNodes(machine).filter((node) => node.type === 'parallel').map((node) => node.id)).toEqual([]);
    });

    it('opens with the sample facts', () => {
      expect(definition.validateFacts(SAMPLE_FACTS[definition.kind])).toBeUndefined();
    });

    it('has sample payloads that pass their event schema', () => {
      for (const [type, spec] of Object.entries(definition.events)) {
        expect(spec.examples.length).toBeGreaterThan(0);
        expect(spec.sentBy.length).toBeGreaterThan(0);
        for (const example of spec.examples) {
          const parsed = spec.payload.safeParse(example);
          expect({ type, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ type, issues: [] });
        }
      }
    });

    it('has a catalogue entry for every event the machine handles, and no entry it never handles', () => {
      const handled = new Set(
        allNodes(machine)
          .flatMap((node) => [...node.transitions.keys()])
          .filter((type) => !type.startsWith('xstate.')),
      );
      expect([...handled].sort()).toEqual(Object.keys(definition.events).sort());
    });

    it('labels every deadline it declares', () => {
      const delays = new Set(deadlineEvents(machine).map((event) => /^xstate\.after\.([^.]+)\./.exec(event.type)![1]));
      expect([...delays].sort()).toEqual(Object.keys(definition.deadlines).sort());
    });

    it('reaches every leaf state', () => {
      const reached = new Set(exploration.paths.map((path) => stateToString(path.state.value)));
      expect([...reached].sort()).toEqual(leafStatePaths(machine));
    });

    it('takes every transition it defines', () => {
      // Every explored step lies on a path: the shortest path to its source state, then its event.
      const taken = takenTransitions(machine, exploration.adjacency);
      expect(definedTransitions(machine).filter((key) => !taken.has(key))).toEqual([]);
      // Deadline transitions are part of the set, so every `after` is proven to fire somewhere.
      expect(definedTransitions(machine).some((key) => key.includes(` on ${DEADLINE_PREFIX}`))).toBe(true);
    });

    it('replays the shortest path to every leaf state to the same snapshot', () => {
      const firstPerState = new Map<string, (typeof exploration.paths)[number]>();
      for (const path of exploration.paths) {
        const state = stateToString(path.state.value);
        if (!firstPerState.has(state)) firstPerState.set(state, path);
      }
      for (const [state, path] of firstPerState) {
        // The first step is the initial snapshot (its event is `xstate.init`).
        const events = path.steps.slice(1).map((step) => step.event as MachineEvent);
        const replayed = replayEvents(definition, exploration.input, events);
        expect({ state, snapshot: replayed }).toEqual({ state, snapshot: toPersisted(definition, path.state) });
      }
    });
  },
);
