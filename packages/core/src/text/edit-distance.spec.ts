import { closestName, editDistance } from './edit-distance.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps', () => {
    expect(editDistance('auth', 'auth')).toBe(0);
    expect(editDistance('auht', 'auth')).toBe(1); // a swap of neighbours is one edit
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('basePat', 'basePath')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('closestName', () => {
  it('suggests the nearest known name for a typo', () => {
    expect(closestName('auht', ['basePath', 'auth'])).toBe('auth');
    expect(closestName('basepath', ['basePath', 'auth'])).toBe('basePath');
    expect(closestName('mappings', ['mapping', 'groupMapping'])).toBe('mapping');
  });

  it('suggests nothing when no name is close', () => {
    expect(closestName('zzz', ['basePath', 'auth'])).toBeUndefined();
    expect(closestName('x', ['port'])).toBeUndefined();
    expect(closestName('anything', [])).toBeUndefined();
  });

  it('breaks ties alphabetically, so the answer does not depend on declaration order', () => {
    expect(closestName('hots', ['host', 'hots1'])).toBe('host');
    expect(closestName('ab', ['ac', 'aa'])).toBe(closestName('ab', ['aa', 'ac']));
  });
});
