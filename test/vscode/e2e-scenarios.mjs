// What the UI test does in VS Code, scenario by scenario. Each asserts on what a person would see.
import fs from 'node:fs';
import path from 'node:path';

/** Opens a file through Quick Open and waits for the notebook editor to show its cells. */
export async function openNotebook(page, fileName) {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName.split('/').pop() }).first().waitFor({ timeout: 90_000 }).catch(() => {});
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(fileName) }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator('.notebookOverlay').waitFor({ timeout: 60_000 });
  await page.locator('.notebookOverlay .cell-list-container .code-cell-row').first().waitFor({ timeout: 60_000 });
}

export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

/** The notebook's output webview (outputs are two iframes deep). */
export function outputs(page) {
  return page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
}

export function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

export const scenarios = [
  {
    name: 'basic',
    prepare(workspace, root) {
      fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    },
    async run(page, { log, screenshot }) {
      await openNotebook(page, 'basic.casebook.md');
      log('notebook open');
      await runCommand(page, 'Notebook: Run All');
      const out = outputs(page);
      await out.locator('.cb-table').nth(2).waitFor({ timeout: 90_000 });
      const counts = await out.locator('.cb-count').allTextContents();
      log('row counts shown:', JSON.stringify(counts));
      assert(counts.length === 3, `three result tables, got ${counts.length}`);
      assert(counts[0] === '2 rows' && counts[1] === '2 rows' && counts[2] === '1 row', `row counts ${JSON.stringify(counts)}`);
      const firstTable = await out.locator('.cb-table').first().locator('tbody tr:not(.cb-spacer)').allTextContents();
      assert(firstTable[0].includes('b.clerk') && firstTable[0].includes('2'), `first row of the first table: ${firstTable[0]}`);
      await screenshot('notebook.png');
    },
  },
];
