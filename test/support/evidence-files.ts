/** Small files with real signatures, as a merchant's scanner or phone would produce them. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
export const HTML = Buffer.from('<!DOCTYPE html><html><body><script>fetch("/v1/cases")</script></body></html>');
