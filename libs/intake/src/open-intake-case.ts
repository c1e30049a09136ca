import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { GetCase, OpenCase, type CaseView, type OpenCaseCommand } from '@app/cases';
import { CaseEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { normaliseTransactionRef } from '@app/wallet';

export interface OpenIntakeCaseCommand extends Omit<OpenCaseCommand, 'transactionRef'> {
  transactionRef: string;
}

export interface IntakeResult {
  /** false when an open case of this kind for the transaction existed and is returned instead. */
  created: boolean;
  case: CaseView;
}

/**
 * Opens a case for an app user on behalf of the wallet backend. The backend retries, and users
 * tap twice: the same transaction and kind give back the open case instead of a second one
 * (the partial unique index settles a race between two requests).
 */
@Injectable()
export class OpenIntakeCase {
  constructor(
    private readonly em: EntityManager,
    private readonly openCase: OpenCase,
    private readonly getCase: GetCase,
  ) {}

  async execute(request: OpenIntakeCaseCommand, client: string): Promise<IntakeResult> {
    // ' tx-1 ' and 'TX-1' are one transaction, here as in the wallet.
    const command = { ...request, transactionRef: normaliseTransactionRef(request.transactionRef) };
    const actor = { kind: 'system' as const, id: `intake:${client}` };
    const existing = await this.findOpen(command);
    if (existing) return this.existingFor(existing, command, actor);
    try {
      const id = await this.openCase.execute(command, actor);
      return { created: true, case: await this.getCase.execute(id, actor) };
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.DuplicateCase && typeof error.details.existingCaseId === 'string') {
        const raced = await this.findOpen(command);
        if (raced) return this.existingFor(raced, command, actor);
      }
      throw error;
    }
  }

  /** The open case comes back only to the customer it belongs to; anyone else quoting the transaction gets a bare 409. */
  private async existingFor(existing: { id: string; customerId: string }, command: OpenIntakeCaseCommand, actor: { kind: 'system'; id: string }): Promise<IntakeResult> {
    if (existing.customerId !== command.customer.id) {
      throw new DomainError(DomainErrorCode.DuplicateCase, 'An open case of this kind exists for this transaction, for another customer.');
    }
    return { created: false, case: await this.getCase.execute(existing.id, actor) };
  }

  private async findOpen(command: OpenIntakeCaseCommand): Promise<{ id: string; customerId: string } | undefined> {
    const found = await this.em.fork().findOne(CaseEntity, { kind: command.kind, transactionRef: command.transactionRef, status: 'active' }, { fields: ['id', 'customerId'] });
    return found ? { id: found.id, customerId: found.customerId } : undefined;
  }
}
