// What the in-editor test scripts share: where things are, starting and stopping code-server (in its
// own process group, with its own folders, nothing written under ~), and launching Debian's chromium
// through playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Everything the e2e run installs or writes lives here (git-ignored). */
export const E2E_DIR = join(ROOT, '.e2e');
export const CODE_SERVER = join(E2E_DIR, 'cs', 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The fixture workspace; every run works on a fresh copy, so tests may edit and save its files. */
export const WORKSPACE_FIXTURE = join(ROOT, 'test', 'e2e', 'workspace');
/** The bundled mocha suite (scripts/e2e/build-tests.mjs). */
export const TESTS_DIR = join(ROOT, 'dist-test');

/** Settings every instance gets: no welcome page, no tips, no network look-ups, no telemetry. */
const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  'editor.hover.delay': 300,
  // VS Code for the web (so code-server) saves after 1 s by default; desktop does not. Tests that
  // tell an edit from a save need desktop's behaviour.
  'files.autoSave': 'off',
};

/** Settings that make VS Code treat every folder as untrusted, without the modal trust prompt. */
export const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

export const TRUSTED_SETTINGS = { 'security.workspace.trust.enabled': false };

const running = new Set();
let exitHooked = false;

function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  const killAll = () => {
    for (const pid of running) killGroup(pid, 'SIGKILL');
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      killAll();
      process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 })[signal]);
    });
  }
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** A fresh folder under .e2e/run/<name>. */
export function runDir(name) {
  const dir = join(E2E_DIR, 'run', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A fresh copy of the fixture workspace inside `dir`. */
export function copyWorkspace(dir, from = WORKSPACE_FIXTURE) {
  const to = join(dir, 'workspace');
  cpSync(from, to, { recursive: true });
  return to;
}

/**
 * Starts code-server on 127.0.0.1 with its own user-data, extensions, config and XDG folders under
 * `dir`, in a process group of its own (killed as a whole by stop()). Optionally installs a VSIX first.
 */
export async function startCodeServer({ dir, settings = {}, vsix, env = {} }) {
  hookExit();
  const userData = join(dir, 'user-data');
  const extensions = join(dir, 'extensions');
  const xdg = join(dir, 'xdg');
  for (const d of [join(userData, 'User'), extensions, xdg]) mkdirSync(d, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const childEnv = {
    ...process.env,
    ...env,
    XDG_CONFIG_HOME: join(xdg, 'config'),
    XDG_DATA_HOME: join(xdg, 'data'),
    XDG_CACHE_HOME: join(xdg, 'cache'),
  };
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];

  if (vsix) {
    const r = spawnSync(CODE_SERVER, [...common, '--install-extension', vsix, '--force'], { env: childEnv, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  }

  const port = await freePort();
  const log = join(dir, 'code-server.log');
  const out = openSync(log, 'w');
  const child = spawn(
    CODE_SERVER,
    [
      ...common,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    { env: childEnv, detached: true, stdio: ['ignore', out, out] },
  );
  running.add(child.pid);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (exited) throw new Error(`code-server exited before it was ready (${JSON.stringify(exited)}); log:\n${readFileSync(log, 'utf8')}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 60_000) {
      killGroup(child.pid, 'SIGKILL');
      throw new Error(`code-server did not answer /healthz within 60 s; log: ${log}`);
    }
    await sleep(100);
  }

  return {
    url,
    port,
    pid: child.pid,
    log,
    userData,
    extensions,
    /** Ends code-server's whole process group (the server, its extension hosts, file watchers). */
    async stop() {
      if (!running.has(child.pid)) return;
      killGroup(child.pid, 'SIGTERM');
      for (let i = 0; i < 15 && groupAlive(child.pid); i++) await sleep(100);
      if (groupAlive(child.pid)) killGroup(child.pid, 'SIGKILL');
      running.delete(child.pid);
    },
  };
}

/** Debian's chromium through playwright-core, with its profile and crash folders kept under `dir`. */
export async function launchBrowser(dir) {
  const { chromium } = await import('playwright-core');
  const profile = join(dir, 'chromium');
  mkdirSync(profile, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
  });
}

/** A `vscode-remote://` URI for a path on the code-server machine. */
export function remoteUri(server, path) {
  return `vscode-remote://127.0.0.1:${server.port}${path}`;
}

/**
 * The workbench URL that opens `folder` and runs an extension test: code-server's web workbench
 * reads extensionDevelopmentPath / extensionTestsPath from the `payload` query parameter (its CLI
 * rejects the flags).
 */
export function extensionTestUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const payload = [
    ['extensionDevelopmentPath', remoteUri(server, extensionDevelopmentPath)],
    ['extensionTestsPath', remoteUri(server, extensionTestsPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** The version in package.json, for the VSIX name. */
export function packageVersion() {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
}

/** Records one part's counts for the closing summary of scripts/e2e/run.mjs. */
export function writeResult(file, result) {
  if (!file) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(result));
}
