// Times the web console's pages in Chromium against a running server: from the start of the
// navigation until the page's content is on screen (the first device row, the fleet figures...).
// Usage: node render.js BASE_URL PASSWORD [RUNS]   (bench/console/run.sh starts the server for it)
const { chromium } = require('playwright-core');

const [base, password, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
// What "rendered" means for each page: an element that only exists once its data is shown.
const pages = [
  ['overview', '/console', page => page.getByText('Firmware compliance per model').waitFor()],
  ['devices (first page of 10,000)', '/console/devices', page => page.locator('table tbody tr a').first().waitFor()],
  ['devices, then a search for one of them', '/console/devices', async page => {
    const search = page.getByLabel('Search').first();
    await page.locator('table tbody tr a').first().waitFor();
    await search.fill('gw-09999');
    await search.press('Enter');
    await page.getByRole('link', { name: 'gw-09999' }).waitFor();
  }],
  ['one device', null, page => page.getByText('Slots and storage').waitFor()],
  ['firmware (catalog and matrix)', '/console/firmware', page => page.getByText('Compatibility').first().waitFor()],
  ['audit log', '/console/audit', page => page.locator('table tbody tr').first().waitFor()],
];

const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base + '/console');
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.getByText('Fleet health').waitFor();
  // One device's address, for the device page.
  await page.goto(base + '/console/devices');
  const first = page.locator('table tbody tr a').first();
  await first.waitFor();
  const deviceUrl = new URL(await first.getAttribute('href'), base + '/console/').toString();
  console.log(`page                                     median ms   min ms   max ms   (${runs} loads each, Chromium, full navigation)`);
  for (const [name, path, ready] of pages) {
    const url = path ? base + path : deviceUrl;
    const times = [];
    for (let i = 0; i < runs + 1; i++) {
      const started = Date.now();
      await page.goto(url);
      await ready(page);
      if (i > 0) times.push(Date.now() - started); // the first load warms the server's code paths
    }
    console.log(`${name.padEnd(40)} ${String(median(times)).padStart(10)} ${String(Math.min(...times)).padStart(8)} ${String(Math.max(...times)).padStart(8)}`);
  }
  await browser.close();
})().catch(e => { console.error(e); process.exit(1); });
