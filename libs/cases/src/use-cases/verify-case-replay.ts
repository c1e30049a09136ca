import { isDeepStrictEqual } from 'node:util';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { CaseEntity, CaseEventEntity } from '@app/db';
import { definitionFor, replayEvents, type MachineEvent } from '@app/domain';

export interface ReplayMismatch {
  caseId: string;
  kind: string;
  machineVersion: number;
  stored: unknown;
  replayed: unknown;
}

/**
 * Re-runs each case's machine events from its opening input through its own machine version and
 * compares the result with the stored snapshot. A mismatch means the log and the state disagree:
 * a machine changed under a live version, or a row was written outside the command path.
 */
@Injectable()
export class VerifyCaseReplay {
  constructor(private readonly em: EntityManager) {}

  async execute(options: { batchSize?: number } = {}): Promise<{ checked: number; mismatches: ReplayMismatch[] }> {
    const em = this.em.fork();
    const batchSize = options.batchSize ?? 200;
    const mismatches: ReplayMismatch[] = [];
    let checked = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const cases = await em.find(CaseEntity, { id: { $gt: after } }, { orderBy: { id: 'asc' }, limit: batchSize });
      if (cases.length === 0) break;
      const events = await em.find(CaseEventEntity, { caseId: { $in: cases.map((c) => c.id) }, category: 'machine' }, { orderBy: { id: 'asc' } });
      for (const entity of cases) {
        const definition = definitionFor(entity.kind, entity.machineVersion);
        // The first machine row is the opening (xstate.init); the rest are the events it consumed.
        const consumed = events.filter((e) => e.caseId === entity.id && e.type !== 'xstate.init').map((e) => e.payload as MachineEvent);
        const replayed = replayEvents(definition, entity.machineInput, consumed);
        if (!isDeepStrictEqual(replayed, entity.snapshot)) {
          mismatches.push({ caseId: entity.id, kind: entity.kind, machineVersion: entity.machineVersion, stored: entity.snapshot, replayed });
        }
        checked += 1;
      }
      after = cases[cases.length - 1]!.id;
      em.clear();
    }
    return { checked, mismatches };
  }
}
