/**
 * Realistic hunting queries over the fixture logs, end to end. The fixtures plant one incident:
 * a password spray from 198.51.100.23 (2026-03-02 10:00-10:07), a brute force against carol from
 * 203.0.113.7 ending in a success at 11:48, a self-service password reset at 11:55, a Global
 * Administrator role grant at 11:58, then reads of other users' finance files from 12:05.
 */
import assert from 'node:assert/strict';
import { runTable, tableRows } from './helpers';

const at = (iso: string) => `dt:${Date.parse(iso) * 1000}`;

describe('hunting queries', () => {
  it('password spray: one address failing against many accounts in a short window', async () => {
    const t = await runTable(`
      Signins
      | where ResultType != 0
      | summarize Accounts = dcount(UserPrincipalName), Attempts = count(), First = min(TimeGenerated), Last = max(TimeGenerated)
          by IPAddress, Window = bin(TimeGenerated, 30m)
      | where Accounts >= 5
      | project IPAddress, Window, Accounts, Attempts, Duration = Last - First`);
    assert.deepEqual(tableRows(t), [['198.51.100.23', at('2026-03-02T10:00:00Z'), 8, 8, 'ts:420000000']]);
  });

  it('account takeover: repeated failures then a success from the same address', async () => {
    const t = await runTable(`
      let failures = Signins
        | where ResultType != 0
        | summarize Failures = count(), LastFailure = max(TimeGenerated) by UserPrincipalName, IPAddress
        | where Failures >= 5;
      let successes = Signins | where ResultType == 0 | project UserPrincipalName, IPAddress, SuccessTime = TimeGenerated;
      failures
      | join kind=inner (successes) on UserPrincipalName, IPAddress
      | where SuccessTime between (LastFailure .. 1h)
      | summarize FirstSuccess = min(SuccessTime) by UserPrincipalName, IPAddress, Failures`);
    assert.deepEqual(tableRows(t), [['carol@contoso.com', '203.0.113.7', 8, at('2026-03-02T11:48:00Z')]]);
  });

  it('sign-in bursts: many sign-ins by one account in ten minutes', async () => {
    const t = await runTable(`
      Signins
      | summarize SignIns = count(), Addresses = make_set(IPAddress) by UserPrincipalName, bin(TimeGenerated, 10m)
      | where SignIns >= 8
      | order by SignIns desc`);
    assert.deepEqual(tableRows(t), [['carol@contoso.com', at('2026-03-02T11:40:00Z'), 9, ['203.0.113.7']]]);
  });

  it("access to other users' spaces after the takeover", async () => {
    const t = await runTable(`
      let takeover = datetime(2026-03-02 11:48);
      FileAccess
      | where Timestamp > takeover and Actor != Owner
      | summarize Files = dcount(Path), Owners = array_sort_asc(make_set(Owner)), Bytes = sum(Bytes) by Actor, Space = tostring(split(Path, "/")[1])
      | where Space == "finance"
      | project Actor, Files, Owners`);
    const rows = tableRows(t);
    assert.equal(rows.length, 1);
    assert.equal(rows[0][0], 'carol');
    assert.equal(rows[0][1], 6); // payroll-0 .. payroll-5
    assert.ok((rows[0][2] as string[]).every((o) => ['alice', 'frank', 'grace'].includes(o)));
  });

  it('success then failures: a session that worked and then got locked out', async () => {
    const t = await runTable(`
      let ok = Signins | where ResultType == 0 | project UserPrincipalName, IPAddress, OkTime = TimeGenerated;
      Signins
      | where ResultDescription has "locked"
      | join kind=inner (ok) on UserPrincipalName, IPAddress
      | where TimeGenerated between (OkTime .. 10m)
      | summarize Lockouts = count(), FirstLockout = min(TimeGenerated) by UserPrincipalName, IPAddress, OkTime, Country`);
    assert.deepEqual(tableRows(t), [['bob@contoso.com', '81.2.69.160', at('2026-03-03T01:40:00Z'), 'GB', 3, at('2026-03-03T01:45:00Z')]]);
  });

  it('privileged action shortly after a password reset', async () => {
    const t = await runTable(`
      let resets = Audit | where OperationName == "Reset password" | project Account = TargetUser, ResetTime = TimeGenerated, ResetBy = InitiatedBy;
      Audit
      | where OperationName in ("Add member to role", "Add app role assignment")
      | mv-expand Detail = AdditionalDetails
      | where tostring(Detail.key) == "Role"
      | extend Role = tostring(Detail.value)
      | join kind=inner (resets) on $left.InitiatedBy == $right.Account
      | where TimeGenerated between (ResetTime .. 30m)
      | project TimeGenerated, Actor = InitiatedBy, OperationName, Role, Target = TargetUser, MinutesAfterReset = (TimeGenerated - ResetTime) / 1m
      | sort by TimeGenerated asc`);
    assert.deepEqual(tableRows(t), [
      [at('2026-03-02T11:58:00Z'), 'carol@contoso.com', 'Add member to role', 'Global Administrator', 'carol@contoso.com', 3],
      [at('2026-03-02T12:00:00Z'), 'carol@contoso.com', 'Add app role assignment', 'Exchange Administrator', 'frank@contoso.com', 5],
    ]);
  });

  it('the whole chain with lets and a user function', async () => {
    const t = await runTable(`
      let lookback = (start:datetime, span:timespan = 1d) { Signins | where TimeGenerated between (start .. span) };
      let sprayers = lookback(datetime(2026-03-02))
        | where ResultType != 0
        | summarize n = dcount(UserPrincipalName) by IPAddress
        | where n >= 5
        | project IPAddress;
      let compromised = lookback(datetime(2026-03-02))
        | where IPAddress !in (sprayers) and not(ipv4_is_private(IPAddress))
        | summarize Failures = countif(ResultType != 0), Successes = countif(ResultType == 0) by UserPrincipalName, IPAddress
        | where Failures >= 5 and Successes > 0;
      compromised
      | join kind=leftouter (Audit | where OperationName == "Add member to role" | project UserPrincipalName = InitiatedBy, RoleChange = TimeGenerated) on UserPrincipalName
      | join kind=leftouter (FileAccess | where Actor != Owner | summarize ForeignReads = count() by UserPrincipalName = strcat(Actor, "@contoso.com")) on UserPrincipalName
      | project UserPrincipalName, IPAddress, Failures, Successes, RoleChange, Verdict = iff(isnotnull(RoleChange) and ForeignReads > 0, "escalated and accessed data", "review")`);
    assert.deepEqual(tableRows(t), [['carol@contoso.com', '203.0.113.7', 8, 2, at('2026-03-02T11:58:00Z'), 'escalated and accessed data']]);
  });

  it('suspicious command lines, parsed and matched with term operators', async () => {
    const t = await runTable(`
      ProcessEvents
      | where CommandLine has_any ("-enc", "whoami", "/add", "urlcache") or CommandLine matches regex @"https?://\\d+\\.\\d+\\.\\d+\\.\\d+"
      | parse CommandLine with * "user=" RunAs " id=" EventId:long
      | extend Url = extract(@"(https?://[^\\s]+)", 1, CommandLine)
      | summarize Commands = count(), Images = array_sort_asc(make_set(Image)), Urls = make_set_if(Url, isnotempty(Url)) by Host
      | sort by Host asc`);
    assert.deepEqual(tableRows(t), [
      ['srv-01', 4, ['certutil.exe', 'curl.exe', 'net.exe'], ['http://203.0.113.7:8080/payload.bin', 'http://198.51.100.23/a.txt']],
      ['ws-carol', 2, ['cmd.exe', 'powershell.exe'], []],
    ]);
  });
});
