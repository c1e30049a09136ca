export * from './wallet.port';
export * from './signing';
