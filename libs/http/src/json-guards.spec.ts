import { inspectJsonText, MAX_JSON_DEPTH } from './json-guards';

describe('inspectJsonText', () => {
  it('lets ordinary bodies through, with tabs and newlines in text and brackets inside strings', () => {
    expect(inspectJsonText('{"a":"line\\nnext\\ttab","b":[1,{"c":"[[[{{{"}],"d":"quote \\" and \\\\u0000 as text"}')).toBeNull();
  });

  it('refuses escaped control characters such as NUL in any string, keys included', () => {
    expect(inspectJsonText('{"subject":"a\\u0000b"}')).toBe('json.control_character');
    expect(inspectJsonText('{"x\\u001f":1}')).toBe('json.control_character');
    expect(inspectJsonText('["\\u007F"]')).toBe('json.control_character');
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH}`, () => {
    expect(inspectJsonText('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBeNull();
    expect(inspectJsonText('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1))).toBe('json.too_deep');
    expect(inspectJsonText('{"a":'.repeat(5000) + '1' + '}'.repeat(5000))).toBe('json.too_deep');
  });
});
