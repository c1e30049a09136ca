/**
 * The uploader's file name, reduced to something safe to show and to put in a header: no
 * directories, no control characters, no quotes, bounded length. It is display text only; files
 * are stored under generated keys, so no name can reach the file system.
 */
export function safeDisplayName(raw: string | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f"<>|*?:]/g, '')
    // Bidirectional overrides and isolates make "invoice\u202Efdp.exe" show as "invoiceexe.pdf".
    .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'file';
}

/**
 * The headers every evidence download carries, so that a file someone uploaded stays inert even
 * when a browser is pointed at the route directly (a link opened in a tab, a pasted URL): saved,
 * not rendered (`attachment`); its type as checked on upload, never sniffed (an HTML page called
 * receipt.pdf is not run as HTML); and, should anything render it anyway, a sandbox with no
 * script, no plugins, no forms, no same-origin access and nothing it may load or be framed by.
 */
export function evidenceDownloadHeaders(name: string): Record<string, string> {
  return {
    'Content-Disposition': contentDisposition(name),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "sandbox; default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    'Cache-Control': 'private, no-store',
  };
}

/** `attachment` always (never rendered inline), with an ASCII fallback and the UTF-8 name (RFC 6266). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
