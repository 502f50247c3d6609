import { PassThrough } from 'node:stream';
import { Observable, of, throwError } from 'rxjs';
import { CliStop, stopExitCode, whenStopped, type CliContext } from '../../src/cli/cli-context';
import { firstUnlessStopped, runAction } from '../../src/cli/command-support';
import { runCli } from '../../src/cli/program';
import { CliUsageError } from '../../src/cli/usage-error';

/** A context whose streams are strings, for running the program in-process. */
function fakeContext(stop: AbortSignal = new AbortController().signal): {
  context: CliContext;
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  const context: CliContext = {
    stdout: { write: (text: string) => ((out += text), true) },
    stderr: { write: (text: string) => ((err += text), true) },
    stdin: new PassThrough(),
    env: {},
    stop,
  };
  return { context, out: () => out, err: () => err };
}

describe('cli: program and stop handling (in-process)', () => {
  it('cli: --version, --help and usage errors map to exit codes without exiting the process', async () => {
    const version = fakeContext();
    expect(await runCli(['node', 'hmb', '--version'], version.context)).toBe(0);
    expect(version.out()).toMatch(/^\d+\.\d+\.\d+\n$/);

    const help = fakeContext();
    expect(await runCli(['node', 'hmb', 'replay', '--help'], help.context)).toBe(0);
    expect(help.out()).toMatch(/--from <seq\|time>/);

    const unknown = fakeContext();
    expect(
      await runCli(['node', 'hmb', 'tail', 'http://h/b', '-q', 'Q', '--bogus'], unknown.context),
    ).toBe(2);
    expect(unknown.err()).toMatch(/unknown option '--bogus'/);

    const badUrl = fakeContext();
    expect(await runCli(['node', 'hmb', 'info', 'nope'], badUrl.context)).toBe(2);
    expect(badUrl.err()).toBe(
      'hmb info: usage error HMB_ERR_BAD_PARAM: invalid bus URL "nope"\nhmb info: (see hmb info --help)\n',
    );
  });

  it('cli: runAction turns what a command throws into an exit code and one line', async () => {
    const { context, err } = fakeContext();
    const codes: number[] = [];
    const host = { context, setExitCode: (code: number) => codes.push(code) };
    await runAction(host, 'x', () => Promise.resolve(7));
    await runAction(host, 'x', () => Promise.reject(new CliUsageError('bad')));
    await runAction(host, 'x', () => Promise.reject(new Error('boom\n')));
    expect(codes).toEqual([7, 2, 1]);
    expect(err()).toBe('hmb x: usage error bad\nhmb x: (see hmb x --help)\nhmb x: error boom\n');
  });

  it('cli: a stop request carries its exit code', async () => {
    const controller = new AbortController();
    const stopped = whenStopped(controller.signal);
    controller.abort(new CliStop(143, 'SIGTERM'));
    expect(await stopped).toBe(143);
    expect(await whenStopped(controller.signal)).toBe(143);
    const other = new AbortController();
    other.abort();
    expect(stopExitCode(other.signal)).toBe(130);
  });

  it('cli: firstUnlessStopped gives the first value, the error, or undefined after a stop', async () => {
    const controller = new AbortController();
    expect(await firstUnlessStopped(of(1, 2), controller.signal)).toBe(1);
    await expect(
      firstUnlessStopped(
        throwError(() => new Error('x')),
        controller.signal,
      ),
    ).rejects.toThrow('x');
    let unsubscribed = false;
    const silent = new Observable<number>(() => () => {
      unsubscribed = true;
    });
    const pending = firstUnlessStopped(silent, controller.signal);
    controller.abort(new CliStop(130, 'SIGINT'));
    expect(await pending).toBeUndefined();
    // The request in flight is aborted, not left running.
    expect(unsubscribed).toBe(true);
    expect(await firstUnlessStopped(of(1), controller.signal)).toBeUndefined();
  });
});
