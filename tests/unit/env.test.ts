import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InvalidEnvironmentError, parseEnv } from "@/lib/platform/env-schema";
import { deriveModes, liveParts, sandboxedParts } from "@/lib/platform/modes";
import { serverListenAddress } from "@/lib/platform/listen-address";

/** Values as generated ones look (openssl rand -base64 32, and shorter). */
const SECRET = "q3Vd8mZ0tXcR1pLk7nYwF4sHbJ9eGuA2oTiE6yN5aQc=";
const CRON = "c9Xk2mQ7vR4tB8wZ";
const TOKEN = "svc_Lr8TzQ2mVx5Nc9KpW3aFj7YdH4sGbE6u";

/** A production server's variables with a live Conductor key and real mail, but for its database. */
const LIVE_SERVER = {
  NODE_ENV: "production",
  CONDUCTOR_SECRET_KEY: "sk_conductor_x",
  CONDUCTOR_PUBLISHABLE_KEY: "pk_conductor_x",
  EMAIL_SERVER: "smtp://h:25",
  EMAIL_FROM: "a@b.co",
  AUTH_SECRET: SECRET,
  AUTH_URL: "https://onboarding.example.com",
};

/** What parseEnv refuses in `source`, for a process listening on `listensOn` (null: not a server). */
const problems = (source: Record<string, string | undefined>, listensOn: string | null = null) => {
  try {
    parseEnv(source, listensOn);
    return [];
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.problems;
    throw error;
  }
};

describe("environment", () => {
  it("runs with no configuration at all, everything sandboxed", () => {
    const env = parseEnv({});
    const modes = deriveModes(env);
    expect(modes).toMatchObject({
      database: "embedded",
      conductor: "sandbox",
      altur: "sandbox",
      dify: "sandbox",
      mail: "sandbox-mailbox",
    });
    expect(modes.authUrl).toBe("http://localhost:3000");
    expect(sandboxedParts(modes)).toHaveLength(5);
    expect(sandboxedParts(modes, "everyone")).toEqual([
      "database (embedded PGlite)",
      "Conductor",
      "mail (sandbox mailbox)",
    ]);
    expect(liveParts(modes)).toEqual([]);
  });

  it("names the real services beside the simulated ones (a development server with a live key and real mail)", () => {
    const modes = deriveModes(
      parseEnv({
        CONDUCTOR_SECRET_KEY: "sk_conductor_x",
        CONDUCTOR_PUBLISHABLE_KEY: "pk_conductor_x",
        EMAIL_SERVER: "smtp://h:25",
        EMAIL_FROM: "a@b.co",
      }),
    );
    expect(sandboxedParts(modes)).toEqual(["database (embedded PGlite)", "Altur", "Dify"]);
    expect(liveParts(modes)).toEqual(["Conductor", "mail (EMAIL_SERVER)"]);
    expect(liveParts(modes, "everyone")).toEqual(["Conductor", "mail (EMAIL_SERVER)"]);
    const withPostgres = deriveModes(parseEnv({ DATABASE_URL: "postgres://u@h/db", ALTUR_API_KEY: "alturkey" }));
    expect(liveParts(withPostgres)).toEqual(["database (Postgres)", "Altur"]);
    expect(liveParts(withPostgres, "everyone")).toEqual(["database (Postgres)"]);
  });

  it("names a malformed DATABASE_URL", () => {
    expect(problems({ DATABASE_URL: "nonsense" })).toEqual([expect.stringMatching(/^DATABASE_URL .*postgres/)]);
  });

  it("names a malformed base URL beside a live key, without repeating the URL (it may hold credentials)", () => {
    const url = "https://proxyuser:PROXYPASSWORD@conductor proxy.example.com/v1";
    const found = problems({
      CONDUCTOR_SECRET_KEY: "sk_conductor_x",
      CONDUCTOR_PUBLISHABLE_KEY: "pk_x",
      CONDUCTOR_BASE_URL: url,
    });
    expect(found).toContainEqual(expect.stringMatching(/^CONDUCTOR_BASE_URL /));
    expect(found.join("\n")).not.toContain("PROXYPASSWORD");
    expect(problems({ ALTUR_API_KEY: "alturkey", ALTUR_BASE_URL: "::garbage" })).toEqual([
      expect.stringMatching(/^ALTUR_BASE_URL /),
    ]);
  });

  it("refuses a database or mail server URL that names no host", () => {
    expect(problems({ DATABASE_URL: "postgresql://" })).toEqual(["DATABASE_URL must name a host"]);
    expect(problems({ EMAIL_SERVER: "smtp://", EMAIL_FROM: "a@example.com" })).toEqual([
      "EMAIL_SERVER must name a host",
    ]);
    expect(parseEnv({ DATABASE_URL: "postgresql:///app?host=/var/run/postgresql" }).DATABASE_URL).toContain("host=");
  });

  it("refuses a database URL whose sslmode node-postgres would take for TLS without a word, keeping the known ones", () => {
    for (const url of [
      "postgresql://app:s3cret@db.example.com/app?sslmode=bogus",
      "postgresql://app@db.example.com/app?sslmode=bogus%20foo",
      "postgresql://app@db.example.com/app?sslmode=",
    ]) {
      const found = problems({ DATABASE_URL: url, DATABASE_URL_UNPOOLED: url });
      expect(found).toEqual([
        expect.stringMatching(/^DATABASE_URL must have an sslmode of disable, allow, prefer, require, verify-ca/),
        expect.stringMatching(/^DATABASE_URL_UNPOOLED must have an sslmode of/),
      ]);
      expect(found.join("\n")).not.toContain("s3cret");
    }
    for (const mode of ["disable", "require", "verify-full", "no-verify"])
      expect(parseEnv({ DATABASE_URL: `postgresql://db.example.com/app?sslmode=${mode}` }).DATABASE_URL).toContain(
        mode,
      );
  });

  it("names a Conductor key of the wrong shape", () => {
    expect(problems({ CONDUCTOR_SECRET_KEY: "wrong-shape" })).toContainEqual(
      expect.stringMatching(/^CONDUCTOR_SECRET_KEY must start with sk_/),
    );
    expect(problems({ CONDUCTOR_SECRET_KEY: "sk_conductor_ with space" })).toContainEqual(
      expect.stringMatching(/^CONDUCTOR_SECRET_KEY/),
    );
  });

  it("accepts today's and older Conductor key shapes", () => {
    const base = {
      EMAIL_SERVER: "smtp://127.0.0.1:2525",
      EMAIL_FROM: "a@b.c",
      CONDUCTOR_PUBLISHABLE_KEY: "pk_conductor_x",
    };
    expect(problems({ ...base, CONDUCTOR_SECRET_KEY: "sk_conductor_abc123" })).toEqual([]);
    expect(problems({ ...base, CONDUCTOR_SECRET_KEY: "sk_test_abc123" })).toEqual([]);
  });

  it("refuses the embedded database and every missing production variable on Vercel, naming each", () => {
    const names = problems({ VERCEL: "1", VERCEL_ENV: "production" }).map((p) => p.split(" ")[0]);
    // At once, the variables that go with a missing one included: a first deployment needs one round.
    expect(names.sort()).toEqual([
      "AUTH_SECRET",
      "CONDUCTOR_PUBLISHABLE_KEY",
      "CONDUCTOR_SECRET_KEY",
      "CRON_SECRET",
      "DATABASE_URL",
      "EMAIL_FROM",
      "EMAIL_SERVER",
    ]);
  });

  it("says a variable that goes with a missing one is needed on Vercel, not that the missing one is set", () => {
    const told = problems({ VERCEL: "1", VERCEL_ENV: "production" });
    expect(told).toContain(
      "CONDUCTOR_PUBLISHABLE_KEY is required on Vercel, as CONDUCTOR_SECRET_KEY is (customers connect QuickBooks Desktop through auth sessions made with it)",
    );
    expect(told).toContain(
      "EMAIL_FROM is required on Vercel, as EMAIL_SERVER is (the sender of sign-in and setup emails)",
    );
    const withPartners = problems({ VERCEL: "1", CONDUCTOR_SECRET_KEY: "sk_conductor_x", EMAIL_SERVER: "smtp://h:25" });
    expect(withPartners).toContain(
      "CONDUCTOR_PUBLISHABLE_KEY is required with a live CONDUCTOR_SECRET_KEY (customers connect QuickBooks Desktop through auth sessions made with it)",
    );
    expect(withPartners).toContain("EMAIL_FROM is required with EMAIL_SERVER (the sender of sign-in and setup emails)");
  });

  it("requires CRON_SECRET only on Vercel production, where the daily cron would otherwise be refused", () => {
    const preview = {
      VERCEL: "1",
      VERCEL_ENV: "preview",
      DATABASE_URL: "postgres://u@h/db",
      AUTH_SECRET: SECRET,
      EMAIL_SERVER: "smtp://h:25",
      EMAIL_FROM: "a@b.co",
      CONDUCTOR_SECRET_KEY: "sk_conductor_x",
      CONDUCTOR_PUBLISHABLE_KEY: "pk_conductor_x",
    };
    expect(problems(preview)).toEqual([]);
    expect(problems({ ...preview, VERCEL_ENV: "production" })).toEqual([
      expect.stringMatching(/^CRON_SECRET is required on Vercel production/),
    ]);
  });

  it("lets a preview deployment opt into the sandbox Conductor, but never production", () => {
    const vercel = {
      VERCEL: "1",
      DATABASE_URL: "postgres://u@h/db",
      AUTH_SECRET: SECRET,
      EMAIL_SERVER: "smtp://h:25",
      EMAIL_FROM: "a@b.c",
      CRON_SECRET: CRON,
    };
    expect(problems({ ...vercel, VERCEL_ENV: "preview", CONDUCTOR_SANDBOX: "1" })).toEqual([]);
    expect(problems({ ...vercel, VERCEL_ENV: "production", CONDUCTOR_SANDBOX: "1" })).toEqual([
      expect.stringMatching(/^CONDUCTOR_SECRET_KEY is required on Vercel/),
      expect.stringMatching(/^CONDUCTOR_PUBLISHABLE_KEY is required on Vercel, as CONDUCTOR_SECRET_KEY is/),
    ]);
    const live = { ...vercel, CONDUCTOR_SECRET_KEY: "sk_conductor_x", CONDUCTOR_PUBLISHABLE_KEY: "pk_conductor_x" };
    expect(problems({ ...live, VERCEL_ENV: "production", CONDUCTOR_SANDBOX: "1" })).toEqual([
      expect.stringMatching(/^CONDUCTOR_SANDBOX must not be set on Vercel production/),
    ]);
  });

  it("runs the sandbox Conductor where CONDUCTOR_SANDBOX=1 asks for it, even with a key set for every environment", () => {
    const live = {
      CONDUCTOR_SECRET_KEY: "sk_conductor_x",
      CONDUCTOR_PUBLISHABLE_KEY: "pk_conductor_x",
      EMAIL_SERVER: "smtp://h:25",
      EMAIL_FROM: "a@b.c",
    };
    expect(deriveModes(parseEnv(live, null)).conductor).toBe("live");
    expect(deriveModes(parseEnv({ ...live, CONDUCTOR_SANDBOX: "1" }, null)).conductor).toBe("sandbox");
  });

  it("requires SMTP as soon as Conductor is live, since the sandbox mailbox is for full sandbox mode only", () => {
    expect(problems({ CONDUCTOR_SECRET_KEY: "sk_conductor_x" })).toContainEqual(
      expect.stringMatching(/^EMAIL_SERVER is required/),
    );
  });

  it.each([
    ["CONDUCTOR_SECRET_KEY", "sk_conductor_abc\u200bdef"],
    ["CONDUCTOR_PUBLISHABLE_KEY", "pk_conductor_\u00a0x"],
    ["LOOKUP_API_TOKENS", `${"t".repeat(32)}\u200b`],
    ["CRON_SECRET", `cron-secret-${"é".repeat(8)}`],
    ["ALTUR_API_KEY", "altur\u2060key"],
    ["DIFY_API_KEY", "app-\ufeffkey"],
  ])("refuses %s with a character an HTTP header cannot carry (pasted with it), naming it", (name, value) => {
    expect(problems({ [name]: value })).toContainEqual(
      expect.stringMatching(new RegExp(`^${name}(\\.0)? .*no whitespace or invisible character`)),
    );
  });

  it("requires AUTH_SECRET and AUTH_URL on a production server that mails real sign-in links, even with Conductor sandboxed", () => {
    const mailing = {
      NODE_ENV: "production",
      EMAIL_SERVER: "smtp://h:25",
      EMAIL_FROM: "a@b.c",
      DATABASE_URL: "postgres://u@h/db",
    };
    expect(problems(mailing, "127.0.0.1")).toEqual([
      expect.stringMatching(/^AUTH_SECRET is required on a production server that sends real mail/),
      expect.stringMatching(/^AUTH_URL is required on a production server that sends real mail/),
    ]);
    const configured = { ...mailing, AUTH_SECRET: SECRET, AUTH_URL: "https://onboarding.example.com" };
    expect(problems(configured, "127.0.0.1")).toEqual([]);
    // The demo (the sandbox mailbox) and a development server keep their generated secret.
    expect(problems({ NODE_ENV: "production" }, "127.0.0.1")).toEqual([]);
    expect(problems({ ...mailing, NODE_ENV: "development" }, "127.0.0.1")).toEqual([]);
  });

  it("requires AUTH_SECRET for a live production server", () => {
    const live = {
      NODE_ENV: "production",
      CONDUCTOR_SECRET_KEY: "sk_conductor_x",
      CONDUCTOR_PUBLISHABLE_KEY: "pk_conductor_x",
      EMAIL_SERVER: "smtp://h:25",
      EMAIL_FROM: "a@b.c",
    };
    expect(problems(live)).toEqual([expect.stringMatching(/^AUTH_SECRET is required in production/)]);
  });

  it("rejects short or extra service tokens and bad operator emails", () => {
    expect(problems({ LOOKUP_API_TOKENS: "short" })).toContainEqual(
      expect.stringMatching(/^LOOKUP_API_TOKENS\.0 .*32 characters/),
    );
    const long = TOKEN;
    expect(problems({ LOOKUP_API_TOKENS: [long, long, long].join(",") })).toContainEqual(
      expect.stringMatching(/at most two tokens/),
    );
    expect(problems({ ADMIN_EMAILS: "ops@example.com, not-an-email" })).toContainEqual(
      expect.stringMatching(/^ADMIN_EMAILS\.1/),
    );
  });

  it("normalizes operator emails and splits token lists", () => {
    const env = parseEnv({
      ADMIN_EMAILS: " Ops@Example.com ,b@c.io",
      LOOKUP_API_TOKENS: `${TOKEN}, ${SECRET}`,
    });
    expect(env.ADMIN_EMAILS).toEqual(["ops@example.com", "b@c.io"]);
    expect(env.LOOKUP_API_TOKENS).toEqual([TOKEN, SECRET]);
  });

  it("refuses DEBUG=true with a live key, because the SDK would log the key", () => {
    const live = {
      CONDUCTOR_SECRET_KEY: "sk_conductor_x",
      CONDUCTOR_PUBLISHABLE_KEY: "pk_conductor_x",
      EMAIL_SERVER: "smtp://h:25",
      EMAIL_FROM: "a@b.c",
      DEBUG: "true",
    };
    expect(problems(live)).toEqual([expect.stringMatching(/^DEBUG must not be true/)]);
  });

  it("requires CONDUCTOR_PUBLISHABLE_KEY whenever a live CONDUCTOR_SECRET_KEY is set, naming it", () => {
    const live = { CONDUCTOR_SECRET_KEY: "sk_conductor_x", EMAIL_SERVER: "smtp://h:25", EMAIL_FROM: "a@b.c" };
    expect(problems(live)).toEqual([expect.stringMatching(/^CONDUCTOR_PUBLISHABLE_KEY is required with a live/)]);
    expect(problems({ ...live, CONDUCTOR_PUBLISHABLE_KEY: "pk_conductor_x" })).toEqual([]);
    const vercel = {
      VERCEL: "1",
      VERCEL_ENV: "preview",
      DATABASE_URL: "postgres://u@h/db",
      AUTH_SECRET: SECRET,
      EMAIL_SERVER: "smtp://h:25",
      EMAIL_FROM: "a@b.c",
      CONDUCTOR_SECRET_KEY: "sk_conductor_x",
    };
    expect(problems(vercel)).toEqual([expect.stringMatching(/^CONDUCTOR_PUBLISHABLE_KEY is required/)]);
    // The sandbox has its own publishable key: nothing is required without a secret key.
    expect(problems({})).toEqual([]);
  });

  it.each([
    ["a secret key", "sk_conductor_x"],
    ["whitespace", "pk_conductor_ x"],
    ["an empty prefix", "pk_"],
  ])("names a publishable key with %s", (_label, value) => {
    const live = { CONDUCTOR_SECRET_KEY: "sk_conductor_x", EMAIL_SERVER: "smtp://h:25", EMAIL_FROM: "a@b.c" };
    expect(problems({ ...live, CONDUCTOR_PUBLISHABLE_KEY: value })).toEqual([
      expect.stringMatching(/^CONDUCTOR_PUBLISHABLE_KEY must start with pk_/),
    ]);
  });

  it("keeps connect links within Conductor's bounds of 15 minutes to 7 days, a day by default", () => {
    expect(parseEnv({}).CONNECT_LINK_EXPIRY_MINUTES).toBe(1440);
    expect(parseEnv({ CONNECT_LINK_EXPIRY_MINUTES: "15" }).CONNECT_LINK_EXPIRY_MINUTES).toBe(15);
    expect(parseEnv({ CONNECT_LINK_EXPIRY_MINUTES: "10080" }).CONNECT_LINK_EXPIRY_MINUTES).toBe(10080);
    for (const value of ["14", "10081", "60.5", "a day"]) {
      expect(problems({ CONNECT_LINK_EXPIRY_MINUTES: value }), value).toEqual([
        expect.stringMatching(/^CONNECT_LINK_EXPIRY_MINUTES /),
      ]);
    }
  });

  it("takes numeric settings written in digits only, naming one written any other way, and an empty one as unset", () => {
    for (const value of ["0x20", "0b10000", "1e3", " 30 ", "30.0", "+30", "-30", "Infinity", "30min"])
      expect(problems({ CONNECT_LINK_EXPIRY_MINUTES: value }), value).toEqual([
        expect.stringMatching(/^CONNECT_LINK_EXPIRY_MINUTES must be a whole number written in digits/),
      ]);
    expect(problems({ PORT: "0x10" })).toEqual([expect.stringMatching(/^PORT must be a whole number/)]);
    expect(problems({ DATABASE_POOL_MAX: "1e1" })).toEqual([
      expect.stringMatching(/^DATABASE_POOL_MAX must be a whole number/),
    ]);
    expect(parseEnv({ CONNECT_LINK_EXPIRY_MINUTES: "", PORT: "", DATABASE_POOL_MAX: "" })).toMatchObject({
      CONNECT_LINK_EXPIRY_MINUTES: 1440,
      PORT: 3000,
      DATABASE_POOL_MAX: undefined,
    });
    expect(parseEnv({ CONNECT_LINK_EXPIRY_MINUTES: "0030", LOOKUP_RATE_LIMIT_PER_MINUTE: "100" })).toMatchObject({
      CONNECT_LINK_EXPIRY_MINUTES: 30,
      LOOKUP_RATE_LIMIT_PER_MINUTE: 100,
    });
    expect(parseEnv({ RECONCILE_INTERVAL_MINUTES: "0.5" }).RECONCILE_INTERVAL_MINUTES).toBe(0.5);
    expect(problems({ RECONCILE_INTERVAL_MINUTES: ".5" })).toEqual([
      expect.stringMatching(/^RECONCILE_INTERVAL_MINUTES must be a number written in decimal digits/),
    ]);
  });

  it("gives the sandbox its own publishable key, pk_conductor_sandbox unless set", () => {
    expect(parseEnv({}).SANDBOX_PUBLISHABLE_KEY).toBe("pk_conductor_sandbox");
    expect(parseEnv({ SANDBOX_PUBLISHABLE_KEY: "pk_mine" }).SANDBOX_PUBLISHABLE_KEY).toBe("pk_mine");
    expect(problems({ SANDBOX_PUBLISHABLE_KEY: "sk_mine" })).toEqual([
      expect.stringMatching(/^SANDBOX_PUBLISHABLE_KEY must start with pk_/),
    ]);
  });
});

describe("the sandbox mailbox and the address the server listens on", () => {
  const next = ["/usr/bin/node", "/app/node_modules/next/dist/bin/next"];

  it.each([
    [[...next, "start"], ""],
    [[...next, "start", "-p", "3000"], ""],
    [[...next, "start", "-H", "127.0.0.1", "-p", "3000"], "127.0.0.1"],
    [[...next, "start", "--hostname=0.0.0.0"], "0.0.0.0"],
    [[...next, "start", "-H::1"], "::1"],
    [[...next, "dev", "--hostname", "localhost"], "localhost"],
    [[...next, "build"], null],
    [["/usr/bin/node", "/app/lib/cli/reconcile.ts", "start"], null],
  ])("reads %j as listening on %j", (argv, address) => {
    expect(serverListenAddress(argv)).toBe(address);
  });

  it.each(["", "0.0.0.0", "::", "192.168.1.20", "app.internal"])(
    "refuses a server listening on %j without EMAIL_SERVER, naming it",
    (address) => {
      expect(() => parseEnv({ DATABASE_URL: "postgres://u@h/db" }, address)).toThrow(
        /EMAIL_SERVER is required when the server listens on/,
      );
    },
  );

  it.each(["127.0.0.1", "127.1.2.3", "::1", "localhost"])("lets a server on %s use the mailbox", (address) => {
    expect(deriveModes(parseEnv({}, address)).mail).toBe("sandbox-mailbox");
  });

  it("lets any server send real mail, and any other process run without it", () => {
    const reachable = {
      EMAIL_SERVER: "smtp://h:25",
      EMAIL_FROM: "a@b.co",
      AUTH_URL: "https://app.example.com",
      AUTH_SECRET: SECRET,
    };
    expect(parseEnv(reachable, "").EMAIL_SERVER).toBe("smtp://h:25");
    expect(deriveModes(parseEnv({}, null)).mail).toBe("sandbox-mailbox");
  });

  it.each(["", "0.0.0.0", "10.0.0.5"])(
    "refuses a server listening on %j without AUTH_URL, whose sign-in links would point at localhost",
    (address) => {
      expect(() => parseEnv({ EMAIL_SERVER: "smtp://h:25", EMAIL_FROM: "a@b.co" }, address)).toThrow(
        /AUTH_URL is required when the server listens on/,
      );
      expect(deriveModes(parseEnv({}, "127.0.0.1")).authUrl).toBe("http://localhost:3000");
    },
  );

  it.each(["", "0.0.0.0", "10.0.0.5"])(
    "refuses a server listening on %j without AUTH_SECRET, even with Conductor sandboxed",
    (address) => {
      const reachable = { EMAIL_SERVER: "smtp://h:25", EMAIL_FROM: "a@b.co", AUTH_URL: "https://app.example.com" };
      expect(() => parseEnv(reachable, address)).toThrow(/AUTH_SECRET is required when the server listens on/);
      expect(parseEnv({}, "127.0.0.1").AUTH_SECRET).toBeUndefined();
    },
  );
});

describe("configuration that would quietly run something else than asked", () => {
  it("refuses EMAIL_FROM without EMAIL_SERVER, which would leave sign-in links in the sandbox mailbox", () => {
    expect(problems({ EMAIL_FROM: "no-reply@example.test" })).toEqual([
      expect.stringMatching(/^EMAIL_SERVER is required when EMAIL_FROM is set/),
    ]);
  });

  it.each([
    [
      { CONDUCTOR_PUBLISHABLE_KEY: "pk_conductor_x" },
      "CONDUCTOR_SECRET_KEY is required when CONDUCTOR_PUBLISHABLE_KEY is set",
    ],
    [
      { CONDUCTOR_SECRET_KEY: "", CONDUCTOR_BASE_URL: "https://api.conductor.is/v1" },
      "CONDUCTOR_SECRET_KEY is required when CONDUCTOR_BASE_URL is set",
    ],
    [{ ALTUR_BASE_URL: "https://api.altur.io/api/v1.0" }, "ALTUR_API_KEY is required when ALTUR_BASE_URL is set"],
    [{ DIFY_BASE_URL: "https://api.dify.ai/v1" }, "DIFY_API_KEY is required when DIFY_BASE_URL is set"],
  ])("refuses a provider configured but for its key (%j), which would run on the sandbox", (source, problem) => {
    expect(problems(source)).toEqual([expect.stringContaining(problem)]);
  });

  describe("a production server off Vercel with a live key, bound to 127.0.0.1 (behind a reverse proxy, say)", () => {
    const live = { ...LIVE_SERVER, DATABASE_URL: "postgres://u@h/db" };
    const serving = (source: Record<string, string | undefined>) => problems(source, "127.0.0.1");
    const without = (name: keyof typeof live) => ({ ...live, [name]: undefined });

    it("starts fully configured (the control)", () => {
      expect(serving(live)).toEqual([]);
    });

    it("refuses to start without AUTH_URL, whose links would point at localhost; a development server, a build and the sandbox demo need none", () => {
      expect(serving(without("AUTH_URL"))).toEqual([
        expect.stringMatching(/^AUTH_URL is required on a production server with a live CONDUCTOR_SECRET_KEY/),
      ]);
      expect(serving({ ...without("AUTH_URL"), NODE_ENV: "development" })).toEqual([]);
      expect(parseEnv(without("AUTH_URL"), null).AUTH_URL).toBeUndefined();
      expect(serving({ NODE_ENV: "production" })).toEqual([]);
    });

    it("refuses CONDUCTOR_SANDBOX=1 next to the live key, which would replace live Conductor with the sandbox", () => {
      expect(serving({ ...live, CONDUCTOR_SANDBOX: "1" })).toEqual([
        expect.stringMatching(
          /^CONDUCTOR_SANDBOX must not be set next to a live CONDUCTOR_SECRET_KEY on a production server/,
        ),
      ]);
    });

    it("refuses DATABASE_URL_UNPOOLED without DATABASE_URL, which would keep the data in the embedded database; the migrator may have it alone", () => {
      const unpooledOnly = { ...without("DATABASE_URL"), DATABASE_URL_UNPOOLED: "postgres://u@h/db" };
      expect(serving(unpooledOnly)).toEqual([
        expect.stringMatching(/^DATABASE_URL is required when DATABASE_URL_UNPOOLED is set/),
      ]);
      expect(() => parseEnv(unpooledOnly, null)).not.toThrow();
    });
  });

  it("lets CONDUCTOR_SANDBOX=1 keep the sandbox Conductor with its other variables set", () => {
    expect(problems({ CONDUCTOR_SANDBOX: "1", CONDUCTOR_PUBLISHABLE_KEY: "pk_conductor_x" })).toEqual([]);
  });

  it("refuses a live key sent over plain http to another machine, and allows it to this one", () => {
    const live = { CONDUCTOR_PUBLISHABLE_KEY: "pk_conductor_x", EMAIL_SERVER: "smtp://h:25", EMAIL_FROM: "a@b.co" };
    expect(
      problems({ ...live, CONDUCTOR_SECRET_KEY: "sk_conductor_x", CONDUCTOR_BASE_URL: "http://api.conductor.is/v1" }),
    ).toEqual([
      expect.stringMatching(/^CONDUCTOR_BASE_URL must be an https:\/\/ URL with a live CONDUCTOR_SECRET_KEY/),
    ]);
    expect(problems({ DIFY_API_KEY: "app-x", DIFY_BASE_URL: "http://dify.internal/v1" })).toEqual([
      expect.stringMatching(/^DIFY_BASE_URL must be an https:\/\/ URL/),
    ]);
    for (const local of [
      "http://127.0.0.1:4010/conductor/v1",
      "http://localhost:4010/conductor/v1",
      "http://[::1]:4010/v1",
    ])
      expect(problems({ ...live, CONDUCTOR_SECRET_KEY: "sk_conductor_x", CONDUCTOR_BASE_URL: local })).toEqual([]);
  });

  it.each([
    ["RECONCILE_INTERVAL_MINUTES", "43200", /at most 35791/],
    ["RECONCILE_INTERVAL_MINUTES", "0.001", /0 \(off\) or at least 0\.01/],
    ["AUTH_SECRET", " ".repeat(34), /no whitespace/],
    ["CRON_SECRET", "cron secret with spaces", /no whitespace/],
    ["EMAIL_FROM", "abc", /email address/],
    ["EMAIL_FROM", "Onboarding <abc>", /email address/],
  ])("refuses %s=%j, naming it", (name, value, message) => {
    const source = { ...(name === "EMAIL_FROM" ? { EMAIL_SERVER: "smtp://h:25" } : {}), [name]: value };
    expect(problems(source)).toEqual([expect.stringMatching(new RegExp(`^${name} `))]);
    expect(problems(source)[0]).toMatch(message);
  });

  it("takes a sender as an address or as a name with one, and the longest timer interval", () => {
    const mail = { EMAIL_SERVER: "smtp://h:25" };
    expect(problems({ ...mail, EMAIL_FROM: "Conductor Onboarding <no-reply@example.test>" })).toEqual([]);
    expect(problems({ ...mail, EMAIL_FROM: "no-reply@example.test" })).toEqual([]);
    expect(parseEnv({ RECONCILE_INTERVAL_MINUTES: "35791" }).RECONCILE_INTERVAL_MINUTES).toBe(35_791);
  });
});

describe("secrets that only look long enough", () => {
  it.each([
    ["AUTH_SECRET", "a".repeat(32)],
    ["AUTH_SECRET", "0".repeat(32)],
    ["AUTH_SECRET", "changeme-changeme-changeme-changeme"],
    ["AUTH_SECRET", "abababababababababababababababab"],
    ["CRON_SECRET", "c".repeat(16)],
    ["CRON_SECRET", "ReplaceMe-ReplaceMe"],
    ["LOOKUP_API_TOKENS", "t".repeat(32)],
    ["LOOKUP_API_TOKENS", "your-token-your-token-your-token-1234"],
  ])("refuses %s=%j as a placeholder, naming it", (name, value) => {
    expect(problems({ [name]: value })).toEqual([
      expect.stringMatching(new RegExp(`^${name}(\\.0)? .*must be generated`)),
    ]);
  });

  it.each([
    ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "it has fewer than 5 different characters"],
    ["1234abcd1234abcd1234abcd1234abcd", "it repeats a short run of characters"],
    ["q3Vd8mZ0tXcR1pLk-changeme-7nYwF4sHbJ9e", 'it holds "changeme"'],
  ])("says what gives %j away", (value, trait) => {
    expect(problems({ AUTH_SECRET: value })).toEqual([
      `AUTH_SECRET must be generated (openssl rand -base64 32), not a placeholder: ${trait}`,
    ]);
  });

  it("takes generated values, hex included, whatever they happen to hold", () => {
    for (let i = 0; i < 2000; i++) {
      const source = {
        AUTH_SECRET: randomBytes(16).toString("hex"),
        CRON_SECRET: randomBytes(8).toString("hex"),
        LOOKUP_API_TOKENS: `${randomBytes(32).toString("base64url")},${randomBytes(16).toString("hex")}`,
      };
      expect(problems(source), JSON.stringify(source)).toEqual([]);
    }
  });
});

describe("where the data of a server that serves real people is kept", () => {
  const live = LIVE_SERVER;
  const DATABASE_REQUIRED =
    /^DATABASE_URL is required on a production server with .*the embedded database is the demo's/;

  it.each([
    ["a live key and real mail, on 127.0.0.1", live, "127.0.0.1"],
    [
      "real mail alone, on 127.0.0.1",
      { ...live, CONDUCTOR_SECRET_KEY: undefined, CONDUCTOR_PUBLISHABLE_KEY: undefined },
      "127.0.0.1",
    ],
    ["listening on every interface", live, ""],
  ])("refuses a production server (%s) without DATABASE_URL", (_, source, address) => {
    expect(problems(source, address)).toEqual([expect.stringMatching(DATABASE_REQUIRED)]);
    expect(problems({ ...source, DATABASE_URL: "postgres://u@h/db" }, address)).toEqual([]);
  });

  it("names what makes the server serve real people", () => {
    const mailOnly = { ...live, CONDUCTOR_SECRET_KEY: undefined, CONDUCTOR_PUBLISHABLE_KEY: undefined };
    expect(problems(mailOnly, "127.0.0.1")).toEqual([
      "DATABASE_URL is required on a production server with real mail (EMAIL_SERVER): the embedded database is the demo's, one process's PGlite in DATA_DIR",
    ]);
    expect(problems(live, "")[0]).toContain(
      "with a live CONDUCTOR_SECRET_KEY and real mail (EMAIL_SERVER) and an address beyond 127.0.0.1 (every interface):",
    );
  });

  it("lets the demo (sandboxed, on 127.0.0.1), a development server and a build keep the embedded database", () => {
    expect(problems({ NODE_ENV: "production" }, "127.0.0.1")).toEqual([]);
    expect(problems({ ...live, NODE_ENV: "development" }, "127.0.0.1")).toEqual([]);
    expect(problems(live, null)).toEqual([]);
  });
});

describe("vercel build on a machine of one's own", () => {
  it("is checked as production when VERCEL_ENV is not set (vercel build --prod does not set it), CRON_SECRET included", () => {
    const names = problems({ VERCEL: "1" }).map((p) => p.split(" ")[0]);
    expect(names).toContain("CRON_SECRET");
    expect(problems({ VERCEL: "1", VERCEL_ENV: "preview" }).map((p) => p.split(" ")[0])).not.toContain("CRON_SECRET");
  });
});

describe("the address sign-in links start with", () => {
  const serving = {
    NODE_ENV: "production",
    EMAIL_SERVER: "smtp://h:25",
    EMAIL_FROM: "a@b.co",
    AUTH_SECRET: SECRET,
    DATABASE_URL: "postgres://u@h/db",
  };

  it("must be https on a production server, as the links carry their token, unless it is on this machine", () => {
    expect(problems({ ...serving, AUTH_URL: "http://onboarding.example.com" }, "")).toEqual([
      expect.stringMatching(/^AUTH_URL must be an https:\/\/ URL on a production server/),
    ]);
    expect(problems({ ...serving, AUTH_URL: "https://onboarding.example.com" }, "")).toEqual([]);
    expect(problems({ ...serving, AUTH_URL: "http://localhost:3000" }, "127.0.0.1")).toEqual([]);
    // A development server, and a build, are not told.
    expect(problems({ ...serving, NODE_ENV: "development", AUTH_URL: "http://onboarding.example.com" }, "")).toEqual(
      [],
    );
    expect(problems({ ...serving, AUTH_URL: "http://onboarding.example.com" }, null)).toEqual([]);
  });
});
