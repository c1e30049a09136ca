export { WorkersModule } from './workers.module';
export { Reconciler } from './reconciler';
export { RefundStatusPoller } from './wallet/refund-status-poller';
export { refundIdempotencyKey } from './effects/refund.handler';
