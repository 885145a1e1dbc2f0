/**
 * The address a `next start` or `next dev` process listens on (its -H/--hostname; "" when not
 * given, which Next takes as every interface), or null when this process is not one (a build, a
 * script). By default, of this process.
 */
export function serverListenAddress(argv: readonly string[] = process.argv): string | null {
  const [, script = "", command, ...options] = argv;
  if (!/(^|[/\\])next$/.test(script) || (command !== "start" && command !== "dev")) return null;
  for (const [i, option] of options.entries()) {
    if (option === "-H" || option === "--hostname") return options[i + 1] ?? "";
    const inline = /^(?:-H=?|--hostname=)(.+)$/.exec(option);
    if (inline) return inline[1]!;
  }
  return "";
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|\[::1\]|localhost)$/i;

export const isLoopback = (address: string) => LOOPBACK.test(address);
