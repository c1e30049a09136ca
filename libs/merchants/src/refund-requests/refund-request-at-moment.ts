import type { CaseMoment } from '@app/domain';
import { refundRequestStatusOf, refundRequestView, respondByOf, type MerchantRefundRequestView, type RefundRequestIdentity } from './merchant-refund-request-view';

/**
 * The merchant's view of a refund request as it was at an event (the moment stored with its outbox
 * row), for webhooks. Everything the view shows beyond what was fixed at opening lives in the
 * machine snapshot, state and deadlines, all of which the moment holds, so nothing is read live.
 */
export function refundRequestAtMoment(identity: RefundRequestIdentity, moment: CaseMoment): MerchantRefundRequestView {
  return refundRequestView(identity, {
    snapshot: moment.snapshot,
    caseStatus: moment.status,
    status: refundRequestStatusOf(moment.state, moment.snapshot),
    respondBy: respondByOf(moment.deadlines),
    updated: new Date(moment.updated ?? moment.at),
  });
}
