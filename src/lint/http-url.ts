/** True when `s` is an absolute http:// URL with a host (BR §7.1.2.7.7, §7.1.2.11.2: "HTTP URL"). */
export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' && u.hostname !== '' && /^http:\/\//i.test(s);
  } catch {
    return false;
  }
}

/** True for an absolute http:// or https:// URL with a host (BR §7.1.2.7.9 CPS qualifier). */
export function isHttpOrHttpsUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}
