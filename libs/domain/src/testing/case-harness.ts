import {
  applyEvent,
  fireDeadline,
  openCase,
  stateToString,
  type CaseTransition,
  type EventSender,
  type MachineEvent,
  type PersistedSnapshot,
  type ScheduledDeadline,
} from '../engine/case-transition';
import { DomainError } from '../errors';
import type { CaseMachineDefinition, OpenCaseFacts } from '../machines/definition';
import type { CaseEffect } from '../machines/effects';
import { DEFAULT_WINDOWS, type CaseWindows } from '../machines/windows';

export const SENDERS = {
  agent: { kind: 'agent', role: 'agent' },
  supervisor: { kind: 'agent', role: 'supervisor' },
  merchant: { kind: 'merchant' },
  customer: { kind: 'customer' },
  system: { kind: 'system' },
} as const satisfies Record<string, EventSender>;

/**
 * Drives one case through the pure engine functions the way the server does: every command
 * goes through `applyEvent`, every deadline through `fireDeadline`, and the harness keeps what
 * the server would persist (snapshot, event log, pending deadlines). For scenario specs only.
 */
export class CaseHarness {
  /** The machine events in order, deadlines included: what `replayEvents` needs. */
  readonly log: MachineEvent[] = [];
  private readonly pending = new Map<string, ScheduledDeadline>();
  private latest: CaseTransition;

  private constructor(
    readonly definition: CaseMachineDefinition,
    readonly input: unknown,
    opened: CaseTransition,
  ) {
    this.latest = opened;
    this.track(opened);
  }

  static open(definition: CaseMachineDefinition, facts: OpenCaseFacts, windows: CaseWindows = DEFAULT_WINDOWS): CaseHarness {
    const opened = openCase(definition, facts, windows);
    return new CaseHarness(definition, opened.event.input, opened);
  }

  get snapshot(): PersistedSnapshot {
    return this.latest.snapshot;
  }

  get state(): string {
    return stateToString(this.latest.snapshot.value);
  }

  get status(): CaseTransition['status'] {
    return this.latest.status;
  }

  get context(): any {
    return this.latest.snapshot.context;
  }

  /** The transition that produced the current snapshot. */
  get last(): CaseTransition {
    return this.latest;
  }

  effects(type?: CaseEffect['type']): CaseEffect[] {
    return this.latest.effects.filter((effect) => !type || effect.type === type);
  }

  /** Delay names of the deadlines waiting to fire, e.g. `['merchantResponseWindow']`. */
  pendingDeadlines(): string[] {
    return [...this.pending.values()].map((deadline) => deadline.name).sort();
  }

  /** The pending deadline of this name (throws if there is none): keep it to fire it late. */
  deadline(name: string): ScheduledDeadline {
    const found = [...this.pending.values()].filter((deadline) => deadline.name === name);
    if (found.length !== 1) throw new Error(`Expected one pending ${name} deadline, found ${found.length} (pending: ${this.pendingDeadlines().join(', ')})`);
    return found[0]!;
  }

  send(type: string, payload: Record<string, unknown>, sender: EventSender): CaseTransition {
    const next = applyEvent(this.definition, this.snapshot, { type, ...payload }, sender);
    this.latest = next;
    this.track(next);
    return next;
  }

  /** Fires the pending deadline of this name, as the deadline worker would when its job runs. */
  fire(name: string): CaseTransition | undefined {
    return this.fireEvent(this.deadline(name).event);
  }

  /** Fires a deadline event as given, even one that was cancelled: a late BullMQ job. */
  fireEvent(event: MachineEvent): CaseTransition | undefined {
    const next = fireDeadline(this.definition, this.snapshot, event);
    if (next) {
      this.latest = next;
      this.track(next);
    }
    return next;
  }

  private track(transition: CaseTransition): void {
    if (transition.event.type !== 'xstate.init') {
      this.log.push(transition.event);
      // A fired deadline is done; the machine does not cancel it.
      this.pending.delete(transition.event.type);
    }
    for (const sendId of transition.cancelledSendIds) this.pending.delete(sendId);
    for (const deadline of transition.scheduled) this.pending.set(deadline.sendId, deadline);
  }
}

/** Runs `act` and returns the DomainError it throws; fails if it throws nothing or something else. */
export function catchDomainError(act: () => unknown): DomainError {
  try {
    act();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('Expected a DomainError, but nothing was thrown');
}
