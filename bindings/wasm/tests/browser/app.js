// The page's app: tokens come from this page's backend (/token), the calls go straight to the
// emulator, which allows this origin by CORS. Loaded as is through an import map, and bundled
// by esbuild, from the same source.
import { Voximplant, ConfigError } from "roster-sdk";

const params = new URLSearchParams(location.search);
try {
  new Voximplant({ credentials: { account_id: 1, key_id: "k", private_key: "-----BEGIN PRIVATE KEY-----" } });
  document.getElementById("refusal").textContent = "accepted";
} catch (e) {
  document.getElementById("refusal").textContent = e instanceof ConfigError ? "refused" : `other: ${e}`;
}
try {
  const vox = new Voximplant({
    baseUrl: params.get("api"),
    tokenProvider: async () => (await fetch("/token")).text(),
  });
  const list = document.getElementById("users");
  for await (const user of vox.users.iterUsers({ applicationId: 1, count: 2 })) {
    const li = document.createElement("li");
    li.textContent = `${user.user_name} (${user.user_display_name})`;
    list.append(li);
  }
  list.dataset.done = "true";
} catch (e) {
  document.getElementById("error").textContent = `${e.name}: ${e.message}`;
}
