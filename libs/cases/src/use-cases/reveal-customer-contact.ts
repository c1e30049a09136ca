import { randomUUID } from 'node:crypto';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { AdminAuditLog, type AdminAuditActor } from '@app/audit';
import { Clock } from '@app/config';
import { CaseEntity, ContactRevealEntity, CustomerContactEntity } from '@app/db';
import { CONTACT_FIELDS, DomainError, DomainErrorCode, type ContactField } from '@app/domain';
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
 * (who, when, which case, which fields: on the case's timeline and in the admin audit log, never
 * the details themselves) before anything is shown, in the same transaction, so there is no look
 * without its record.
 */
@Injectable()
export class RevealCustomerContact {
  constructor(
    private readonly em: EntityManager,
    private readonly box: ContactBox,
    private readonly audit: AdminAuditLog,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** `agent` is the signed-in agent, as the audit log records them. */
  async execute(caseId: string, fields: readonly ContactField[] | undefined, agent: AdminAuditActor): Promise<RevealedContact> {
    const agentId = agent.id;
    if (!agentId) throw new DomainError(DomainErrorCode.Forbidden, 'Only an agent may reveal contact details.');
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
      const now = this.clock.now();
      em.persist(Object.assign(new ContactRevealEntity(), { id: randomUUID(), caseId, agentId, fields: Object.keys(revealed), createdAt: now }));
      this.audit.record(em, { actor: agent, action: 'customer_contact.revealed', target: { type: 'case', id: caseId }, details: { fields: Object.keys(revealed) } }, now);
      return revealed;
    });
  }
}
