/**
 * Memoises the last call of `fn` by argument identity (memoize-one's rule), so every component that
 * derives the same view of one store state shares one computation instead of one per component.
 */
export function memoLast<A extends readonly unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let last: { args: A; value: R } | null = null;
  return (...args: A): R => {
    if (last && last.args.length === args.length && last.args.every((a, i) => Object.is(a, args[i]))) return last.value;
    last = { args, value: fn(...args) };
    return last.value;
  };
}
