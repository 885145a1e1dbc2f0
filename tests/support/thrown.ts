/**
 * What a synchronous call throws, to assert on like any value:
 * `expect(thrown(() => parse(input))).toMatchObject({ status: 400 })`. Fails when the call returns.
 * (For promises: `await expect(promise).rejects.toMatchObject(…)`.)
 */
export function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw, but it returned");
}
