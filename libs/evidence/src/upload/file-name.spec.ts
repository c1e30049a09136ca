import { contentDisposition, safeDisplayName } from './file-name';

describe('uploaded file names are display text only', () => {
  it.each([
    ['../../../etc/passwd', 'passwd'],
    ['..\\..\\windows\\win.ini', 'win.ini'],
    ['/absolute/path/receipt.pdf', 'receipt.pdf'],
    ['..', 'file'],
    ['.htaccess', 'htaccess'],
    ['a"\r\nX-Injected: 1.pdf', 'aX-Injected 1.pdf'],
    ['nul\u0000byte.pdf', 'nulbyte.pdf'],
    ['', 'file'],
    ['快递签收单.pdf', '快递签收单.pdf'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['\u2067photo\u2069\u200F.jpg', 'photo.jpg'],
  ])('%j → %j', (raw, expected) => {
    expect(safeDisplayName(raw)).toBe(expected);
  });

  it('bounds the length', () => {
    expect(safeDisplayName('a'.repeat(1000))).toHaveLength(200);
  });

  it('builds an attachment header that cannot be broken out of', () => {
    expect(contentDisposition('签收单 "final".pdf')).toBe(`attachment; filename="___ _final_.pdf"; filename*=UTF-8''%E7%AD%BE%E6%94%B6%E5%8D%95%20%22final%22.pdf`);
    expect(contentDisposition('x\r\ny')).not.toMatch(/[\r\n]/);
  });
});
