export { WorkersModule } from './workers.module';
export { Reconciler, type ReconcileResult } from './reconciler';
export { RefundStatusPoller } from './wallet/refund-status-poller';
export { refundIdempotencyKey } from './effects/refund.handler';
