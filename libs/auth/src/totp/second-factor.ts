import type { EntityManager } from '@mikro-orm/postgresql';
import { AgentRecoveryCodeEntity, type AgentEntity } from '@app/db';
import { DomainError, DomainErrorCode } from '@app/domain';
import { hashRecoveryCode, type TotpCodes } from './totp-codes';

export interface SecondFactorProof {
  totpCode?: string;
  recoveryCode?: string;
}

/**
 * Checks the second factor of an agent who has TOTP on, and spends it: the code's step is
 * recorded (a compare-and-set on the row, so two logins with one code cannot both pass) or the
 * recovery code is marked used. Throws TOTP_REQUIRED when none was given, INVALID_TOTP when it
 * does not hold.
 */
export async function spendSecondFactor(em: EntityManager, codes: TotpCodes, agent: AgentEntity, proof: SecondFactorProof, now: Date): Promise<'totp' | 'recovery_code'> {
  if (proof.totpCode) {
    const step = codes.stepOf(codes.open(agent.totpSecretSealed!, agent.id), proof.totpCode);
    if (step !== null) {
      const spent = await em
        .getConnection()
        .execute(`update agents set totp_last_step = ? where id = ? and (totp_last_step is null or totp_last_step < ?)`, [step, agent.id, step], 'run');
      if ((spent as { affectedRows?: number }).affectedRows === 1) return 'totp';
    }
    throw new DomainError(DomainErrorCode.InvalidTotp, 'The code is wrong, expired or was used already.');
  }
  if (proof.recoveryCode) {
    const used = await em.nativeUpdate(AgentRecoveryCodeEntity, { agentId: agent.id, codeHash: hashRecoveryCode(proof.recoveryCode), usedAt: null }, { usedAt: now });
    if (used === 1) return 'recovery_code';
    throw new DomainError(DomainErrorCode.InvalidTotp, 'The recovery code is wrong or was used already.');
  }
  throw new DomainError(DomainErrorCode.TotpRequired, 'This account signs in with a one-time code: send totpCode (or a recoveryCode).');
}
