import { OptimisticLockError } from '@mikro-orm/core';
import { DomainError, DomainErrorCode } from '@app/domain';

/** A concurrent writer committed first: the caller must reload and decide again. */
export function versionConflict(caseId: string, expected: number, actual?: number): DomainError {
  return new DomainError(
    DomainErrorCode.VersionConflict,
    actual === undefined
      ? `Case ${caseId} was changed by someone else while this request ran; reload it and try again.`
      : `Case ${caseId} is at version ${actual}, not ${expected}; reload it and try again.`,
    { caseId, expectedVersion: expected, currentVersion: actual },
  );
}

export function caseNotFound(caseId: string): DomainError {
  return new DomainError(DomainErrorCode.CaseNotFound, `No case ${caseId}.`, { caseId });
}

export function rethrowLockConflict(error: unknown, caseId: string, expected: number): never {
  if (error instanceof OptimisticLockError) throw versionConflict(caseId, expected);
  throw error;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
