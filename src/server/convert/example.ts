/** The rule the converter opens with when the URL holds none: short, but exercising several modifiers. */
export const EXAMPLE_RULE = `title: Tunnelling Tool Started With a Remote Port
id: 6c0b8f8e-2d7a-4a47-9d55-3f2f1f7f0a11
status: experimental
description: A tunnelling client (ngrok, cloudflared) started to expose a local service.
author: RuleAtlas example
date: 2026-01-15
tags:
    - attack.command-and-control
    - attack.t1572
logsource:
    category: process_creation
    product: windows
detection:
    selection_img:
        Image|endswith:
            - '\\ngrok.exe'
            - '\\cloudflared.exe'
    selection_cli:
        CommandLine|contains:
            - ' tcp 3389'
            - ' tunnel --url '
    filter_admin:
        User|contains: 'svc_tunnel'
    condition: selection_img and selection_cli and not filter_admin
falsepositives:
    - Developers exposing a local web server for testing
level: high
`;
