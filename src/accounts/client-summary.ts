/**
 * A few words for a session's client from its User-Agent ("Firefox on Linux", "Safari on
 * iPhone"), for the sessions list; the raw string goes with it. Not a parser of every browser:
 * the common ones by name, anything else as the first product token.
 */
export function describeClient(userAgent: string): string {
  const ua = userAgent.trim();
  if (ua === "") return "Unknown client";
  const browser = browserOf(ua);
  const system = systemOf(ua);
  if (browser && system) return `${browser} on ${system}`;
  if (browser) return browser;
  const product = /^([A-Za-z][\w.-]{0,40})(?:\/[\w.-]+)?/.exec(ua)?.[1];
  return product ? (system ? `${product} on ${system}` : product) : "Unknown client";
}

function browserOf(ua: string): string | null {
  if (/\bEdg(e|A|iOS)?\//.test(ua)) return "Edge";
  if (/\bOPR\//.test(ua)) return "Opera";
  if (/\bFirefox\/|\bFxiOS\//.test(ua)) return "Firefox";
  if (/\bChrom(e|ium)\/|\bCriOS\//.test(ua)) return "Chrome";
  if (/\bVersion\/[\d.]+.*\bSafari\//.test(ua)) return "Safari";
  return null;
}

function systemOf(ua: string): string | null {
  if (/\biPhone\b/.test(ua)) return "iPhone";
  if (/\biPad\b/.test(ua)) return "iPad";
  if (/\bAndroid\b/.test(ua)) return "Android";
  if (/\bWindows\b/.test(ua)) return "Windows";
  if (/\bMac OS X\b|\bMacintosh\b/.test(ua)) return "macOS";
  if (/\bCrOS\b/.test(ua)) return "ChromeOS";
  if (/\bLinux\b/.test(ua)) return "Linux";
  return null;
}
