import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** The repository root. */
export const ROOT = join(__dirname, '..', '..', '..');

const run = promisify(execFile);

/** Runs a command and returns its stdout; a failure carries stdout and stderr in its message. */
export async function exec(
  command: string,
  args: readonly string[],
  cwd: string,
  timeoutMs: number,
): Promise<string> {
  try {
    const { stdout } = await run(command, args, {
      cwd,
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    return stdout;
  } catch (error) {
    const failure = error as Error & { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}: ${failure.message}\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}`,
    );
  }
}

// What the build reads: a dist/ older than any of these is stale.
const BUILD_INPUTS = ['src', 'package.json', 'tsup.config.ts', 'tsconfig.json'];
// What the package needs from the build.
const BUILD_OUTPUTS = ['index', 'node', 'server', 'testing']
  .flatMap((entry) => ['.mjs', '.cjs', '.d.ts', '.d.mts'].map((ext) => `dist/${entry}${ext}`))
  .concat('dist/cli/main.cjs');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Whether dist/ holds a build of the current sources (CI builds before it tests). */
export function distIsFresh(): boolean {
  try {
    const built = Math.min(...BUILD_OUTPUTS.map((file) => statSync(join(ROOT, file)).mtimeMs));
    return built > Math.max(...BUILD_INPUTS.map((input) => newestMtime(join(ROOT, input))));
  } catch {
    return false;
  }
}

/** The tarball `npm pack` made and the files in it. */
export interface PackedPackage {
  readonly tarball: string;
  readonly files: readonly string[];
}

/**
 * Packs hmb-rx as `npm publish` would. When dist/ is fresh it is packed as it is; otherwise the
 * package's sources are copied to `workDir` and packed there, so that `prepack` builds in the copy:
 * building in the repository would empty dist/ under the CLI tests running next to this one.
 */
export async function packPackage(workDir: string): Promise<PackedPackage> {
  const destination = join(workDir, 'tarball');
  mkdirSync(destination, { recursive: true });
  let packDir = ROOT;
  const args = ['pack', '--json', '--pack-destination', destination];
  if (distIsFresh()) {
    args.push('--ignore-scripts');
  } else {
    packDir = join(workDir, 'source');
    mkdirSync(packDir);
    for (const entry of [
      'src',
      'docs',
      'README.md',
      'package.json',
      'tsup.config.ts',
      'tsconfig.json',
    ])
      cpSync(join(ROOT, entry), join(packDir, entry), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(packDir, 'node_modules'), 'dir');
  }
  const stdout = await exec('npm', args, packDir, 150_000);
  // The build's log (prepack) comes first on stdout; npm's JSON report is the last thing written.
  const json = stdout.startsWith('[') ? stdout : stdout.slice(stdout.lastIndexOf('\n[') + 1);
  const report = JSON.parse(json) as readonly {
    readonly filename: string;
    readonly files: readonly { readonly path: string }[];
  }[];
  const packed = report[0];
  if (packed === undefined) throw new Error('npm pack reported no tarball');
  return { tarball: join(destination, packed.filename), files: packed.files.map((f) => f.path) };
}

/**
 * Makes a consumer project in `dir` and installs the tarball into it, with typescript, rxjs (the
 * peer dependency) and @types/node linked from the repository so that their versions match ours.
 */
export async function installIntoConsumer(dir: string, tarball: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'hmb-rx-consumer', version: '1.0.0', private: true }),
  );
  const linked = ['typescript', 'rxjs', '@types/node'].map((name) =>
    join(ROOT, 'node_modules', name),
  );
  await exec(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      tarball,
      ...linked,
    ],
    dir,
    150_000,
  );
}

/**
 * The names an API report (api/*.api.md, written by api-extractor) declares, split into values
 * (classes, functions, constants) and types.
 */
export function namesInApiReport(reportFile: string): {
  readonly values: readonly string[];
  readonly types: readonly string[];
} {
  const values = new Set<string>();
  const types = new Set<string>();
  const text = readFileSync(join(ROOT, 'api', reportFile), 'utf8');
  for (const match of text.matchAll(
    /^export (?:declare )?(?:abstract )?(class|interface|type|function|const|let|enum) (\w+)/gm,
  )) {
    const [, kind, name] = match;
    if (name === undefined) continue;
    (kind === 'interface' || kind === 'type' ? types : values).add(name);
  }
  return { values: [...values].sort(), types: [...types].sort() };
}
