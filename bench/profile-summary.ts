// Summarises a V8 CPU profile (`node --cpu-prof`): self time by function, and total (inclusive)
// time for the functions of this repository, so that a hot spot can be named without a GUI.
//
//   node --cpu-prof --cpu-prof-dir=prof --import tsx bench/receive-throughput.ts "poll JSON small"
//   npx tsx bench/profile-summary.ts prof/CPU.*.cpuprofile [--top 30] [--filter src/]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url === '' ? '' : relative(process.cwd(), url.replace(/^file:\/\//, ''));
  return `${functionName || '(anonymous)'} ${file === '' ? '' : `${file}:${lineNumber + 1}`}`.trim();
}

function summarise(
  path: string,
  top: number,
  filter: string | undefined,
  callersOf?: string,
): void {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    const node = byId.get(id)!;
    const name = frameName(node);
    self.set(name, (self.get(name) ?? 0) + dt);
    // Inclusive time: every distinct function on the stack, once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = frameName(byId.get(cur)!);
      if (seen.has(n)) continue;
      seen.add(n);
      total.set(n, (total.get(n) ?? 0) + dt);
    }
  });
  if (callersOf !== undefined) {
    const callers = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const dt = profile.timeDeltas[i] ?? 0;
      if (!frameName(byId.get(id)!).includes(callersOf)) return;
      const chain: string[] = [];
      for (let cur = parent.get(id); cur !== undefined && chain.length < 4; cur = parent.get(cur))
        chain.push(frameName(byId.get(cur)!).split(' ')[0]!);
      const k = chain.join(' < ');
      callers.set(k, (callers.get(k) ?? 0) + dt);
    });
    console.log(`\ncallers of "${callersOf}" (self time):`);
    for (const [k, us] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
  }
  const ms = (us: number): string => (us / 1000).toFixed(1).padStart(8);
  const pct = (us: number): string => `${((us / all) * 100).toFixed(1)}%`.padStart(6);
  console.log(`${path}: ${(all / 1000).toFixed(0)} ms sampled`);
  console.log(`\nself time, top ${top}:`);
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${ms(us)} ms ${pct(us)}  ${name}`);
  const mine = [...total].filter(([name]) => name.includes(filter ?? 'src/'));
  console.log(`\ntotal (inclusive) time of functions matching "${filter ?? 'src/'}", top ${top}:`);
  for (const [name, us] of mine.sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${ms(us)} ms ${pct(us)}  ${name}`);
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
const filterAt = args.indexOf('--filter');
const filter = filterAt >= 0 ? args[filterAt + 1] : undefined;
const valueAt = new Set([topAt, filterAt].filter((i) => i >= 0).map((i) => i + 1));
const callersAt = args.indexOf('--callers');
const callersOf = callersAt >= 0 ? args[callersAt + 1] : undefined;
if (callersAt >= 0) valueAt.add(callersAt + 1);
const files = args.filter((a, i) => !a.startsWith('--') && !valueAt.has(i));
if (files.length === 0) {
  console.error('usage: tsx bench/profile-summary.ts FILE.cpuprofile [--top N] [--filter TEXT]');
  process.exit(2);
}
for (const file of files) summarise(file, top, filter, callersOf);
