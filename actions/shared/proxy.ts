/**
 * The one proxy rule of the kit's HTTP clients (GitHub, registries, the CLI download, the
 * Kubernetes API): the proxy HTTPS_PROXY (https) or HTTP_PROXY (http) names, upper case
 * before lower, unless NO_PROXY exempts the host. NO_PROXY is read as kubectl reads it
 * (Go's golang.org/x/net/http/httpproxy, which client-go's transport uses), entries split
 * by commas:
 * - `*` exempts every host;
 * - an address in CIDR form (`10.0.0.0/8`, `::1/128`) exempts every address in it, as curl
 *   does since 7.86.0 (CURLOPT_NOPROXY);
 * - an address (`10.1.2.3`, `::1`, `[::1]:6443`) exempts that address, on any port or on the
 *   port given;
 * - `example.com` exempts that host and its subdomains; `.example.com` and `*.example.com`
 *   exempt its subdomains only; either may end in `:port`.
 * Node's own `proxyEnv` handling has no CIDR form (a `10.0.0.0/8` went through the proxy),
 * so Node is only ever told which proxy to use, never NO_PROXY.
 */
import { BlockList, isIP } from "node:net";

type Env = Readonly<Record<string, string | undefined>>;

function variable(env: Env, name: string): string | undefined {
  return env[name] || env[name.toLowerCase()] || undefined;
}

/** `[::1]` as URL.hostname gives it, without the brackets. */
function bareHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
}

/** An entry's host and port: `host`, `host:port`, `[v6]:port`, or a bare IPv6 address. */
function hostAndPort(entry: string): { host: string; port?: string } {
  if (isIP(entry) === 6) return { host: entry };
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1] as string, port: bracketed[2] };
  const withPort = /^(.*):(\d+)$/.exec(entry);
  return withPort ? { host: withPort[1] as string, port: withPort[2] } : { host: entry };
}

function inCidr(entry: string, address: string): boolean | undefined {
  const slash = entry.lastIndexOf("/");
  if (slash < 0) return undefined;
  const network = entry.slice(0, slash);
  const bits = Number(entry.slice(slash + 1));
  const family = isIP(network);
  if (family === 0 || !/^\d+$/.test(entry.slice(slash + 1))) return false;
  if (bits > (family === 4 ? 32 : 128)) return false;
  const type = family === 4 ? "ipv4" : "ipv6";
  const addressFamily = isIP(address);
  if (addressFamily === 0 || addressFamily !== family) return false;
  const block = new BlockList();
  block.addSubnet(network, bits, type);
  return block.check(address, type);
}

function exemptBy(entry: string, host: string, port: string): boolean {
  if (entry === "*") return true;
  const cidr = inCidr(entry, host);
  if (cidr !== undefined) return cidr;
  const given = hostAndPort(entry);
  if (given.port !== undefined && given.port !== port) return false;
  if (isIP(given.host) !== 0) return isIP(host) !== 0 && sameAddress(given.host, host);
  if (given.host === "" || isIP(host) !== 0) return false;
  const name = given.host.replace(/^\*\./, ".");
  if (name.startsWith(".")) return host.endsWith(name);
  return host === name || host.endsWith(`.${name}`);
}

/** `::1` and `0:0:0:0:0:0:0:1` are one address. */
function sameAddress(a: string, b: string): boolean {
  const family = isIP(a);
  if (family !== isIP(b)) return false;
  if (family === 4) return a === b;
  const block = new BlockList();
  block.addAddress(a, "ipv6");
  return block.check(b, "ipv6");
}

/** True when NO_PROXY (`noProxy`) exempts `url`'s host from the proxy. */
export function exemptFromProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = bareHost(url.hostname);
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return noProxy
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .some((entry) => entry !== "" && exemptBy(entry, host, port));
}

/** The proxy a request to `url` goes through, or undefined for a direct connection. */
export function proxyFor(url: URL, env: Env = process.env): string | undefined {
  const proxy = variable(env, url.protocol === "https:" ? "HTTPS_PROXY" : "HTTP_PROXY");
  if (!proxy || exemptFromProxy(url, variable(env, "NO_PROXY"))) return undefined;
  return proxy;
}

/**
 * What a Node agent's `proxyEnv` gets for `url`: the one proxy to use, or nothing. NO_PROXY
 * is decided here, not by Node.
 */
export function agentProxyEnv(url: URL, env: Env = process.env): NodeJS.ProcessEnv {
  const proxy = proxyFor(url, env);
  return proxy ? { HTTP_PROXY: proxy, HTTPS_PROXY: proxy } : {};
}
