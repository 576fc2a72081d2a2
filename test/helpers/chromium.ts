/**
 * How the e2e tests start Debian's chromium: headless, no sandbox (containers), and nothing that reaches
 * the network on its own (QUIC, background updates, sync), so a page load is only what the test serves.
 */
export const CHROMIUM_LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
} as const;
