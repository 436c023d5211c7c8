// Compiled by `tsc --noEmit --strict` in scripts/test-js.sh: the declarations must accept the
// documented usage and refuse the mistakes marked @ts-expect-error (an unused one fails too).

import {
  Voximplant, Voiso, ApiError, ValidationError, RosterError, type User, type Decimal,
  type AddUserParams, type GetUsersResult,
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
  const agents = await voiso.users.listUsers({ email: "a@example.com" });
  console.log(agents.items[0]?.assigned_teams?.join(","));

  try {
    await vox.skills.addSkill({ skillName: "english" });
  } catch (e) {
    if (e instanceof ApiError) console.log(e.apiCode, e.apiKind);
    else if (e instanceof ValidationError) console.log(e.parameter, e.rule);
    else if (e instanceof RosterError) console.log(e.code);
  }
}
void usage;
