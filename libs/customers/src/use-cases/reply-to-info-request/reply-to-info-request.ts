import { rm } from 'node:fs/promises';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { SendCaseEvent } from '@app/cases';
import { DomainError, DomainErrorCode } from '@app/domain';
import { CustomerEvidenceFiles, customerEvidenceCategory, type EvidenceUpload } from '@app/evidence';
import { customerActor } from '../../cases/customer-actor';
import { customerEvidenceCategories, customerEvidenceUnmet } from '../../cases/customer-evidence-requirements';
import { customerStatusOf } from '../../cases/customer-status';
import { findCustomerCase, type CustomerCaseView } from '../../cases/customer-case-view';
import { CustomerCaseViews } from '../../cases/customer-case-views';
import type { CustomerLocale } from '../../cases/customer-texts';

/** The reply's own text; file names are added to the timeline entry, within the event's 10 000 characters. */
export const MAX_REPLY_TEXT = 8000;

export function notWaitingForCustomer(caseId: string): DomainError {
  return new DomainError(DomainErrorCode.NotWaitingForCustomer, 'This case is not waiting for information from you.', { caseId });
}

export interface ReplyToInfoRequestCommand {
  customerId: string;
  caseId: string;
  /** The multipart form: `text` and any files (the files are the customer's evidence). */
  upload: EvidenceUpload;
  locale: CustomerLocale;
}

/**
 * The customer answers our question: CUSTOMER_INFO_PROVIDED from the customer through the one
 * command path, with the files recorded as the customer's evidence in the same transaction. If the
 * case is not waiting for them (the machine refuses), nothing is recorded and no file is kept. A
 * dispute's answer must leave none of the evidence its reason requires of the customer missing
 * (counting this answer's files): else EVIDENCE_REQUIREMENTS_UNMET lists it, and nothing is kept either.
 */
@Injectable()
export class ReplyToInfoRequest {
  constructor(
    private readonly em: EntityManager,
    private readonly sendCaseEvent: SendCaseEvent,
    private readonly files: CustomerEvidenceFiles,
    private readonly views: CustomerCaseViews,
  ) {}

  async execute(command: ReplyToInfoRequestCommand): Promise<CustomerCaseView> {
    const text = (command.upload.fields.text ?? '').trim();
    let category;
    try {
      if (text.length === 0 || text.length > MAX_REPLY_TEXT) {
        throw new DomainError(DomainErrorCode.ValidationFailed, 'Write your answer in the "text" field.', {
          fields: [{ path: 'text', message: `1 to ${MAX_REPLY_TEXT} characters` }],
        });
      }
      category = customerEvidenceCategory(command.upload.category);
      await findCustomerCase(this.em.fork(), command.customerId, command.caseId);
    } catch (error) {
      await Promise.all(command.upload.files.map((file) => rm(file.tempPath, { force: true })));
      throw error;
    }
    const names = command.upload.files.map((file) => file.originalName || 'file');
    const summary = names.length > 0 ? `${text}\n\n[${names.length} file(s): ${names.join(', ')}]`.slice(0, 10_000) : text;

    await this.files.record({ upload: command.upload, category, uploadedBy: { kind: 'customer', id: command.customerId } }, async (record) => {
      try {
        const actor = customerActor(command.customerId);
        const event = { caseId: command.caseId, event: { type: 'CUSTOMER_INFO_PROVIDED', summary } };
        const applied = await this.sendCaseEvent.transaction(event, async ({ em, sql }) => {
          const locked = await this.sendCaseEvent.lock(sql, command.caseId, actor);
          if (customerStatusOf(locked.entity.kind, locked.entity.state) === 'waiting_for_you') {
            const handedIn = (await customerEvidenceCategories(em, [locked.entity.id])).get(locked.entity.id) ?? [];
            const unmet = customerEvidenceUnmet(locked.entity, [...handedIn, ...(command.upload.files.length > 0 ? [category] : [])]);
            if (unmet) throw unmet;
          }
          await record(em, command.caseId);
          return this.sendCaseEvent.apply(sql, locked, event, actor);
        });
        await this.sendCaseEvent.publish(applied);
      } catch (error) {
        if (error instanceof DomainError && (error.code === DomainErrorCode.EventNotAllowed || error.code === DomainErrorCode.UnknownEvent)) {
          throw notWaitingForCustomer(command.caseId);
        }
        throw error;
      }
    });
    return this.views.one(command.customerId, command.caseId, command.locale);
  }
}
