/**
 * Concurrency groups as GitHub keeps them: at most one running and one pending holder per
 * group. A newcomer replaces (cancels) the pending one; with cancel-in-progress it also
 * cancels the running one; it starts when the running one has finished.
 */

export interface Holder {
  /** For the log: which run and job. */
  label: string;
  /** Called when GitHub would cancel this holder (pending or running). */
  cancel(reason: string): void;
}

interface Group {
  running?: Holder;
  pending?: { holder: Holder; start: (started: boolean) => void };
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
    cancelInProgress: boolean,
  ): Promise<(() => void) | undefined> {
    const group = this.groups.get(name) ?? {};
    this.groups.set(name, group);
    if (group.pending) {
      const replaced = group.pending;
      group.pending = undefined;
      this.log(
        `concurrency ${name}: ${replaced.holder.label} was pending, cancelled by ${holder.label}`,
      );
      replaced.holder.cancel(
        `Canceling since a higher priority waiting request for ${name} exists`,
      );
      replaced.start(false);
    }
    if (group.running && cancelInProgress) {
      this.log(
        `concurrency ${name}: cancel-in-progress cancels ${group.running.label} for ${holder.label}`,
      );
      group.running.cancel(`Canceling since a higher priority waiting request for ${name} exists`);
    }
    if (group.running) {
      this.log(`concurrency ${name}: ${holder.label} waits for ${group.running.label}`);
      const started = await new Promise<boolean>((start) => (group.pending = { holder, start }));
      if (!started) return undefined;
    }
    group.running = holder;
    return () => {
      if (group.running !== holder) return;
      const next = group.pending;
      group.pending = undefined;
      group.running = next?.holder;
      next?.start(true);
    };
  }
}
