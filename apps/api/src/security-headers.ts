import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { AppConfig } from '@app/config';

/**
 * Content-Security-Policy per surface. The API answers JSON and files, which nothing should run or
 * frame; the admin UI runs only its own bundled scripts (Ant Design injects its styles, hence
 * inline styles), shows image previews from blob: URLs and draws PDF previews with pdf.js into
 * canvases, whose worker is a bundled script of this origin too (script-src 'self' covers it; no
 * eval, no WebAssembly: see apps/admin/src/lib/pdf-render.ts). It frames nothing, so no file can
 * reach the browser's PDF viewer or any other document inside it. Swagger UI and the queue
 * dashboard load their own scripts from this origin. No surface may be framed by another site.
 */
const POLICIES: Array<{ prefix: string; policy: string }> = [
  {
    prefix: '/admin',
    policy:
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
      "connect-src 'self'; worker-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  },
  {
    prefix: '/docs',
    policy: "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
  },
];
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function applySecurityHeaders(app: NestExpressApplication, config: AppConfig): void {
  app.disable('x-powered-by');
  // No ETag on answers: the API's are never stored (below), so no client can ask "changed since?",
  // and hashing each JSON answer cost about a hundredth of a case command's CPU (round 28). Files
  // from disk still revalidate: the admin UI's hashed assets keep serve-static's ETag, and its
  // index.html (sent with res.sendFile, which follows this setting) its Last-Modified.
  app.set('etag', false);
  app.use((request: Request, response: Response, next: NextFunction) => {
    const policy = POLICIES.find((surface) => request.path === surface.prefix || request.path.startsWith(`${surface.prefix}/`))?.policy ?? API_POLICY;
    response.setHeader('Content-Security-Policy', policy);
    // The API's answers are one person's view of cases, customers and money: no browser or proxy
    // keeps a copy (evidence downloads say so again, with `private`, in their own headers).
    if (policy === API_POLICY) response.setHeader('Cache-Control', 'no-store');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('X-Frame-Options', 'DENY');
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    response.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    // Only where cookies are Secure, i.e. the deployment is served over https.
    if (config.auth.cookieSecure) response.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  });
}
