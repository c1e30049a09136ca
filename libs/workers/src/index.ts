export { WorkersModule } from './workers.module';
export { Reconciler } from './reconciler';
export { WalletGateway, SimulatedWalletGateway, SIMULATED_AMBIGUOUS_PREFIX, type RefundRequest, type RefundResult } from './gateways/wallet-gateway';
