import type { CaseKind } from '../cases/case-kind';
import { DomainError, DomainErrorCode } from '../errors';
import type { CaseMachineDefinition } from './definition';
import { accountSecurityDefinitionV1 } from './account-security/account-security.definition';
import { accountSecurityDefinitionV2 } from './account-security/account-security.v2.definition';
import { accountSecurityDefinitionV3 } from './account-security/account-security.v3.definition';
import { accountSecurityDefinitionV4 } from './account-security/account-security.v4.definition';
import { balanceDiscrepancyDefinitionV1 } from './balance-discrepancy/balance-discrepancy.definition';
import { balanceDiscrepancyDefinitionV2 } from './balance-discrepancy/balance-discrepancy.v2.definition';
import { balanceDiscrepancyDefinitionV3 } from './balance-discrepancy/balance-discrepancy.v3.definition';
import { balanceDiscrepancyDefinitionV4 } from './balance-discrepancy/balance-discrepancy.v4.definition';
import { disputeDefinitionV1 } from './dispute/dispute.definition';
import { disputeDefinitionV2 } from './dispute/dispute.definition.v2';
import { disputeDefinitionV3 } from './dispute/dispute.definition.v3';
import { disputeDefinitionV4 } from './dispute/dispute.definition.v4';
import { disputeDefinitionV5 } from './dispute/dispute.definition.v5';
import { disputeDefinitionV6 } from './dispute/dispute.definition.v6';
import { inquiryDefinitionV1 } from './inquiry/inquiry.definition';
import { inquiryDefinitionV2 } from './inquiry/inquiry.v2.definition';
import { paymentFailureDefinitionV1 } from './payment-failure/payment-failure.definition';
import { paymentFailureDefinitionV2 } from './payment-failure/payment-failure.v2.definition';
import { paymentFailureDefinitionV3 } from './payment-failure/payment-failure.v3.definition';
import { paymentFailureDefinitionV4 } from './payment-failure/payment-failure.v4.definition';
import { refundRequestDefinitionV1 } from './refund-request/refund-request.definition';
import { refundRequestDefinitionV2 } from './refund-request/refund-request.v2.definition';
import { refundRequestDefinitionV3 } from './refund-request/refund-request.v3.definition';
import { refundRequestDefinitionV4 } from './refund-request/refund-request.v4.definition';
import { refundRequestDefinitionV5 } from './refund-request/refund-request.v5.definition';

/**
 * Every machine version that may still have cases in flight. A case is always driven by the
 * version it started on; new cases start on the highest version. Remove a version only after no
 * case uses it (or after a tested snapshot migration moved them).
 */
const DEFINITIONS: ReadonlyArray<CaseMachineDefinition> = [
  disputeDefinitionV1,
  disputeDefinitionV2,
  disputeDefinitionV3,
  disputeDefinitionV4,
  disputeDefinitionV5,
  disputeDefinitionV6,
  refundRequestDefinitionV1,
  refundRequestDefinitionV2,
  refundRequestDefinitionV3,
  refundRequestDefinitionV4,
  refundRequestDefinitionV5,
  paymentFailureDefinitionV1,
  paymentFailureDefinitionV2,
  paymentFailureDefinitionV3,
  paymentFailureDefinitionV4,
  balanceDiscrepancyDefinitionV1,
  balanceDiscrepancyDefinitionV2,
  balanceDiscrepancyDefinitionV3,
  balanceDiscrepancyDefinitionV4,
  accountSecurityDefinitionV1,
  accountSecurityDefinitionV2,
  accountSecurityDefinitionV3,
  accountSecurityDefinitionV4,
  inquiryDefinitionV1,
  inquiryDefinitionV2,
];

const byKind = new Map<CaseKind, Map<number, CaseMachineDefinition>>();
for (const definition of DEFINITIONS) {
  const versions = byKind.get(definition.kind) ?? new Map<number, CaseMachineDefinition>();
  if (versions.has(definition.version)) throw new Error(`Duplicate machine ${definition.kind} v${definition.version}`);
  versions.set(definition.version, definition);
  byKind.set(definition.kind, versions);
}

export function allDefinitions(): ReadonlyArray<CaseMachineDefinition> {
  return DEFINITIONS;
}

export function currentDefinition(kind: CaseKind): CaseMachineDefinition {
  const versions = byKind.get(kind);
  if (!versions) throw new DomainError(DomainErrorCode.UnknownCaseKind, `Unknown case kind "${kind}".`);
  return versions.get(Math.max(...versions.keys()))!;
}

export function definitionFor(kind: CaseKind, version: number): CaseMachineDefinition {
  const definition = byKind.get(kind)?.get(version);
  if (!definition) {
    throw new DomainError(DomainErrorCode.UnknownMachineVersion, `No machine for ${kind} v${version}.`);
  }
  return definition;
}
