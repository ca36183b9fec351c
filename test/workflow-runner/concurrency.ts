/**
 * Concurrency groups as GitHub keeps them: at most one running holder per group, and pending
 * ones behind it. By default a group keeps one pending holder: a newcomer cancels (replaces)
 * it. With `queue: max` (GitHub changelog 2026-05-07, "concurrency groups now allow larger
 * queues": up to 100 pending jobs or runs, processed in order, when cancel-in-progress is not
 * set) a newcomer waits in line instead and cancels nobody. With cancel-in-progress a newcomer
 * also cancels the running holder. The next pending holder starts when the running one ends.
 */

export interface Holder {
  /** For the log: which run and job. */
  label: string;
  /** Called when GitHub would cancel this holder (pending or running). */
  cancel(reason: string): void;
}

/** GitHub's limit of a `queue: max` group's pending holders. */
export const MAX_QUEUE = 100;

interface Pending {
  holder: Holder;
  start: (started: boolean) => void;
}

interface Group {
  running?: Holder;
  pending: Pending[];
}

export interface AcquireOptions {
  cancelInProgress: boolean;
  /** `single` (GitHub's default) or `max`. */
  queue: "single" | "max";
}

export class ConcurrencyGroups {
  private readonly groups = new Map<string, Group>();

  constructor(private readonly log: (line: string) => void) {}

  /**
   * Waits for the group; resolves to a release function, or undefined when the holder was
   * replaced while pending (it never ran: GitHub marks it cancelled).
   */
  async acquire(
    name: string,
    holder: Holder,
    options: AcquireOptions,
  ): Promise<(() => void) | undefined> {
    if (options.queue === "max" && options.cancelInProgress)
      throw new Error(`concurrency ${name}: queue: max needs cancel-in-progress false or unset`);
    const group = this.groups.get(name) ?? { pending: [] };
    this.groups.set(name, group);
    if (options.queue === "single") {
      for (const replaced of group.pending.splice(0)) {
        this.log(
          `concurrency ${name}: ${replaced.holder.label} was pending, cancelled by ${holder.label}`,
        );
        replaced.holder.cancel(
          `Canceling since a higher priority waiting request for ${name} exists`,
        );
        replaced.start(false);
      }
    } else if (group.pending.length >= MAX_QUEUE) {
      throw new Error(`concurrency ${name}: more than ${MAX_QUEUE} pending, not modelled`);
    }
    if (group.running && options.cancelInProgress) {
      this.log(
        `concurrency ${name}: cancel-in-progress cancels ${group.running.label} for ${holder.label}`,
      );
      group.running.cancel(`Canceling since a higher priority waiting request for ${name} exists`);
    }
    if (group.running) {
      this.log(
        `concurrency ${name}: ${holder.label} waits for ${group.running.label}` +
          (group.pending.length > 0 ? ` behind ${group.pending.length} pending` : ""),
      );
      const started = await new Promise<boolean>((start) => group.pending.push({ holder, start }));
      if (!started) return undefined;
    }
    group.running = holder;
    return () => {
      if (group.running !== holder) return;
      const next = group.pending.shift();
      group.running = next?.holder;
      next?.start(true);
    };
  }
}
