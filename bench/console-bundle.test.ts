import { describe, expect, it } from 'vitest';
import { firstLoadFiles } from './console-bundle.js';

describe('console bundle figures', () => {
  it('counts index.html and every script, preload, style and icon it names under /console/', () => {
    const html = `<link rel="icon" href="/console/favicon.svg"><script type="module" crossorigin src="/console/assets/index-a.js"></script>
      <link rel="modulepreload" crossorigin href="/console/assets/vendor-b.js"><link rel="stylesheet" crossorigin href="/console/assets/index-c.css"><a href="https://example.com/x">x</a>`;
    expect(firstLoadFiles(html)).toEqual(['index.html', 'favicon.svg', 'assets/index-a.js', 'assets/vendor-b.js', 'assets/index-c.css']);
  });
});
