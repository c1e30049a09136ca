import { Module } from '@nestjs/common';
import { HttpWalletAdapter } from './http-wallet.adapter';
import { WalletPort } from './wallet.port';

/**
 * Binds the wallet port to the HTTP adapter (WALLET_BASE_URL: the real wallet, or apps/wallet-sim).
 * Nest keeps one instance per app, so every importer shares one circuit breaker.
 */
@Module({
  providers: [HttpWalletAdapter, { provide: WalletPort, useExisting: HttpWalletAdapter }],
  exports: [WalletPort],
})
export class WalletModule {}
