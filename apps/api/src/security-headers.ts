import type { IncomingMessage, ServerResponse } from 'node:http';
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

/**
 * Sets every answer's security headers as the request arrives, on the response itself, so that
 * they go out with whatever answers it: a route, a static file, the queue dashboard, or a refusal
 * before any of them. No X-Powered-By and no ETag: Fastify sends neither (the API's answers are
 * never stored, below, so no client can ask "changed since?"; the admin UI's files revalidate by
 * their own ETag and Last-Modified, from the static file server).
 */
export function securityHeaders(config: AppConfig): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const path = pathOf(request.url);
    const policy = POLICIES.find((surface) => path === surface.prefix || path.startsWith(`${surface.prefix}/`))?.policy ?? API_POLICY;
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
  };
}

function pathOf(url: string | undefined): string {
  const end = url?.indexOf('?') ?? -1;
  return end === -1 ? (url ?? '/') : url!.slice(0, end);
}
