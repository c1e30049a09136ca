export { DEFAULT_REFUND_LIMITS, refundLimitOf, type Authority, type CurrencyLimits, type RefundLimits } from './approval-rules';
export {
  alwaysNeedsApproval,
  appealDeciderRefusal,
  approverRefusal,
  firstRefusal,
  limitLeftOnTransaction,
  refundNeedsApproval,
  senderIdOf,
  soleDeciderOf,
  soleDecisionRefusal,
  type Proposal,
  type SoleDecider,
  type Stamped,
  type StampedSender,
} from './proposal';
