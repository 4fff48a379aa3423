/**
 * Type-level comparisons for the library's input types against the zod schema's input (test/unit/types/). Pure
 * types: a mismatch is a compile error of `npm run typecheck`, with the path of the difference in the message.
 */
import type { Interpolated } from '../../src/types/index.js';

type Leaf = string | number | boolean | bigint | symbol | null | undefined | ((...args: never[]) => unknown);
type Objects<T> = Exclude<T, Leaf | readonly unknown[]>;
type Elements<T> = T extends readonly (infer E)[] ? E : never;

/**
 * The schema's input as code should write it: where the schema coerces strings into numbers or booleans (so that
 * `${VAR}` interpolation works in files), only a `${VAR}` string stays; lists become readonly.
 */
export type StrictInput<T> = T extends readonly (infer E)[]
  ? readonly StrictInput<E>[]
  : T extends (...args: never[]) => unknown
    ? T
    : T extends object
      ? { readonly [K in keyof T]: StrictField<T[K]> }
      : T;
type StrictField<T> = [Extract<T, number | boolean>] extends [never] ? StrictInput<T> : StrictInput<Exclude<T, string>> | Interpolated;

/** `true` when each type is assignable to the other, else which way fails. */
export type Mutual<Library, Schema> = [Library] extends [Schema]
  ? [Schema] extends [Library]
    ? true
    : 'a value the schema takes does not compile'
  : 'a value that compiles is not one the schema takes';

/** Paths where the two types have different keys, down through objects, lists and unions by `type`; never when none. */
export type KeyDiff<A, B, P extends string = '$'> =
  | ObjectDiff<Objects<A>, Objects<B>, P>
  | MissingMembers<Objects<A>, Objects<B>, P>
  | ([Elements<A>] extends [never] ? never : KeyDiff<Elements<A>, Elements<B>, `${P}[]`>);

type ObjectDiff<A, B, P extends string> = A extends { readonly type: infer T extends string }
  ? MemberDiff<A, Extract<B, { readonly type: T }>, `${P}<${T}>`>
  : MemberDiff<A, B, P>;

type MissingMembers<A, B, P extends string> = B extends { readonly type: infer T extends string }
  ? [Extract<A, { readonly type: T }>] extends [never]
    ? `${P}<${T}>: only in the schema`
    : never
  : [A] extends [never]
    ? `${P}: an object only in the schema`
    : never;

type MemberDiff<A, B, P extends string> = [B] extends [never]
  ? `${P}: only in the library type`
  :
      | `${P}.${Exclude<keyof A, keyof B> & string}: only in the library type`
      | `${P}.${Exclude<keyof B, keyof A> & string}: only in the schema`
      | { [K in keyof A & keyof B & string]-?: KeyDiff<A[K], B[K], `${P}.${K}`> }[keyof A & keyof B & string];
