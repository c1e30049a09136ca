import { deflateSync } from 'node:zlib';

/** Small files with real signatures, as a merchant's scanner or phone would produce them. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
export const HTML = Buffer.from('<!DOCTYPE html><html><body><script>fetch("/v1/cases")</script></body></html>');

/**
 * A PNG a browser can actually decode (PNG above is only a signature plus filler, enough for the
 * upload's type check but not an image): width × height pixels, 8-bit RGB, a diagonal two-colour
 * pattern, with real CRCs and a zlib-compressed IDAT.
 */
export function decodablePng(width = 48, height = 32): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, no filter method, no interlace
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3); // filter byte 0 (none), then RGB triples
    for (let x = 0; x < width; x++) rows.set((x + y) % 16 < 8 ? [0x16, 0x77, 0xff] : [0xff, 0xa9, 0x40], row + 1 + x * 3);
  }
  return Buffer.concat([PNG.subarray(0, 8), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A well-formed PDF (objects, cross-reference table, trailer) that a viewer can actually draw:
 * `pages` pages of 200 × 200 pt, each a blue square on white. With `openActionJs` the document
 * runs that JavaScript when opened (a /JavaScript /OpenAction, as a malicious PDF would), and with
 * `linkTo` the whole page is a link to that URL: what a preview must never run or follow.
 */
export function drawablePdf(options: { pages?: number; openActionJs?: string; linkTo?: string } = {}): Buffer {
  const pages = options.pages ?? 1;
  const objects: string[] = [];
  /** Adds an object; its number is its place in the list (push answers the new length). */
  const add = (body: string) => objects.push(body);
  const literal = (text: string) => `(${text.replace(/[\\()]/g, (ch) => `\\${ch}`)})`;
  const catalog = add(''); // filled in below, once the other objects have numbers
  const pageTree = add('');
  const pageIds: number[] = [];
  for (let index = 0; index < pages; index++) {
    const drawing = '0.09 0.47 1 rg 20 20 160 160 re f';
    const contents = add(`<< /Length ${drawing.length} >>\nstream\n${drawing}\nendstream`);
    const link = options.linkTo ? add(`<< /Type /Annot /Subtype /Link /Rect [0 0 200 200] /Border [0 0 0] /A << /S /URI /URI ${literal(options.linkTo)} >> >>`) : undefined;
    pageIds.push(add(`<< /Type /Page /Parent ${pageTree} 0 R /MediaBox [0 0 200 200] /Resources << >> /Contents ${contents} 0 R${link ? ` /Annots [${link} 0 R]` : ''} >>`));
  }
  const action = options.openActionJs ? add(`<< /Type /Action /S /JavaScript /JS ${literal(options.openActionJs)} >>`) : undefined;
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pageTree} 0 R${action ? ` /OpenAction ${action} 0 R` : ''} >>`;
  objects[pageTree - 1] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages} >>`;

  let text = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(text, 'latin1'));
    text += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(text, 'latin1');
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, 'latin1');
}
