import { getAdjacencyMap, getShortestPaths, getStateNodes, type AdjacencyMap, type AdjacencyValue } from '@xstate/graph';
import { initialTransition, type AnyMachineSnapshot, type AnyStateMachine, type AnyStateNode } from 'xstate';
import { CASE_KINDS } from '../cases/case-kind';
import { allowedEvents, pureTransition, replayEvents, stateToString, toPersisted, type MachineEvent } from '../engine/case-transition';
import { MORE_SAMPLE_FACTS, SAMPLE_FACTS } from '../testing/sample-facts';
import type { CaseMachineDefinition, OpenCaseFacts } from './definition';
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

/**
 * A state that only routes (eventless transitions, nothing to wait for) is left in the same step
 * it is entered, so no case ever rests in it.
 */
function isTransient(node: AnyStateNode): boolean {
  return (node.always ?? []).length > 0 && node.transitions.size === 0 && node.after.length === 0;
}

/** Every state a case can rest in: the leaves of the state tree, as dotted paths. */
function leafStatePaths(machine: AnyStateMachine): string[] {
  return allNodes(machine)
    .filter((node) => Object.keys(node.states).length === 0 && !isTransient(node))
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

const explored = new Map<CaseMachineDefinition, Exploration[]>();

/** One exploration per sample opening of the kind: a machine may branch on its opening facts. Made once per definition. */
function exploreAll(definition: CaseMachineDefinition): Exploration[] {
  let explorations = explored.get(definition);
  if (!explorations) {
    const openings = [SAMPLE_FACTS[definition.kind], ...(MORE_SAMPLE_FACTS[definition.kind] ?? [])];
    explorations = openings.map((facts) => explore(definition, facts));
    explored.set(definition, explorations);
  }
  return explorations;
}

function explore(definition: CaseMachineDefinition, facts: OpenCaseFacts): Exploration {
  const input = definition.buildInput(facts, DEFAULT_WINDOWS);
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
/** The states entered by the machine's declared initial targets, before any eventless transition. */
function declaredInitialNodes(machine: AnyStateMachine): Set<AnyStateNode> {
  const nodes = new Set<AnyStateNode>([machine.root]);
  let node: AnyStateNode | undefined = machine.root;
  while (node && node.initial?.target?.length) {
    node = node.initial.target[0];
    if (node) nodes.add(node);
  }
  return nodes;
}

function takenTransitions(machine: AnyStateMachine, exploration: Exploration): Set<string> {
  const { adjacency } = exploration;
  const taken = new Set<string>();
  const alwaysTransitions = allNodes(machine).flatMap((node) => (node.always ?? []).map((transition, index) => ({ node, transition, index })));
  // The opening step: a routing initial state is left by an eventless transition inside initialTransition.
  const [opened] = initialTransition(machine, exploration.input);
  for (const { node, transition, index } of alwaysTransitions) {
    const targets: ReadonlyArray<AnyStateNode> = transition.target ?? [];
    if (declaredInitialNodes(machine).has(node) && !nodesOf(opened).has(node) && targets.every((target) => nodesOf(opened).has(target))) {
      taken.add(`${node.id} always[${index}]`);
    }
  }
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

describe.each(allDefinitions().map((definition) => [`${definition.kind} v${definition.version}`, definition] as const))('machine graph of %s', (_, definition) => {
  const { machine } = definition;
  let explorations: Exploration[];

  beforeAll(() => {
    explorations = exploreAll(definition);
  });

  it('has no parallel states (state paths are single dotted strings)', () => {
    expect(
      allNodes(machine)
        .filter((node) => node.type === 'parallel')
        .map((node) => node.id),
    ).toEqual([]);
  });

  it('opens with the sample facts', () => {
    for (const facts of [SAMPLE_FACTS[definition.kind], ...(MORE_SAMPLE_FACTS[definition.kind] ?? [])]) {
      expect(definition.validateFacts(facts)).toBeUndefined();
    }
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
    const reached = new Set(explorations.flatMap((exploration) => exploration.paths.map((path) => stateToString(path.state.value))));
    expect([...reached].sort()).toEqual(leafStatePaths(machine));
  });

  it('takes every transition it defines', () => {
    // Every explored step lies on a path: the shortest path to its source state, then its event.
    const taken = new Set(explorations.flatMap((exploration) => [...takenTransitions(machine, exploration)]));
    expect(definedTransitions(machine).filter((key) => !taken.has(key))).toEqual([]);
    // Deadline transitions are part of the set, so every `after` is proven to fire somewhere.
    expect(definedTransitions(machine).some((key) => key.includes(` on ${DEADLINE_PREFIX}`))).toBe(true);
  });

  it('lists as allowed every catalogue event can() takes, in every explored snapshot (the events its state nodes name are asked first)', () => {
    let listed = 0;
    for (const { adjacency } of explorations) {
      for (const { state: snapshot } of Object.values(adjacency) as Array<AdjacencyValue<AnyMachineSnapshot, MachineEvent>>) {
        const takes = Object.keys(definition.events).filter((type) => snapshot.can({ type }));
        expect(allowedEvents(definition, snapshot)).toEqual(takes);
        listed += takes.length;
      }
    }
    expect(listed).toBeGreaterThan(0);
  });

  it('replays the shortest path to every leaf state to the same snapshot', () => {
    for (const exploration of explorations) {
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
    }
  });
});

/**
 * Four eyes per transaction: what one agent decides alone is held to their limit across the cases
 * of a wallet transaction, which the engine can only do for events that say they are such a
 * decision (`decidesAlone`). Every step in which an agent's event asks the wallet for money, outside
 * an approval state (where a second person approves), must be one.
 */
describe.each(
  allDefinitions()
    .filter((definition) => definition.approvalStates)
    .map((definition) => [`${definition.kind} v${definition.version}`, definition] as const),
)('refunds decided alone on %s', (_, definition) => {
  const admin = { kind: 'agent' as const, role: 'admin' as const, id: 'graph-admin' };

  it('say so and name the proposal that stands for them (decidesAlone)', () => {
    const decisions = new Set<string>();
    const unnamed = new Set<string>();
    for (const { adjacency } of exploreAll(definition)) {
      for (const { state: before, transitions } of Object.values(adjacency) as Array<AdjacencyValue<AnyMachineSnapshot, MachineEvent>>) {
        if (definition.approvalStates!.some((state) => before.matches(state))) continue;
        for (const { event } of Object.values(transitions) as Array<{ event: MachineEvent }>) {
          const spec = definition.events[event.type];
          if (!spec?.sentBy.includes('agent') || event.type === 'RETRY_REFUND' || spec.authorise?.(before.context, admin)) continue;
          const [, actions] = pureTransition(definition.machine, before, event);
          if (!actions.some((action) => action.type === 'requestRefund')) continue;
          const step = `${stateToString(before.value)} on ${event.type}`;
          (spec.decidesAlone ? decisions : unnamed).add(step);
        }
      }
    }
    expect([...unnamed]).toEqual([]);
    // Versions with four eyes on money have such decisions; balance corrections and account actions always need a second person.
    expect(decisions.size > 0).toBe(definition.kind !== 'balance_discrepancy' && definition.kind !== 'account_security');
  });
});
