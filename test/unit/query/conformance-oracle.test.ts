/**
 * Conformance against DuckDB: each case runs a query in our engine and the equivalent SQL in DuckDB
 * over the same fixture files, and the results must agree (as sets of rows unless ordered).
 */
import assert from 'node:assert/strict';
import { Oracle, runTable, sortRows, tableRows } from './helpers';

interface OracleCase {
  readonly kql: string;
  readonly sql: string;
  /** Compare row order too (sort/top). */
  readonly ordered?: boolean;
}

const S = 'Signins';
const WEEK_START = "date_trunc('day', TimeGenerated) - to_days(CAST(dayofweek(TimeGenerated) AS INTEGER))";

const filters: OracleCase[] = [
  { kql: `${S} | count`, sql: `SELECT count(*) FROM ${S}` },
  { kql: `${S} | where ResultType == 0 | count`, sql: `SELECT count(*) FROM ${S} WHERE ResultType = 0` },
  { kql: `${S} | where ResultType != 0 | count`, sql: `SELECT count(*) FROM ${S} WHERE ResultType <> 0` },
  { kql: `${S} | where LatencyMs > 500 | count`, sql: `SELECT count(*) FROM ${S} WHERE LatencyMs > 500` },
  { kql: `${S} | where LatencyMs <= 100 | project UserPrincipalName, LatencyMs`, sql: `SELECT UserPrincipalName, LatencyMs FROM ${S} WHERE LatencyMs <= 100` },
  { kql: `${S} | where RiskScore >= 50.5 | project IPAddress, RiskScore`, sql: `SELECT IPAddress, RiskScore FROM ${S} WHERE RiskScore >= 50.5` },
  { kql: `${S} | where RiskScore < 10 or LatencyMs < 60 | project TimeGenerated`, sql: `SELECT TimeGenerated FROM ${S} WHERE RiskScore < 10 OR LatencyMs < 60` },
  { kql: `${S} | where RiskScore > 20 and LatencyMs > 300 | count`, sql: `SELECT count(*) FROM ${S} WHERE RiskScore > 20 AND LatencyMs > 300` },
  { kql: `${S} | where not(ResultType == 0) | count`, sql: `SELECT count(*) FROM ${S} WHERE NOT (ResultType = 0)` },
  { kql: `${S} | where 500 < LatencyMs | count`, sql: `SELECT count(*) FROM ${S} WHERE 500 < LatencyMs` },
  { kql: `${S} | where UserPrincipalName == "carol@contoso.com" | count`, sql: `SELECT count(*) FROM ${S} WHERE UserPrincipalName = 'carol@contoso.com'` },
  { kql: `${S} | where UserPrincipalName =~ "ALICE@contoso.com" | count`, sql: `SELECT count(*) FROM ${S} WHERE lower(UserPrincipalName) = 'alice@contoso.com'` },
  { kql: `${S} | where UserPrincipalName !~ "alice@contoso.com" | count`, sql: `SELECT count(*) FROM ${S} WHERE lower(UserPrincipalName) <> 'alice@contoso.com'` },
  { kql: `${S} | where UserPrincipalName != "alice@contoso.com" | count`, sql: `SELECT count(*) FROM ${S} WHERE UserPrincipalName <> 'alice@contoso.com'` },
  { kql: `${S} | where AppDisplayName contains "portal" | count`, sql: `SELECT count(*) FROM ${S} WHERE contains(lower(AppDisplayName), 'portal')` },
  { kql: `${S} | where AppDisplayName !contains "PORTAL" | count`, sql: `SELECT count(*) FROM ${S} WHERE NOT contains(lower(AppDisplayName), 'portal')` },
  { kql: `${S} | where AppDisplayName contains_cs "Portal" | count`, sql: `SELECT count(*) FROM ${S} WHERE contains(AppDisplayName, 'Portal')` },
  { kql: `${S} | where AppDisplayName contains_cs "portal" | count`, sql: `SELECT count(*) FROM ${S} WHERE contains(AppDisplayName, 'portal')` },
  { kql: `${S} | where AppDisplayName startswith "micro" | count`, sql: `SELECT count(*) FROM ${S} WHERE starts_with(lower(AppDisplayName), 'micro')` },
  { kql: `${S} | where AppDisplayName endswith "ONLINE" | count`, sql: `SELECT count(*) FROM ${S} WHERE ends_with(lower(AppDisplayName), 'online')` },
  { kql: `${S} | where AppDisplayName !startswith "micro" | count`, sql: `SELECT count(*) FROM ${S} WHERE NOT starts_with(lower(AppDisplayName), 'micro')` },
  { kql: `${S} | where AppDisplayName !endswith "online" | count`, sql: `SELECT count(*) FROM ${S} WHERE NOT ends_with(lower(AppDisplayName), 'online')` },
  { kql: `${S} | where AppDisplayName startswith_cs "micro" | count`, sql: `SELECT count(*) FROM ${S} WHERE starts_with(AppDisplayName, 'micro')` },
  { kql: `${S} | where AppDisplayName endswith_cs "Online" | count`, sql: `SELECT count(*) FROM ${S} WHERE ends_with(AppDisplayName, 'Online')` },
  { kql: `${S} | where IPAddress startswith "10." | summarize count() by IPAddress`, sql: `SELECT IPAddress, count(*) FROM ${S} WHERE starts_with(IPAddress, '10.') GROUP BY IPAddress` },
  { kql: `${S} | where UserPrincipalName in ("alice@contoso.com", "bob@contoso.com") | count`, sql: `SELECT count(*) FROM ${S} WHERE UserPrincipalName IN ('alice@contoso.com', 'bob@contoso.com')` },
  { kql: `${S} | where UserPrincipalName !in ("alice@contoso.com", "bob@contoso.com") | count`, sql: `SELECT count(*) FROM ${S} WHERE UserPrincipalName NOT IN ('alice@contoso.com', 'bob@contoso.com')` },
  { kql: `${S} | where UserPrincipalName in~ ("ALICE@CONTOSO.COM") | count`, sql: `SELECT count(*) FROM ${S} WHERE lower(UserPrincipalName) IN ('alice@contoso.com')` },
  { kql: `${S} | where UserPrincipalName !in~ ("ALICE@CONTOSO.COM", "Bob@contoso.com") | count`, sql: `SELECT count(*) FROM ${S} WHERE lower(UserPrincipalName) NOT IN ('alice@contoso.com', 'bob@contoso.com')` },
  { kql: `${S} | where ResultType in (50126, 50053) | count`, sql: `SELECT count(*) FROM ${S} WHERE ResultType IN (50126, 50053)` },
  { kql: `${S} | where LatencyMs between (100 .. 200) | project LatencyMs`, sql: `SELECT LatencyMs FROM ${S} WHERE LatencyMs BETWEEN 100 AND 200` },
  { kql: `${S} | where LatencyMs !between (100 .. 800) | project LatencyMs`, sql: `SELECT LatencyMs FROM ${S} WHERE LatencyMs NOT BETWEEN 100 AND 800` },
  { kql: `${S} | where RiskScore between (10.5 .. 20.25) | count`, sql: `SELECT count(*) FROM ${S} WHERE RiskScore BETWEEN 10.5 AND 20.25` },
  { kql: `${S} | where TimeGenerated between (datetime(2026-03-02) .. datetime(2026-03-02 12:00)) | count`, sql: `SELECT count(*) FROM ${S} WHERE TimeGenerated BETWEEN TIMESTAMPTZ '2026-03-02 00:00:00+00' AND TIMESTAMPTZ '2026-03-02 12:00:00+00'` },
  { kql: `${S} | where TimeGenerated between (datetime(2026-03-02) .. 6h) | count`, sql: `SELECT count(*) FROM ${S} WHERE TimeGenerated BETWEEN TIMESTAMPTZ '2026-03-02 00:00:00+00' AND TIMESTAMPTZ '2026-03-02 06:00:00+00'` },
  { kql: `${S} | where TimeGenerated > datetime(2026-03-03) | count`, sql: `SELECT count(*) FROM ${S} WHERE TimeGenerated > TIMESTAMPTZ '2026-03-03 00:00:00+00'` },
  { kql: `${S} | where TimeGenerated >= ago(1d) | count`, sql: `SELECT count(*) FROM ${S} WHERE TimeGenerated >= TIMESTAMPTZ '2026-03-03 00:00:00+00'` },
  { kql: `${S} | where TimeGenerated < ago(2d) + 90m | count`, sql: `SELECT count(*) FROM ${S} WHERE TimeGenerated < TIMESTAMPTZ '2026-03-02 01:30:00+00'` },
  { kql: `${S} | where TimeGenerated >= datetime(2026-03-01T01:49:00.000001Z) and TimeGenerated < datetime(2026-03-01 02:00) | project TimeGenerated`, sql: `SELECT TimeGenerated FROM ${S} WHERE TimeGenerated >= TIMESTAMPTZ '2026-03-01 01:49:00.000001+00' AND TimeGenerated < TIMESTAMPTZ '2026-03-01 02:00:00+00'` },
  { kql: `${S} | where ResultDescription matches regex "^(Invalid|Account)" | count`, sql: `SELECT count(*) FROM ${S} WHERE regexp_matches(ResultDescription, '^(Invalid|Account)')` },
  { kql: `${S} | where IPAddress matches regex @"^10\\.0\\.[0-3]\\." | count`, sql: `SELECT count(*) FROM ${S} WHERE regexp_matches(IPAddress, '^10\\.0\\.[0-3]\\.')` },
  { kql: `${S} | where isempty(ResultDescription) | count`, sql: `SELECT count(*) FROM ${S} WHERE ResultDescription = ''` },
  { kql: `${S} | where isnotempty(ResultDescription) | count`, sql: `SELECT count(*) FROM ${S} WHERE ResultDescription <> ''` },
  { kql: `${S} | where isnull(LatencyMs) | count`, sql: `SELECT count(*) FROM ${S} WHERE LatencyMs IS NULL` },
  { kql: `${S} | where isnotnull(RiskScore) | count`, sql: `SELECT count(*) FROM ${S} WHERE RiskScore IS NOT NULL` },
  { kql: `${S} | where isempty(LatencyMs) | count`, sql: `SELECT count(*) FROM ${S} WHERE LatencyMs IS NULL` },
  { kql: `${S} | where AppDisplayName has "portal" | count`, sql: `SELECT count(*) FROM ${S} WHERE regexp_matches(lower(AppDisplayName), '(^|[^a-z0-9])portal($|[^a-z0-9])')` },
  { kql: `${S} | where AppDisplayName has "log" | count`, sql: `SELECT count(*) FROM ${S} WHERE regexp_matches(lower(AppDisplayName), '(^|[^a-z0-9])log($|[^a-z0-9])')` },
  { kql: `${S} | where ResultDescription has_any ("locked", "invalid") | count`, sql: `SELECT count(*) FROM ${S} WHERE regexp_matches(lower(ResultDescription), '(^|[^a-z0-9])(locked|invalid)($|[^a-z0-9])')` },
  { kql: `${S} | where ResultDescription has_all ("invalid", "password") | count`, sql: `SELECT count(*) FROM ${S} WHERE regexp_matches(lower(ResultDescription), '(^|[^a-z0-9])invalid($|[^a-z0-9])') AND regexp_matches(lower(ResultDescription), '(^|[^a-z0-9])password($|[^a-z0-9])')` },
  { kql: `${S} | where ResultDescription hasprefix "auth" | count`, sql: `SELECT count(*) FROM ${S} WHERE regexp_matches(lower(ResultDescription), '(^|[^a-z0-9])auth')` },
  { kql: `${S} | where UserPrincipalName hassuffix "contoso" | count`, sql: `SELECT count(*) FROM ${S} WHERE regexp_matches(lower(UserPrincipalName), 'contoso($|[^a-z0-9])')` },
  { kql: `${S} | where IPAddress has "10.0.2.12" | count`, sql: `SELECT count(*) FROM ${S} WHERE IPAddress = '10.0.2.12'` },
  { kql: `${S} | filter Country == "NG" | take 100 | count`, sql: `SELECT count(*) FROM ${S} WHERE Country = 'NG'` },
  { kql: `${S} | take 0 | count`, sql: `SELECT 0` },
  { kql: `${S} | limit 7 | count`, sql: `SELECT 7` },
];

const aggregates: OracleCase[] = [
  { kql: `${S} | summarize count() by UserPrincipalName`, sql: `SELECT UserPrincipalName, count(*) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize count() by UserPrincipalName, ResultType`, sql: `SELECT UserPrincipalName, ResultType, count(*) FROM ${S} GROUP BY 1, 2` },
  { kql: `${S} | summarize dcount(IPAddress) by UserPrincipalName`, sql: `SELECT UserPrincipalName, count(DISTINCT IPAddress) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize dcount(LatencyMs)`, sql: `SELECT count(DISTINCT LatencyMs) FROM ${S}` },
  { kql: `${S} | summarize sum(LatencyMs) by Country`, sql: `SELECT Country, sum(LatencyMs) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize sum(RiskScore) by Country`, sql: `SELECT Country, sum(RiskScore) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize avg(LatencyMs) by Country`, sql: `SELECT Country, avg(LatencyMs) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize avg(RiskScore), count() by AppDisplayName`, sql: `SELECT AppDisplayName, avg(RiskScore), count(*) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize min(LatencyMs), max(LatencyMs) by AppDisplayName`, sql: `SELECT AppDisplayName, min(LatencyMs), max(LatencyMs) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize min(TimeGenerated), max(TimeGenerated) by UserPrincipalName`, sql: `SELECT UserPrincipalName, min(TimeGenerated), max(TimeGenerated) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize max(UserPrincipalName), min(IPAddress)`, sql: `SELECT max(UserPrincipalName), min(IPAddress) FROM ${S}` },
  { kql: `${S} | summarize countif(ResultType != 0) by UserPrincipalName`, sql: `SELECT UserPrincipalName, count(*) FILTER (WHERE ResultType <> 0) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize sumif(LatencyMs, ResultType == 0) by Country`, sql: `SELECT Country, sum(LatencyMs) FILTER (WHERE ResultType = 0) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize avgif(RiskScore, Country == "US") by AppDisplayName`, sql: `SELECT AppDisplayName, avg(RiskScore) FILTER (WHERE Country = 'US') FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize dcountif(IPAddress, ResultType != 0) by UserPrincipalName`, sql: `SELECT UserPrincipalName, count(DISTINCT IPAddress) FILTER (WHERE ResultType <> 0) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize maxif(LatencyMs, ResultType == 0), minif(LatencyMs, ResultType == 0) by Country`, sql: `SELECT Country, max(LatencyMs) FILTER (WHERE ResultType = 0), min(LatencyMs) FILTER (WHERE ResultType = 0) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize count() by bin(TimeGenerated, 1h)`, sql: `SELECT date_trunc('hour', TimeGenerated), count(*) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize count() by bin(TimeGenerated, 1d), ResultType`, sql: `SELECT date_trunc('day', TimeGenerated), ResultType, count(*) FROM ${S} GROUP BY 1, 2` },
  { kql: `${S} | summarize count() by bin(TimeGenerated, 15m)`, sql: `SELECT time_bucket(INTERVAL 15 minute, TimeGenerated), count(*) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize count() by Hour = hourofday(TimeGenerated)`, sql: `SELECT hour(TimeGenerated), count(*) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize count() by bin(LatencyMs, 100)`, sql: `SELECT LatencyMs // 100 * 100, count(*) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize count() by bin(RiskScore, 12.5)`, sql: `SELECT floor(RiskScore / 12.5) * 12.5, count(*) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize count() by Day = startofday(TimeGenerated), UserPrincipalName`, sql: `SELECT date_trunc('day', TimeGenerated), UserPrincipalName, count(*) FROM ${S} GROUP BY 1, 2` },
  { kql: `${S} | where ResultType == 12345 | summarize count()`, sql: `SELECT count(*) FROM ${S} WHERE ResultType = 12345` },
  { kql: `${S} | where ResultType == 12345 | summarize count() by Country`, sql: `SELECT Country, count(*) FROM ${S} WHERE ResultType = 12345 GROUP BY 1` },
  { kql: `${S} | where ResultType == 12345 | summarize sum(LatencyMs), max(TimeGenerated)`, sql: `SELECT sum(LatencyMs), max(TimeGenerated) FROM ${S} WHERE ResultType = 12345` },
  { kql: `${S} | where isnull(LatencyMs) | summarize sum(LatencyMs), avg(LatencyMs), count()`, sql: `SELECT sum(LatencyMs), avg(LatencyMs), count(*) FROM ${S} WHERE LatencyMs IS NULL` },
  { kql: `${S} | summarize stdev(LatencyMs) by Country`, sql: `SELECT Country, stddev_samp(LatencyMs) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize variance(RiskScore)`, sql: `SELECT var_samp(RiskScore) FROM ${S}` },
  // Kusto's count(x) counts rows, nulls included ("the regular count will count nulls"); SQL's counts non-null values.
  { kql: `${S} | summarize count(LatencyMs)`, sql: `SELECT count(*) FROM ${S}` },
  { kql: `${S} | summarize countif(isnotnull(LatencyMs))`, sql: `SELECT count(LatencyMs) FROM ${S}` },
  { kql: `${S} | summarize Failures = countif(ResultType != 0), Total = count() by Country | extend Rate = todouble(Failures) / Total`, sql: `SELECT Country, count(*) FILTER (WHERE ResultType <> 0), count(*), (count(*) FILTER (WHERE ResultType <> 0))::DOUBLE / count(*) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize Sets = array_sort_asc(make_set(Country)) by UserPrincipalName`, sql: `SELECT UserPrincipalName, list_sort(list(DISTINCT Country)) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize L = array_length(make_list(IPAddress)) by UserPrincipalName`, sql: `SELECT UserPrincipalName, count(IPAddress) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize n = array_length(make_list(LatencyMs)) by Country`, sql: `SELECT Country, count(LatencyMs) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize arg_max(TimeGenerated, IPAddress) by UserPrincipalName`, sql: `SELECT UserPrincipalName, max(TimeGenerated), arg_max(IPAddress, TimeGenerated) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize arg_min(TimeGenerated, AppDisplayName, Country) by UserPrincipalName`, sql: `SELECT UserPrincipalName, min(TimeGenerated), arg_min(AppDisplayName, TimeGenerated), arg_min(Country, TimeGenerated) FROM ${S} GROUP BY 1` },
  { kql: `${S} | summarize percentile(LatencyMs, 50)`, sql: `SELECT list_sort(list(LatencyMs))[CAST(ceil(0.5 * count(LatencyMs)) AS BIGINT)] FROM ${S}` },
  { kql: `${S} | summarize percentiles(RiskScore, 10, 90) by Country`, sql: `SELECT Country, list_sort(list(RiskScore))[greatest(1, CAST(ceil(0.1 * count(RiskScore)) AS BIGINT))], list_sort(list(RiskScore))[CAST(ceil(0.9 * count(RiskScore)) AS BIGINT)] FROM ${S} GROUP BY 1` },
  { kql: `${S} | distinct UserPrincipalName`, sql: `SELECT DISTINCT UserPrincipalName FROM ${S}` },
  { kql: `${S} | distinct Country, AppDisplayName`, sql: `SELECT DISTINCT Country, AppDisplayName FROM ${S}` },
  { kql: `${S} | distinct LatencyMs`, sql: `SELECT DISTINCT LatencyMs FROM ${S}` },
  { kql: `${S} | summarize by Country, ResultType`, sql: `SELECT DISTINCT Country, ResultType FROM ${S}` },
  { kql: `${S} | summarize c = count() by UserPrincipalName | where c > 10`, sql: `SELECT UserPrincipalName, count(*) FROM ${S} GROUP BY 1 HAVING count(*) > 10` },
  { kql: `${S} | summarize c = count() by UserPrincipalName | summarize max(c)`, sql: `SELECT max(c) FROM (SELECT count(*) c FROM ${S} GROUP BY UserPrincipalName)` },
];

const ordering: OracleCase[] = [
  { kql: `${S} | sort by LatencyMs desc | project LatencyMs | take 10`, sql: `SELECT LatencyMs FROM ${S} ORDER BY LatencyMs DESC NULLS LAST LIMIT 10`, ordered: true },
  { kql: `${S} | sort by LatencyMs | project LatencyMs`, sql: `SELECT LatencyMs FROM ${S} ORDER BY LatencyMs DESC NULLS LAST`, ordered: true },
  { kql: `${S} | order by LatencyMs asc | project LatencyMs`, sql: `SELECT LatencyMs FROM ${S} ORDER BY LatencyMs ASC NULLS FIRST`, ordered: true },
  { kql: `${S} | sort by RiskScore asc nulls last | project RiskScore`, sql: `SELECT RiskScore FROM ${S} ORDER BY RiskScore ASC NULLS LAST`, ordered: true },
  { kql: `${S} | sort by RiskScore desc nulls first | project RiskScore`, sql: `SELECT RiskScore FROM ${S} ORDER BY RiskScore DESC NULLS FIRST`, ordered: true },
  { kql: `${S} | top 5 by RiskScore | project RiskScore`, sql: `SELECT RiskScore FROM ${S} ORDER BY RiskScore DESC NULLS LAST LIMIT 5`, ordered: true },
  { kql: `${S} | top 3 by TimeGenerated asc | project TimeGenerated`, sql: `SELECT TimeGenerated FROM ${S} ORDER BY TimeGenerated LIMIT 3`, ordered: true },
  { kql: `${S} | sort by UserPrincipalName asc, TimeGenerated desc | project UserPrincipalName, TimeGenerated`, sql: `SELECT UserPrincipalName, TimeGenerated FROM ${S} ORDER BY UserPrincipalName ASC, TimeGenerated DESC`, ordered: true },
  { kql: `${S} | sort by Country, UserPrincipalName asc | project Country, UserPrincipalName`, sql: `SELECT Country, UserPrincipalName FROM ${S} ORDER BY Country DESC, UserPrincipalName ASC`, ordered: true },
  { kql: `${S} | summarize c = count() by UserPrincipalName | top 3 by c | project c`, sql: `SELECT count(*) c FROM ${S} GROUP BY UserPrincipalName ORDER BY c DESC LIMIT 3`, ordered: true },
  { kql: `${S} | sort by strlen(AppDisplayName) asc, AppDisplayName asc | project AppDisplayName`, sql: `SELECT AppDisplayName FROM ${S} ORDER BY length(AppDisplayName), AppDisplayName`, ordered: true },
  { kql: `FileAccess | summarize Total = sum(Bytes) by Space | top 3 by Total`, sql: `SELECT Space, sum(Bytes) t FROM FileAccess GROUP BY 1 ORDER BY t DESC LIMIT 3`, ordered: true },
];

const scalars: OracleCase[] = [
  { kql: `${S} | extend Seconds = LatencyMs / 1000.0 | project Seconds`, sql: `SELECT LatencyMs / 1000.0 FROM ${S}` },
  { kql: `${S} | extend Q = LatencyMs / 7 | project Q`, sql: `SELECT LatencyMs // 7 FROM ${S}` },
  { kql: `${S} | extend M = LatencyMs % 7 | project M`, sql: `SELECT LatencyMs % 7 FROM ${S}` },
  { kql: `${S} | extend X = LatencyMs * 2 + 1 - ResultType | project X`, sql: `SELECT LatencyMs * 2 + 1 - ResultType FROM ${S}` },
  { kql: `${S} | extend Y = RiskScore * LatencyMs | project Y`, sql: `SELECT RiskScore * LatencyMs FROM ${S}` },
  { kql: `${S} | extend N = -LatencyMs | project N`, sql: `SELECT -LatencyMs FROM ${S}` },
  { kql: `${S} | extend Day = startofday(TimeGenerated) | project Day`, sql: `SELECT date_trunc('day', TimeGenerated) FROM ${S}` },
  { kql: `${S} | extend M = startofmonth(TimeGenerated) | project M`, sql: `SELECT date_trunc('month', TimeGenerated) FROM ${S}` },
  { kql: `${S} | extend W = startofweek(TimeGenerated) | project W`, sql: `SELECT ${WEEK_START} FROM ${S}` },
  { kql: `${S} | extend Later = TimeGenerated + 1h | project Later`, sql: `SELECT TimeGenerated + INTERVAL 1 hour FROM ${S}` },
  { kql: `${S} | extend Earlier = TimeGenerated - 2d - 30m | project Earlier`, sql: `SELECT TimeGenerated - INTERVAL 2 day - INTERVAL 30 minute FROM ${S}` },
  { kql: `${S} | extend Age = datetime(2026-03-04) - TimeGenerated | project Age`, sql: `SELECT epoch_us(TIMESTAMPTZ '2026-03-04 00:00:00+00') - epoch_us(TimeGenerated) FROM ${S}`.replace('SELECT ', 'SELECT to_microseconds(').replace(` FROM ${S}`, `) FROM ${S}`) },
  { kql: `${S} | extend H = datetime_diff('hour', datetime(2026-03-04), TimeGenerated) | project H`, sql: `SELECT date_diff('hour', TimeGenerated, TIMESTAMPTZ '2026-03-04 00:00:00+00') FROM ${S}` },
  { kql: `${S} | extend D = datetime_diff('day', datetime(2026-03-04 13:00), TimeGenerated) | project D`, sql: `SELECT date_diff('day', TimeGenerated, TIMESTAMPTZ '2026-03-04 13:00:00+00') FROM ${S}` },
  { kql: `${S} | extend D = datetime_add('day', 3, TimeGenerated) | project D`, sql: `SELECT TimeGenerated + INTERVAL 3 day FROM ${S}` },
  { kql: `${S} | extend H = hourofday(TimeGenerated), Y = getyear(TimeGenerated), M = getmonth(TimeGenerated), D = dayofmonth(TimeGenerated) | project H, Y, M, D`, sql: `SELECT hour(TimeGenerated), year(TimeGenerated), month(TimeGenerated), day(TimeGenerated) FROM ${S}` },
  { kql: `${S} | extend F = format_datetime(TimeGenerated, 'yyyy-MM-dd HH:mm:ss') | project F`, sql: `SELECT strftime(TimeGenerated, '%Y-%m-%d %H:%M:%S') FROM ${S}` },
  { kql: `${S} | extend L = tolower(UserPrincipalName) | summarize count() by L`, sql: `SELECT lower(UserPrincipalName), count(*) FROM ${S} GROUP BY 1` },
  { kql: `${S} | project U = toupper(Country)`, sql: `SELECT upper(Country) FROM ${S}` },
  { kql: `${S} | project N = strlen(AppDisplayName)`, sql: `SELECT length(AppDisplayName) FROM ${S}` },
  { kql: `${S} | project P = substring(UserPrincipalName, 0, 3), Q = substring(UserPrincipalName, 2)`, sql: `SELECT substring(UserPrincipalName, 1, 3), substring(UserPrincipalName, 3) FROM ${S}` },
  { kql: `${S} | project S = strcat(Country, "-", AppDisplayName, "-", ResultType)`, sql: `SELECT concat(Country, '-', AppDisplayName, '-', ResultType) FROM ${S}` },
  { kql: `${S} | project S = strcat_delim("|", Country, IPAddress)`, sql: `SELECT concat_ws('|', Country, IPAddress) FROM ${S}` },
  { kql: `${S} | project R = replace_string(AppDisplayName, " ", "_")`, sql: `SELECT replace(AppDisplayName, ' ', '_') FROM ${S}` },
  { kql: `${S} | project I = indexof(UserPrincipalName, "@")`, sql: `SELECT strpos(UserPrincipalName, '@') - 1 FROM ${S}` },
  { kql: `${S} | project Name = extract("^([a-z]+)@", 1, UserPrincipalName)`, sql: `SELECT regexp_extract(UserPrincipalName, '^([a-z]+)@', 1) FROM ${S}` },
  { kql: `${S} | project Net = replace_regex(IPAddress, @"\\.\\d+$", ".0")`, sql: `SELECT regexp_replace(IPAddress, '\\.\\d+$', '.0') FROM ${S}` },
  { kql: `${S} | project First = tostring(split(IPAddress, ".")[0])`, sql: `SELECT split_part(IPAddress, '.', 1) FROM ${S}` },
  { kql: `${S} | project Octets = array_length(split(IPAddress, "."))`, sql: `SELECT len(string_split(IPAddress, '.')) FROM ${S}` },
  { kql: `${S} | project T = tostring(ResultType)`, sql: `SELECT CAST(ResultType AS VARCHAR) FROM ${S}` },
  { kql: `${S} | project Outcome = iff(ResultType == 0, "ok", "fail")`, sql: `SELECT CASE WHEN ResultType = 0 THEN 'ok' ELSE 'fail' END FROM ${S}` },
  { kql: `${S} | project Speed = case(LatencyMs < 100, "fast", LatencyMs < 500, "ok", "slow")`, sql: `SELECT CASE WHEN LatencyMs < 100 THEN 'fast' WHEN LatencyMs < 500 THEN 'ok' ELSE 'slow' END FROM ${S}` },
  { kql: `${S} | project L = coalesce(LatencyMs, 0)`, sql: `SELECT coalesce(LatencyMs, 0) FROM ${S}` },
  { kql: `${S} | project B = LatencyMs > 300`, sql: `SELECT LatencyMs > 300 FROM ${S}` },
  { kql: `${S} | project R = round(RiskScore, 1)`, sql: `SELECT round(RiskScore, 1) FROM ${S}` },
  { kql: `${S} | project A = abs(LatencyMs - 500)`, sql: `SELECT abs(LatencyMs - 500) FROM ${S}` },
  { kql: `${S} | summarize count() by Browser = tostring(DeviceDetail.browser)`, sql: `SELECT coalesce(DeviceDetail->>'$.browser', ''), count(*) FROM ${S} GROUP BY 1` },
  { kql: `${S} | where DeviceDetail.trusted == true | count`, sql: `SELECT count(*) FROM ${S} WHERE CAST(DeviceDetail->>'$.trusted' AS BOOLEAN)` },
  { kql: `${S} | where tostring(DeviceDetail["os"]) startswith "Win" | count`, sql: `SELECT count(*) FROM ${S} WHERE starts_with(lower(coalesce(DeviceDetail->>'$.os', '')), 'win')` },
  { kql: `${S} | extend n = array_length(Tags) | summarize count() by n`, sql: `SELECT json_array_length(Tags), count(*) FROM ${S} GROUP BY 1` },
  { kql: `${S} | where ipv4_is_private(IPAddress) | count`, sql: `SELECT count(*) FROM ${S} WHERE starts_with(IPAddress, '10.') OR starts_with(IPAddress, '192.168.')` },
  { kql: `${S} | where ipv4_is_in_range(IPAddress, "10.0.0.0/22") | count`, sql: `SELECT count(*) FROM ${S} WHERE regexp_matches(IPAddress, '^10\\.0\\.[0-3]\\.')` },
  { kql: `${S} | extend S = unixtime_seconds_todatetime(1772400000) | where TimeGenerated < S | count`, sql: `SELECT count(*) FROM ${S} WHERE TimeGenerated < to_timestamp(1772400000)` },
  { kql: `range x from 1 to 10 step 3`, sql: `SELECT * FROM range(1, 11, 3)`, ordered: true },
  { kql: `range x from 10 to 1 step -4`, sql: `SELECT * FROM range(10, 0, -4)`, ordered: true },
  { kql: `range t from datetime(2026-03-01) to datetime(2026-03-02) step 6h`, sql: `SELECT * FROM range(TIMESTAMPTZ '2026-03-01 00:00:00+00', TIMESTAMPTZ '2026-03-02 00:00:01+00', INTERVAL 6 hour)`, ordered: true },
  { kql: `print a = 7 / 2, b = 7 % 3, c = 2.5 * 4, d = 10 - 3 * 2, e = (10 - 3) * 2`, sql: `SELECT 7 // 2, 7 % 3, 2.5 * 4, 10 - 3 * 2, (10 - 3) * 2` },
  { kql: `print a = tolong("42"), b = todouble("2.5"), c = tostring(12), d = toint(3.9)`, sql: `SELECT 42, 2.5, '12', 3` },
  { kql: `print a = strlen("héllo"), b = toupper("abc"), c = reverse("abc")`, sql: `SELECT length('héllo'), upper('abc'), reverse('abc')` },
  { kql: `print a = 1 < 2, b = "a" < "b", c = datetime(2026-01-01) < datetime(2026-01-02)`, sql: `SELECT 1 < 2, 'a' < 'b', DATE '2026-01-01' < DATE '2026-01-02'` },
];

const joins: OracleCase[] = [
  {
    kql: `${S} | summarize Logins = count() by User = UserPrincipalName | join kind=inner (Audit | summarize Ops = count() by User = InitiatedBy) on User | project User, Logins, Ops`,
    sql: `SELECT s.u, s.c, a.c FROM (SELECT UserPrincipalName u, count(*) c FROM ${S} GROUP BY 1) s JOIN (SELECT InitiatedBy u, count(*) c FROM Audit GROUP BY 1) a ON s.u = a.u`,
  },
  {
    kql: `${S} | summarize Logins = count() by User = UserPrincipalName | join kind=leftouter (Audit | where OperationName == "Reset password" | summarize Resets = count() by User = TargetUser) on User | project User, Logins, Resets`,
    sql: `SELECT s.u, s.c, a.c FROM (SELECT UserPrincipalName u, count(*) c FROM ${S} GROUP BY 1) s LEFT JOIN (SELECT TargetUser u, count(*) c FROM Audit WHERE OperationName = 'Reset password' GROUP BY 1) a ON s.u = a.u`,
  },
  {
    kql: `${S} | distinct UserPrincipalName | join kind=leftanti (Audit | distinct InitiatedBy) on $left.UserPrincipalName == $right.InitiatedBy`,
    sql: `SELECT DISTINCT UserPrincipalName FROM ${S} WHERE UserPrincipalName NOT IN (SELECT InitiatedBy FROM Audit)`,
  },
  {
    kql: `${S} | join kind=leftsemi (Audit | where OperationName == "Reset password") on $left.UserPrincipalName == $right.TargetUser | count`,
    sql: `SELECT count(*) FROM ${S} WHERE UserPrincipalName IN (SELECT TargetUser FROM Audit WHERE OperationName = 'Reset password')`,
  },
  {
    kql: `${S} | join kind=rightanti (Audit) on $left.UserPrincipalName == $right.TargetUser | count`,
    sql: `SELECT count(*) FROM Audit WHERE TargetUser NOT IN (SELECT UserPrincipalName FROM ${S})`,
  },
  {
    kql: `${S} | join kind=rightsemi (Audit) on $left.UserPrincipalName == $right.InitiatedBy | summarize count() by OperationName`,
    sql: `SELECT OperationName, count(*) FROM Audit WHERE InitiatedBy IN (SELECT UserPrincipalName FROM ${S}) GROUP BY 1`,
  },
  {
    kql: `(${S} | summarize c = count() by U = Country) | join kind=fullouter (FileAccess | summarize b = sum(Bytes) by U = Action) on U | project U, c, U1, b`,
    sql: `SELECT coalesce(s.u, ''), s.c, coalesce(f.u, ''), f.b FROM (SELECT Country u, count(*) c FROM ${S} GROUP BY 1) s FULL OUTER JOIN (SELECT Action u, sum(Bytes) b FROM FileAccess GROUP BY 1) f ON s.u = f.u`,
  },
  {
    kql: `${S} | where ResultType != 0 | join kind=inner (Audit) on $left.UserPrincipalName == $right.TargetUser | count`,
    sql: `SELECT count(*) FROM ${S} s JOIN Audit a ON s.UserPrincipalName = a.TargetUser WHERE s.ResultType <> 0`,
  },
  {
    kql: `${S} | join kind=rightouter (Audit | project TargetUser, OperationName) on $left.UserPrincipalName == $right.TargetUser | summarize count() by OperationName`,
    sql: `SELECT a.OperationName, count(*) FROM ${S} s RIGHT JOIN Audit a ON s.UserPrincipalName = a.TargetUser GROUP BY 1`,
  },
  {
    kql: `FileAccess | extend User = strcat(Actor, "@contoso.com") | join kind=inner (${S} | where ResultType == 0 | distinct UserPrincipalName, Country) on $left.User == $right.UserPrincipalName | summarize sum(Bytes) by Country`,
    sql: `SELECT s.Country, sum(f.Bytes) FROM FileAccess f JOIN (SELECT DISTINCT UserPrincipalName, Country FROM ${S} WHERE ResultType = 0) s ON f.Actor || '@contoso.com' = s.UserPrincipalName GROUP BY 1`,
  },
  {
    kql: `${S} | summarize by UserPrincipalName, Country | join kind=inner (${S} | summarize n = count() by UserPrincipalName, Country) on UserPrincipalName, Country | project UserPrincipalName, Country, n`,
    sql: `SELECT UserPrincipalName, Country, count(*) FROM ${S} GROUP BY 1, 2`,
  },
  { kql: `union ${S}, Audit | count`, sql: `SELECT (SELECT count(*) FROM ${S}) + (SELECT count(*) FROM Audit)` },
  { kql: `union withsource=Source ${S}, Audit | summarize count() by Source`, sql: `SELECT 'Signins', count(*) FROM ${S} UNION ALL SELECT 'Audit', count(*) FROM Audit` },
  { kql: `${S} | union (Audit | project TimeGenerated) | summarize count(), min(TimeGenerated)`, sql: `SELECT count(*), min(t) FROM (SELECT TimeGenerated t FROM ${S} UNION ALL SELECT TimeGenerated FROM Audit)` },
  { kql: `union kind=inner ${S}, Audit | getschema | project ColumnName`, sql: `SELECT 'TimeGenerated'` },
  { kql: `${S} | mv-expand Tags | summarize count() by Tag = tostring(Tags)`, sql: `SELECT t, count(*) FROM (SELECT unnest(CAST(Tags AS VARCHAR[])) t FROM ${S}) GROUP BY 1` },
  { kql: `${S} | mv-expand Tag = Tags to typeof(string) | where Tag == "mfa" | distinct UserPrincipalName`, sql: `SELECT DISTINCT UserPrincipalName FROM (SELECT UserPrincipalName, unnest(CAST(Tags AS VARCHAR[])) t FROM ${S}) WHERE t = 'mfa'` },
  { kql: `Audit | mv-expand d = AdditionalDetails | summarize count() by Key = tostring(d.key)`, sql: `SELECT k, count(*) FROM (SELECT unnest(CAST(AdditionalDetails AS JSON[]))->>'$.key' k FROM Audit) GROUP BY 1` },
  { kql: `FileAccess | where Actor != Owner | summarize count() by Actor`, sql: `SELECT Actor, count(*) FROM FileAccess WHERE Actor <> Owner GROUP BY 1` },
  { kql: `FileAccess | where Path endswith ".kdbx" | project Path`, sql: `SELECT Path FROM FileAccess WHERE ends_with(lower(Path), '.kdbx')` },
  { kql: `FileAccess | extend Ext = extract(@"\\.([a-z]+)$", 1, Path) | summarize count() by Ext`, sql: `SELECT regexp_extract(Path, '\\.([a-z]+)$', 1), count(*) FROM FileAccess GROUP BY 1` },
  { kql: `FileAccess | summarize percentile(Bytes, 50), percentile(Bytes, 95)`, sql: `SELECT list_sort(list(Bytes))[CAST(ceil(0.5 * count(*)) AS BIGINT)], list_sort(list(Bytes))[CAST(ceil(0.95 * count(*)) AS BIGINT)] FROM FileAccess` },
  { kql: `FileAccess | summarize Spaces = dcount(Space), Bytes = sum(Bytes) by Actor, Action`, sql: `SELECT Actor, Action, count(DISTINCT Space), sum(Bytes) FROM FileAccess GROUP BY 1, 2` },
];

describe('conformance with DuckDB as oracle', function () {
  let oracle: Oracle;
  before(async () => {
    oracle = await Oracle.open();
  });
  after(() => oracle.close());

  const groups: [string, OracleCase[]][] = [
    ['filters', filters],
    ['aggregates', aggregates],
    ['ordering', ordering],
    ['scalars', scalars],
    ['joins, unions and expansion', joins],
  ];
  for (const [title, cases] of groups) {
    describe(title, () => {
      for (const c of cases) {
        it(c.kql, async () => {
          const table = await runTable(c.kql);
          const expected = await oracle.rows(c.sql);
          const actual = tableRows(table);
          assert.ok(expected.length > 0 || c.kql.includes('12345') || actual.length === 0, 'oracle returned no rows');
          if (c.ordered) assert.deepEqual(actual, expected);
          else assert.deepEqual(sortRows(actual), sortRows(expected));
        });
      }
    });
  }
});
