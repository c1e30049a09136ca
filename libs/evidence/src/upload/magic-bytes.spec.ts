import { sniffContentType } from './magic-bytes';

const bytes = (...values: number[]) => Buffer.from(values);

describe('evidence type by magic bytes', () => {
  it('recognises PDF, PNG and JPEG by their signatures', () => {
    expect(sniffContentType(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj', 'latin1'))).toBe('application/pdf');
    expect(sniffContentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13))).toBe('image/png');
    expect(sniffContentType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46))).toBe('image/jpeg');
  });

  it('accepts UTF-8 plain text, Chinese included', () => {
    expect(sniffContentType(Buffer.from('快递单号 SF1234567890, signed by 王先生'))).toBe('text/plain');
    expect(sniffContentType(Buffer.from('\uFEFFTracking: 1Z999'))).toBe('text/plain');
  });

  it('tolerates a multi-byte character cut off at the end of the sample', () => {
    const text = Buffer.from('签收');
    expect(sniffContentType(text.subarray(0, text.length - 1))).toBe('text/plain');
  });

  it('refuses HTML, SVG and XML, whatever the file is called', () => {
    expect(sniffContentType(Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>'))).toBeNull();
    expect(sniffContentType(Buffer.from('  \n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'))).toBeNull();
    expect(sniffContentType(Buffer.from('\uFEFF<?xml version="1.0"?><x/>'))).toBeNull();
  });

  it('refuses binaries and near-misses of the signatures', () => {
    expect(sniffContentType(bytes(0x4d, 0x5a, 0x90, 0x00))).toBeNull(); // an .exe
    expect(sniffContentType(bytes(0x50, 0x4b, 0x03, 0x04))).toBeNull(); // a zip
    expect(sniffContentType(Buffer.from('%PDF', 'latin1'))).toBe('text/plain'); // no dash: just text
    expect(sniffContentType(bytes(0x89, 0x50, 0x4e, 0x47))).toBeNull(); // truncated PNG signature
    expect(sniffContentType(bytes(0xff, 0xd8))).toBeNull();
    expect(sniffContentType(bytes(0xc3, 0x28))).toBeNull(); // invalid UTF-8
    expect(sniffContentType(Buffer.from('text with a \u0000 NUL'))).toBeNull();
    expect(sniffContentType(Buffer.alloc(0))).toBeNull();
  });
});
