import { CSV_BOM, csvCell, csvChunks, csvLine } from './csv';

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

describe('CSV for spreadsheets', () => {
  it('guards cells that a spreadsheet would run as a formula', () => {
    expect(csvCell('=SUM(A1:A2)')).toBe("'=SUM(A1:A2)");
    expect(csvCell('+86 138')).toBe("'+86 138");
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes numbers as numbers, a negative one included, and nothing for null', () => {
    expect(csvCell(-42)).toBe('-42');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('quotes commas, quotes and line breaks, also in a guarded cell', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvLine(['x', 1, 'line\nbreak'])).toBe('x,1,"line\nbreak"\r\n');
  });

  it('keeps Chinese text as it is and starts the document with a UTF-8 BOM', async () => {
    const text = await collect(csvChunks(['主题', 'n'], [[['订单未收到', 1]], [], [['退款', 2]]]));
    expect(text.startsWith(CSV_BOM)).toBe(true);
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(text.slice(1)).toBe('主题,n\r\n订单未收到,1\r\n退款,2\r\n');
  });
});
