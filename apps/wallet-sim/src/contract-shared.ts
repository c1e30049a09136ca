/**
 * The two pieces of the contract the simulator shares with the engine: the signing scheme and the
 * normalisation of references. Imported by file, not through `@app/wallet`, whose index also
 * loads the engine's Nest adapter: the simulator stays a separate party that boots in a moment.
 */
export { signWalletRequest, verifyWalletRequest, WALLET_SIGNATURE_HEADER, WALLET_TIMESTAMP_HEADER } from '../../../libs/wallet/src/signing';
export { normaliseTransactionRef } from '../../../libs/wallet/src/wallet.port';
