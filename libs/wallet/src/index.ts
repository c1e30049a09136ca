export * from './wallet.port';
