/** IniProfiles maps a profile name to its keys, as in ~/.aws/credentials. */
export type IniProfiles = Record<string, Record<string, string>>;

/**
 * parseIni reads an AWS shared credentials/config file: `[name]` or `[profile name]` sections,
 * `key = value` lines, `#` and `;` comment lines; keys are lower-cased, values trimmed.
 */
export function parseIni(text: string): IniProfiles {
  const out: IniProfiles = {};
  let current: Record<string, string> | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[\s*(?:profile\s+)?([^\]]+?)\s*\]$/.exec(line);
    if (section) {
      current = out[section[1]!] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0 && current) current[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return out;
}
