// Where a figure was measured: the machine, the runtime, and how busy the machine was.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

/** The machine and runtime a benchmark ran on. */
export interface MachineInfo {
  readonly cpuModel: string;
  readonly cores: number;
  readonly totalMemoryMb: number;
  readonly node: string;
  readonly platform: string;
  /** 1, 5 and 15 minute load averages when the benchmark started. */
  readonly loadAverage: readonly number[];
  /** The commit the benchmark ran at (with `+dirty` when the checkout has changes). */
  readonly commit: string;
  readonly date: string;
}

/** The 1, 5 and 15 minute load averages, rounded to two decimals. */
export function loadAverage(): number[] {
  return loadavg().map((l) => Math.round(l * 100) / 100);
}

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no', 'src'], {
        encoding: 'utf8',
      }).trim() !== '';
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

/** Describes this machine and runtime. */
export function machineInfo(): MachineInfo {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    totalMemoryMb: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadAverage(),
    commit: commit(),
    date: new Date().toISOString(),
  };
}

/** One line for the top of a benchmark's output. */
export function machineLine(info: MachineInfo = machineInfo()): string {
  return (
    `${info.cpuModel}, ${info.cores} cores, ${info.totalMemoryMb} MB, Node ${info.node}, ` +
    `load average ${info.loadAverage.join(' ')}, commit ${info.commit}`
  );
}

/**
 * Load average (1 min) above which a run counts as noisy: the benchmark itself keeps about one core
 * busy with the client and the bus, so more than that means someone else is running too.
 */
export const NOISY_LOAD = 1.5;
