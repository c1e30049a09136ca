import type { AnyStateMachine } from 'xstate';
import type { z } from 'zod';
import type { ActorKind, AgentRole, CaseKind, SecurityReport } from '../cases/case-kind';
import type { DomainError } from '../errors';
import type { EventSender } from '../engine/event-sender';
import type { RefundPolicy } from '../policies/refund-policy';

/**
 * What the outside world may send to a machine, per event type. The machine decides *when* an
 * event may happen (`snapshot.can`); this catalogue decides *who* may send it and *what shape*
 * its payload has, and checks the payload against the case (e.g. a partial refund within what
 * is still owed) so that a bad amount is a validation error, not a silently ignored event.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the catalogue holds every machine's specs: unknown would reject their typed checks
export interface EventSpec<TContext = any, TPayload = any> {
  description: string;
  payload: z.ZodType<TPayload>;
  sentBy: readonly ActorKind[];
  /** Agents below this role may not send the event. */
  minimumRole?: AgentRole;
  check?: (context: TContext, payload: TPayload, sender: EventSender) => DomainError | undefined;
  /**
   * Whether this sender may send the event now, whatever its payload (e.g. approving their own
   * proposal). Unlike `check`, it also filters the events a sender is offered. (A refund above the
   * sender's limit is `decidesAlone`'s, which filters the offer by what is left of it.)
   */
  authorise?: (context: TContext, sender: EventSender) => DomainError | undefined;
  /**
   * On an event by which an agent decides a refund alone (four eyes): what it moves, and the event
   * that proposes the same decision for a second person's approval. The engine refuses it above the
   * sender's refund limit (403 APPROVAL_REQUIRED naming `proposeWith`), after the event's own
   * `authorise` and `check`, and offers it only within what is left of that limit on the case's
   * wallet transaction. What one agent decides alone there adds up across its cases and is held to
   * their limit under the ledger's lock (approvals' soleDecisionRefusal).
   */
  decidesAlone?: DecidesAlone<TContext, TPayload>;
  /**
   * Valid payloads (without `type`), at least one. They document the event for API clients and
   * are the samples the graph tests send, so give one per branch the payload can take (e.g. a
   * pending-transaction check that explains the discrepancy and one that does not).
   */
  examples: readonly [TPayload, ...TPayload[]];
}

/** A refund decided on one person's word: see EventSpec.decidesAlone. */
export interface DecidesAlone<TContext, TPayload> {
  proposeWith: string;
  /**
   * What the decision refunds, in minor units of the case's currency. Without a payload (the events
   * a sender is offered), what the case alone fixes, or undefined where the payload states it: a
   * partial amount is only known when it is sent, so such a decision is offered while any of the
   * limit is left and refused above it.
   */
  amountMinor(context: TContext, payload?: TPayload): number | undefined;
}

export interface OpenCaseFacts {
  amount: { amountMinor: number; currency: string } | null;
  reason: string | null;
  transactionRef: string | null;
  purchasedAt: string | null;
  openedAt: string;
  /** account_security only: what was reported (absent: a stolen account, as before v2). */
  securityReport?: SecurityReport | null;
  /**
   * refund_request v3 on: the merchant's refund policy, when the merchant has one (absent: the
   * global policy). Copied into the case's input, so a later change never alters a case in flight.
   */
  refundPolicy?: RefundPolicy | null;
}

/**
 * One version of one case kind's lifecycle. A case records the version it started on and is
 * always driven by that version (see registry.ts), so a new version never breaks a case in flight.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as EventSpec's: the registry holds every kind's definition
export interface CaseMachineDefinition<TContext = any> {
  kind: CaseKind;
  version: number;
  machine: AnyStateMachine;
  /** Input for `initialTransition`, built from the facts given when the case is opened. */
  buildInput(facts: OpenCaseFacts, windows: import('./windows').CaseWindows): unknown;
  /** Checks the facts a case of this kind needs (a dispute needs an amount). */
  validateFacts(facts: OpenCaseFacts): DomainError | undefined;
  events: Record<string, EventSpec<TContext>>;
  /** Human labels for deadlines, keyed by the delay names used in `after`. */
  deadlines: Record<string, { label: string }>;
  /**
   * Whether the engine stamps each event with who sent it (`by: { kind, id, role }`) before the
   * machine sees it: machines with approval states record the proposer and refuse self-approval.
   * Stamped events are stored as they are, so a replay sees the same senders.
   */
  recordsSender?: boolean;
  /** The states in which a proposal waits for a second person (the approvals queue lists cases in them). */
  approvalStates?: readonly string[];
}
