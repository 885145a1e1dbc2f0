/**
 * Answers remembered for the rest of one request. React's `cache` forgets between a server action
 * and the page Next renders after it in the same response, so the page would look up again what
 * the action just read or wrote (the session, the customer's end-user). Next keeps one headers
 * object per request for both, which scopes these memos; they go with it.
 */
import "server-only";
import { headers } from "next/headers";

const memos = new WeakMap<object, Map<string, Promise<unknown>>>();

async function requestMemo(): Promise<Map<string, Promise<unknown>>> {
  const scope = await headers();
  let memo = memos.get(scope);
  if (!memo) memos.set(scope, (memo = new Map()));
  return memo;
}

/** `compute`'s answer for `key`, computed once per request; a failure is not remembered. */
export async function oncePerRequest<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const memo = await requestMemo();
  const known = memo.get(key) as Promise<T> | undefined;
  if (known) return known;
  const pending = compute();
  memo.set(key, pending);
  pending.catch(() => {
    if (memo.get(key) === pending) memo.delete(key);
  });
  return pending;
}

/** What this request was told for `key`, or undefined. */
export async function rememberedForRequest<T>(key: string): Promise<T | undefined> {
  return (await requestMemo()).get(key) as Promise<T> | undefined;
}

/** Tells the rest of this request the answer for `key` (what a write just made true). */
export async function rememberForRequest<T>(key: string, value: T): Promise<void> {
  (await requestMemo()).set(key, Promise.resolve(value));
}
