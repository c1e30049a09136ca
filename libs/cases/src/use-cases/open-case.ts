import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { CaseEntity, OutboxEntity, sqlSessionOf } from '@app/db';
import {
  currentDefinition,
  disputeFilingRefusal,
  DomainError,
  DomainErrorCode,
  matchTransaction,
  openCase,
  type CaseKind,
  type Channel,
  type Money,
  type Priority,
  securityReportOf,
  type SecurityReport,
} from '@app/domain';
import { currentRequestId } from '@app/observability';
import { SlaTracker } from '@app/sla';
import { normaliseTransactionRef, WalletCallError, WalletPort, type WalletTransaction } from '@app/wallet';
import type { Actor } from '../actor';
import { CaseClock } from '../case-clock';
import { ContactBox } from '../customer-contact/contact-box';
import { contactRecordFor, type CustomerInput } from '../customer-contact/customer-contact-record';
import { deadlineJobChanges, NO_HEADS } from '../dispatch/deadline-jobs';
import { PostCommitDispatcher, type CommittedWork } from '../dispatch/post-commit-dispatcher';
import { rethrowDuplicateCase } from '../errors';
import { merchantRefundPolicy } from '../merchant-refund-policy';
import { ensureRefundLedger, moveCaseRefundShare, type RefundLedgerOpening } from '../refund-ledger';
import { recordTransition, setNextDeadline } from '../transition-recorder';

export interface OpenCaseCommand {
  kind: CaseKind;
  channel: Channel;
  priority: Priority;
  subject: string;
  description?: string | null;
  customer: CustomerInput;
  merchantId?: string | null;
  transactionRef?: string | null;
  amount?: Money | null;
  reason?: string | null;
  purchasedAt?: string | null;
  /** account_security only: a stolen account (the default) or a forgotten password. */
  securityReport?: SecurityReport | null;
  /**
   * A test-mode case (a merchant's test helpers): held against this simulated transaction instead
   * of asking the wallet, never live, and on the test clock named (whose frozen time is its "now").
   */
  testMode?: { transaction: WalletTransaction; testClockId: string | null } | null;
}

/**
 * Opens a case of any kind on the newest version of its machine. A case that names a transaction
 * is first held against the wallet's (it must exist; the amount may not exceed it; currency and
 * merchant are the wallet's), before anything is written, and its transaction's refund ledger is
 * created with it when it is the first.
 */
@Injectable()
export class OpenCase {
  constructor(
    private readonly em: EntityManager,
    private readonly dispatcher: PostCommitDispatcher,
    private readonly sla: SlaTracker,
    private readonly wallet: WalletPort,
    private readonly contactBox: ContactBox,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly caseClock: CaseClock,
  ) {}

  async execute(opening: OpenCaseCommand, actor: Actor): Promise<string> {
    const { command, ledger, transactionAt } = await this.heldAgainstWallet(opening);
    const definition = currentDefinition(command.kind);
    const testClockId = command.testMode?.testClockId ?? null;
    const now = testClockId ? await this.caseClock.now(sqlSessionOf(this.em), { testClockId }) : this.clock.now();
    if (command.kind === 'dispute') {
      const refusal = disputeFilingRefusal(
        { reason: command.reason ?? null, merchantId: command.merchantId ?? null, transactionAt: transactionAt ?? purchaseTime(command.purchasedAt) },
        now,
        this.config.disputes.filingWindowDays,
      );
      if (refusal) throw refusal;
    }
    // The matched SLA policy sets the case's windows (merchant response, customer reply) and clocks.
    const securityReport = securityReportOf(command.kind, command.securityReport);
    const sla = await this.sla.forFacts({ kind: command.kind, priority: command.priority, channel: command.channel, securityReport });
    const refundPolicy = await merchantRefundPolicy(this.em, command.kind, command.merchantId);
    const transition = openCase(
      definition,
      {
        amount: command.amount ?? null,
        reason: command.reason ?? null,
        transactionRef: command.transactionRef ?? null,
        purchasedAt: command.purchasedAt ?? null,
        openedAt: now.toISOString(),
        securityReport: command.securityReport ?? null,
        refundPolicy,
      },
      this.sla.windowsFor(sla),
    );
    const id = randomUUID();
    const work = await this.em
      .transactional(async (em) => {
        if (ledger) await ensureRefundLedger(em, ledger, now);
        const entity = em.create(CaseEntity, {
          id,
          kind: command.kind,
          machineVersion: definition.version,
          state: transition.state,
          snapshot: transition.snapshot,
          machineInput: transition.event.input,
          priority: command.priority,
          channel: command.channel,
          subject: command.subject,
          description: command.description ?? null,
          customerId: command.customer.id,
          customerName: command.customer.name ?? null,
          merchantId: command.merchantId ?? null,
          transactionRef: command.transactionRef ?? null,
          amountMinor: command.amount?.amountMinor ?? null,
          currency: command.amount?.currency ?? null,
          livemode: !command.testMode,
          testClockId,
          slaPolicyId: sla?.policy.id ?? null,
          createdAt: now,
          updatedAt: now,
        });
        await moveCaseRefundShare(em, entity, transition.refundLedger, now);
        // The same phases as a transition of an existing case (write-transition.ts); a new case's rows all go out with this transaction's flush.
        const plan = this.sla.planOpening(sla);
        const recorded = recordTransition(entity, transition, actor, now, { isNew: true, dueAt: plan.dueAt, live: [] });
        const clocks = this.sla.startClocks(id, plan, transition.slaPhase, now);
        const alarms = this.sla.planAlarms(plan, entity, clocks, { scheduled: recorded.scheduledDeadlines, cancelledIds: [], pending: recorded.pending }, now);
        em.persist([recorded.event, ...recorded.scheduledDeadlines, ...recorded.outbox, ...clocks.started, ...alarms.scheduled]);
        setNextDeadline(entity, recorded.pending);
        em.persist(contactRecordFor(this.contactBox, id, command.customer, now));
        // The customer's acknowledgement, committed with the case: the first-response clock's breach is the promised reply time.
        const firstResponseDue = alarms.scheduled.find((deadline) => deadline.sendId === 'sla.firstResponse.breach')?.dueAt ?? null;
        const acknowledgement = Object.assign(new OutboxEntity(), {
          id: randomUUID(),
          caseId: id,
          type: 'notify',
          payload: {
            topic: 'case.opened',
            audience: ['customer'],
            caseKind: command.kind,
            caseState: transition.state,
            firstResponseDueAt: firstResponseDue?.toISOString() ?? null,
          },
          createdAt: now,
          requestId: currentRequestId() ?? null,
        });
        em.persist(acknowledgement);
        return {
          outbox: [...recorded.outbox, acknowledgement],
          deadlineJobs: deadlineJobChanges(NO_HEADS, [...recorded.scheduledDeadlines, ...alarms.scheduled]),
        } satisfies CommittedWork;
      })
      .catch((error: unknown) => rethrowDuplicateCase(this.em, error, command.kind, command.transactionRef));
    await this.dispatcher.dispatch(work);
    return id;
  }

  /** The command with the reference normalised and the wallet's amount, currency and merchant filled in, and when the wallet says it happened. */
  private async heldAgainstWallet(command: OpenCaseCommand): Promise<{ command: OpenCaseCommand; ledger: RefundLedgerOpening | null; transactionAt?: Date }> {
    if (command.transactionRef === undefined || command.transactionRef === null) return { command, ledger: null };
    const transactionRef = normaliseTransactionRef(command.transactionRef);
    if (!transactionRef) {
      throw new DomainError(DomainErrorCode.ValidationFailed, 'transactionRef is blank.', { fields: [{ path: 'transactionRef', message: 'must not be blank' }] });
    }
    const transaction = command.testMode ? command.testMode.transaction : await this.lookUp(transactionRef);
    const matched = matchTransaction({ amount: command.amount, merchantId: command.merchantId }, transaction);
    return {
      command: { ...command, transactionRef, amount: matched.amount, merchantId: matched.merchantId },
      ledger: { transactionRef, currency: transaction.currency, capturedMinor: transaction.amountMinor, alreadyRefundedMinor: transaction.refundedMinor },
      transactionAt: transaction.createdAt,
    };
  }

  private async lookUp(transactionRef: string): Promise<WalletTransaction> {
    let transaction: WalletTransaction | null;
    try {
      transaction = await this.wallet.getTransaction(transactionRef);
    } catch (error) {
      if (!(error instanceof WalletCallError)) throw error;
      // The wallet's own error code (a string of its API), not one of ours that happens to be spelled the same.
      if (error.code === 'TRANSACTION_NOT_FOUND') transaction = null;
      else {
        throw new DomainError(DomainErrorCode.WalletUnavailable, 'The wallet did not answer; the case was not opened. Try again shortly.', {
          transactionRef,
          walletError: error.code,
        });
      }
    }
    if (!transaction) {
      throw new DomainError(DomainErrorCode.TransactionNotFound, `The wallet knows no transaction ${transactionRef}.`, { transactionRef });
    }
    return transaction;
  }
}

/** The purchase time given with a case without a wallet transaction, if it reads as a time. */
function purchaseTime(purchasedAt: string | null | undefined): Date | null {
  const time = purchasedAt ? new Date(purchasedAt) : null;
  return time && !Number.isNaN(time.getTime()) ? time : null;
}
