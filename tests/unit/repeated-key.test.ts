import { describe, expect, it } from "vitest";
import { repeatedKeyPath } from "@/lib/web/http/repeated-key";

describe("a JSON text naming a key twice", () => {
  it("finds no repeat where each object names its keys once, the same name in other objects included", () => {
    expect(repeatedKeyPath('{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}')).toBeNull();
    expect(repeatedKeyPath('["a","a",{"a":"a"}]')).toBeNull();
    expect(repeatedKeyPath('"a"')).toBeNull();
  });

  it("names the repeated key, however it is spelled or spaced", () => {
    expect(repeatedKeyPath('{"a":1,"a":2}')).toBe("a");
    expect(repeatedKeyPath('{"companyName":"A","company\\u004eame":"B"}')).toBe("companyName");
    expect(repeatedKeyPath('{ "a" :\n1 ,\t"a"\r: 2 }')).toBe("a");
  });

  it("names where it is: the keys and array positions that lead to it", () => {
    expect(repeatedKeyPath('{"x":{"y":1,"y":2}}')).toBe("x.y");
    expect(repeatedKeyPath('[{"a":1},{"b":1,"b":2}]')).toBe("1.b");
    expect(repeatedKeyPath('{"list":[1,[2],{"k":1,"k":1}]}')).toBe("list.2.k");
  });

  it("reads quotes, braces and backslashes inside strings as text", () => {
    expect(repeatedKeyPath('{"a":"}\\"{:","b":"\\\\","c":"[,"}')).toBeNull();
    expect(repeatedKeyPath('{"a":"}\\"{:","b":"\\\\","a":3}')).toBe("a");
  });

  it("walks a body nested 32,000 levels deep without running out of stack", () => {
    expect(repeatedKeyPath("[".repeat(32_000) + "]".repeat(32_000))).toBeNull();
    expect(repeatedKeyPath('{"a":'.repeat(10_000) + '{"b":1,"b":2}' + "}".repeat(10_000))).toBe(
      `${"a.".repeat(10_000)}b`,
    );
  });
});
