import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { CaseEntity, ContactRevealEntity, CustomerContactEntity } from '@app/db';
import { CONTACT_FIELDS, DomainError, DomainErrorCode, type ContactField } from '@app/domain';
import type { Actor } from '../actor';
import { ContactBox } from '../customer-contact/contact-box';
import { caseNotFound, isUuid } from '../errors';

export type RevealedContact = Partial<Record<ContactField, string>>;

const SEALED_COLUMN: Record<ContactField, 'phoneSealed' | 'emailSealed' | 'wechatOpenIdSealed'> = {
  phone: 'phoneSealed',
  email: 'emailSealed',
  wechatOpenId: 'wechatOpenIdSealed',
};

/**
 * An agent's deliberate look at a customer's contact details in full. Every reveal is recorded
 * (who, when, which case, which fields) before anything is shown, in the same transaction, so
 * there is no look without its record.
 */
@Injectable()
export class RevealCustomerContact {
  constructor(
    private readonly em: EntityManager,
    private readonly box: ContactBox,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(caseId: string, fields: readonly ContactField[] | undefined, actor: Actor): Promise<RevealedContact> {
    if (actor.kind !== 'agent' || !actor.id) throw new DomainError(DomainErrorCode.Forbidden, 'Only an agent may reveal contact details.');
    if (!isUuid(caseId)) throw caseNotFound(caseId);
    const wanted = fields?.length ? [...new Set(fields)] : [...CONTACT_FIELDS];
    return this.em.fork().transactional(async (em) => {
      if (!(await em.count(CaseEntity, { id: caseId }))) throw caseNotFound(caseId);
      const contact = await em.findOne(CustomerContactEntity, { caseId });
      const revealed: RevealedContact = {};
      for (const field of wanted) {
        const sealed = contact?.[SEALED_COLUMN[field]];
        if (sealed) revealed[field] = this.box.open(sealed, caseId, field);
      }
      em.persist(Object.assign(new ContactRevealEntity(), { id: randomUUID(), caseId, agentId: actor.id!, fields: Object.keys(revealed), createdAt: this.clock.now() }));
      return revealed;
    });
  }
}
