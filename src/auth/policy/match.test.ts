import { describe, expect, it } from 'vitest';
import { arnMatch, globMatch } from './match.js';
import { cidrContains, parseCidr, parseIp } from './ip.js';
import { expandLiteral } from './variables.js';

const vars = (m: Record<string, string>) => (k: string) => m[k.toLowerCase()];

describe('globMatch', () => {
  const rows: [string, string, boolean, boolean][] = [
    ['aps:*', 'aps:RemoteWrite', true, true],
    ['aps:Get*', 'aps:GetLabels', true, true],
    ['aps:get*', 'APS:GetLabels', true, true],
    ['aps:get*', 'aps:GetLabels', false, false],
    ['aps:Query?etrics', 'aps:QueryMetrics', false, true],
    ['aps:Query?etrics', 'aps:QueryMMetrics', false, false],
    ['a.b', 'axb', false, false],
    ['a(b)[c]+', 'a(b)[c]+', false, true],
    ['*', 'anything', false, true],
    ['', '', false, true],
    ['x*', 'x\ny', false, true],
  ];
  for (const [p, v, ic, want] of rows) it(`${p} ~ ${v} (ignoreCase ${ic}) = ${want}`, () => expect(globMatch(p, v, ic, null)).toBe(want));

  it('substitutes policy variables as literals, with defaults and escapes', () => {
    const lk = vars({ 'aws:username': 'al*ce', 'aws:principaltag/team': 'x' });
    expect(globMatch('home/${aws:username}/*', 'home/al*ce/f', false, lk)).toBe(true);
    expect(globMatch('home/${aws:username}/*', 'home/alXXce/f', false, lk)).toBe(false); // '*' from the value is literal
    expect(globMatch('home/${aws:nokey}/*', 'home//f', false, lk)).toBe(false);
    expect(globMatch("home/${aws:nokey, 'dflt'}/*", 'home/dflt/f', false, lk)).toBe(true);
    expect(globMatch('a${*}b', 'a*b', false, lk)).toBe(true);
    expect(globMatch('a${*}b', 'axb', false, lk)).toBe(false);
    expect(globMatch('a${?}${$}', 'a?$', false, lk)).toBe(true);
    expect(globMatch('${aws:username}', '${aws:username}', false, null)).toBe(true); // 2008-10-17: no variables
    expect(expandLiteral('t-${aws:PrincipalTag/team}', lk)).toBe('t-x');
    expect(expandLiteral('t-${aws:PrincipalTag/none}', lk)).toBeNull();
  });
});

describe('arnMatch', () => {
  const rows: [string, string, boolean][] = [
    ['arn:aws:aps:us-east-1:123456789012:workspace/ws-1', 'arn:aws:aps:us-east-1:123456789012:workspace/ws-1', true],
    ['arn:aws:aps:*:123456789012:workspace/*', 'arn:aws:aps:eu-west-1:123456789012:workspace/ws-1', true],
    ['arn:aws:aps:*:123456789012:workspace/*', 'arn:aws:aps:eu-west-1:999999999999:workspace/ws-1', false],
    ['arn:aws:aps:us-east-1:123456789012:workspace/WS-1', 'arn:aws:aps:us-east-1:123456789012:workspace/ws-1', false],
    ['arn:aws:aps:us-east-1:123456789012:rulegroupsnamespace/ws-1/*', 'arn:aws:aps:us-east-1:123456789012:rulegroupsnamespace/ws-1/ns:x', true],
    ['arn:aws:*', 'arn:aws:aps:us-east-1:123456789012:workspace/ws-1', true],
    ['arn:aws:aps:us-east-1:*', 'arn:aws:aps:us-east-1:123456789012:workspace/ws-1', true],
    ['arn:aws:a*s:us-east-1:123456789012:*', 'arn:aws:aps:us-east-1:123456789012:workspace/ws-1', true],
    ['arn:aws:aps*:123456789012:workspace/ws-1', 'arn:aws:aps:us-east-1:123456789012:workspace/ws-1', false], // '*' does not cross ':'
    ['arn:aws:iam::123456789012:user/*', 'arn:aws:iam::123456789012:user/a/b', true],
    ['*', 'not-an-arn', true],
    ['arn:aws:aps:*:*:*', 'not-an-arn', false],
  ];
  for (const [p, v, want] of rows) it(`${p} ~ ${v} = ${want}`, () => expect(arnMatch(p, v, null)).toBe(want));

  it('keeps ":" inside variables when splitting', () => {
    expect(arnMatch('arn:aws:iam::123456789012:user/${aws:username}', 'arn:aws:iam::123456789012:user/bob', vars({ 'aws:username': 'bob' }))).toBe(true);
    expect(arnMatch('arn:aws:iam::123456789012:user/${aws:username}', 'arn:aws:iam::123456789012:user/eve', vars({ 'aws:username': 'bob' }))).toBe(false);
  });
});

describe('ip', () => {
  const rows: [string, string, boolean][] = [
    ['10.0.0.0/8', '10.1.2.3', true],
    ['10.0.0.0/8', '11.1.2.3', false],
    ['192.168.1.7', '192.168.1.7', true],
    ['192.168.1.7/32', '192.168.1.8', false],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['10.0.0.0/8', '::ffff:10.9.9.9', true],
    ['2001:db8::/32', '2001:db8:1::5', true],
    ['2001:db8::/32', '2001:db9::5', false],
    ['2001:DB8:0:0:0:0:0:1/128', '2001:db8::1', true],
    ['::/0', '::1', true],
    ['::/0', '127.0.0.1', false],
    ['::ffff:10.0.0.0/104', '10.2.3.4', true],
    ['fe80::/10', 'fe80::1%eth0', true],
  ];
  for (const [net, ip, want] of rows) {
    it(`${ip} in ${net} = ${want}`, () => expect(cidrContains(parseCidr(net)!, parseIp(ip)!)).toBe(want));
  }
  it('rejects invalid input', () => {
    expect(parseIp('1.2.3')).toBeNull();
    expect(parseIp('nope')).toBeNull();
    expect(parseCidr('10.0.0.0/33')).toBeNull();
    expect(parseCidr('10.0.0.0/x')).toBeNull();
    expect(parseCidr('::/129')).toBeNull();
  });
});
