/**
 * `allowed-pattern`, matched in linear time: a small regular-expression syntax compiled to
 * a Thompson NFA and run as a set of states, so no pattern can make the step backtrack
 * (`(a+)+b` on a long name hangs a JavaScript RegExp; here it costs name length x states).
 *
 * Syntax: literal characters and `\`-escaped ones, `.`, classes `[a-z0-9-]` and `[^...]`,
 * `\d` and `\w`, groups `(...)` and `(?:...)`, alternation `|`, the quantifiers `*`, `+`,
 * `?`, `{n}`, `{n,}`, `{n,m}` (n, m at most 63, a namespace name's length), and `^`, `$`.
 * Always a whole-name match. No backreferences, lookarounds or lazy quantifiers.
 */

type CharTest = (c: string) => boolean;

type Node =
  | { kind: "char"; test: CharTest }
  | { kind: "start" }
  | { kind: "end" }
  | { kind: "seq"; items: Node[] }
  | { kind: "alt"; options: Node[] }
  | { kind: "repeat"; node: Node; min: number; max: number };

const MAX_PATTERN_LENGTH = 256;
const MAX_COUNT = 63;
const MAX_STATES = 20_000;

export class PatternError extends Error {}

const DIGIT: CharTest = (c) => c >= "0" && c <= "9";
const WORD: CharTest = (c) => DIGIT(c) || /^[A-Za-z_]$/.test(c);
const CLASS_ESCAPES: Record<string, CharTest> = { d: DIGIT, w: WORD };

/** Recursive descent over the pattern text; `at` is the next character to read. */
class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.at < this.text.length) throw this.fail(`unexpected '${this.text[this.at]}'`);
    return node;
  }

  private fail(why: string): PatternError {
    return new PatternError(`${why} at position ${this.at + 1}`);
  }

  private peek(): string | undefined {
    return this.text[this.at];
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.peek() === "|") {
      this.at++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { kind: "alt", options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== "|" && c !== ")"; c = this.peek()) {
      items.push(this.quantified(this.atom()));
    }
    return { kind: "seq", items };
  }

  private atom(): Node {
    const c = this.text[this.at++]!;
    if (c === "^") return { kind: "start" };
    if (c === "$") return { kind: "end" };
    if (c === ".") return { kind: "char", test: () => true };
    if (c === "(") {
      if (this.text.startsWith("?:", this.at)) this.at += 2;
      else if (this.peek() === "?")
        throw this.fail("lookarounds and named groups are not supported");
      const inner = this.alternation();
      if (this.peek() !== ")") throw this.fail("missing ')'");
      this.at++;
      return inner;
    }
    if (c === "[") return { kind: "char", test: this.charClass() };
    if (c === "\\") return { kind: "char", test: this.escape() };
    if ("*+?{".includes(c)) throw this.fail(`nothing to repeat before '${c}'`);
    if (c === "]" || c === "}") throw this.fail(`unmatched '${c}'`);
    return { kind: "char", test: (x) => x === c };
  }

  private escape(): CharTest {
    const c = this.text[this.at++];
    if (c === undefined) throw this.fail("'\\' at the end");
    const named = CLASS_ESCAPES[c];
    if (named) return named;
    if (/[A-Za-z0-9]/.test(c)) throw this.fail(`unsupported escape '\\${c}'`);
    return (x) => x === c;
  }

  private charClass(): CharTest {
    const negated = this.peek() === "^";
    if (negated) this.at++;
    const tests: CharTest[] = [];
    let first = true;
    for (;;) {
      const c = this.text[this.at++];
      if (c === undefined) throw this.fail("missing ']'");
      if (c === "]" && !first) break;
      first = false;
      let low: string;
      if (c === "\\") {
        const next = this.text[this.at];
        const named = next === undefined ? undefined : CLASS_ESCAPES[next];
        if (named) {
          this.at++;
          tests.push(named);
          continue;
        }
        if (next === undefined || /[A-Za-z0-9]/.test(next))
          throw this.fail(`unsupported escape '\\${next ?? ""}'`);
        low = next;
        this.at++;
      } else {
        low = c;
      }
      if (this.peek() === "-" && this.text[this.at + 1] !== "]" && this.at + 1 < this.text.length) {
        this.at++;
        let high = this.text[this.at++]!;
        if (high === "\\") high = this.text[this.at++] ?? "";
        if (!high || high < low) throw this.fail(`bad range '${low}-${high}'`);
        tests.push((x) => x >= low && x <= high);
      } else {
        tests.push((x) => x === low);
      }
    }
    return negated ? (x) => !tests.some((t) => t(x)) : (x) => tests.some((t) => t(x));
  }

  private count(): number {
    const digits = /^\d+/.exec(this.text.slice(this.at))?.[0];
    if (!digits) throw this.fail("expected a number in '{...}'");
    this.at += digits.length;
    const n = Number(digits);
    if (n > MAX_COUNT) throw this.fail(`a count above ${MAX_COUNT}`);
    return n;
  }

  private quantified(node: Node): Node {
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === "*") [min, max] = [0, Infinity];
      else if (c === "+") [min, max] = [1, Infinity];
      else if (c === "?") [min, max] = [0, 1];
      else if (c === "{") {
        this.at++;
        min = this.count();
        max = min;
        if (this.peek() === ",") {
          this.at++;
          max = this.peek() === "}" ? Infinity : this.count();
        }
        if (this.peek() !== "}") throw this.fail("missing '}'");
        if (max < min) throw this.fail(`{${min},${max}} counts down`);
      } else return node;
      this.at++;
      if (this.peek() === "?") throw this.fail("lazy quantifiers are not supported");
      node = { kind: "repeat", node, min, max };
    }
  }
}

/** An NFA state: consumes a character, checks an anchor, forks, or accepts. */
type State =
  | { kind: "char"; test: CharTest; next?: State }
  | { kind: "start" | "end"; next?: State }
  | { kind: "split"; next?: State; other?: State }
  | { kind: "match" };

/** A piece of NFA with one entry and the dangling exits still to connect. */
interface Fragment {
  entry: State;
  connect: (to: State) => void;
}

class Compiler {
  states = 0;

  private state<S extends State>(state: S): S {
    if (++this.states > MAX_STATES) throw new PatternError("the pattern is too large");
    return state;
  }

  /** A fragment that consumes nothing: a split whose one exit is left open. */
  private empty(): Fragment {
    const s = this.state<State & { kind: "split" }>({ kind: "split" });
    return { entry: s, connect: (to) => (s.next = to) };
  }

  compile(node: Node): Fragment {
    switch (node.kind) {
      case "char":
      case "start":
      case "end": {
        const s = this.state<State & { kind: "char" | "start" | "end" }>(
          node.kind === "char" ? { kind: "char", test: node.test } : { kind: node.kind },
        );
        return { entry: s, connect: (to) => (s.next = to) };
      }
      case "seq":
        return this.chain(node.items.map((item) => () => this.compile(item)));
      case "alt": {
        const parts = node.options.map((option) => this.compile(option));
        let entry = parts[parts.length - 1]!.entry;
        for (let i = parts.length - 2; i >= 0; i--)
          entry = this.state<State>({ kind: "split", next: parts[i]!.entry, other: entry });
        return { entry, connect: (to) => parts.forEach((p) => p.connect(to)) };
      }
      case "repeat": {
        const required = Array.from({ length: node.min }, () => () => this.compile(node.node));
        if (node.max === Infinity) required.push(() => this.star(node.node));
        else
          for (let i = node.min; i < node.max; i++) required.push(() => this.optional(node.node));
        return this.chain(required);
      }
    }
  }

  private chain(parts: (() => Fragment)[]): Fragment {
    if (parts.length === 0) return this.empty();
    const built = parts.map((make) => make());
    for (let i = 0; i < built.length - 1; i++) built[i]!.connect(built[i + 1]!.entry);
    return { entry: built[0]!.entry, connect: built[built.length - 1]!.connect };
  }

  private optional(node: Node): Fragment {
    const body = this.compile(node);
    const split = this.state<State & { kind: "split" }>({ kind: "split", next: body.entry });
    return {
      entry: split,
      connect: (to) => {
        body.connect(to);
        split.other = to;
      },
    };
  }

  private star(node: Node): Fragment {
    const body = this.compile(node);
    const split = this.state<State & { kind: "split" }>({ kind: "split", next: body.entry });
    body.connect(split);
    return { entry: split, connect: (to) => (split.other = to) };
  }
}

/** A compiled `allowed-pattern`; equal to another compiled from the same text. */
export class NamePattern {
  readonly #entry: State;

  /** `source`: the pattern as the user wrote it, for messages. */
  constructor(
    readonly source: string,
    entry: State,
  ) {
    this.#entry = entry;
  }

  matches(name: string): boolean {
    /** The states reachable from `from` without consuming, at position `at`. */
    const closure = (from: State[], at: number): Set<State> => {
      const found = new Set<State>();
      const stack = [...from];
      while (stack.length > 0) {
        const s = stack.pop()!;
        if (found.has(s)) continue;
        found.add(s);
        if (s.kind === "split") stack.push(...[s.next, s.other].filter((x) => x !== undefined));
        else if (s.kind === "start" && at === 0 && s.next) stack.push(s.next);
        else if (s.kind === "end" && at === name.length && s.next) stack.push(s.next);
      }
      return found;
    };
    let current = closure([this.#entry], 0);
    for (let at = 0; at < name.length && current.size > 0; at++) {
      const c = name[at]!;
      const next: State[] = [];
      for (const s of current) if (s.kind === "char" && s.next && s.test(c)) next.push(s.next);
      current = closure(next, at + 1);
    }
    return [...current].some((s) => s.kind === "match");
  }
}

/** Throws PatternError (with the position) when the text is not of the supported syntax. */
export function compileNamePattern(source: string): NamePattern {
  if (source.length > MAX_PATTERN_LENGTH)
    throw new PatternError(`longer than ${MAX_PATTERN_LENGTH} characters`);
  const fragment = new Compiler().compile(new Parser(source).parse());
  fragment.connect({ kind: "match" });
  return new NamePattern(source, fragment.entry);
}
