import { describe, expect, it } from "vitest";
import { checkAddress, checkWebhookUrl } from "./url-policy.ts";

const production = { allowLoopback: false };
const tests = { allowLoopback: true };
const reason = (text: string, policy = production) => {
  const checked = checkWebhookUrl(text, policy);
  return checked.ok ? "ok" : checked.reason;
};

describe("webhook URL policy", () => {
  it("accepts https to public hosts", () => {
    expect(reason("https://hooks.example.com/amphi?x=1")).toBe("ok");
    expect(reason("https://203.0.114.1:8443/hook")).toBe("ok");
    expect(reason("https://[2001:4860::1]/hook")).toBe("ok");
  });

  it("refuses plain http, other schemes, credentials and non-URLs", () => {
    expect(reason("http://hooks.example.com/")).toBe("not_https");
    expect(reason("ftp://hooks.example.com/")).toBe("not_https");
    expect(reason("https://user:pw@hooks.example.com/")).toBe("credentials");
    expect(reason("hooks.example.com")).toBe("not_a_url");
  });

  it("refuses private, link-local (cloud metadata), CGNAT, unique-local and embedded addresses", () => {
    for (const url of [
      "https://10.0.0.5/",
      "https://192.168.1.1/",
      "https://172.16.0.1/",
      "https://169.254.169.254/latest/meta-data/",
      "https://100.100.100.200/",
      "https://[fd00:ec2::254]/",
      "https://[::ffff:10.0.0.1]/",
      "https://[64:ff9b::a00:1]/",
      "https://0.0.0.0/",
      "https://[fe80::1]/",
      "https://224.0.0.1/",
    ]) {
      expect(reason(url), url).toBe("private_address");
    }
  });

  it("refuses loopback in production, allows it (http too) where configured", () => {
    expect(reason("https://127.0.0.1/")).toBe("loopback");
    expect(reason("https://localhost/")).toBe("loopback");
    expect(reason("https://localhost./")).toBe("loopback");
    expect(reason("https://[::1]/")).toBe("loopback");
    expect(reason("http://127.0.0.1:9999/hook", tests)).toBe("ok");
    expect(reason("http://localhost:9999/hook", tests)).toBe("ok");
    // Loopback allowed does not open private networks or plain http elsewhere.
    expect(reason("http://10.0.0.5/", tests)).toBe("private_address");
    expect(reason("http://hooks.example.com/", tests)).toBe("not_https");
  });

  it("judges resolved addresses the same way", () => {
    expect(checkAddress("8.8.8.8", production).ok).toBe(true);
    expect(checkAddress("10.1.2.3", production)).toMatchObject({ reason: "private_address" });
    expect(checkAddress("127.0.0.1", production)).toMatchObject({ reason: "loopback" });
    expect(checkAddress("127.0.0.1", tests).ok).toBe(true);
  });
});
