// `--name value` options for the small commands. Repeated options keep every value.
export interface ParsedArgs {
  readonly positional: string[];
  readonly options: Map<string, string[]>;
}

export function parseArgs(args: readonly string[], flags: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else if (flags.includes(name)) value = 'true';
    else {
      const next = args[i + 1];
      if (next === undefined) throw new Error(`--${name} needs a value`);
      value = next;
      i++;
    }
    options.set(name, [...(options.get(name) ?? []), value]);
  }
  return { positional, options };
}

export const option = (parsed: ParsedArgs, name: string): string | undefined => parsed.options.get(name)?.at(-1);
