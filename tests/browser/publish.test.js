// Publishing under a sub-path: the default handbook built with
// publish_path = "/handbook/" and served by a real nginx from Debian
// (installed by setup-nginx.sh when missing), run as the current user on a
// free port with a configuration in a temp folder, exactly as the README's
// nginx example says. Missing pages at three depths get the styled 404
// page, every link on it works, and axe finds nothing.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn, execFileSync } = require('node:child_process');
const { newHandbook, buildSite, tempDir, axe, setUp } = require('./lib');

const MOUNT = '/handbook/';
const MISSING = ['no-such-page.html', 'early-help/no-such-page.html', 'a/b/c/no-such-page.html'];

let browser;
let nginx;
let origin;
let nginxDir;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, child, log) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx stopped (${child.exitCode}): ${fs.readFileSync(log, 'utf8')}`);
    const open = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('nginx did not start listening');
}

/** The README's nginx example, in a configuration of its own. */
function nginxConf(dir, port, site) {
  const temp = (name) => path.join(dir, name);
  return `
daemon off;
pid ${temp('nginx.pid')};
error_log ${temp('error.log')} warn;
# Ignored (with a warning) unless nginx starts as root; as root, the workers
# must still read the site in a temp folder only its owner can open.
user ${os.userInfo().username};
worker_processes 1;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  types { application/atom+xml xml; }
  default_type application/octet-stream;
  access_log off;
  client_body_temp_path ${temp('body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  server {
    listen 127.0.0.1:${port};
    location ${MOUNT} {
      alias ${site}/;
      error_page 404 ${MOUNT}404.html;
    }
  }
}
`;
}

setUp({
  build: false,
  ready: async (state) => {
    ({ browser } = state);
    execFileSync('bash', [path.join(__dirname, 'setup-nginx.sh')], { stdio: 'inherit' });
    const root = newHandbook();
    const toml = path.join(root, 'handbook.toml');
    // At the top: after a [table] header the key would belong to that table.
    fs.writeFileSync(toml, `publish_path = "${MOUNT}"\n` + fs.readFileSync(toml, 'utf8'));
    const site = buildSite(root);
    nginxDir = tempDir('handbook-nginx-');
    const port = await freePort();
    const conf = path.join(nginxDir, 'nginx.conf');
    fs.writeFileSync(conf, nginxConf(nginxDir, port, site));
    const log = path.join(nginxDir, 'error.log');
    const bin = fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
    nginx = spawn(bin, ['-p', nginxDir, '-c', conf, '-e', log], { stdio: 'ignore' });
    await waitForPort(port, nginx, log);
    origin = `http://127.0.0.1:${port}`;
  },
  done: async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx.once('exit', r));
      nginx.kill('SIGTERM');
      await exited;
    }
  },
});

for (const missing of MISSING) {
  test(`a missing page ${missing.split('/').length - 1} folders down: 404, styled, every link works, no axe violations`, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const failed = [];
    page.on('response', (r) => {
      if (r.status() >= 400 && r.url() !== origin + MOUNT + missing) failed.push(`${r.status()} ${r.url()}`);
    });
    page.on('requestfailed', (r) => failed.push(`failed ${r.url()}`));
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const response = await page.goto(origin + MOUNT + missing);
    assert.equal(response.status(), 404);
    assert.equal(await page.locator('h1').textContent(), 'Page not found');
    await page.waitForLoadState('load');
    assert.deepEqual(failed, [], 'every stylesheet, script and image of the 404 page loads');

    // The stylesheet is applied: the header's look changes when it is taken away.
    const look = () => page.evaluate(() => {
      const s = getComputedStyle(document.querySelector('.site-header'));
      const skip = getComputedStyle(document.querySelector('.skip-link'));
      return [s.backgroundColor, s.color, skip.position, getComputedStyle(document.body).fontFamily].join(' | ');
    });
    const styled = await look();
    const sheets = await page.evaluate(() => Array.from(document.styleSheets, (s) => s.href));
    assert.ok(sheets.includes(`${origin}${MOUNT}assets/style.css`), `style.css from the site's folder: ${sheets}`);
    await page.evaluate(() => { for (const s of document.styleSheets) s.disabled = true; });
    assert.notEqual(styled, await look(), 'computed style differs from the unstyled page');
    await page.evaluate(() => { for (const s of document.styleSheets) s.disabled = false; });

    // Every link on the page leads to a page of the site that is there.
    const links = await page.evaluate(() =>
      Array.from(document.querySelectorAll('a[href]'), (a) => a.getAttribute('href').startsWith('#') ? null : a.href).filter(Boolean));
    const own = [...new Set(links.map((l) => l.split('#')[0]))].filter((l) => l.startsWith(origin));
    assert.ok(own.length >= 10, `the 404 page has the site's navigation: ${own.length} links`);
    const broken = [];
    for (const link of own) {
      assert.ok(link.startsWith(origin + MOUNT), `${link} stays inside ${MOUNT}`);
      const r = await context.request.get(link, { maxRedirects: 0 });
      if (r.status() !== 200) broken.push(`${r.status()} ${link}`);
    }
    assert.deepEqual(broken, []);
    const home = await context.request.get(origin + MOUNT + 'index.html');
    assert.match(await home.text(), /<h1/);

    assert.deepEqual(await axe(page), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the search box on the 404 page searches the site from its folder', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin + MOUNT + MISSING[2]);
  await page.locator('#search-input').fill('consent');
  const first = page.locator('.search-option').first();
  await first.waitFor();
  await first.click();
  await page.waitForLoadState('load');
  assert.ok(page.url().startsWith(origin + MOUNT), page.url());
  assert.equal((await context.request.get(page.url())).status(), 200);
  await context.close();
});
