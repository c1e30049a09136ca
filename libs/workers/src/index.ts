export { WorkersModule } from './workers.module';
export { Reconciler } from './reconciler';
export { WalletGateway, SimulatedWalletGateway, type RefundRequest, type RefundResult } from './gateways/wallet-gateway';
