import { describe, expect, it } from 'vitest';
import { nonEmptyString, nonNegativeInt, positiveInt, positiveNumber, z } from './zod.js';

describe('the shared settings schemas', () => {
  it('check what their names say', () => {
    expect(nonEmptyString.safeParse('x').success).toBe(true);
    expect(nonEmptyString.safeParse('').success).toBe(false);
    expect(positiveInt.safeParse(1).success).toBe(true);
    expect([0, 1.5, -1].map((n) => positiveInt.safeParse(n).success)).toEqual([false, false, false]);
    expect(nonNegativeInt.safeParse(0).success).toBe(true);
    expect([-1, 0.5].map((n) => nonNegativeInt.safeParse(n).success)).toEqual([false, false]);
    expect(positiveNumber.safeParse(0.5).success).toBe(true);
    expect(positiveNumber.safeParse(0).success).toBe(false);
  });

  it('stay unchanged when a namespace derives from them (shared by every plugin)', () => {
    const optional = nonEmptyString.optional();
    const withDefault = positiveInt.default(5);
    const capped = nonEmptyString.max(3);
    expect(optional.parse(undefined)).toBeUndefined();
    expect(withDefault.parse(undefined)).toBe(5);
    expect(capped.safeParse('abcd').success).toBe(false);
    expect(nonEmptyString.safeParse(undefined).success).toBe(false);
    expect(positiveInt.safeParse(undefined).success).toBe(false);
    expect(nonEmptyString.safeParse('abcd').success).toBe(true);
  });

  it('give the messages the written-out schemas give', () => {
    const message = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error?.issues[0]?.message;
    expect(message(nonEmptyString, '')).toBe(message(z.string().min(1), ''));
    expect(message(positiveInt, 0)).toBe(message(z.number().int().positive(), 0));
    expect(message(nonNegativeInt, -1)).toBe(message(z.number().int().min(0), -1));
  });
});
