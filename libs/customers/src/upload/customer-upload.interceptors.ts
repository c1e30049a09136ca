import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { CaseEntity } from '@app/db';
import { DomainError, allowedEvents, definitionFor, restoreSnapshot } from '@app/domain';
import { EvidenceUploadParser, type UploadForm, type UploadRequest } from '@app/evidence';
import type { AuthenticatedCustomer } from '../auth/customer-auth.guard';
import { findCustomerCase } from '../cases/customer-case-view';
import { customerEvidenceRefusal } from '../use-cases/add-customer-evidence/add-customer-evidence';
import { MAX_REPLY_TEXT, notWaitingForCustomer } from '../use-cases/reply-to-info-request/reply-to-info-request';

type CustomerUploadRequest = UploadRequest & { customer?: AuthenticatedCustomer };

function ownCase(request: CustomerUploadRequest, em: EntityManager): Promise<CaseEntity> {
  // The guard ran first; without a customer the lookup matches no case (the same 404).
  return findCustomerCase(em, request.customer?.id ?? '', String(request.params.id));
}

/** The customer's evidence: their own undecided dispute or refund request, checked before the body is read. */
@Injectable()
export class CustomerEvidenceUploadInterceptor extends EvidenceUploadParser {
  protected override findCase(request: CustomerUploadRequest, em: EntityManager): Promise<CaseEntity> {
    return ownCase(request, em);
  }

  protected override refusalNow(_request: UploadRequest, entity: CaseEntity): DomainError | null {
    return customerEvidenceRefusal(entity);
  }
}

/** An answer to our question: text and optional files, only while the machine waits for the customer. */
@Injectable()
export class CustomerInfoReplyUploadInterceptor extends EvidenceUploadParser {
  protected override readonly form: UploadForm = { fields: { text: MAX_REPLY_TEXT, category: 64 }, requireFile: false, acceptsJson: true };

  protected override findCase(request: CustomerUploadRequest, em: EntityManager): Promise<CaseEntity> {
    return ownCase(request, em);
  }

  protected override refusalNow(_request: UploadRequest, entity: CaseEntity): DomainError | null {
    if (entity.status === 'done') return notWaitingForCustomer(entity.id);
    const definition = definitionFor(entity.kind, entity.machineVersion);
    const allowed = allowedEvents(definition, restoreSnapshot(definition, entity.snapshot as never), { kind: 'customer' });
    return allowed.includes('CUSTOMER_INFO_PROVIDED') ? null : notWaitingForCustomer(entity.id);
  }
}
