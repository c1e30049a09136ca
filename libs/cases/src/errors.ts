import { DeadlockException, LockWaitTimeoutException, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';

/** A concurrent writer committed first: the caller must reload and decide again. */
export function versionConflict(caseId: string, expected: number | undefined, actual?: number): DomainError {
  return new DomainError(
    DomainErrorCode.VersionConflict,
    actual === undefined || expected === undefined
      ? `Case ${caseId} was changed by someone else while this request ran; reload it and try again.`
      : `Case ${caseId} is at version ${actual}, not ${expected}; reload it and try again.`,
    { caseId, expectedVersion: expected, currentVersion: actual },
  );
}

/** A merchant's answer came after the deadline that ends its window, before the clock applied it. */
export function responseWindowClosed(caseId: string, deadline: { name: string; dueAt: Date }): DomainError {
  return new DomainError(
    DomainErrorCode.ResponseWindowClosed,
    `The response window of case ${caseId} closed at ${deadline.dueAt.toISOString()}; the case goes on without this answer.`,
    { caseId, window: deadline.name, closedAt: deadline.dueAt.toISOString() },
  );
}

export function caseNotFound(caseId: string): DomainError {
  return new DomainError(DomainErrorCode.CaseNotFound, `No case ${caseId}.`, { caseId });
}

export function rethrowLockConflict(error: unknown, caseId: string, expected: number | undefined): never {
  // A deadlock or lock timeout means a concurrent writer got there first: the same answer, reload.
  if (error instanceof OptimisticLockError || error instanceof DeadlockException || error instanceof LockWaitTimeoutException) {
    throw versionConflict(caseId, expected);
  }
  throw error;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * One active case per kind and transaction (unique index cases_open_transaction_uidx): a second
 * one is a 409 naming the case that exists, so the caller can work on that one instead.
 */
export async function rethrowDuplicateCase(em: EntityManager, error: unknown, kind: string, transactionRef: string | null | undefined): Promise<never> {
  if (error instanceof UniqueConstraintViolationException && transactionRef && error.message.includes('cases_open_transaction_uidx')) {
    const existing = await em.fork().findOne(CaseEntity, { kind: kind as CaseEntity['kind'], transactionRef, status: 'active' }, { fields: ['id'] });
    throw new DomainError(DomainErrorCode.DuplicateCase, `An open ${kind} case for transaction ${transactionRef} exists already.`, {
      existingCaseId: existing?.id ?? null,
      transactionRef,
    });
  }
  throw error;
}
