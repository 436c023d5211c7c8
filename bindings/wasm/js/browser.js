// The browser entry (also what bundlers pick): fetches and compiles the module once. A browser
// has no environment and no files; a service-account key is refused unless the page opts in
// by name.

import init from "./roster.js";
import { setPlatform } from "./platform.js";
import { configError } from "./errors.js";

await init({ module_or_path: new URL("./roster_bg.wasm", import.meta.url) });

function checkCredentials(options) {
  if (options.credentials !== undefined && options.credentials !== null && !options.dangerouslyAllowPrivateKeyInBrowser) {
    throw configError(
      "a service-account private key in a browser is readable by anyone using the page; " +
        "use tokenProvider, or set dangerouslyAllowPrivateKeyInBrowser: true",
    );
  }
}

setPlatform({ browser: true, env: null, readFile: null, checkCredentials });

export * from "./client.js";
