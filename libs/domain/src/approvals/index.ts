export { DEFAULT_REFUND_LIMITS, refundLimitOf, type Authority, type CurrencyLimits, type RefundLimits } from './approval-rules';
export {
  alwaysNeedsApproval,
  appealDeciderRefusal,
  approverRefusal,
  firstRefusal,
  refundDeciderOf,
  refundNeedsApproval,
  senderIdOf,
  soleDecisionRefusal,
  type Proposal,
  type RefundDecider,
  type Stamped,
  type StampedSender,
} from './proposal';
