// Drives a real VS Code (code-server in headless Chromium) through the rfc-lsp extension, as a
// user would, and writes screenshots plus results.json. Started by run.sh, which sets:
//   E2E_URL       the workbench URL (with ?folder=...)
//   E2E_SHOTS     folder for the PNG screenshots and results.json
//   E2E_CHECK     `rfc-lsp check --format json` output for the broken RFC (a JSON file)
//   E2E_BROKEN    the broken RFC's file name, typed into Quick Open
//   E2E_WORKSPACE the workspace folder on disk
//   E2E_SERVER    the rfc-lsp binary (to check the saved file)
//   PLAYWRIGHT_CORE  path of the playwright-core package, CHROMIUM  the browser binary
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.PLAYWRIGHT_CORE || 'playwright-core');

const URL_ = process.env.E2E_URL;
const SHOTS = process.env.E2E_SHOTS;
const BROKEN = process.env.E2E_BROKEN || 'rfc-001-broken-cache.md';
const WORKSPACE = process.env.E2E_WORKSPACE;
const check = JSON.parse(fs.readFileSync(process.env.E2E_CHECK, 'utf8'));
fs.mkdirSync(SHOTS, { recursive: true });

const results = { steps: {} };
let failures = 0;
function record(step, ok, details) {
    results.steps[step] = { ok, ...details };
    if (!ok) failures++;
    console.log(`${ok ? 'PASS' : 'FAIL'} ${step}: ${JSON.stringify(details)}`);
}

const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
const page = await context.newPage();
const consoleErrors = [];
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text().slice(0, 300)); });

const sleep = (ms) => page.waitForTimeout(ms);
const shot = async (name) => { await page.screenshot({ path: path.join(SHOTS, `${name}.png`) }); };

async function poll(fn, { timeout = 30000, interval = 500 } = {}) {
    const end = Date.now() + timeout;
    let last;
    while (Date.now() < end) {
        last = await fn();
        if (last) return last;
        await sleep(interval);
    }
    return last;
}

/** Lines of the active text editor (only the rendered ones: the documents here are short). */
async function editorLines() {
    return page.evaluate(() => {
        const ed = document.querySelector('.part.editor .editor-group-container.active .monaco-editor .view-lines');
        if (!ed) return [];
        const lines = [...ed.querySelectorAll('.view-line')].map((el) => ({ top: parseFloat(el.style.top), text: el.textContent.replace(/\u00a0/g, ' ') }));
        return lines.sort((a, b) => a.top - b.top).map((l) => l.text);
    });
}

async function quickInputRows() {
    return page.evaluate(() => [...document.querySelectorAll('.quick-input-widget .monaco-list-row')]
        .map((r) => r.getAttribute('aria-label') || r.textContent));
}

async function problemsStatus() {
    return page.evaluate(() => {
        const el = document.getElementById('status.problems');
        if (!el) return null;
        const a = el.querySelector('a') || el;
        return { aria: a.getAttribute('aria-label') || el.getAttribute('aria-label'), text: el.textContent.trim() };
    });
}

function countsFrom(status) {
    // aria-label is like "Errors: 25, Warnings: 6" (the shape varies across versions: read all numbers)
    const s = status?.aria || '';
    const e = /(\d+)\s*error/i.exec(s) || /errors?:\s*(\d+)/i.exec(s);
    const w = /(\d+)\s*warning/i.exec(s) || /warnings?:\s*(\d+)/i.exec(s);
    return { errors: e ? +e[1] : null, warnings: w ? +w[1] : null };
}

/** Runs a command from the Command Palette by its title. */
async function runCommand(title) {
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input', { timeout: 10000 });
    await page.keyboard.type(title);
    await sleep(800);
    await page.keyboard.press('Enter');
}

async function gotoLine(line, col) {
    await page.keyboard.press('Control+G');
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
    await page.keyboard.type(col ? `${line}:${col}` : `${line}`);
    await sleep(300);
    await page.keyboard.press('Enter');
    await sleep(300);
}

/** Opens a workspace file through Quick Open (Ctrl+P). */
async function openFile(name) {
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
    await page.keyboard.type(name);
    // File search is slow the first time: wait for the file to be listed before Enter.
    await poll(async () => (await quickInputRows()).some((r) => r.includes(name)), { timeout: 20000 });
    await sleep(500);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`.tab.active[aria-label*="${name}"]`, { timeout: 20000 });
}

async function closeQuickInput() {
    await page.keyboard.press('Escape');
    await sleep(300);
}

try {
    // 0. Workbench
    await page.goto(URL_);
    await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
    await page.waitForSelector('#status\\.problems', { timeout: 60000 }).catch(() => {});
    await sleep(3000);

    // A clean example first: no problems expected (`rfc-lsp check` finds none), but an outline.
    await openFile(process.env.E2E_CLEAN || 'rfc-042-response-cache.md');
    // The breadcrumbs get the document symbols once the server answers.
    const breadcrumbs = () => page.evaluate(() => [...document.querySelectorAll('.part.editor .breadcrumbs-control .monaco-breadcrumb-item')]
        .map((e) => e.textContent.trim()).join(' > '));
    await poll(async () => (await breadcrumbs()).length > 0, { timeout: 20000 });
    await sleep(3000);
    const cleanStatus = await problemsStatus();
    const cleanOutline = await breadcrumbs();
    await shot('0-clean-example');
    // One outline: VS Code's own (rfcLsp.outline defaults to it), no "rfc-lsp" group. The
    // clean example has no problems, but the Problems count is the workspace's: the broken
    // RFC's, not open yet, come by workspace/diagnostic.
    const closedErrors = check.filter((d) => d.severity === 'error').length;
    const closedWarnings = check.filter((d) => d.severity === 'warning').length;
    await poll(async () => countsFrom(await problemsStatus()).errors === closedErrors, { timeout: 20000 }).catch(() => {});
    const workspaceCounts = countsFrom(await problemsStatus());
    await shot('0-clean-example-workspace-problems');
    record('0-clean-example', !cleanOutline.includes('rfc-lsp')
        && workspaceCounts.errors === closedErrors && workspaceCounts.warnings === closedWarnings, {
        statusBar: cleanStatus, breadcrumbs: cleanOutline, workspaceProblems: workspaceCounts,
        closedRfcCheck: { errors: closedErrors, warnings: closedWarnings },
    });

    // Open the broken RFC through Quick Open, as a user would.
    await openFile(BROKEN);
    await sleep(1000);
    const original = await editorLines();

    // (a) Diagnostics
    const wantErrors = check.filter((d) => d.severity === 'error').length;
    const wantWarnings = check.filter((d) => d.severity === 'warning').length;
    const status = await poll(async () => {
        const s = await problemsStatus();
        const c = countsFrom(s);
        return c.errors === wantErrors && c.warnings === wantWarnings ? s : null;
    }, { timeout: 45000 }) || await problemsStatus();
    const got = countsFrom(status);
    await shot('a1-diagnostics-editor');
    // Problems panel, maximised, so that every row is rendered.
    await page.keyboard.press('Control+Shift+M');
    await sleep(1500);
    await runCommand('View: Toggle Maximized Panel');
    await sleep(1500);
    const problemRows = await page.evaluate(() => [...document.querySelectorAll('.markers-panel .monaco-list-row')]
        .map((r) => r.getAttribute('aria-label') || r.textContent));
    await shot('a2-problems-panel');
    await runCommand('View: Toggle Maximized Panel');
    await sleep(800);
    const messagesSeen = check.filter((d) => problemRows.some((r) => r.includes(d.message.slice(0, 40))));
    record('a-diagnostics', got.errors === wantErrors && got.warnings === wantWarnings, {
        check: { total: check.length, errors: wantErrors, warnings: wantWarnings },
        statusBar: status, parsed: got,
        problemsPanelRows: problemRows.length,
        checkMessagesFoundInProblemsPanel: messagesSeen.length,
        missingFromPanel: check.filter((d) => !messagesSeen.includes(d)).map((d) => `${d.line}:${d.code}`),
        problemRowsSample: problemRows.slice(0, 4),
    });

    // Close the panel, back to the editor.
    await page.keyboard.press('Control+J');
    await sleep(500);
    await page.click('.part.editor .editor-group-container.active .monaco-editor .view-lines');
    await sleep(300);

    // (b) Outline: Go to Symbol in Editor (Ctrl+Shift+O), then the Outline view.
    const headings = original.filter((l) => /^#{1,6} /.test(l)).map((l) => l.replace(/^#+ /, ''));
    await page.keyboard.press('Control+Shift+O');
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
    await sleep(2000);
    const symbols = await quickInputRows();
    await shot('b1-goto-symbol');
    // The list is virtual (only the rows in view exist): filter for each heading in turn.
    const symbolHits = {};
    for (const h of headings) {
        await page.keyboard.press('Control+A');
        await page.keyboard.type(`@${h}`);
        await sleep(700);
        symbolHits[h] = await quickInputRows();
    }
    await page.keyboard.press('Control+A');
    await page.keyboard.type('@Proposal');
    await sleep(700);
    await shot('b2-goto-symbol-filtered');
    await closeQuickInput();
    // Outline view, with the folders pane collapsed so that the whole outline is in view.
    await runCommand('Explorer: Focus on Outline View');
    await sleep(1000);
    await page.locator('.pane-header', { hasText: 'workspace' }).first().click().catch(() => {});
    await sleep(2000);
    const outlineRows = await page.evaluate(() => [...document.querySelectorAll('.outline-pane .monaco-list-row, [id="outline"] .monaco-list-row')]
        .map((r) => r.getAttribute('aria-label') || r.textContent));
    await shot('b3-outline-view');
    await page.locator('.pane-header', { hasText: 'workspace' }).first().click().catch(() => {});
    // One outline (rfcLsp.outline defaults to VS Code's own): each heading is listed once,
    // as text or as VS Code writes it ("## Heading"), never by two providers.
    const rowsFor = (rows, h) => rows.filter((r) => {
        const t = r.replace(/^#+\s*/, '');
        return t === h || t.startsWith(`${h} (`) || t.startsWith(`${h},`);
    });
    record('b-outline', headings.every((h) => rowsFor(symbolHits[h], h).length >= 1) && headings.every((h) => rowsFor(outlineRows, h).length === 1), {
        headingsInDocument: headings, gotoSymbolFirstRows: symbols, gotoSymbolPerHeading: symbolHits, outlineViewRows: outlineRows,
    });
    await page.click('.part.editor .editor-group-container.active .monaco-editor .view-lines');

    // (d) Quick fix on the bad status (line 5, "Inreview") with Ctrl+.
    const statusDiag = check.find((d) => d.code === 'status-invalid');
    await gotoLine(statusDiag.line, statusDiag.column + 1);
    await sleep(1500);
    await page.keyboard.press('Control+.');
    await page.waitForSelector('.action-widget', { timeout: 15000 }).catch(() => {});
    await sleep(1500);
    const fixes = await page.evaluate(() => [...document.querySelectorAll('.action-widget .monaco-list-row')]
        .map((r) => (r.getAttribute('aria-label') || r.textContent).trim()));
    await shot('d1-quick-fix-menu');
    const beforeFix = (await editorLines())[statusDiag.line - 1];
    // The first enabled action, as Enter does.
    await page.keyboard.press('Enter');
    await sleep(2000);
    const afterFix = (await editorLines())[statusDiag.line - 1];
    await shot('d2-quick-fix-applied');
    record('d-quick-fix', fixes.length > 0 && afterFix !== beforeFix, { fixesOffered: fixes, lineBefore: beforeFix, lineAfter: afterFix });

    // (c) Completion of the status value: retype the line as "status: " and look at the list.
    await gotoLine(statusDiag.line);
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('status: ');
    await sleep(1500);
    let suggestVisible = await page.$('.suggest-widget.visible');
    const autoTriggered = !!suggestVisible;
    if (!suggestVisible) {
        await page.keyboard.press('Control+Space');
        await page.waitForSelector('.suggest-widget.visible', { timeout: 10000 }).catch(() => {});
        await sleep(1000);
    }
    const completions = await page.evaluate(() => [...document.querySelectorAll('.suggest-widget.visible .monaco-list-row')]
        .map((r) => (r.getAttribute('aria-label') || r.textContent).trim()));
    await shot('c1-status-completion');
    await page.keyboard.press('Enter');
    await sleep(1000);
    const afterCompletion = (await editorLines())[statusDiag.line - 1];
    await shot('c2-status-completion-accepted');
    const expected = ['Draft', 'In Review', 'Accepted', 'Rejected', 'Implemented'];
    record('c-completion', expected.every((v) => completions.some((c) => c.includes(v))), {
        autoTriggeredOnSpace: autoTriggered, items: completions, lineAfterAccept: afterCompletion,
    });

    // (e) The extension's commands in the palette, then Insert All Missing Sections.
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
    await page.keyboard.type('RFC: ');
    await sleep(1500);
    const paletteRows = await quickInputRows();
    await shot('e1-command-palette');
    await closeQuickInput();
    const wantCommands = ['RFC: Restart Server', 'RFC: Show Server Output', 'RFC: New RFC from Template', 'RFC: Insert All Missing Sections'];
    const commandsFound = wantCommands.filter((c) => paletteRows.some((r) => r.includes(c)));

    const beforeInsert = await editorLines();
    const statusBeforeInsert = await problemsStatus();
    await runCommand('RFC: Insert All Missing Sections');
    await poll(async () => (await editorLines()).length > beforeInsert.length, { timeout: 15000 });
    await sleep(2500);
    const afterInsert = await editorLines();
    const headingsBefore = beforeInsert.filter((l) => /^#{1,6} /.test(l));
    // The rendered lines only: scroll to the top to show the start, then read all headings via Go to Symbol.
    await page.keyboard.press('Control+Shift+O');
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input');
    await sleep(1500);
    const symbolsAfterInsert = await quickInputRows();
    await closeQuickInput();
    await shot('e2-after-insert-missing-sections');
    const statusAfterInsert = await poll(async () => {
        const s = await problemsStatus();
        return s && s.aria !== statusBeforeInsert?.aria ? s : null;
    }, { timeout: 10000 }) || await problemsStatus();
    record('e-commands', commandsFound.length === wantCommands.length && afterInsert.length > beforeInsert.length, {
        paletteRows, commandsFound,
        renderedLinesBefore: beforeInsert.length, renderedLinesAfter: afterInsert.length,
        headingsBefore, symbolsAfterInsert,
        problemsBefore: statusBeforeInsert?.aria, problemsAfter: statusAfterInsert?.aria,
    });

    // Save the edited RFC and check the file on disk with `rfc-lsp check`: same counts as the
    // editor shows for it? (The clean example is the only other open file, with no problems.)
    await page.keyboard.press('Control+S');
    await sleep(2000);
    let savedCheck = null;
    if (process.env.E2E_SERVER) {
        const out = spawnSync(process.env.E2E_SERVER, ['check', '--format', 'json', path.join(WORKSPACE, 'rfcs', BROKEN)], { encoding: 'utf8' });
        try { savedCheck = JSON.parse(out.stdout); } catch { savedCheck = null; }
    }
    const savedCounts = savedCheck && {
        errors: savedCheck.filter((d) => d.severity === 'error').length,
        warnings: savedCheck.filter((d) => d.severity === 'warning').length,
    };
    const uiCounts = countsFrom(await problemsStatus());
    record('e-saved-matches-check', savedCounts !== null && savedCounts.errors === uiCounts.errors && savedCounts.warnings === uiCounts.warnings, {
        editor: uiCounts, checkOnSavedFile: savedCounts,
    });

    // (e') New RFC from Template...
    const mdBefore = fs.readdirSync(WORKSPACE);
    await runCommand('RFC: New RFC from Template');
    await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input', { timeout: 10000 });
    await sleep(800);
    await page.keyboard.type('Playwright smoke test');
    await page.keyboard.press('Enter');
    await sleep(2500);
    const templateRows = await quickInputRows();
    await shot('e3-new-rfc-template-pick');
    await page.keyboard.press('Enter');
    await sleep(3000);
    const mdAfter = fs.readdirSync(WORKSPACE);
    const created = mdAfter.filter((f) => !mdBefore.includes(f));
    const activeTab = await page.evaluate(() => document.querySelector('.tab.active')?.getAttribute('aria-label'));
    const newLines = await editorLines();
    await shot('e4-new-rfc-opened');
    record('e-new-rfc', created.length === 1 && newLines.length > 3, { templates: templateRows, createdFiles: created, activeTab, firstLines: newLines.slice(0, 8) });

    // Restart Server, then (f) the output channel.
    await runCommand('RFC: Restart Server');
    await sleep(4000);
    await runCommand('RFC: Show Server Output');
    await sleep(2500);
    await runCommand('View: Toggle Maximized Panel');
    await sleep(1500);
    const outputLines = await page.evaluate(() => {
        const ed = document.querySelector('.part.panel .monaco-editor .view-lines');
        if (!ed) return [];
        return [...ed.querySelectorAll('.view-line')].map((el) => ({ top: parseFloat(el.style.top), text: el.textContent.replace(/\u00a0/g, ' ') }))
            .sort((a, b) => a.top - b.top).map((l) => l.text);
    });
    const channel = await page.evaluate(() => {
        const sel = document.querySelector('.part.panel .monaco-select-box');
        return sel ? (sel.value || sel.getAttribute('title') || sel.textContent) : null;
    });
    await shot('f1-output-channel');
    await runCommand('View: Toggle Maximized Panel');
    const extLines = outputLines.filter((l) => l.includes('[rfc-lsp extension]'));
    record('f-output', outputLines.length > 0 && extLines.length > 0, {
        channel, renderedLines: outputLines.length, extensionLines: extLines.length, lines: outputLines.slice(0, 40),
    });
} catch (error) {
    console.log('ERROR', error.stack || error);
    await shot('zz-error').catch(() => {});
    failures++;
    results.error = String(error.stack || error);
} finally {
    results.consoleErrors = consoleErrors;
    fs.writeFileSync(path.join(SHOTS, 'results.json'), JSON.stringify(results, null, 2));
    await browser.close();
}
console.log(`${Object.values(results.steps).filter((s) => s.ok).length} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
