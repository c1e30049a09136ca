export * from './wallet.port';
export * from './signing';
export { WalletModule } from './wallet.module';
export { HttpWalletAdapter } from './http-wallet.adapter';
