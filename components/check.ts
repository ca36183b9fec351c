/**
 * A rule of this package, for checking your own values (config, stack outputs): `parse`
 * returns the value or throws naming the problem, `safeParse` returns the issues instead.
 * Declared here so that the published types do not depend on the validation library.
 */
export interface Check<T> {
  parse(value: unknown): T;
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { message: string; path: PropertyKey[] }[] } };
}
