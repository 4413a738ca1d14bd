/** parseTags reads `key=value, key2=value2` into a tag map; throws on an entry without `=`. */
export function parseTags(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const part of text.split(/[,\n]/)) {
    const p = part.trim();
    if (!p) continue;
    const i = p.indexOf('=');
    if (i <= 0) throw new Error(`tag "${p}" is not key=value`);
    tags[p.slice(0, i).trim()] = p.slice(i + 1).trim();
  }
  return tags;
}
