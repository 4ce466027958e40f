import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convert } from '../../src/translate/convert.js';
import { rule } from '../helpers.js';

/**
 * One conformance table over every backend (like Hono's router suite): each case is a Sigma
 * detection, each expected output an exact query, reviewed by hand. Covers case sensitivity,
 * escaping (quotes, backslashes, a trailing backslash), typed wildcards (`*`, `?`), regex flavours
 * and flags, an OR of a term and a regex (SPL must not AND them), negation of absent fields
 * (SQL and ES|QL NULLs), numbers.
 */
const CASES: Record<string, string> = {
  'eq list, case-insensitive': "    sel:\n        OriginalFileName:\n            - 'PING.EXE'\n            - 'ping2.exe'\n    condition: sel",
  'cased contains': "    sel:\n        CommandLine|contains|cased: 'AbC'\n    condition: sel",
  'quotes and trailing backslash': "    sel:\n        CommandLine|contains:\n            - 'say \"hi\"'\n            - 'dir C:\\'\n    condition: sel",
  'wildcards ? and * inside': "    sel:\n        Image: 'C:\\Users\\\\*\\Temp\\a?.exe'\n    condition: sel",
  'regex with flags': "    sel:\n        CommandLine|re|i: 'powershell.*-e(nc)?\\s'\n    condition: sel",
  'or of regex and term (SPL keeps the meaning)': "    a:\n        Image|endswith: '\\x.exe'\n    b:\n        CommandLine|re: 'evil[0-9]+'\n    condition: a or b",
  'not of a missing field': "    sel:\n        Image|endswith: '\\x.exe'\n    filter:\n        ParentImage|startswith: 'C:\\Windows\\'\n    condition: sel and not filter",
  'numbers': "    sel:\n        ProcessId|gt: 4\n        TerminalSessionId: 0\n    condition: sel",
};

const EXPECTED: Record<string, Record<string, string>> = {
  "eq list, case-insensitive": {
    'kql-asim': "imProcessCreate\n| where TargetProcessFileOriginalName in~ (\"PING.EXE\", \"ping2.exe\")",
    'kql-xdr': "DeviceProcessEvents\n| where ProcessVersionInfoOriginalFileName in~ (\"PING.EXE\", \"ping2.exe\")",
    'kql-sentinel': "WindowsEvent\n| where Channel =~ \"Microsoft-Windows-Sysmon/Operational\" and EventID == 1 and tostring(EventData.OriginalFileName) in~ (\"PING.EXE\", \"ping2.exe\")",
    'splunk': "(source=\"WinEventLog:Microsoft-Windows-Sysmon/Operational\" EventCode=1 OriginalFileName IN (\"PING.EXE\", \"ping2.exe\")) OR (source=\"WinEventLog:Security\" EventCode=4688 OriginalFileName IN (\"PING.EXE\", \"ping2.exe\"))",
    'lucene': "winlog.channel:Microsoft\\-Windows\\-Sysmon\\/Operational AND winlog.event_id:1 AND (process.pe.original_file_name:PING.EXE OR process.pe.original_file_name:ping2.exe)",
    'esql': "FROM logs-* | WHERE TO_LOWER(winlog.channel) == \"microsoft-windows-sysmon/operational\" AND winlog.event_id == 1 AND TO_LOWER(process.pe.original_file_name) IN (\"ping.exe\", \"ping2.exe\")",
    'eql': "process where winlog.channel : \"Microsoft-Windows-Sysmon/Operational\" and winlog.event_id == 1 and (process.pe.original_file_name : \"PING.EXE\" or process.pe.original_file_name : \"ping2.exe\")",
    'sqlite': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND (LOWER(\"originalfilename\") = 'ping.exe' OR LOWER(\"originalfilename\") = 'ping2.exe')) OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND (LOWER(\"originalfilename\") = 'ping.exe' OR LOWER(\"originalfilename\") = 'ping2.exe'))",
    'duckdb': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND (LOWER(\"originalfilename\") = 'ping.exe' OR LOWER(\"originalfilename\") = 'ping2.exe')) OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND (LOWER(\"originalfilename\") = 'ping.exe' OR LOWER(\"originalfilename\") = 'ping2.exe'))",
    'postgres': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND (LOWER(\"originalfilename\") = 'ping.exe' OR LOWER(\"originalfilename\") = 'ping2.exe')) OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND (LOWER(\"originalfilename\") = 'ping.exe' OR LOWER(\"originalfilename\") = 'ping2.exe'))",
    'clickhouse': "SELECT * FROM \"events\" WHERE (lowerUTF8(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND (lowerUTF8(\"originalfilename\") = 'ping.exe' OR lowerUTF8(\"originalfilename\") = 'ping2.exe')) OR (lowerUTF8(\"channel\") = 'security' AND \"eventid\" = '4688' AND (lowerUTF8(\"originalfilename\") = 'ping.exe' OR lowerUTF8(\"originalfilename\") = 'ping2.exe'))",
  },
  "cased contains": {
    'kql-asim': "imProcessCreate\n| where TargetProcessCommandLine contains_cs \"AbC\"",
    'kql-xdr': "DeviceProcessEvents\n| where ProcessCommandLine contains_cs \"AbC\"",
    'kql-sentinel': "WindowsEvent\n| where Channel =~ \"Microsoft-Windows-Sysmon/Operational\" and EventID == 1 and tostring(EventData.CommandLine) contains_cs \"AbC\"",
    'splunk': "(source=\"WinEventLog:Microsoft-Windows-Sysmon/Operational\" EventCode=1 CommandLine=CASE(\"*AbC*\")) OR (source=\"WinEventLog:Security\" EventCode=4688 CommandLine=CASE(\"*AbC*\"))",
    'lucene': "winlog.channel:Microsoft\\-Windows\\-Sysmon\\/Operational AND winlog.event_id:1 AND process.command_line:*AbC*",
    'esql': "FROM logs-* | WHERE TO_LOWER(winlog.channel) == \"microsoft-windows-sysmon/operational\" AND winlog.event_id == 1 AND process.command_line LIKE \"*AbC*\"",
    'eql': "process where winlog.channel : \"Microsoft-Windows-Sysmon/Operational\" and winlog.event_id == 1 and process.command_line like \"*AbC*\"",
    'sqlite': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND \"commandline\" LIKE '%AbC%' ESCAPE '\\') OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND \"commandline\" LIKE '%AbC%' ESCAPE '\\')",
    'duckdb': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND \"commandline\" LIKE '%AbC%' ESCAPE '\\') OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND \"commandline\" LIKE '%AbC%' ESCAPE '\\')",
    'postgres': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND \"commandline\" LIKE '%AbC%' ESCAPE '\\') OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND \"commandline\" LIKE '%AbC%' ESCAPE '\\')",
    'clickhouse': "SELECT * FROM \"events\" WHERE (lowerUTF8(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND \"commandline\" LIKE '%AbC%') OR (lowerUTF8(\"channel\") = 'security' AND \"eventid\" = '4688' AND \"commandline\" LIKE '%AbC%')",
  },
  "quotes and trailing backslash": {
    'kql-asim': "imProcessCreate\n| where (TargetProcessCommandLine contains \"say \\\"hi\\\"\" or TargetProcessCommandLine contains @\"dir C:\\\")",
    'kql-xdr': "DeviceProcessEvents\n| where (ProcessCommandLine contains \"say \\\"hi\\\"\" or ProcessCommandLine contains @\"dir C:\\\")",
    'kql-sentinel': "WindowsEvent\n| where Channel =~ \"Microsoft-Windows-Sysmon/Operational\" and EventID == 1 and (tostring(EventData.CommandLine) contains \"say \\\"hi\\\"\" or tostring(EventData.CommandLine) contains @\"dir C:\\\")",
    'splunk': "(source=\"WinEventLog:Microsoft-Windows-Sysmon/Operational\" EventCode=1 CommandLine IN (\"*say \\\"hi\\\"*\", \"*dir C:\\\\*\")) OR (source=\"WinEventLog:Security\" EventCode=4688 CommandLine IN (\"*say \\\"hi\\\"*\", \"*dir C:\\\\*\"))",
    'lucene': "winlog.channel:Microsoft\\-Windows\\-Sysmon\\/Operational AND winlog.event_id:1 AND (process.command_line:*say\\ \\\"hi\\\"* OR process.command_line:*dir\\ C\\:\\\\*)",
    'esql': "FROM logs-* | WHERE TO_LOWER(winlog.channel) == \"microsoft-windows-sysmon/operational\" AND winlog.event_id == 1 AND (TO_LOWER(process.command_line) LIKE \"*say \\\"hi\\\"*\" OR TO_LOWER(process.command_line) LIKE \"*dir c:\\\\\\\\*\")",
    'eql': "process where winlog.channel : \"Microsoft-Windows-Sysmon/Operational\" and winlog.event_id == 1 and (process.command_line : \"*say \\\"hi\\\"*\" or process.command_line : \"*dir C:\\\\*\")",
    'sqlite': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND (LOWER(\"commandline\") LIKE '%say \"hi\"%' ESCAPE '\\' OR LOWER(\"commandline\") LIKE '%dir c:\\\\%' ESCAPE '\\')) OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND (LOWER(\"commandline\") LIKE '%say \"hi\"%' ESCAPE '\\' OR LOWER(\"commandline\") LIKE '%dir c:\\\\%' ESCAPE '\\'))",
    'duckdb': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND (LOWER(\"commandline\") LIKE '%say \"hi\"%' ESCAPE '\\' OR LOWER(\"commandline\") LIKE '%dir c:\\\\%' ESCAPE '\\')) OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND (LOWER(\"commandline\") LIKE '%say \"hi\"%' ESCAPE '\\' OR LOWER(\"commandline\") LIKE '%dir c:\\\\%' ESCAPE '\\'))",
    'postgres': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND (LOWER(\"commandline\") LIKE '%say \"hi\"%' ESCAPE '\\' OR LOWER(\"commandline\") LIKE '%dir c:\\\\%' ESCAPE '\\')) OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND (LOWER(\"commandline\") LIKE '%say \"hi\"%' ESCAPE '\\' OR LOWER(\"commandline\") LIKE '%dir c:\\\\%' ESCAPE '\\'))",
    'clickhouse': "SELECT * FROM \"events\" WHERE (lowerUTF8(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND (lowerUTF8(\"commandline\") LIKE '%say \"hi\"%' OR lowerUTF8(\"commandline\") LIKE '%dir c:\\\\\\\\%')) OR (lowerUTF8(\"channel\") = 'security' AND \"eventid\" = '4688' AND (lowerUTF8(\"commandline\") LIKE '%say \"hi\"%' OR lowerUTF8(\"commandline\") LIKE '%dir c:\\\\\\\\%'))",
  },
  "wildcards ? and * inside": {
    'kql-asim': "imProcessCreate\n| where TargetProcessName matches regex @\"(?i)^C:\\\\Users\\\\.*\\\\Temp\\\\a.\\.exe$\"",
    'kql-xdr': "DeviceProcessEvents\n| where FolderPath matches regex @\"(?i)^C:\\\\Users\\\\.*\\\\Temp\\\\a.\\.exe$\"",
    'kql-sentinel': "WindowsEvent\n| where Channel =~ \"Microsoft-Windows-Sysmon/Operational\" and EventID == 1 and tostring(EventData.Image) matches regex @\"(?i)^C:\\\\Users\\\\.*\\\\Temp\\\\a.\\.exe$\"",
    'splunk': "* | where (match(source, \"(?i)^WinEventLog:Microsoft-Windows-Sysmon/Operational$\") AND EventCode==1 AND match(Image, \"(?i)^C:\\\\\\\\Users\\\\\\\\.*\\\\\\\\Temp\\\\\\\\a.\\\\.exe$\")) OR (match(source, \"(?i)^WinEventLog:Security$\") AND EventCode==4688 AND match(NewProcessName, \"(?i)^C:\\\\\\\\Users\\\\\\\\.*\\\\\\\\Temp\\\\\\\\a.\\\\.exe$\"))",
    'lucene': "winlog.channel:Microsoft\\-Windows\\-Sysmon\\/Operational AND winlog.event_id:1 AND process.executable:C\\:\\\\Users\\\\*\\\\Temp\\\\a?.exe",
    'esql': "FROM logs-* | WHERE TO_LOWER(winlog.channel) == \"microsoft-windows-sysmon/operational\" AND winlog.event_id == 1 AND TO_LOWER(process.executable) LIKE \"c:\\\\\\\\users\\\\\\\\*\\\\\\\\temp\\\\\\\\a?.exe\"",
    'eql': "process where winlog.channel : \"Microsoft-Windows-Sysmon/Operational\" and winlog.event_id == 1 and process.executable : \"C:\\\\Users\\\\*\\\\Temp\\\\a?.exe\"",
    'sqlite': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND LOWER(\"image\") LIKE 'c:\\\\users\\\\%\\\\temp\\\\a_.exe' ESCAPE '\\') OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND LOWER(\"newprocessname\") LIKE 'c:\\\\users\\\\%\\\\temp\\\\a_.exe' ESCAPE '\\')",
    'duckdb': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND LOWER(\"image\") LIKE 'c:\\\\users\\\\%\\\\temp\\\\a_.exe' ESCAPE '\\') OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND LOWER(\"newprocessname\") LIKE 'c:\\\\users\\\\%\\\\temp\\\\a_.exe' ESCAPE '\\')",
    'postgres': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND LOWER(\"image\") LIKE 'c:\\\\users\\\\%\\\\temp\\\\a_.exe' ESCAPE '\\') OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND LOWER(\"newprocessname\") LIKE 'c:\\\\users\\\\%\\\\temp\\\\a_.exe' ESCAPE '\\')",
    'clickhouse': "SELECT * FROM \"events\" WHERE (lowerUTF8(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND lowerUTF8(\"image\") LIKE 'c:\\\\\\\\users\\\\\\\\%\\\\\\\\temp\\\\\\\\a_.exe') OR (lowerUTF8(\"channel\") = 'security' AND \"eventid\" = '4688' AND lowerUTF8(\"newprocessname\") LIKE 'c:\\\\\\\\users\\\\\\\\%\\\\\\\\temp\\\\\\\\a_.exe')",
  },
  "regex with flags": {
    'kql-asim': "imProcessCreate\n| where TargetProcessCommandLine matches regex @\"(?i)powershell.*-e(nc)?\\s\"",
    'kql-xdr': "DeviceProcessEvents\n| where ProcessCommandLine matches regex @\"(?i)powershell.*-e(nc)?\\s\"",
    'kql-sentinel': "WindowsEvent\n| where Channel =~ \"Microsoft-Windows-Sysmon/Operational\" and EventID == 1 and tostring(EventData.CommandLine) matches regex @\"(?i)powershell.*-e(nc)?\\s\"",
    'splunk': "* | where (match(source, \"(?i)^WinEventLog:Microsoft-Windows-Sysmon/Operational$\") AND EventCode==1 AND match(CommandLine, \"(?i)powershell.*-e(nc)?\\\\s\")) OR (match(source, \"(?i)^WinEventLog:Security$\") AND EventCode==4688 AND match(CommandLine, \"(?i)powershell.*-e(nc)?\\\\s\"))",
    'lucene': "winlog.channel:Microsoft\\-Windows\\-Sysmon\\/Operational AND winlog.event_id:1 AND process.command_line:/.*[pP][oO][wW][eE][rR][sS][hH][eE][lL][lL].*-[eE]([nN][cC])?[ \\t\\n\\r].*/",
    'esql': "FROM logs-* | WHERE TO_LOWER(winlog.channel) == \"microsoft-windows-sysmon/operational\" AND winlog.event_id == 1 AND process.command_line RLIKE \".*[pP][oO][wW][eE][rR][sS][hH][eE][lL][lL].*-[eE]([nN][cC])?[ \\\\t\\\\n\\\\r].*\"",
    'eql': "process where winlog.channel : \"Microsoft-Windows-Sysmon/Operational\" and winlog.event_id == 1 and process.command_line regex~ \".*powershell.*-e(nc)?[ \\\\t\\\\n\\\\r].*\"",
    'sqlite': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND \"commandline\" REGEXP '(?i)powershell.*-e(nc)?\\s') OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND \"commandline\" REGEXP '(?i)powershell.*-e(nc)?\\s')",
    'duckdb': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND regexp_matches(\"commandline\", '(?i)powershell.*-e(nc)?\\s')) OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND regexp_matches(\"commandline\", '(?i)powershell.*-e(nc)?\\s'))",
    'postgres': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND \"commandline\" ~ '(?i)powershell.*-e(nc)?\\s') OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND \"commandline\" ~ '(?i)powershell.*-e(nc)?\\s')",
    'clickhouse': "SELECT * FROM \"events\" WHERE (lowerUTF8(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND match(\"commandline\", '(?i)(?:powershell.*-e(nc)?\\\\s)')) OR (lowerUTF8(\"channel\") = 'security' AND \"eventid\" = '4688' AND match(\"commandline\", '(?i)(?:powershell.*-e(nc)?\\\\s)'))",
  },
  "or of regex and term (SPL keeps the meaning)": {
    'kql-asim': "imProcessCreate\n| where TargetProcessName endswith @\"\\x.exe\" or TargetProcessCommandLine matches regex @\"evil[0-9]+\"",
    'kql-xdr': "DeviceProcessEvents\n| where FolderPath endswith @\"\\x.exe\" or ProcessCommandLine matches regex @\"evil[0-9]+\"",
    'kql-sentinel': "WindowsEvent\n| where Channel =~ \"Microsoft-Windows-Sysmon/Operational\" and EventID == 1 and (tostring(EventData.Image) endswith @\"\\x.exe\" or tostring(EventData.CommandLine) matches regex @\"evil[0-9]+\")",
    'splunk': "* | where (match(source, \"(?i)^WinEventLog:Microsoft-Windows-Sysmon/Operational$\") AND EventCode==1 AND (match(Image, \"(?i)\\\\\\\\x\\\\.exe$\") OR match(CommandLine, \"evil[0-9]+\"))) OR (match(source, \"(?i)^WinEventLog:Security$\") AND EventCode==4688 AND (match(NewProcessName, \"(?i)\\\\\\\\x\\\\.exe$\") OR match(CommandLine, \"evil[0-9]+\")))",
    'lucene': "winlog.channel:Microsoft\\-Windows\\-Sysmon\\/Operational AND winlog.event_id:1 AND (process.executable:*\\\\x.exe OR process.command_line:/.*evil[0-9]+.*/)",
    'esql': "FROM logs-* | WHERE TO_LOWER(winlog.channel) == \"microsoft-windows-sysmon/operational\" AND winlog.event_id == 1 AND (TO_LOWER(process.executable) LIKE \"*\\\\\\\\x.exe\" OR process.command_line RLIKE \".*evil[0-9]+.*\")",
    'eql': "process where winlog.channel : \"Microsoft-Windows-Sysmon/Operational\" and winlog.event_id == 1 and (process.executable : \"*\\\\x.exe\" or process.command_line regex \".*evil[0-9]+.*\")",
    'sqlite': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND (LOWER(\"image\") LIKE '%\\\\x.exe' ESCAPE '\\' OR \"commandline\" REGEXP 'evil[0-9]+')) OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND (LOWER(\"newprocessname\") LIKE '%\\\\x.exe' ESCAPE '\\' OR \"commandline\" REGEXP 'evil[0-9]+'))",
    'duckdb': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND (LOWER(\"image\") LIKE '%\\\\x.exe' ESCAPE '\\' OR regexp_matches(\"commandline\", 'evil[0-9]+'))) OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND (LOWER(\"newprocessname\") LIKE '%\\\\x.exe' ESCAPE '\\' OR regexp_matches(\"commandline\", 'evil[0-9]+')))",
    'postgres': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND (LOWER(\"image\") LIKE '%\\\\x.exe' ESCAPE '\\' OR \"commandline\" ~ 'evil[0-9]+')) OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND (LOWER(\"newprocessname\") LIKE '%\\\\x.exe' ESCAPE '\\' OR \"commandline\" ~ 'evil[0-9]+'))",
    'clickhouse': "SELECT * FROM \"events\" WHERE (lowerUTF8(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND (lowerUTF8(\"image\") LIKE '%\\\\\\\\x.exe' OR match(\"commandline\", 'evil[0-9]+'))) OR (lowerUTF8(\"channel\") = 'security' AND \"eventid\" = '4688' AND (lowerUTF8(\"newprocessname\") LIKE '%\\\\\\\\x.exe' OR match(\"commandline\", 'evil[0-9]+')))",
  },
  "not of a missing field": {
    'kql-asim': "imProcessCreate\n| where TargetProcessName endswith @\"\\x.exe\" and not(ActingProcessName startswith @\"C:\\Windows\\\")",
    'kql-xdr': "DeviceProcessEvents\n| where FolderPath endswith @\"\\x.exe\" and not(InitiatingProcessFolderPath startswith @\"C:\\Windows\\\")",
    'kql-sentinel': "WindowsEvent\n| where Channel =~ \"Microsoft-Windows-Sysmon/Operational\" and EventID == 1 and tostring(EventData.Image) endswith @\"\\x.exe\" and not(tostring(EventData.ParentImage) startswith @\"C:\\Windows\\\")",
    'splunk': "(source=\"WinEventLog:Microsoft-Windows-Sysmon/Operational\" EventCode=1 Image=\"*\\\\x.exe\" NOT ParentImage=\"C:\\\\Windows\\\\*\") OR (source=\"WinEventLog:Security\" EventCode=4688 NewProcessName=\"*\\\\x.exe\" NOT ParentProcessName=\"C:\\\\Windows\\\\*\")",
    'lucene': "winlog.channel:Microsoft\\-Windows\\-Sysmon\\/Operational AND winlog.event_id:1 AND process.executable:*\\\\x.exe AND NOT process.parent.executable:C\\:\\\\Windows\\\\*",
    'esql': "FROM logs-* | WHERE TO_LOWER(winlog.channel) == \"microsoft-windows-sysmon/operational\" AND winlog.event_id == 1 AND TO_LOWER(process.executable) LIKE \"*\\\\\\\\x.exe\" AND NOT COALESCE(TO_LOWER(process.parent.executable) LIKE \"c:\\\\\\\\windows\\\\\\\\*\", false)",
    'eql': "process where winlog.channel : \"Microsoft-Windows-Sysmon/Operational\" and winlog.event_id == 1 and process.executable : \"*\\\\x.exe\" and not (process.parent.executable : \"C:\\\\Windows\\\\*\")",
    'sqlite': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND LOWER(\"image\") LIKE '%\\\\x.exe' ESCAPE '\\' AND NOT COALESCE(LOWER(\"parentimage\") LIKE 'c:\\\\windows\\\\%' ESCAPE '\\', 0)) OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND LOWER(\"newprocessname\") LIKE '%\\\\x.exe' ESCAPE '\\' AND NOT COALESCE(LOWER(\"parentprocessname\") LIKE 'c:\\\\windows\\\\%' ESCAPE '\\', 0))",
    'duckdb': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND LOWER(\"image\") LIKE '%\\\\x.exe' ESCAPE '\\' AND NOT COALESCE(LOWER(\"parentimage\") LIKE 'c:\\\\windows\\\\%' ESCAPE '\\', FALSE)) OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND LOWER(\"newprocessname\") LIKE '%\\\\x.exe' ESCAPE '\\' AND NOT COALESCE(LOWER(\"parentprocessname\") LIKE 'c:\\\\windows\\\\%' ESCAPE '\\', FALSE))",
    'postgres': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND LOWER(\"image\") LIKE '%\\\\x.exe' ESCAPE '\\' AND NOT COALESCE(LOWER(\"parentimage\") LIKE 'c:\\\\windows\\\\%' ESCAPE '\\', FALSE)) OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND LOWER(\"newprocessname\") LIKE '%\\\\x.exe' ESCAPE '\\' AND NOT COALESCE(LOWER(\"parentprocessname\") LIKE 'c:\\\\windows\\\\%' ESCAPE '\\', FALSE))",
    'clickhouse': "SELECT * FROM \"events\" WHERE (lowerUTF8(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND lowerUTF8(\"image\") LIKE '%\\\\\\\\x.exe' AND NOT COALESCE(lowerUTF8(\"parentimage\") LIKE 'c:\\\\\\\\windows\\\\\\\\%', 0)) OR (lowerUTF8(\"channel\") = 'security' AND \"eventid\" = '4688' AND lowerUTF8(\"newprocessname\") LIKE '%\\\\\\\\x.exe' AND NOT COALESCE(lowerUTF8(\"parentprocessname\") LIKE 'c:\\\\\\\\windows\\\\\\\\%', 0))",
  },
  "numbers": {
    'kql-asim': "ERROR: TerminalSessionId eq 0: the ASIM ProcessEvent schema has no terminal session id",
    'kql-xdr': "ERROR: TerminalSessionId eq 0: Defender XDR does not record the terminal session id",
    'kql-sentinel': "WindowsEvent\n| where Channel =~ \"Microsoft-Windows-Sysmon/Operational\" and EventID == 1 and toreal(EventData.ProcessId) > 4 and tostring(EventData.TerminalSessionId) =~ \"0\"",
    'splunk': "(source=\"WinEventLog:Microsoft-Windows-Sysmon/Operational\" EventCode=1 ProcessId>4 TerminalSessionId=0) OR (source=\"WinEventLog:Security\" EventCode=4688 ProcessId>4 TerminalSessionId=0)",
    'lucene': "winlog.channel:Microsoft\\-Windows\\-Sysmon\\/Operational AND winlog.event_id:1 AND process.pid:>4 AND winlog.event_data.TerminalSessionId:0",
    'esql': "FROM logs-* | WHERE TO_LOWER(winlog.channel) == \"microsoft-windows-sysmon/operational\" AND winlog.event_id == 1 AND TO_DOUBLE(process.pid) > 4 AND winlog.event_data.TerminalSessionId == 0",
    'eql': "process where winlog.channel : \"Microsoft-Windows-Sysmon/Operational\" and winlog.event_id == 1 and process.pid > 4 and winlog.event_data.TerminalSessionId == 0",
    'sqlite': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND CAST(\"processid\" AS REAL) > 4 AND \"terminalsessionid\" = '0') OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND CAST(\"processid\" AS REAL) > 4 AND \"terminalsessionid\" = '0')",
    'duckdb': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND TRY_CAST(\"processid\" AS DOUBLE) > 4 AND \"terminalsessionid\" = '0') OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND TRY_CAST(\"processid\" AS DOUBLE) > 4 AND \"terminalsessionid\" = '0')",
    'postgres': "SELECT * FROM \"events\" WHERE (LOWER(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND (CASE WHEN \"processid\" ~ '^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$' THEN CAST(\"processid\" AS DOUBLE PRECISION) END) > 4 AND \"terminalsessionid\" = '0') OR (LOWER(\"channel\") = 'security' AND \"eventid\" = '4688' AND (CASE WHEN \"processid\" ~ '^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$' THEN CAST(\"processid\" AS DOUBLE PRECISION) END) > 4 AND \"terminalsessionid\" = '0')",
    'clickhouse': "SELECT * FROM \"events\" WHERE (lowerUTF8(\"channel\") = 'microsoft-windows-sysmon/operational' AND \"eventid\" = '1' AND toFloat64OrNull(\"processid\") > 4 AND \"terminalsessionid\" = '0') OR (lowerUTF8(\"channel\") = 'security' AND \"eventid\" = '4688' AND toFloat64OrNull(\"processid\") > 4 AND \"terminalsessionid\" = '0')",
  },
};

describe('backend conformance: exact queries per construct and target', () => {
  for (const [name, detection] of Object.entries(CASES)) {
    for (const [target, expected] of Object.entries(EXPECTED[name]!)) {
      it(`${name} → ${target}`, () => {
        const c = convert(rule(detection), target);
        assert.equal(c.ok ? c.queries[0] : `ERROR: ${c.error}`, expected);
      });
    }
  }
});
