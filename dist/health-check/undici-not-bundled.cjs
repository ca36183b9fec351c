"use strict";
// See scripts/lib/bundle.mjs: undici is not part of this bundle.
function notBundled(what) {
  throw new Error(`undici's ${what} is not bundled with this action (scripts/lib/bundle.mjs)`);
}
class ProxyAgent {
  dispatch() {
    notBundled("ProxyAgent");
  }
}
module.exports = { ProxyAgent, fetch: () => notBundled("fetch") };
