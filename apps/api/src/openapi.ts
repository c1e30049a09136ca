import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@app/config';
import { ApiModule } from './api.module';

/** The OpenAPI document of every route, as /docs serves it and as the generated clients are built from. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Dispute and refund case engine')
      .setDescription('Agent API. Every error is `{ code, message, ... }`; a refused event lists `allowedEvents`.')
      .setVersion('1')
      .addBearerAuth()
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Merchant API key: sk_live_… (read and write) or rk_live_… (read only).' }, 'merchant-api-key')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Intake service token of the wallet backend (INTAKE_SERVICE_TOKENS).' }, 'intake-token')
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "Customer token minted by the wallet backend for a signed-in customer: compact HS256 JWS over {sub: customerId, aud: 'dispute-engine/customer', iat, exp}, at most 15 minutes, signed with a secret of CUSTOMER_TOKEN_SECRETS. Expired → 401 CUSTOMER_TOKEN_EXPIRED; anything else wrong → 401 CUSTOMER_TOKEN_INVALID.",
        },
        'customer-token',
      )
      .build(),
  );
}

/**
 * The document without a running API: Nest's preview mode reads the modules' routes and DTOs
 * without creating a provider, so nothing connects to PostgreSQL or Redis.
 */
export async function openApiDocumentOffline(): Promise<OpenAPIObject> {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://offline@127.0.0.1:1/offline' });
  const app = await NestFactory.create(ApiModule.forRoot(config), new FastifyAdapter(), { preview: true, logger: false, abortOnError: false });
  try {
    return openApiDocument(app);
  } finally {
    await app.close();
  }
}
