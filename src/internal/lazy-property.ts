/**
 * One accessor descriptor for member `name`, shared by every object given it (no closure per object):
 * reading computes the value from the object's other data; assigning turns the member into plain data,
 * and so does the first read when `keep` is set, so the value is then computed once. The member is
 * enumerable, so keys, spreads and JSON show it as an ordinary member.
 */
export function lazyProperty<T extends object>(
  name: string,
  compute: (self: T) => unknown,
  keep: boolean,
): PropertyDescriptor {
  const settle = (self: object, value: unknown): void => {
    Object.defineProperty(self, name, { value, enumerable: true, writable: true, configurable: true });
  };
  return {
    enumerable: true,
    configurable: true,
    get(this: T): unknown {
      const value = compute(this);
      if (keep) settle(this, value);
      return value;
    },
    set(this: T, value: unknown): void {
      settle(this, value);
    },
  };
}
