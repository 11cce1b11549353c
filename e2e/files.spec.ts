/**
 * Issue 6 end to end in Chromium through two browser hosts and a relay, all real processes:
 * Alice tries a blocked file and sees the reason before anything is sent, then sends an image
 * (a PNG drawn in the page) and a PDF (written here as bytes, larger than Bob's automatic
 * download size) with the attach button, a note by drag and drop and one by paste. Bob sees
 * the image's preview inline, downloads the PDF on demand (its progress bar shows), saves it
 * through the browser's download, and the saved bytes are the sent bytes. Deleting a message
 * asks first; deleting the conversation empties it. Each screen is checked with axe-core in both
 * themes and saved as light and dark screenshots.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, expect, type Locator, type Page, test } from '@playwright/test';
import { onboard, openPage, startChat } from './support/onboarding';
import { type TempDir, tempDir } from './support/processes';
import { shot } from './support/screenshots';
import { startTwoPeople, type TwoPeople } from './support/two-people';

/** Above the default automatic download size (8 MiB), so Bob downloads it on demand. */
const PDF_PADDING_BYTES = 10 * 1024 * 1024;

test.describe.configure({ mode: 'serial' });
/** The files Alice sends, as they are on her disk. */
const input: TempDir = tempDir('files-input');
let people: TwoPeople;
// The story goes on from one test to the next in the same two windows.
let alice: Page;
let bob: Page;

test.beforeAll(async () => {
  people = await startTwoPeople('files');
});

test.afterAll(async () => {
  await people?.stop();
  input.remove();
});

/** axe in the light and the dark theme: contrast must hold in both. */
async function accessible(page: Page, screen: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${screen} (${colorScheme}): ${v.id}: ${v.help}`)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

function messages(page: Page): Locator {
  return page.getByRole('log', { name: 'Messages' });
}

/** The message (an <article>) that carries `fileName`. */
function fileMessage(page: Page, fileName: string): Locator {
  return messages(page).getByRole('article').filter({ hasText: fileName });
}

/** Picks files with the attach button, as a person would (the browser's file chooser). */
async function attach(page: Page, files: string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Attach files' }).click();
  await (await chooser).setFiles(files);
}

/** A real PNG: a picture drawn on a canvas in the page, 1600 x 1000. */
async function drawPng(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 1600;
    canvas.height = 1000;
    const g = canvas.getContext('2d')!;
    const sky = g.createLinearGradient(0, 0, 0, 1000);
    sky.addColorStop(0, '#1d3b8f');
    sky.addColorStop(0.6, '#f08a4b');
    sky.addColorStop(1, '#fbd38d');
    g.fillStyle = sky;
    g.fillRect(0, 0, 1600, 1000);
    g.fillStyle = '#fff3c4';
    g.beginPath();
    g.arc(800, 640, 180, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = '#23324d';
    g.fillRect(0, 720, 1600, 280);
    return canvas.toDataURL('image/png');
  });
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}

/** A valid one-page PDF ("Quarterly report") with an unreferenced binary stream for bulk. */
function writePdf(paddingBytes: number): Buffer {
  const text = 'BT /F1 28 Tf 72 700 Td (Quarterly report) Tj ET';
  const padding = randomBytes(paddingBytes);
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  const length = () => parts.reduce((n, p) => n + p.length, 0);
  const object = (body: Buffer | string) => {
    offsets.push(length());
    parts.push(Buffer.from(`${offsets.length} 0 obj\n`), Buffer.from(body), Buffer.from('\nendobj\n'));
  };
  const stream = (bytes: Buffer) =>
    Buffer.concat([
      Buffer.from(`<< /Length ${bytes.length} >>\nstream\n`),
      bytes,
      Buffer.from('\nendstream'),
    ]);
  object('<< /Type /Catalog /Pages 2 0 R >>');
  object('<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  object(
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
  );
  object(stream(Buffer.from(text)));
  object('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  object(stream(padding));
  const xref = length();
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  parts.push(
    Buffer.from(
      `xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n${entries}trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
    ),
  );
  return Buffer.concat(parts);
}

/** Records, in the page, every progress bar that shows up, so a quick transfer is not missed. */
async function watchProgressBars(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { progressSeen: string[] }).progressSeen = seen;
    new MutationObserver(() => {
      document.querySelectorAll('[role="progressbar"]').forEach((bar) => {
        seen.push(`${bar.getAttribute('aria-label')}|${bar.getAttribute('aria-valuenow')}`);
      });
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
}

async function progressSeen(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
}

test('Alice sends an image and a PDF; Bob sees the preview, downloads and saves the PDF byte for byte', async ({
  browser,
}) => {
  const png = await drawPngInBlankPage(browser);
  const pdf = writePdf(PDF_PADDING_BYTES);
  const paths = {
    png: join(input.path, 'sunset.png'),
    pdf: join(input.path, 'Quarterly report for the supervisory board (final).pdf'),
    exe: join(input.path, 'tool.exe'),
  };
  writeFileSync(paths.png, png);
  writeFileSync(paths.pdf, pdf);
  writeFileSync(paths.exe, Buffer.from('MZ this is not really a program'));
  const pdfName = 'Quarterly report for the supervisory board (final).pdf';

  [alice, bob] = await Promise.all([
    openPage(browser, people.host('alice').url, { acceptDownloads: true }),
    openPage(browser, people.host('bob').url, { acceptDownloads: true }),
  ]);
  await Promise.all([onboard(alice, 'alice', 'Alice Archer'), onboard(bob, 'bob', 'Bob Baker')]);

  await startChat(alice, 'bob', 'Bob Baker');
  await alice.getByRole('textbox', { name: 'Message' }).fill('The files for tomorrow:');
  await alice.getByRole('textbox', { name: 'Message' }).press('Enter');

  // A blocked type is refused with its reason, before anything is read or sent.
  await attach(alice, [paths.exe]);
  const refusal = alice.getByRole('list', { name: 'Files not sent' }).getByRole('alert');
  await expect(refusal).toContainText("tool.exe wasn't sent.");
  await expect(refusal).toContainText('Files of type .exe are blocked on this device');
  await expect(refusal).toContainText('FILE_TYPE_BLOCKED');
  await expect(fileMessage(alice, 'tool.exe')).toHaveCount(0);
  await shot(alice, 'files-refused');
  await accessible(alice, 'refused file');
  await refusal.getByRole('button', { name: /Dismiss/ }).click();
  await expect(refusal).toHaveCount(0);

  // Bob opens the chat before the files come, so the download happens on screen.
  const fromAlice = bob
    .getByRole('navigation', { name: 'Conversations' })
    .getByRole('button', { name: /Alice Archer/ });
  await fromAlice.click({ timeout: 20_000 });
  await expect(messages(bob).getByText('The files for tomorrow:')).toBeVisible();
  await watchProgressBars(alice);
  await watchProgressBars(bob);

  // Two files at once by the attach button: each becomes its own message with a progress bar.
  await attach(alice, [paths.png, paths.pdf]);
  const alicePdf = fileMessage(alice, 'Quarterly report');
  await expect(alicePdf).toBeVisible();
  try {
    await expect(alicePdf.getByRole('progressbar')).toBeVisible({ timeout: 2_000 });
    await shot(alice, 'files-uploading');
  } catch {
    // The upload was quicker than a screenshot: the record below still proves the bar showed.
  }
  await expect(alicePdf.getByText(/^(Delivered|Read)$/)).toBeVisible({ timeout: 30_000 });
  await expect(fileMessage(alice, 'sunset.png').getByText(/^(Delivered|Read)$/)).toBeVisible();
  expect((await progressSeen(alice)).some((s) => s.startsWith('Sending Quarterly report'))).toBe(true);
  await expect(
    fileMessage(alice, 'sunset.png').getByRole('img', { name: 'Preview of sunset.png' }),
  ).toBeVisible();
  await shot(alice, 'files-sent');
  await accessible(alice, 'chat with files (sender)');

  // Bob: the image's preview shows inline (made by Alice, at most 320 px), and being small it
  // downloaded by itself; the PDF is larger than his automatic download size and waits.
  const image = fileMessage(bob, 'sunset.png').getByRole('img', { name: 'Preview of sunset.png' });
  await expect(image).toBeVisible({ timeout: 20_000 });
  const natural = await image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
  expect(natural).toEqual([320, 200]);
  await expect(fileMessage(bob, 'sunset.png').getByRole('button', { name: 'Save as…' })).toBeVisible();
  const bobPdf = fileMessage(bob, 'Quarterly report');
  await expect(bobPdf).toContainText('PDF document · 10.5 MB');
  const download = bobPdf.getByRole('button', { name: 'Download' });
  await expect(download).toBeVisible();
  await shot(bob, 'files-received');
  await accessible(bob, 'chat with files (recipient)');

  await download.click();
  try {
    await expect(bobPdf.getByRole('progressbar')).toBeVisible({ timeout: 2_000 });
    await shot(bob, 'files-downloading');
  } catch {
    // As above: a fast loopback may finish first.
  }
  const saveAs = bobPdf.getByRole('button', { name: 'Save as…' });
  await expect(saveAs).toBeVisible({ timeout: 30_000 });
  expect((await progressSeen(bob)).some((s) => s.startsWith(`Downloading ${pdfName}`))).toBe(true);

  // Save as: the browser's own download, of exactly the bytes Alice sent.
  const saving = bob.waitForEvent('download', { timeout: 15_000 });
  await saveAs.click();
  const saved = await saving;
  expect(saved.suggestedFilename()).toBe(pdfName);
  const savedBytes = readFileSync(await saved.path());
  expect(savedBytes.length).toBe(pdf.length);
  expect(savedBytes.equals(pdf)).toBe(true);

  // The panel lists the files shared; its pressed button and "Mark as not verified" stay readable.
  await bob.getByRole('button', { name: 'Safety number' }).click();
  const panel = bob.getByRole('complementary', { name: 'Contact details' });
  const shared = panel.getByRole('region', { name: 'Files shared' });
  await expect(shared.getByRole('listitem')).toHaveCount(2);
  await expect(shared.getByRole('listitem').first()).toContainText('Quarterly report');
  await panel.getByRole('button', { name: 'Mark as verified' }).click();
  await expect(panel.getByRole('button', { name: 'Mark as not verified' })).toBeVisible();
  await shot(bob, 'files-panel');
  await accessible(bob, 'contact panel with files');
  await bob.keyboard.press('Escape');

  // Settings: automatic download size and this device's limits.
  await bob.getByRole('button', { name: 'Settings' }).click();
  const settings = bob.getByRole('dialog', { name: 'Settings' });
  const autoDownload = settings.getByLabel('Download files automatically up to');
  await expect(autoDownload).toHaveValue(String(8 * 1024 * 1024));
  await autoDownload.selectOption({ label: '50 MB' });
  await expect(autoDownload).toHaveValue('50000000');
  await expect(settings.getByText('Largest file')).toBeVisible();
  await expect(settings.getByText('2.1 GB')).toBeVisible();
  await settings.getByRole('heading', { name: 'Files' }).scrollIntoViewIfNeeded();
  await shot(bob, 'files-settings');
  await accessible(bob, 'settings with files');
  await bob.keyboard.press('Escape');
});

test('files come by drag and drop and by paste; a message and a conversation are deleted after asking', async () => {
  const chat = alice.getByRole('main', { name: 'Chat with Bob Baker' });

  // Drag and drop: the zone shows (and is announced) while files are over the chat.
  const dropped = await alice.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(new File(['Agenda: budget, hiring, offsite.\n'], 'agenda.txt', { type: 'text/plain' }));
    return data;
  });
  await chat.dispatchEvent('dragenter', { dataTransfer: dropped });
  await expect(alice.getByTestId('drop-zone')).toBeVisible();
  await expect(
    alice.getByRole('status').filter({ hasText: 'Drop files to send them to Bob Baker' }),
  ).toHaveCount(1);
  await shot(alice, 'files-drop-zone');
  await chat.dispatchEvent('drop', { dataTransfer: dropped });
  await expect(alice.getByTestId('drop-zone')).toHaveCount(0);
  await expect(fileMessage(alice, 'agenda.txt').getByText(/^(Sent|Delivered|Read)$/)).toBeVisible({
    timeout: 20_000,
  });

  // Paste: a file on the clipboard becomes a message too.
  await alice.getByRole('textbox', { name: 'Message' }).evaluate((box) => {
    const data = new DataTransfer();
    data.items.add(new File(['pasted words'], 'pasted.txt', { type: 'text/plain' }));
    box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await expect(fileMessage(alice, 'pasted.txt')).toBeVisible();

  // The message menu by keyboard: Enter opens it on its first item, Esc closes it and gives
  // focus back to the button.
  const pasted = fileMessage(alice, 'pasted.txt');
  const more = pasted.getByRole('button', { name: 'More actions' });
  await more.focus();
  await alice.keyboard.press('Enter');
  const menu = alice.getByRole('menu', { name: 'Message actions' });
  await expect(menu.getByRole('menuitem', { name: 'Delete' })).toBeFocused();
  await alice.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(more).toBeFocused();

  // Delete for me, from a right click on the message, after a confirmation.
  const agenda = fileMessage(alice, 'agenda.txt');
  await agenda.getByText('agenda.txt').click({ button: 'right' });
  await menu.getByRole('menuitem', { name: 'Delete' }).click();
  const confirm = alice.getByRole('dialog', { name: 'Delete for me?' });
  await expect(confirm).toContainText("The file's key is erased; this can't be undone.");
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await shot(alice, 'files-delete-confirm');
  await accessible(alice, 'delete confirmation');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(agenda).toHaveCount(0);
  await expect(pasted).toBeVisible();

  // The whole conversation, from the chat header's menu.
  await alice.getByRole('button', { name: 'Chat actions' }).click();
  await alice.getByRole('menuitem', { name: 'Delete conversation' }).click();
  await alice
    .getByRole('dialog', { name: 'Delete this conversation?' })
    .getByRole('button', { name: 'Delete conversation' })
    .click();
  await expect(
    alice.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: /Bob Baker/ }),
  ).toHaveCount(0);
  await expect(chat).toHaveCount(0);
});

/** The PNG is drawn by Chromium's own canvas in a page of its own, before either app opens. */
async function drawPngInBlankPage(browser: Browser): Promise<Buffer> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const png = await drawPng(page);
  await context.close();
  return png;
}
