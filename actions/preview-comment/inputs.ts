/** The inputs of preview-comment; keys are the camelCase of the action.yml names. */
import { pullRequest } from "../shared/context.js";
import { field, input, problem, rule } from "../shared/inputs.js";
import { fullSha, httpUrl, imageRef } from "../shared/schemas.js";

export const STATUSES = ["deploying", "ready", "failed", "destroyed"] as const;
export type Status = (typeof STATUSES)[number];

const MODES = ["upsert", "recreate", "delete"] as const;
export type Mode = (typeof MODES)[number];

/** Given, or the event's pull request; a positive integer either way. */
const prNumber = field((text) => {
  if (text === undefined) {
    return (
      pullRequest()?.number ?? problem("is required when the event is not about a pull request")
    );
  }
  const n = Number(text);
  return /^\d+$/.test(text) && n > 0 && Number.isSafeInteger(n)
    ? n
    : problem("must be a positive integer");
});

const status = field((text): Status | undefined | ReturnType<typeof problem> => {
  if (text === undefined) return undefined;
  return (STATUSES as readonly string[]).includes(text)
    ? (text as Status)
    : problem(`must be one of ${STATUSES.join(", ")}`);
});

/** Goes into the hidden marker, so it is kept to characters that cannot end an HTML comment. */
const key = field((text = "preview") =>
  /^[A-Za-z0-9_.-]{1,64}$/.test(text)
    ? text
    : problem("must be letters, digits, '.', '_' or '-' (at most 64)"),
);

export const inputs = {
  githubToken: input.text(),
  prNumber,
  key,
  status,
  urls: input.keyValues(httpUrl),
  images: input.keyValues(imageRef),
  // A file of the pull request's checkout may be a symbolic link to the job's secrets.
  detailsFile: input.optionalPath("file"),
  commitSha: input.optionalText(fullSha),
  timings: input.keyValues(rule(/^\d+(?:\.\d+)?$/, "SECONDS (a number of seconds)")),
  mode: input.oneOf(MODES, "upsert"),
};
