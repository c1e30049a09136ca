import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@app/config';
import { bodyParserErrors, createValidationPipe } from '@app/http';
import { ApiModule } from './api.module';

/** Builds the HTTP app exactly as production runs it; tests call this too. */
export async function createApiApp(config: AppConfig, options: { logger?: false | Array<'log' | 'error' | 'warn' | 'debug'> } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    bodyParser: false,
    abortOnError: false,
    logger: options.logger ?? ['log', 'error', 'warn'],
  });
  // A small JSON body limit by default: case commands are small; uploads get their own routes.
  app.useBodyParser('json', { limit: config.http.bodyLimit });
  app.use(bodyParserErrors);
  app.set('trust proxy', 1);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Dispute and refund case engine')
      .setDescription('Agent API. Every error is `{ code, message, ... }`; a refused event lists `allowedEvents`.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  return app;
}
