import { caseNumberOf, fillPlaceholders, unknownPlaceholders, type MacroValues } from './macro-template';

const values: MacroValues = { caseNumber: '1A2B3C4D', customerName: '王芳', agentName: 'Alice', subject: 'Parcel', transactionRef: 'TX-1' };

describe('macro placeholders', () => {
  it('fills every known placeholder, each time it occurs', () => {
    expect(fillPlaceholders('您好 {customerName}，案件 {caseNumber}（{caseNumber}）由 {agentName} 处理。', values)).toBe('您好 王芳，案件 1A2B3C4D（1A2B3C4D）由 Alice 处理。');
  });

  it('leaves unknown names and lone braces as they are', () => {
    expect(fillPlaceholders('{nope} {caseNumber} { x } {', values)).toBe('{nope} 1A2B3C4D { x } {');
  });

  it('names the unknown placeholders once each', () => {
    expect(unknownPlaceholders('{caseNr} {caseNumber} {caseNr} {amount}')).toEqual(['caseNr', 'amount']);
    expect(unknownPlaceholders('{caseNumber} {transactionRef}')).toEqual([]);
  });

  it('a case number is the id’s first eight hex digits in upper case', () => {
    expect(caseNumberOf('1a2b3c4d-0000-4000-8000-000000000000')).toBe('1A2B3C4D');
  });
});
