import { applyHeapPolicy } from './heap-policy.js';

describe('applyHeapPolicy', () => {
  it('is lean unless PROVISIO_HEAP says otherwise', () => {
    expect(applyHeapPolicy({})).toBe('lean');
    expect(applyHeapPolicy({ PROVISIO_HEAP: 'lean' })).toBe('lean');
    expect(applyHeapPolicy({ PROVISIO_HEAP: 'throughput' })).toBe('throughput');
  });

  it('refuses a value it does not know, naming the ones it does', () => {
    expect(() => applyHeapPolicy({ PROVISIO_HEAP: 'small' })).toThrow('PROVISIO_HEAP must be one of lean, throughput, not "small"');
  });
});
