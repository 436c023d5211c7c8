// Compiled by `tsc --noEmit --strict` in scripts/test-js.sh: the declarations must accept the
// documented usage and refuse the mistakes marked @ts-expect-error (an unused one fails too).

import {
  Voximplant, Voiso, ApiError, ValidationError, RosterError, type User, type Decimal,
  type AddUserParams, type GetUsersResult, type Pages, type ApiErrorEntry, type AttemptLimits,
} from "roster-sdk";

async function usage(): Promise<void> {
  const vox = new Voximplant({ credentials: "/path/credentials.json", retry: { maxAttempts: 3 } });
  const browserish = new Voximplant({ tokenProvider: async () => "token", baseUrl: "https://x.test" });
  void browserish;

  const created = await vox.users.addUser({
    userName: "jdoe", userDisplayName: "John Doe", userPassword: "S3cure!pass", applicationId: 1,
  });
  const id: number | undefined = created.user_id;
  void id;

  // @ts-expect-error: exactly one of applicationId / applicationName
  await vox.users.addUser({ userName: "j", userDisplayName: "J", userPassword: "p", applicationId: 1, applicationName: "a" });
  // @ts-expect-error: one of them is required
  await vox.users.addUser({ userName: "j", userDisplayName: "J", userPassword: "p" });
  // @ts-expect-error: userName is required
  const missing: AddUserParams = { userDisplayName: "J", userPassword: "p", applicationId: 1 };
  void missing;

  const page: GetUsersResult = await vox.users.getUsers({ applicationId: 1, withSkills: true });
  for (const u of page.items) {
    const balance: Decimal | undefined = u.balance;
    const modified: Date | undefined = u.modified === undefined ? undefined : new Date(u.modified);
    void balance; void modified;
  }
  // @ts-expect-error: money is decimal text, not a number
  await vox.users.transferMoneyToUser({ userId: [1], amount: 2.5 });
  await vox.users.transferMoneyToUser({ userId: "all", amount: "2.50" });

  const controller = new AbortController();
  for await (const u of vox.users.iterUsers({ applicationId: 1 }, { signal: controller.signal })) {
    const user: User = u;
    console.log(user.user_name?.toUpperCase());
  }

  const byName = await vox.call("GetSkills", { skillName: "en" });
  console.log(byName.items.map((s) => s.skill_id));
  const dynamic: unknown = await vox.call("SomethingNew", { any: 1 });
  void dynamic;

  // @ts-expect-error: acdStatus takes the spec's enum values only
  await vox.users.getUsers({ acdStatus: ["SLEEPING"] });

  const voiso = new Voiso({ apiKey: "k" });
  const fromEnv = new Voiso({ env: { VOISO_API_KEY: "k" }, readFile: null });
  void fromEnv;
  // Credentials as text, bytes or the parsed object; a fixed token; the host and test hooks.
  const withBytes = new Voximplant({ credentials: new Uint8Array([123, 125]), env: null });
  const withToken = new Voximplant({
    token: "t", clock: () => Date.now(), sleep: async (ms: number) => void ms,
    fetch: async (request: Request, limits?: AttemptLimits) => new Response(String(limits?.timeoutMs ?? request.url)),
  });
  void withBytes; void withToken;
  // @ts-expect-error: a token provider answers with a token, not a number
  new Voximplant({ tokenProvider: () => 5 });

  const pages: Pages<Record<string, unknown>> = vox.pages("GetUsers", { applicationId: 1 });
  const first = await pages.next();
  if (!first.done) console.log(first.value.length);
  for await (const batch of pages) console.log(batch.length);
  const agents = await voiso.users.listUsers({ email: "a@example.com" });
  console.log(agents.items[0]?.assigned_teams?.join(","));

  try {
    await vox.skills.addSkill({ skillName: "english" });
  } catch (e) {
    if (e instanceof ApiError) {
      console.log(e.apiCode, e.apiKind);
      const entries: readonly ApiErrorEntry[] = e.errors;
      for (const entry of entries) console.log(entry.code, entry.msg, entry.fieldName ?? "");
    }
    else if (e instanceof ValidationError) console.log(e.parameter, e.rule);
    else if (e instanceof RosterError) console.log(e.code);
  }
}
void usage;
