import { describe, expect, it } from 'vitest';
import { armExitWatchdog } from '../../../src/cli/exit-watchdog.js';

describe('armExitWatchdog', () => {
  it('after the grace, says what is still open and exits with the code; its timer never holds the process', () => {
    const timers: { run: () => void; ms: number; unref: boolean }[] = [];
    const exits: number[] = [];
    const warned: (readonly string[])[] = [];
    armExitWatchdog(0, {
      graceMs: 3_000,
      exit: (code) => exits.push(code),
      warn: (open) => warned.push(open),
      openResources: () => ['TCPSocketWrap', 'Timeout'],
      setTimer: (run, ms) => {
        const timer = { run, ms, unref: false };
        timers.push(timer);
        return { unref: () => (timer.unref = true) };
      },
    });
    expect(timers).toMatchObject([{ ms: 3_000, unref: true }]);
    expect(exits).toEqual([]);
    timers[0]?.run();
    expect(warned).toEqual([['TCPSocketWrap', 'Timeout']]);
    expect(exits).toEqual([0]);
  });
});
