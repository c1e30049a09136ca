import { createActor, getStateNodes, initialTransition, type AnyActorRef, type AnyMachineSnapshot, type AnyStateMachine, type AnyStateNode, type StateValue } from 'xstate';
import type { ActorKind, AgentRole } from '../cases/case-kind';
import { AGENT_ROLES } from '../cases/case-kind';
import { limitLeftOnTransaction, refundNeedsApproval, soleDeciderOf } from '../approvals/proposal';
import { DomainError, DomainErrorCode, type FieldIssue } from '../errors';
import type { CaseMachineDefinition, EventSpec, OpenCaseFacts } from '../machines/definition';
import { EFFECT_TYPES, ESCALATE_ACTION, type CaseEffect } from '../machines/effects';
import { refundLedgerMovementOf, type RefundLedgerMovement } from '../money/refund-ledger';
import type { CaseWindows } from '../machines/windows';
import { SLA_PAUSED, SLA_STOPPED, type SlaPhase } from '../sla/sla-tags';
import type { EventSender } from './event-sender';

export type { EventSender } from './event-sender';

/** The JSON a case stores: XState's persisted snapshot. */
export type PersistedSnapshot = Record<string, unknown> & { value: unknown; context: unknown; status: string };

export interface MachineEvent {
  type: string;
  [key: string]: unknown;
}

/** A delayed event the machine scheduled on entering a state (`after`). */
export interface ScheduledDeadline {
  /** XState's send id: the same id cancels it. */
  sendId: string;
  /** The delay's name in the machine's `delays`, e.g. `merchantResponseWindow`. */
  name: string;
  delayMs: number;
  event: MachineEvent;
}

export interface CaseTransition {
  snapshot: PersistedSnapshot;
  /** Dotted state path, e.g. `investigation.awaitingCustomerInfo`. */
  state: string;
  status: 'active' | 'done';
  /** Whether support's SLA clocks run in the new state (from the machine's state tags). */
  slaPhase: SlaPhase;
  event: MachineEvent;
  effects: CaseEffect[];
  scheduled: ScheduledDeadline[];
  cancelledSendIds: string[];
  /** How the transition moves the case's share of its transaction's refund ledger (none for most). */
  refundLedger: RefundLedgerMovement | null;
  /** Whether the machine escalates the case (its priority rises one step, as on an SLA breach). */
  escalate: boolean;
}

export function stateToString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, child] = Object.entries(value as Record<string, unknown>)[0]!;
    return `${key}.${stateToString(child)}`;
  }
  return String(value);
}

export function deadlineNameOf(eventType: string): string | undefined {
  // XState names delayed `after` events `xstate.after.<delay>.<state node id>`.
  const match = /^xstate\.after\.([^.]+)\./.exec(eventType);
  return match?.[1];
}

export function isDeadlineEvent(eventType: string): boolean {
  return deadlineNameOf(eventType) !== undefined;
}

export function restoreSnapshot(definition: CaseMachineDefinition, persisted: PersistedSnapshot): AnyMachineSnapshot {
  return definition.machine.resolveState({ value: persisted.value, context: persisted.context } as never) as AnyMachineSnapshot;
}

/**
 * The events an external sender may send now: the machine's `can()` filtered by who is asking
 * (their kind and role, and the event's `authorise`: approving their own proposal, say).
 *
 * A decision alone (`decidesAlone`) is offered within what is left of the sender's limit on the
 * case's wallet transaction (`decidedAloneMinor`: what they already decided alone on it, four eyes
 * per transaction, read by the case view and by the command path for a refusal): a whole refund
 * above it is not offered (its proposal is), and with nothing left no decision alone is. A partial
 * amount is only known when it is sent, so it is refused then, above what is left. Without it (the
 * engine's own refusals list what is allowed, knowing no other case) the whole limit counts; the
 * command path lists a refusal's events again with it (SendCaseEvent), so a 409 offers what the
 * case view does.
 */
export function allowedEvents(definition: CaseMachineDefinition, snapshot: AnyMachineSnapshot, sender?: EventSender, decidedAloneMinor = 0): string[] {
  const handled = eventsHandledIn(definition.machine, snapshot.value);
  return Object.entries(definition.events)
    .filter(([type]) => !handled || handled.has(type))
    .filter(([, spec]) => !sender || isPermitted(spec.sentBy, spec.minimumRole, sender))
    .filter(([type]) => snapshot.can({ type }))
    .filter(([, spec]) => !sender || !spec.authorise?.(snapshot.context, sender))
    .filter(([, spec]) => !sender || offeredAlone(spec, snapshot.context, sender, decidedAloneMinor))
    .map(([type]) => type);
}

/** Per machine, per state value (as JSON): the events some active state node has a transition for. */
const handledEvents = new WeakMap<AnyStateMachine, Map<string, ReadonlySet<string> | null>>();

/**
 * The events that the state nodes active in `value` (the atomic ones and their ancestors) have a
 * transition for: an event none of them names, `can()` refuses, so the view (which lists the
 * allowed events at every answer) asks `can()`, with its guards and transition lookup, only about
 * these. Null when a node takes a wildcard (`*`, `prefix.*`), or for a value the machine has no
 * nodes for: then every event is asked about. Made once per state.
 */
function eventsHandledIn(machine: AnyStateMachine, value: unknown): ReadonlySet<string> | null {
  let byValue = handledEvents.get(machine);
  if (!byValue) handledEvents.set(machine, (byValue = new Map<string, ReadonlySet<string> | null>()));
  const key = JSON.stringify(value);
  let handled = byValue.get(key);
  if (handled === undefined) {
    const events = activeNodesOf(machine, value)?.flatMap((node) => node.ownEvents as string[]);
    handled = !events || events.some((event) => event.includes('*')) ? null : new Set(events);
    byValue.set(key, handled);
  }
  return handled;
}

function activeNodesOf(machine: AnyStateMachine, value: unknown): AnyStateNode[] | undefined {
  try {
    return getStateNodes(machine.root, value as StateValue);
  } catch {
    return undefined; // a state the machine does not have (XState throws)
  }
}

/** Whether a decision alone is within what is left of the sender's limit (any event that is not one is). */
function offeredAlone(spec: EventSpec, context: unknown, sender: EventSender, decidedAloneMinor: number): boolean {
  const currency = currencyOf(context);
  if (!spec.decidesAlone || currency === undefined) return true;
  const left = limitLeftOnTransaction(sender, currency, decidedAloneMinor);
  const amountMinor = spec.decidesAlone.amountMinor(context);
  return left > 0 && (amountMinor === undefined || amountMinor <= left);
}

/** A decision alone above the sender's limit, refused: propose it instead (403 APPROVAL_REQUIRED). */
function aboveLimitAlone(spec: EventSpec, context: unknown, payload: unknown, sender: EventSender): DomainError | undefined {
  const currency = currencyOf(context);
  if (!spec.decidesAlone || currency === undefined) return undefined;
  const amountMinor = spec.decidesAlone.amountMinor(context, payload);
  return amountMinor === undefined ? undefined : refundNeedsApproval(sender, amountMinor, currency, spec.decidesAlone.proposeWith);
}

/** The currency of the case's money (every kind with decisions alone has an amount). */
function currencyOf(context: unknown): string | undefined {
  return (context as { amount?: { currency?: string } | null }).amount?.currency;
}

export function openCase(definition: CaseMachineDefinition, facts: OpenCaseFacts, windows: CaseWindows): CaseTransition {
  if (facts.securityReport && definition.kind !== 'account_security') {
    throw new DomainError(DomainErrorCode.ValidationFailed, 'Only an account_security case takes a securityReport.', {
      fields: [{ path: 'securityReport', message: 'only for kind account_security' }],
    });
  }
  const invalid = definition.validateFacts(facts);
  if (invalid) throw invalid;
  const input = definition.buildInput(facts, windows);
  const [snapshot, actions] = initialTransition(definition.machine, input);
  return describe(definition, snapshot, actions, { type: 'xstate.init', input } as MachineEvent);
}

/**
 * Validates an external event and computes the next snapshot. Throws DomainError for an unknown
 * event, a sender who may not send it, a bad payload, or an event the current state refuses.
 */
export function applyEvent(definition: CaseMachineDefinition, persisted: PersistedSnapshot, event: MachineEvent, sender: EventSender): CaseTransition {
  const spec = definition.events[event.type];
  if (!spec) {
    throw new DomainError(DomainErrorCode.UnknownEvent, `"${event.type}" is not an event of a ${definition.kind} case.`, {
      knownEvents: Object.keys(definition.events),
    });
  }
  const snapshot = restoreSnapshot(definition, persisted);
  if (!isPermitted(spec.sentBy, spec.minimumRole, sender)) {
    throw new DomainError(DomainErrorCode.EventNotPermitted, `A ${sender.role ?? sender.kind} may not send ${event.type}.`, {
      allowedEvents: allowedEvents(definition, snapshot, sender),
    });
  }
  const { type, ...payload } = event;
  const parsed = spec.payload.safeParse(payload);
  if (!parsed.success) {
    const fields: FieldIssue[] = parsed.error.issues.map((issue) => ({
      path: ['payload', ...issue.path].join('.'),
      message: issue.message,
    }));
    throw new DomainError(DomainErrorCode.ValidationFailed, `The payload of ${type} is invalid.`, { fields });
  }
  if (!snapshot.can({ type })) {
    throw new DomainError(DomainErrorCode.EventNotAllowed, `${type} is not allowed while the case is ${stateToString(snapshot.value)}.`, {
      state: stateToString(snapshot.value),
      allowedEvents: allowedEvents(definition, snapshot, sender),
    });
  }
  const refusal = spec.authorise?.(snapshot.context, sender) ?? spec.check?.(snapshot.context, parsed.data, sender) ?? aboveLimitAlone(spec, snapshot.context, parsed.data, sender);
  if (refusal) throw refusal;

  const machineEvent: MachineEvent = { type, ...(parsed.data as object) };
  // Stamped after validation, so a client cannot send `by` itself (payloads are strict).
  if (definition.recordsSender) machineEvent.by = { kind: sender.kind, id: sender.id ?? null, role: sender.role ?? null };
  const [next, actions] = pureTransition(definition.machine, snapshot, machineEvent);
  return withSoleDecider(describe(definition, next, actions, machineEvent, snapshot), spec.decidesAlone?.proposeWith, sender);
}

/**
 * Marks a refund the event commits with the agent who decided it alone, if any (approvals'
 * soleDeciderOf: held to their limit per wallet transaction under the ledger's lock). Only a
 * sender's event decides: a retry names no proposal, and the clock's transitions never come here.
 */
function withSoleDecider(transition: CaseTransition, proposeWith: string | undefined, sender: EventSender): CaseTransition {
  const movement = transition.refundLedger;
  if (movement?.kind !== 'commit') return transition;
  const decidedAlone = soleDeciderOf(proposeWith, sender, movement.currency);
  return decidedAlone ? { ...transition, refundLedger: { ...movement, decidedAlone } } : transition;
}

/**
 * Delivers a deadline's delayed event. Returns undefined when the machine no longer listens for
 * it (the state it was set in has been left): a stale deadline is a no-op, never an error.
 */
export function fireDeadline(definition: CaseMachineDefinition, persisted: PersistedSnapshot, event: MachineEvent): CaseTransition | undefined {
  const snapshot = restoreSnapshot(definition, persisted);
  if (!snapshot.can(event)) return undefined;
  const [next, actions] = pureTransition(definition.machine, snapshot, event);
  if (next === snapshot) return undefined;
  return describe(definition, next, actions, event, snapshot);
}

/** One inert actor per machine, made once: what XState's `transition()` builds again on every call. */
const inertActors = new WeakMap<AnyStateMachine, AnyActorRef>();

/**
 * XState's pure `transition(machine, snapshot, event)`, without its per-call setup: that builds an
 * inert actor, and with it the machine's whole initial state, only to have a `self` to hand the
 * transition, which costs more than the transition itself on the command path. The actor is never
 * started and nothing runs on it; the actions are collected, not executed, exactly as
 * `transition()` does. Sound for machines that spawn and invoke no actors (none of ours does: a
 * child would register in the shared inert system), which machine-graph.spec.ts holds.
 */
export function pureTransition(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: MachineEvent): [AnyMachineSnapshot, Array<{ type: string; params?: unknown }>] {
  let self = inertActors.get(machine);
  if (!self) {
    self = createActor(machine);
    inertActors.set(machine, self);
  }
  const actions: Array<{ type: string; params?: unknown }> = [];
  const scope = {
    self,
    defer: () => {},
    id: '',
    logger: () => {},
    sessionId: '',
    stopChild: () => {},
    system: self.system,
    emit: () => {},
    actionExecutor: (action: { type: string; params?: unknown }) => {
      actions.push(action);
    },
  };
  return [machine.transition(snapshot, event as never, scope as never), actions];
}

/** Replays a case's machine events from its opening input; used to check the stored snapshot. */
export function replayEvents(definition: CaseMachineDefinition, input: unknown, events: MachineEvent[]): PersistedSnapshot {
  let [snapshot] = initialTransition(definition.machine, input);
  for (const event of events) {
    [snapshot] = pureTransition(definition.machine, snapshot, event);
  }
  return toPersisted(definition, snapshot);
}

export function toPersisted(definition: CaseMachineDefinition, snapshot: AnyMachineSnapshot): PersistedSnapshot {
  // A JSON round trip drops undefined fields, so a replayed snapshot compares equal to a stored one.
  return JSON.parse(JSON.stringify(definition.machine.getPersistedSnapshot(snapshot))) as PersistedSnapshot;
}

export function slaPhaseOf(snapshot: AnyMachineSnapshot): SlaPhase {
  if (snapshot.status === 'done' || snapshot.hasTag(SLA_STOPPED)) return 'stopped';
  return snapshot.hasTag(SLA_PAUSED) ? 'paused' : 'running';
}

function isPermitted(sentBy: readonly ActorKind[], minimumRole: AgentRole | undefined, sender: EventSender): boolean {
  if (!sentBy.includes(sender.kind)) return false;
  if (sender.kind !== 'agent' || !minimumRole) return true;
  return AGENT_ROLES.indexOf(sender.role ?? 'agent') >= AGENT_ROLES.indexOf(minimumRole);
}

interface ExecutableAction {
  type: string;
  params?: unknown;
}

function describe(
  definition: CaseMachineDefinition,
  next: AnyMachineSnapshot,
  actions: ExecutableAction[],
  event: MachineEvent,
  /** The snapshot the event was applied to; none when the case opens. */
  before?: AnyMachineSnapshot,
): CaseTransition {
  const effects: CaseEffect[] = [];
  const scheduled: ScheduledDeadline[] = [];
  const cancelledSendIds: string[] = [];
  let escalate = false;
  for (const action of actions) {
    if (action.type === ESCALATE_ACTION) escalate = true;
    if (action.type === 'xstate.raise') {
      const params = action.params as { event: MachineEvent; id?: string; delay?: number };
      if (params.delay === undefined) continue; // an immediate raise is handled inside transition()
      const name = deadlineNameOf(params.event.type) ?? params.event.type;
      scheduled.push({ sendId: params.id ?? params.event.type, name, delayMs: params.delay, event: params.event });
    } else if (action.type === 'xstate.cancel') {
      cancelledSendIds.push((action.params as { sendId: string }).sendId);
    } else if ((EFFECT_TYPES as readonly string[]).includes(action.type)) {
      effects.push({ type: action.type, params: action.params } as CaseEffect);
    }
  }
  return {
    snapshot: toPersisted(definition, next),
    state: stateToString(next.value),
    status: next.status === 'done' ? 'done' : 'active',
    slaPhase: slaPhaseOf(next),
    event,
    effects,
    scheduled,
    cancelledSendIds,
    refundLedger: refundLedgerMovementOf(definition, before, next, event.type, effects),
    escalate,
  };
}
