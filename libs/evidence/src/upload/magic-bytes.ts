export const EVIDENCE_CONTENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'text/plain'] as const;
export type EvidenceContentType = (typeof EVIDENCE_CONTENT_TYPES)[number];

/** How many leading bytes sniffing looks at; the upload keeps this much of each file in memory. */
export const SNIFF_BYTES = 4096;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PDF = Buffer.from('%PDF-', 'latin1');

/**
 * The type of a file from its first bytes, or null if it is none we accept. The name and the
 * client's Content-Type are never trusted: an HTML page called receipt.pdf is HTML.
 * Text must be UTF-8 without control characters and must not start like markup, so nothing we
 * serve back can be rendered as a page by a viewer that sniffs (we also send nosniff).
 */
export function sniffContentType(head: Buffer): EvidenceContentType | null {
  if (head.length >= PNG.length && head.subarray(0, PNG.length).equals(PNG)) return 'image/png';
  if (head.length >= JPEG.length && head.subarray(0, JPEG.length).equals(JPEG)) return 'image/jpeg';
  if (head.length >= PDF.length && head.subarray(0, PDF.length).equals(PDF)) return 'application/pdf';
  return isPlainText(head) ? 'text/plain' : null;
}

function isPlainText(head: Buffer): boolean {
  if (head.length === 0) return false;
  let text: string;
  try {
    // stream: true tolerates a multi-byte character cut off at the end of the sample.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return false;
  return !text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('<');
}
