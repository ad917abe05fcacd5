// Where the end-to-end tools are (test/e2e/setup.sh puts them outside the project's
// node_modules) and the part of playwright-core's API the test uses, loaded from there.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const PREFIX = process.env.LANTERN_E2E_PREFIX ?? path.join(os.homedir(), '.cache', 'lantern-e2e');
export const CODE_SERVER = path.join(PREFIX, 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.LANTERN_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** What is missing for the test to run, if anything. */
export function missingTools(): string | undefined {
  if (!fs.existsSync(CODE_SERVER)) return `no code-server at ${CODE_SERVER}: run bash test/e2e/setup.sh`;
  if (!fs.existsSync(path.join(PREFIX, 'node_modules', 'playwright-core'))) return `no playwright-core in ${PREFIX}: run bash test/e2e/setup.sh`;
  if (!fs.existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM}: apt-get install chromium`;
  return undefined;
}

// The few playwright-core types the test needs (the package is not a project dependency).
export interface Locator {
  click(options?: { button?: 'left' | 'right'; timeout?: number; force?: boolean }): Promise<void>;
  waitFor(options?: { state?: 'attached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
  textContent(): Promise<string | null>;
  innerText(): Promise<string>;
  count(): Promise<number>;
  allInnerTexts(): Promise<string[]>;
  isVisible(): Promise<boolean>;
  isChecked(): Promise<boolean>;
  first(): Locator;
  locator(selector: string, options?: { hasText?: string | RegExp; has?: Locator }): Locator;
  getAttribute(name: string): Promise<string | null>;
  screenshot(options: { path: string }): Promise<Buffer>;
  boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null>;
}
export interface Page {
  goto(url: string, options?: { timeout?: number }): Promise<unknown>;
  locator(selector: string, options?: { hasText?: string | RegExp; has?: Locator }): Locator;
  mouse: { move(x: number, y: number, options?: { steps?: number }): Promise<void>; down(): Promise<void>; up(): Promise<void> };
  keyboard: { press(key: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void> };
  screenshot(options: { path: string }): Promise<Buffer>;
  waitForTimeout(ms: number): Promise<void>;
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
}
export interface Browser {
  newPage(options?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: { launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<Browser> };
}

/** Debian's Chromium, headless, with a fresh profile of playwright's making. */
export async function launchChromium(): Promise<Browser> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const playwright = require(path.join(PREFIX, 'node_modules', 'playwright-core')) as Playwright;
  return playwright.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
}
