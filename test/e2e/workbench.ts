// The VS Code workbench as a person uses it, through the keyboard and what is on screen:
// quick open, go to line, F9, F5, the Variables view, the extension's views and the
// terminal. Selectors are VS Code 1.100's (code-server 4.100.3).
import * as path from 'node:path';
import type { Page } from './tools';

const SHORT = 15_000;
const LONG = 60_000;

export class Workbench {
  constructor(readonly page: Page, private readonly artifacts: string) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url, { timeout: LONG });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: LONG });
    // The explorer lists the folder once the workbench has restored.
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: LONG });
    await this.widenSideBar(480);
  }

  /** Drags the side bar's edge to `width` pixels, room for the views' descriptions. */
  async widenSideBar(width: number): Promise<void> {
    const sideBar = await this.page.locator('.part.sidebar').boundingBox();
    if (!sideBar) return;
    const edge = sideBar.x + sideBar.width;
    const y = sideBar.y + sideBar.height / 2;
    await this.page.mouse.move(edge + 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(sideBar.x + width, y, { steps: 5 });
    await this.page.mouse.up();
    await this.page.mouse.move(sideBar.x + width + 200, y); // off the sash, whose hover highlight would show
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: path.join(this.artifacts, `${name}.png`) });
  }

  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    await this.page.locator('.quick-input-widget input').waitFor({ timeout: SHORT });
    await this.page.keyboard.type(name);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: SHORT });
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.tabs-container .tab[aria-label^="${name}"]`).waitFor({ timeout: SHORT });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').waitFor({ timeout: SHORT });
  }

  /** Clicks an open editor's tab, which also takes the keyboard away from the terminal. */
  async selectTab(name: string): Promise<void> {
    await this.page.locator(`.tabs-container .tab[aria-label^="${name}"]`).click({ timeout: SHORT });
    await this.page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor({ timeout: SHORT });
  }

  async goToLine(line: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    await this.page.locator('.quick-input-widget input').waitFor({ timeout: SHORT });
    await this.page.keyboard.type(String(line));
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: SHORT });
    await this.page.locator('.line-numbers.active-line-number', { hasText: new RegExp(`^${line}$`) }).waitFor({ timeout: SHORT });
  }

  /** Puts the cursor on `line`:`column` and shows the editor's hover there (Ctrl+K Ctrl+I); resolves with its text once it shows `expected`. */
  async hoverAt(line: number, column: number, expected: RegExp): Promise<string> {
    await this.page.keyboard.press('Control+G');
    await this.page.locator('.quick-input-widget input').waitFor({ timeout: SHORT });
    await this.page.keyboard.type(`${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: SHORT });
    const hover = this.page.locator('.monaco-hover:not(.hidden)', { hasText: expected }).first();
    // The language server may still be starting: ask again until its answer shows.
    const deadline = Date.now() + LONG;
    for (;;) {
      await this.page.keyboard.press('Control+K');
      await this.page.keyboard.press('Control+I');
      if (await hover.waitFor({ timeout: 2_000 }).then(() => true, () => false)) return hover.innerText();
      if (Date.now() > deadline) throw new Error(`no hover showing ${expected} at ${line}:${column}`);
      await this.page.keyboard.press('Escape');
    }
  }

  /** The language of the active editor, as the status bar names it. */
  async editorLanguage(): Promise<string> {
    const item = this.page.locator('.statusbar-item#status\\.editor\\.mode');
    await item.waitFor({ timeout: SHORT });
    return (await item.innerText()).trim();
  }

  /** F9 on the cursor's line (after goToLine): a red dot in the gutter, on the active line. */
  async toggleBreakpoint(line: number): Promise<void> {
    await this.page.keyboard.press('F9');
    await this.page.locator('.editor-instance .cgmr.codicon-debug-breakpoint').waitFor({ timeout: SHORT });
    await this.page.locator('.line-numbers.active-line-number', { hasText: new RegExp(`^${line}$`) }).waitFor({ timeout: SHORT });
  }

  /** Runs a command from the palette: types `query`, picks the row labelled `label`. With
   * `prompts`, the command asks something next (an input box, a pick): no wait for the palette to close. */
  async command(query: string, label: string, prompts = false): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.page.locator('.quick-input-widget input').waitFor({ timeout: SHORT });
    await this.page.keyboard.type(query);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(`^${label}`) }).first();
    await row.click({ timeout: SHORT });
    if (!prompts) await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: SHORT });
  }

  /** Replaces the text of an open input box (a command's prompt) and presses Enter. */
  async answerInput(prompt: RegExp, text: string): Promise<void> {
    // The input box replaces the palette in the same widget: wait for its prompt first.
    await this.page.locator('.quick-input-widget', { hasText: prompt }).waitFor({ timeout: SHORT });
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: SHORT });
    await input.click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: SHORT });
  }

  /** Picks the row labelled `label` in an open quick pick; with `prompts`, the command asks something next (no wait for the widget to close). */
  async pick(label: string, prompts = false): Promise<void> {
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(`^${label}`) }).first();
    await row.click({ timeout: SHORT });
    // A prompt that follows reuses the widget at once: then there is no moment it is hidden.
    if (!prompts) await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: SHORT });
  }

  /** Opens the Run and Debug view (its panes: Variables, ..., and the extension's). */
  async showRunView(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+D');
    await this.page.locator('.debug-pane, .debug-view-content').first().waitFor({ timeout: SHORT }).catch(() => undefined);
  }

  /** F5 with the Run and Debug view open (its Variables, Call Stack and our views show). */
  async startDebugging(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+D');
    await this.page.locator('.debug-pane, .debug-view-content').first().waitFor({ timeout: SHORT }).catch(() => undefined);
    await this.page.keyboard.press('F5');
    await this.page.locator('.debug-toolbar').waitFor({ timeout: LONG });
  }

  /** The hart stops on `line`: the editor marks it as the top frame's line, the Call Stack names it. */
  async waitForStopAt(line: number): Promise<void> {
    await this.page.locator('.editor-instance .codicon-debug-stackframe').waitFor({ timeout: LONG });
    await this.page.locator('.debug-call-stack .monaco-list-row', { hasText: new RegExp(`main\\.c\\s*${line}:`) }).first().waitFor({ timeout: SHORT });
  }

  /** A variable's value as the Variables view shows it (the first scope, Locals, opens by itself). */
  async variable(name: string): Promise<string> {
    const row = this.page.locator('.debug-variables .monaco-list-row', { hasText: new RegExp(`^\\s*${name}\\s*[:=]`) }).first();
    await row.waitFor({ timeout: SHORT });
    return (await row.locator('.value').innerText()).trim();
  }

  private paneHeader(title: string) {
    return this.page.locator('.pane-header', { hasText: new RegExp(`^${title}`, 'i') }).first();
  }

  /** The row of a pane (by title) whose text matches `text`, once it shows. */
  async viewRow(title: string, text: RegExp) {
    await this.setViewExpanded(title, true);
    const pane = this.page.locator('.pane', { has: this.paneHeader(title) }).locator('.pane-body').first();
    const row = pane.locator('.monaco-list-row', { hasText: text }).first();
    await row.waitFor({ timeout: LONG });
    return row;
  }

  /** Waits until no row of a pane (by title) matches `text`. */
  async waitForRowGone(title: string, text: RegExp): Promise<void> {
    const pane = this.page.locator('.pane', { has: this.paneHeader(title) }).locator('.pane-body').first();
    await pane.locator('.monaco-list-row', { hasText: text }).first().waitFor({ state: 'hidden', timeout: SHORT });
  }

  /** Opens (or closes) one of the Run view's panes by clicking its title. */
  async setViewExpanded(title: string, expanded: boolean): Promise<void> {
    const header = this.paneHeader(title);
    await header.waitFor({ timeout: SHORT });
    if ((await header.getAttribute('aria-expanded')) !== String(expanded)) await header.click();
  }

  /** The text of one of the Run view's panes (by title), once it shows `expected`. */
  async viewText(title: string, expected: RegExp): Promise<string> {
    await this.setViewExpanded(title, true);
    const pane = this.page.locator('.pane', { has: this.paneHeader(title) }).locator('.pane-body').first();
    await pane.locator('.monaco-list-row', { hasText: expected }).first().waitFor({ timeout: SHORT });
    return pane.innerText();
  }

  /** Ticks or clears one of the adapter's exception filters in the Breakpoints view. */
  async setExceptionFilter(label: string, enabled: boolean): Promise<void> {
    const checkbox = this.page.locator('.debug-breakpoints .monaco-list-row', { hasText: label }).first().locator('input[type=checkbox]');
    await checkbox.waitFor({ timeout: SHORT });
    if ((await checkbox.isChecked()) !== enabled) await checkbox.click();
  }

  /** The hart stops on a trap: VS Code's exception widget names it. */
  async waitForExceptionStop(description: RegExp): Promise<void> {
    await this.page.locator('.exception-widget', { hasText: description }).first().waitFor({ timeout: LONG });
  }

  async removeAllBreakpoints(): Promise<void> {
    await this.command('Remove All Breakpoints', 'Remove All Breakpoints');
    await this.page.locator('.editor-instance .cgmr.codicon-debug-breakpoint').waitFor({ state: 'hidden', timeout: SHORT });
  }

  /** Clicks a button of the debug toolbar by its title: Step Over, Step Back, Reverse, ... */
  async toolbar(title: string): Promise<void> {
    await this.page.locator(`.debug-toolbar .action-label[aria-label^="${title}"]`).first().click({ timeout: SHORT });
  }

  /**
   * F5 again: the session goes on. The editor's top-frame mark goes away, unless another hart
   * stops on the same breakpoint at once and the mark is back before a poll sees it gone:
   * callers check the stop they wait for (its line, a variable), not the mark's absence.
   */
  async continue(): Promise<void> {
    await this.page.keyboard.press('F5');
    await this.page.locator('.editor-instance .codicon-debug-stackframe').waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => undefined);
  }

  private terminal() {
    return this.page.locator('.terminal-wrapper.active .xterm').first();
  }

  /** Waits for the active terminal's screen to show `expected`. */
  async waitForTerminalText(expected: RegExp): Promise<string> {
    const deadline = Date.now() + LONG;
    let text = '';
    while (Date.now() < deadline) {
      text = (await this.terminal().locator('.xterm-rows').allInnerTexts()).join('\n');
      if (expected.test(text)) return text;
      await this.page.waitForTimeout(250);
    }
    throw new Error(`the terminal never showed ${expected}; it shows:\n${text}`);
  }

  async typeIntoTerminal(text: string): Promise<void> {
    await this.terminal().click();
    await this.page.keyboard.type(text, { delay: 20 });
  }

  async waitForSessionEnd(): Promise<void> {
    await this.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: LONG });
  }
}
