/**
 * Ordinary values of everyday Windows and Linux activity, by kind of field: a predicate that matches
 * many of them will fire on ordinary activity. Not a corpus, a sanity check for over-broad patterns.
 */
export type ValueKind = 'command_line' | 'path' | 'registry' | 'other';

export const BENIGN: Record<Exclude<ValueKind, 'other'>, string[]> = {
  command_line: [
    'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule',
    '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --lang=en-US --field-trial-handle=1732',
    'C:\\Windows\\Explorer.EXE',
    '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -NoProfile -ExecutionPolicy Bypass -File C:\\scripts\\inventory.ps1',
    'C:\\Windows\\system32\\cmd.exe /c ""C:\\Program Files\\Backup\\run.bat""',
    'C:\\Windows\\System32\\msiexec.exe /i C:\\Users\\alice\\Downloads\\setup.msi /qn',
    'rundll32.exe C:\\Windows\\system32\\shell32.dll,Control_RunDLL',
    '"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "C:\\Users\\alice\\Documents\\report.docx"',
    'C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1',
    '"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe1_ Global\\UsGthrCtrlFltPipeMssGthrPipe1 1',
    'C:\\Windows\\System32\\RuntimeBroker.exe -Embedding',
    '"C:\\Program Files\\Git\\cmd\\git.exe" status --porcelain',
    '/usr/bin/python3 /usr/lib/ubuntu-release-upgrader/check-new-release -q',
    '/bin/bash -c ls -la /home/alice',
    '/usr/sbin/sshd -D -o AuthorizedKeysCommand /usr/share/ec2-instance-connect/eic_run_authorized_keys %u %f',
    'systemctl start nginx.service',
  ],
  path: [
    'C:\\Windows\\System32\\svchost.exe',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Windows\\explorer.exe',
    'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    'C:\\Windows\\System32\\cmd.exe',
    'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
    'C:\\Users\\alice\\AppData\\Local\\Temp\\tmp4F2A.tmp',
    'C:\\Windows\\System32\\kernel32.dll',
    'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2301.6-0\\MsMpEng.exe',
    '/usr/bin/python3',
    '/usr/lib/systemd/systemd',
    '/home/alice/.bashrc',
  ],
  registry: [
    'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\SecurityHealth',
    'HKU\\S-1-5-21-1004336348-1177238915-682003330-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs',
    'HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\UserSettings',
    'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\Real-Time Protection',
    'HKCU\\Software\\Microsoft\\Office\\16.0\\Word\\Options',
  ],
};

/** The kind of values a field holds, guessed from its name in any vocabulary. */
export function valueKind(field: string): ValueKind {
  const f = field.toLowerCase();
  if (/command_?line|commandline|(^|\.)process$|^process$|cmdline|script/.test(f)) return 'command_line';
  if (/targetobject|registry|regkey|registrykey/.test(f)) return 'registry';
  if (/image|path|filename|file_name|folder|executable|exe|process_name|processname/.test(f)) return 'path';
  return 'other';
}
