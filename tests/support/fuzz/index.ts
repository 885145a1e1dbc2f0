/** The fuzz toolkit as the harness hands it to tests (`h.fuzz`). */
import { findFormState } from "../actions";
import { actionGroupRequests, actionGroups, actionSurfaces, builtActions, pageOpenedInstead } from "./actions";
import { startFuzzing } from "./context";
import { citesConductor, errorCode, isEnvelope, UPSTREAM_ANSWER_CODES } from "./oracle";
import { routeFiles, routeGroupRequests, routeGroups, routeSurfaces } from "./routes";
import { baseProblems, fuzz, fuzzSettings, type Judge } from "./runner";

export const fuzzKit = {
  settings: fuzzSettings,
  /** Generous: a long run (`npm run fuzz`) scales it with FUZZ_RUNS (a group has up to 7 surfaces). */
  timeoutMs: Math.max(300_000, fuzzSettings.runs * 7 * 40),
  /** Prints the seed and size of the run, so a failure can be replayed. */
  announce(what: string) {
    const { seed, runs, concurrency, path } = fuzzSettings;
    console.log(
      `fuzzing ${what}: FUZZ_SEED=${seed} FUZZ_RUNS=${runs} FUZZ_CONCURRENCY=${concurrency}${path ? ` FUZZ_PATH=${path}` : ""}`,
    );
  },
  start: startFuzzing,
  run: fuzz,
  /** A surface's judge, on top of the properties every answer has (below 500, no secret, no stack trace). */
  judge:
    (surface: Judge): Judge =>
    (request, answer) => {
      const own = surface(request, answer);
      return { problems: [...baseProblems(answer), ...own.problems], refusal: own.refusal };
    },
  routeSurfaces,
  routeGroups,
  routeGroupRequests,
  routeFiles,
  actionSurfaces,
  actionGroups,
  actionGroupRequests,
  builtActions,
  pageOpenedInstead,
  isEnvelope,
  errorCode,
  citesConductor,
  findFormState,
  UPSTREAM_ANSWER_CODES,
};
