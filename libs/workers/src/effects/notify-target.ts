import type { CaseKind } from '@app/domain';
import type { CaseForAgents, CaseForAssignee, CaseForCustomer, CustomerReach } from '@app/notifications';
import type { CaseForWebhooks } from '@app/webhooks';

/** Everything each audience of a notify needs to decide whether it has anyone to tell. */
export type NotifyTarget = CaseForWebhooks & CaseForCustomer & CaseForAgents & CaseForAssignee;

interface NotifyTargetRead {
  id: string;
  kind: CaseKind;
  state: string;
  subject: string;
  livemode: boolean;
  merchant_id: string | null;
  customer_id: string;
  assignee_id: string | null;
  customer_contact: CustomerReach | null;
  webhook_endpoints: Array<{ id: string; events: string[] }>;
  notification_deliveries_made: boolean;
  pending_webhook_deliveries: boolean;
}

/**
 * The target as select-list expressions over the case `c` and the outbox row `o` (only its id is
 * used). The effect runner reads them in the statement that reads the outbox row (caseColumns), so
 * a notify whose case has nobody to tell (the common case) costs that one read and nothing more;
 * an audience that does have someone reads the rest it needs itself. The endpoints are the
 * merchant's enabled ones of the case's mode: test cases reach test endpoints only.
 */
export const NOTIFY_TARGET_COLUMNS = `c.id, c.kind, c.state, c.subject, c.livemode, c.merchant_id, c.customer_id, c.assignee_id,
       (select json_build_object('locale', cc.locale, 'pushEnabled', cc.push_enabled, 'phoneMasked', cc.phone_masked,
                                 'emailMasked', cc.email_masked, 'wechatOpenIdMasked', cc.wechat_open_id_masked)
          from case_customer_contacts cc where cc.case_id = c.id) as customer_contact,
       coalesce((select json_agg(json_build_object('id', e.id, 'events', e.events))
          from webhook_endpoints e where e.merchant_id = c.merchant_id and e.livemode = c.livemode and e.status = 'enabled'), '[]') as webhook_endpoints,
       exists (select 1 from notification_deliveries d where d.outbox_id = o.id) as notification_deliveries_made,
       exists (select 1 from webhook_deliveries w where w.outbox_id = o.id and w.status = 'pending') as pending_webhook_deliveries`;

/** The columns as the runner read them with the outbox row; null when the row's case does not exist. */
export function notifyTargetOf(read: Record<string, unknown>): NotifyTarget | null {
  if (!read.id) return null;
  const found = read as unknown as NotifyTargetRead;
  return {
    caseId: found.id,
    kind: found.kind,
    state: found.state,
    subject: found.subject,
    livemode: found.livemode,
    merchantId: found.merchant_id,
    customerId: found.customer_id,
    assigneeId: found.assignee_id,
    customerContact: found.customer_contact,
    webhookEndpoints: found.webhook_endpoints,
    notificationDeliveriesMade: found.notification_deliveries_made,
    pendingWebhookDeliveries: found.pending_webhook_deliveries,
  };
}
