import { describe, expect, it } from 'vitest';
import { LambdaApiError } from '../../../src/api/api-errors.js';
import { FUNCTION_PAGING, INVOKE_CONFIG_PAGING, MAPPING_PAGING, pageOf, parseMaxItems } from '../../../src/api/paging.js';

const key = (item: string): string => item;

describe('pageOf', () => {
  it('sorts, pages with opaque markers and ends with a null marker', () => {
    const items = ['e', 'a', 'd', 'c', 'b'];
    const first = pageOf(items, key, null, 2, MAPPING_PAGING);
    expect(first.items).toEqual(['a', 'b']);
    expect(first.nextMarker).not.toContain('b');
    const second = pageOf(items, key, first.nextMarker, 2, MAPPING_PAGING);
    expect(second.items).toEqual(['c', 'd']);
    const last = pageOf(items, key, second.nextMarker, 2, MAPPING_PAGING);
    expect(last).toEqual({ items: ['e'], nextMarker: null });
    expect(pageOf(items, key, null, 5, MAPPING_PAGING).nextMarker).toBeNull();
  });

  it('neither repeats nor skips an item that existed throughout when others are added or deleted between pages', () => {
    const first = pageOf(['a', 'b', 'c', 'd'], key, null, 2, MAPPING_PAGING);
    const next = pageOf(['aa', 'c', 'd', 'e'], key, first.nextMarker, 2, MAPPING_PAGING);
    expect(next.items).toEqual(['c', 'd']);
  });

  it("caps a page at AWS's per-response maximum whatever MaxItems says", () => {
    const many = Array.from({ length: 120 }, (_, i) => String(i).padStart(3, '0'));
    expect(pageOf(many, key, null, 10_000, MAPPING_PAGING).items).toHaveLength(100);
    expect(pageOf(many, key, null, null, FUNCTION_PAGING).items).toHaveLength(50);
  });

  it('refuses a marker it did not issue', () => {
    expect(() => pageOf(['a'], key, 'garbage!', null, MAPPING_PAGING)).toThrow(LambdaApiError);
    expect(() => pageOf(['a'], key, Buffer.from('a').toString('base64url'), null, MAPPING_PAGING)).toThrow(/Invalid Marker/);
  });
});

describe('parseMaxItems', () => {
  it("checks the model's range with AWS's ValidationException", () => {
    expect(parseMaxItems(null, MAPPING_PAGING)).toBeNull();
    expect(parseMaxItems('25', MAPPING_PAGING)).toBe(25);
    expect(() => parseMaxItems('0', MAPPING_PAGING)).toThrow(
      "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    expect(() => parseMaxItems('51', INVOKE_CONFIG_PAGING)).toThrow('Member must have value less than or equal to 50');
    expect(() => parseMaxItems('ten', MAPPING_PAGING)).toThrow(LambdaApiError);
  });
});
