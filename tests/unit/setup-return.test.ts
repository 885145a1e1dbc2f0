import { beforeAll, describe, expect, it, vi } from "vitest";

let proof: typeof import("@/lib/use-cases/connection/setup-return");

beforeAll(async () => {
  vi.stubEnv("AUTH_SECRET", "unit-test-secret-0123456789abcdef0123456789");
  proof = await import("@/lib/use-cases/connection/setup-return");
});

const ID = "end_usr_1234567890abcdef";
const NOW = Date.parse("2026-12-07T10:00:00Z");

describe("the setup return's proof", () => {
  it("holds for the end-user and time it was made for, until that time", () => {
    const until = proof.setupReturnUntil(30, NOW);
    const made = proof.setupReturnProof(ID, until);
    expect(made).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(proof.provesSetupReturn(ID, String(until), made, NOW)).toBe(true);
    expect(proof.provesSetupReturn(ID, String(until), made, until * 1000)).toBe(true);
  });

  it("no longer holds once its time has passed", () => {
    const until = proof.setupReturnUntil(30, NOW);
    const made = proof.setupReturnProof(ID, until);
    expect(proof.provesSetupReturn(ID, String(until), made, until * 1000 + 1000)).toBe(false);
  });

  it("lasts the link's own lifetime and an hour more, Conductor's 30 minutes for a link made without one", () => {
    const seconds = NOW / 1000;
    expect(proof.setupReturnUntil(1440, NOW)).toBe(seconds + (1440 + 60) * 60);
    expect(proof.setupReturnUntil(undefined, NOW)).toBe(seconds + (30 + 60) * 60);
  });

  it("does not hold for a later time, another end-user, or a time that is not whole seconds", () => {
    const until = proof.setupReturnUntil(30, NOW);
    const made = proof.setupReturnProof(ID, until);
    expect(proof.provesSetupReturn(ID, String(until + 86_400), made, NOW)).toBe(false);
    expect(proof.provesSetupReturn("end_usr_other000000000000", String(until), made, NOW)).toBe(false);
    for (const odd of [`${until}.0`, ` ${until}`, `+${until}`, `0${until}`, "", "1e20", ["x"], undefined])
      expect(proof.provesSetupReturn(ID, odd, made, NOW)).toBe(false);
    expect(proof.provesSetupReturn(ID, String(until), made.slice(0, 31), NOW)).toBe(false);
    expect(proof.provesSetupReturn(ID, String(until), [made], NOW)).toBe(false);
  });
});
