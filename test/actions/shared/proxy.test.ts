/**
 * The kit's one proxy rule (actions/shared/proxy.ts), NO_PROXY read as kubectl reads it (Go's
 * golang.org/x/net/http/httpproxy) with CIDR forms as curl >= 7.86 reads them. Node's own
 * `proxyEnv` sent `10.0.0.0/8` and `::1/128` hosts through the proxy (#23 item 11).
 */
import { describe, expect, it } from "vitest";
import { exemptFromProxy, proxyFor } from "../../../actions/shared/proxy.js";

const exempt = (url: string, noProxy: string) => exemptFromProxy(new URL(url), noProxy);

describe("NO_PROXY", () => {
  it.each([
    ["http://10.1.2.3/", "10.0.0.0/8"],
    ["https://[::1]:6443/", "::1/128"],
    ["https://[fd00::5]/", "fd00::/8"],
    ["http://192.168.4.9:8080/", "172.16.0.0/12, 192.168.0.0/16"],
    ["https://api.example.com/", "example.com"],
    ["https://example.com/", "example.com"],
    ["https://api.example.com/", ".example.com"],
    ["https://a.b.example.com/", "*.example.com"],
    ["https://API.Example.COM/", "example.com"],
    ["https://anything.test/", "*"],
    ["https://10.0.0.1:6443/", "10.0.0.1:6443"],
    ["https://[::1]:6443/", "[::1]:6443"],
    ["https://[::1]/", "::1"],
    ["https://[::1]/", "0:0:0:0:0:0:0:1"],
    ["https://example.com/", "example.com:443"],
  ])("%s is exempted by %s", (url, noProxy) => {
    expect(exempt(url, noProxy)).toBe(true);
  });

  it.each([
    ["http://11.0.0.1/", "10.0.0.0/8"],
    ["https://[::2]/", "::1/128"],
    ["http://10.1.2.3/", "::/0"],
    ["https://example.com/", ".example.com"],
    ["https://example.com/", "*.example.com"],
    ["https://notexample.com/", "example.com"],
    ["https://example.com.evil.test/", "example.com"],
    ["https://10.0.0.1:8443/", "10.0.0.1:6443"],
    ["https://example.com/", "example.com:8443"],
    ["https://10.0.0.1/", "10.0.0.0/33"],
    ["https://10.0.0.1/", "10.0.0.0/x"],
    ["https://10.0.0.1/", "0.1"],
    ["https://host.test/", ""],
    ["https://host.test/", " , "],
  ])("%s is not exempted by %s", (url, noProxy) => {
    expect(exempt(url, noProxy)).toBe(false);
  });

  it("picks the proxy of the URL's scheme, upper case first, unless NO_PROXY (or no_proxy) exempts it", () => {
    const env = { HTTPS_PROXY: "http://s:1", http_proxy: "http://p:2", no_proxy: "10.0.0.0/8" };
    expect(proxyFor(new URL("https://api.test/"), env)).toBe("http://s:1");
    expect(proxyFor(new URL("http://api.test/"), env)).toBe("http://p:2");
    expect(proxyFor(new URL("https://10.9.9.9/"), env)).toBeUndefined();
    expect(proxyFor(new URL("https://api.test/"), {})).toBeUndefined();
  });
});
