import { EntityManager, type QueryResult } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import { APP_CONFIG, Clock, type AppConfig } from '@app/config';
import { RefundEntity, WalletAccountActionEntity, WalletEventReceivedEntity, type WalletAccountActionKind } from '@app/db';
import { DomainError, DomainErrorCode, type FieldIssue } from '@app/domain';
import { verifyWalletRequest } from '@app/wallet';
import { RecordWalletOutcome, type ClaimHook, type OutcomeResult } from '../wallet/record-wallet-outcome';

export interface ReceiveWalletEventCommand {
  method: string;
  /** Path and query as received: they are signed too. */
  pathWithQuery: string;
  /** The body exactly as received; the signature covers these bytes, not a re-serialisation. */
  rawBody: Buffer | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export type WalletEventAnswer = { received: true; duplicate?: true; applied?: false };

const key = z.string().min(1).max(200);
const refundData = {
  refund_id: z.string().min(1).max(200),
  idempotency_key: key,
  transaction_ref: z.string().min(1).max(200),
  amount_minor: z.number().int().positive(),
  currency: z.string().length(3),
};
const actionData = { action_id: z.string().min(1).max(200), idempotency_key: key, account_id: z.string().min(1).max(200) };
const envelope = { id: z.string().min(1).max(200), created_at: z.string().datetime({ offset: true }) };

/** The callbacks of the wallet contract (§Callbacks), checked field by field. */
const WALLET_EVENT = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('refund.succeeded'), data: z.object({ ...refundData, settled_at: z.string().datetime({ offset: true }) }) }),
  z.object({ ...envelope, type: z.literal('refund.failed'), data: z.object({ ...refundData, failure_reason: z.string().min(1).max(2000) }) }),
  z.object({ ...envelope, type: z.literal('account.frozen'), data: z.object(actionData) }),
  z.object({ ...envelope, type: z.literal('account.unfrozen'), data: z.object(actionData) }),
  z.object({ ...envelope, type: z.literal('account.credentials_reset'), data: z.object(actionData) }),
  z.object({
    ...envelope,
    type: z.literal('balance.correction_posted'),
    data: z.object({
      ...actionData,
      amount_minor: z.number().int().positive(),
      currency: z.string().length(3),
      direction: z.enum(['credit', 'debit']),
      ledger_entry_ref: z.string().min(1).max(200),
    }),
  }),
]);
type WalletEvent = z.infer<typeof WALLET_EVENT>;

const ACTION_KIND_OF: Record<string, WalletAccountActionKind> = {
  'account.frozen': 'freeze',
  'account.unfrozen': 'unfreeze',
  'account.credentials_reset': 'credential_reset',
  'balance.correction_posted': 'balance_correction',
};

/**
 * A signed callback from the wallet (POST /v1/wallet/events): verified over the raw body, refused
 * when stale, idempotent by event id (recorded in the same transaction as the machine event), and
 * turned into a machine event from the `system` actor on the ordinary command path.
 */
@Injectable()
export class ReceiveWalletEvent {
  private readonly logger = new Logger('WalletEvents');

  constructor(
    private readonly em: EntityManager,
    private readonly outcomes: RecordWalletOutcome,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(command: ReceiveWalletEventCommand): Promise<WalletEventAnswer> {
    const rawBody = command.rawBody?.toString('utf8') ?? '';
    const check = verifyWalletRequest(
      this.config.wallet.callbackSecrets,
      { timestamp: command.timestamp, signature: command.signature },
      { method: command.method, pathWithQuery: command.pathWithQuery, body: rawBody },
      // Wall time, as the wallet signs with: the injected Clock is business time (tests move it).
      new Date(),
    );
    if (!check.ok) {
      throw new DomainError(check.code === 'STALE_SIGNATURE' ? DomainErrorCode.StaleSignature : DomainErrorCode.InvalidSignature, check.message);
    }
    const event = parseEvent(rawBody);

    const em = this.em.fork();
    if (await em.count(WalletEventReceivedEntity, { eventId: event.id })) return { received: true, duplicate: true };

    const claim = (caseId: string): ClaimHook => ({
      claim: async (tx) => {
        const inserted = await tx
          .createQueryBuilder(WalletEventReceivedEntity)
          .insert({ eventId: event.id, type: event.type, idempotencyKey: event.data.idempotency_key, caseId, applied: false, receivedAt: this.clock.now() })
          .onConflict('event_id')
          .ignore()
          .execute<QueryResult>('run');
        return inserted.affectedRows === 1;
      },
      applied: async (tx) => {
        await tx.nativeUpdate(WalletEventReceivedEntity, { eventId: event.id }, { applied: true });
      },
    });

    let result: OutcomeResult;
    if (event.type === 'refund.succeeded' || event.type === 'refund.failed') {
      const refund = await em.findOne(RefundEntity, { idempotencyKey: event.data.idempotency_key }, { fields: ['id', 'caseId'] });
      if (!refund) throw unknownReference('refund', event.data.idempotency_key);
      result = await this.outcomes.refund(
        refund,
        event.type === 'refund.succeeded'
          ? { status: 'succeeded', walletRefundId: event.data.refund_id, settledAt: new Date(event.data.settled_at) }
          : { status: 'failed', walletRefundId: event.data.refund_id, failureReason: event.data.failure_reason },
        claim(refund.caseId),
      );
    } else {
      const kind = ACTION_KIND_OF[event.type]!;
      const action = await em.findOne(WalletAccountActionEntity, { idempotencyKey: event.data.idempotency_key, kind }, { fields: ['id', 'caseId'] });
      if (!action) throw unknownReference(kind.replace('_', ' '), event.data.idempotency_key);
      result = await this.outcomes.accountAction(
        action,
        { kind, ledgerEntryRef: event.type === 'balance.correction_posted' ? event.data.ledger_entry_ref : null },
        claim(action.caseId),
      );
    }
    this.logger.log({ event: 'wallet.event_received', id: event.id, type: event.type, key: event.data.idempotency_key, result });
    if (result === 'duplicate') return { received: true, duplicate: true };
    if (result === 'applied') return { received: true };
    return { received: true, applied: false };
  }
}

function parseEvent(rawBody: string): WalletEvent {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    throw new DomainError(DomainErrorCode.ValidationFailed, 'The body is not JSON.', { fields: [{ path: 'body', message: 'not JSON' }] });
  }
  const parsed = WALLET_EVENT.safeParse(json);
  if (!parsed.success) {
    const fields: FieldIssue[] = parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || 'body', message: issue.message }));
    throw new DomainError(DomainErrorCode.ValidationFailed, 'The wallet event is malformed.', { fields });
  }
  return parsed.data;
}

function unknownReference(what: string, idempotencyKey: string): DomainError {
  return new DomainError(DomainErrorCode.UnknownReference, `No ${what} of ours has the key ${idempotencyKey}.`, { idempotencyKey });
}
