import 'reflect-metadata';
import { IsInt, IsString, getMetadataStorage, validateSync } from 'class-validator';
import { cacheValidationMetadataLookups } from './validation-metadata-cache';

class Named {
  @IsString()
  name!: string;
}

class Counted extends Named {
  @IsInt()
  count!: number;

  @IsString({ groups: ['labelled'] })
  label?: string;
}

const counted = (fields: Record<string, unknown>) => Object.assign(new Counted(), { label: 'l', ...fields });
const failing = (object: object, groups?: string[]) =>
  validateSync(object, groups ? { groups } : {})
    .map((error) => error.property)
    .sort();

describe('cacheValidationMetadataLookups', () => {
  beforeAll(() => cacheValidationMetadataLookups());

  it('answers the same rules for the same class and arguments without looking again', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Counted, '', false, false);
    expect(storage.getTargetValidationMetadatas(Counted, '', false, false)).toBe(first);
    expect(first.map((rule) => rule.propertyName).sort()).toEqual(['count', 'label', 'name']);
  });

  it('keeps validating as class-validator does: inherited rules, own rules, groups', () => {
    for (let ask = 0; ask < 2; ask++) {
      expect(failing(counted({ name: 'a', count: 1 }))).toEqual([]);
      // The parent's rule still applies to the child.
      expect(failing(counted({ name: 7, count: 1 }))).toEqual(['name']);
      expect(failing(counted({ name: 'a', count: 'x' }))).toEqual(['count']);
      expect(failing(Object.assign(new Named(), { name: 7 }))).toEqual(['name']);
      // Groups: without any, every rule applies; with some, only theirs. Each asks apart.
      expect(failing(counted({ name: 7, count: 1, label: 3 }))).toEqual(['label', 'name']);
      expect(failing(counted({ name: 7, count: 1, label: 3 }), ['labelled'])).toEqual(['label']);
      expect(failing(counted({ name: 7, count: 1, label: 3 }), ['other'])).toEqual([]);
    }
  });

  it('wraps the storage once, however many apps ask', () => {
    const storage = getMetadataStorage();
    const wrapped = storage.getTargetValidationMetadatas;
    cacheValidationMetadataLookups();
    expect(storage.getTargetValidationMetadatas).toBe(wrapped);
  });
});
