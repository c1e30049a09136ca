import { EventEmitter } from 'node:events';
import { logUnhandledRejections } from './process-errors';

// Jest owns the real process's rejection handlers, so the test emits on a stand-in process.
describe('logUnhandledRejections', () => {
  it('logs a rejection nobody handled, with its message and stack', () => {
    const processLike = new EventEmitter();
    const logged: Array<{ message: string; stack?: string }> = [];
    logUnhandledRejections({ error: (message, stack) => logged.push({ message, stack }) }, processLike);
    processLike.emit('unhandledRejection', new Error('failed handler blew up'), Promise.resolve());
    expect(logged).toHaveLength(1);
    expect(logged[0]!.message).toBe('unhandled promise rejection: failed handler blew up');
    expect(logged[0]!.stack).toContain('process-errors.spec');
  });

  it('reports a rejection with a value that is not an Error, and can be removed', () => {
    const processLike = new EventEmitter();
    const logged: string[] = [];
    const remove = logUnhandledRejections({ error: (message) => logged.push(message) }, processLike);
    processLike.emit('unhandledRejection', 'just a string', Promise.resolve());
    remove();
    expect(processLike.listenerCount('unhandledRejection')).toBe(0);
    expect(logged).toEqual(['unhandled promise rejection: just a string']);
  });
});
