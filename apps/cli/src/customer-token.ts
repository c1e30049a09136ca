import { parseArgs } from 'node:util';
import { loadConfig } from '@app/config';
import { MAX_CUSTOMER_TOKEN_SECONDS, mintCustomerToken } from '@app/customers';

/**
 * `npm run customer:token -- --customer u_10086 [--ttl 300]`: what the wallet backend does for a
 * signed-in customer, for demos and trying the customer API by hand. Signs with the newest secret
 * of CUSTOMER_TOKEN_SECRETS (the public development secret under NODE_ENV=development).
 */
function main(): void {
  const { values } = parseArgs({ options: { customer: { type: 'string' }, ttl: { type: 'string' } } });
  const ttlSeconds = values.ttl === undefined ? 300 : Number(values.ttl);
  if (!values.customer || !Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_CUSTOMER_TOKEN_SECONDS) {
    console.error(`usage: npm run customer:token -- --customer CUSTOMER_ID [--ttl SECONDS (1 to ${MAX_CUSTOMER_TOKEN_SECONDS}, default 300)]`);
    process.exit(2);
  }
  const [secret] = loadConfig().customerApi.tokenSecrets;
  console.log(mintCustomerToken(secret!, values.customer, { ttlSeconds }));
}

main();
